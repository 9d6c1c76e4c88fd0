import { createRng } from '../random.ts';
import { fromHex, toHex } from '../bytes.ts';
import { deriveKeyPair, type CurveName, type EcKeyPair } from './ec-keys.ts';
import { EQUIPMENT_TYPE, issueCertificate } from './cv-certificate.ts';
import { encodeCertificationAuthorityKid, encodeExtendedSerialNumber, type CertificationAuthorityKid, type ExtendedSerialNumber } from './key-identifier.ts';
import { deriveVuDsrcKeys } from '../dsrc/keys.ts';

/**
 * A deterministic test hierarchy (App. 11 §9.1): an ERCA root, one MSCA_VU-EGF, and for each VU its VU_MA
 * and VU_Sign key pairs (CSM_72) with CV certificates (§9.3). Keys come from the seed, so every party of a
 * rig that agrees on the seed (the VU that signs, the IDE that trusts the root) derives the same keys
 * without sharing objects. Signatures use RFC 6979 nonces (deterministic-ecdsa.ts), so certificates are
 * byte-identical across runs for a seed; within one process they are issued once per seed and cached.
 *
 * Test keys only, never a real PKI's. A bench with a real test PKI loads its files instead (key-files.ts).
 */
export const TEST_PKI_DEFAULT_SEED = 7027;

/** Validity periods (choices where App. 11 leaves room, written down in the README). */
const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const MONTH_MS = YEAR_MS / 12;
// CSM_56 [BG]: a root valid 34 years and 3 months
export const ERCA_VALIDITY_MS = 34 * YEAR_MS + 3 * MONTH_MS;
// a choice: an MSCA_VU-EGF key is used to issue for 2 years and must outlive its VU certificates
export const MSCA_VALIDITY_MS = 17 * YEAR_MS + 3 * MONTH_MS;
// Annex IC req. 13: 15 years of use plus 3 months for download only; the certificate carries the whole span
export const VU_VALIDITY_MS = 15 * YEAR_MS + 3 * MONTH_MS;
// a choice: App. 11 gives no EGF_MA validity; an EGF is fitted with its VU, so it gets the VU's span
export const EGF_VALIDITY_MS = VU_VALIDITY_MS;

export const TEST_ERCA_KID: CertificationAuthorityKid = { nationNumeric: 0xfd, nationAlpha: 'EC', keySerialNumber: 1, additionalInfo: 'FFFF' };
export const TEST_MSCA_KID: CertificationAuthorityKid = { nationNumeric: 0x06, nationAlpha: 'B', keySerialNumber: 1, additionalInfo: 'FFFF' };

/** One key pair and the certificate for its public key, as plain data. */
export interface Credential {
  key: EcKeyPair;
  /** DER, hex. */
  certificate: string;
}

/** What a VU holds and what it puts in a download: its own credentials and the certificates above them. */
export interface VuCredentials {
  vuSign: Credential;
  vuMa: Credential;
  /** MSCA_VU-EGF certificate (DER hex): the MemberStateCertificate of TREP 21. */
  mscaCertificate: string;
  /** The European root (DER hex) the chain ends in: what an IDE trusts. */
  rootCertificate: string;
}

/** What an EGF holds (CSM_93): its EGF_MA credential and the certificates above it, and the root it trusts. */
export interface EgfCredentials {
  egfMa: Credential;
  /** MSCA_VU-EGF certificate (DER hex): EF CA_Certificate. */
  mscaCertificate: string;
  /** The European root (DER hex) the EGF verifies a VU chain against (CSM_208). */
  rootCertificate: string;
}

/**
 * One generation of the DSRC master key K_M-DSRC with its version (CSM_121/122), as a control or workshop card
 * stores it (CSM_127). Plain data: key as hex.
 */
export interface DsrcMasterKey {
  version: number;
  key: string;
}

/** What a VU stores for DSRC (CSM_126): K_VUDSRC_ENC, K_VUDSRC_MAC and the master key version. Hex. */
export interface VuDsrcKeyMaterial {
  version: number;
  enc: string;
  mac: string;
}

export interface TestPkiOptions {
  seed?: number;
  curve?: CurveName;
  /** ms; the root's effective date. The MSCA follows 6 months later. Default 2025-01-01. */
  rootEffective?: number;
}

const cache = new Map<string, TestPki>();

export class TestPki {
  readonly seed: number;
  readonly curve: CurveName;
  readonly erca: Credential;
  readonly msca: Credential;
  private readonly mscaEffective: number;
  private readonly vus = new Map<string, VuCredentials>();
  private readonly egfs = new Map<string, EgfCredentials>();

  /** The one instance per seed, curve and date in this process, so certificates agree between parties. */
  static of(options: TestPkiOptions = {}): TestPki {
    const key = `${options.seed ?? TEST_PKI_DEFAULT_SEED}/${options.curve ?? 'brainpoolP256r1'}/${options.rootEffective ?? ''}`;
    let pki = cache.get(key);
    if (!pki) cache.set(key, (pki = new TestPki(options)));
    return pki;
  }

  constructor(options: TestPkiOptions = {}) {
    this.seed = options.seed ?? TEST_PKI_DEFAULT_SEED;
    this.curve = options.curve ?? 'brainpoolP256r1';
    const rootEffective = options.rootEffective ?? Date.UTC(2025, 0, 1);
    this.mscaEffective = rootEffective + 6 * MONTH_MS;
    const ercaKey = deriveKeyPair(createRng(this.seed, 'pki/erca'), this.curve);
    const ercaChr = encodeCertificationAuthorityKid(TEST_ERCA_KID);
    // CSM_139: the root is self-signed, CAR = CHR
    this.erca = {
      key: ercaKey,
      certificate: toHex(
        issueCertificate(
          { car: ercaChr, chr: ercaChr, equipmentType: EQUIPMENT_TYPE.erca, curve: this.curve, publicPoint: fromHex(ercaKey.publicPoint), effectiveDate: rootEffective, expirationDate: rootEffective + ERCA_VALIDITY_MS },
          ercaKey,
        ),
      ),
    };
    const mscaKey = deriveKeyPair(createRng(this.seed, 'pki/msca-vu-egf'), this.curve);
    this.msca = {
      key: mscaKey,
      certificate: toHex(
        issueCertificate(
          {
            car: ercaChr,
            chr: encodeCertificationAuthorityKid(TEST_MSCA_KID),
            equipmentType: EQUIPMENT_TYPE.msca,
            curve: this.curve,
            publicPoint: fromHex(mscaKey.publicPoint),
            effectiveDate: this.mscaEffective,
            expirationDate: this.mscaEffective + MSCA_VALIDITY_MS,
          },
          ercaKey,
        ),
      ),
    };
  }

  /**
   * CSM_72: a VU's two key pairs, each certified by the MSCA; CHR = the VU serial number (CSM_146), CHA
   * equipment type 6 for VU_MA and 19 for VU_Sign (CSM_141). `issuedAt` defaults to the MSCA's start.
   */
  vu(serial: ExtendedSerialNumber, issuedAt: number = this.mscaEffective): VuCredentials {
    const chr = encodeExtendedSerialNumber(serial);
    const id = `${toHex(chr)}@${issuedAt}`;
    const known = this.vus.get(id);
    if (known) return known;
    const mscaChr = encodeCertificationAuthorityKid(TEST_MSCA_KID);
    const issue = (role: 'sign' | 'ma', equipmentType: number): Credential => {
      const key = deriveKeyPair(createRng(this.seed, `pki/vu/${toHex(chr)}/${role}`), this.curve);
      const certificate = issueCertificate(
        { car: mscaChr, chr, equipmentType, curve: this.curve, publicPoint: fromHex(key.publicPoint), effectiveDate: issuedAt, expirationDate: issuedAt + VU_VALIDITY_MS },
        this.msca.key,
      );
      return { key, certificate: toHex(certificate) };
    };
    const creds: VuCredentials = {
      vuSign: issue('sign', EQUIPMENT_TYPE.vehicleUnitSign),
      vuMa: issue('ma', EQUIPMENT_TYPE.vehicleUnit),
      mscaCertificate: this.msca.certificate,
      rootCertificate: this.erca.certificate,
    };
    this.vus.set(id, creds);
    return creds;
  }

  /**
   * CSM_93: an EGF's EGF_MA key pair certified by the MSCA_VU-EGF; CHR = the EGF's extended serial number
   * (CSM_146 note: sensorGNSSSerialNumber of EF.ICC), CHA equipment type 8 (GNSS facility). `validityMs`
   * lets a scenario fit an EGF whose certificate expires (GNS_31).
   */
  egf(serial: ExtendedSerialNumber, options: { issuedAt?: number; validityMs?: number } = {}): EgfCredentials {
    const chr = encodeExtendedSerialNumber(serial);
    const issuedAt = options.issuedAt ?? this.mscaEffective;
    const validityMs = options.validityMs ?? EGF_VALIDITY_MS;
    const id = `${toHex(chr)}@${issuedAt}+${validityMs}`;
    const known = this.egfs.get(id);
    if (known) return known;
    const key = deriveKeyPair(createRng(this.seed, `pki/egf/${toHex(chr)}/ma`), this.curve);
    const certificate = issueCertificate(
      {
        car: encodeCertificationAuthorityKid(TEST_MSCA_KID),
        chr,
        equipmentType: EQUIPMENT_TYPE.externalGnssFacility,
        curve: this.curve,
        publicPoint: fromHex(key.publicPoint),
        effectiveDate: issuedAt,
        expirationDate: issuedAt + validityMs,
      },
      this.msca.key,
    );
    const creds: EgfCredentials = { egfMa: { key, certificate: toHex(certificate) }, mscaCertificate: this.msca.certificate, rootCertificate: this.erca.certificate };
    this.egfs.set(id, creds);
    return creds;
  }

  /**
   * CSM_119/120: the ERCA's DSRC master key of a version (1 byte, CSM_122). Its length matches the root key
   * (CSM_50): the test PKI's curves are 256-bit, so K_M-DSRC is AES-128 (cipher suite CS#1). Seeded per
   * version, so cards (CSM_127) and the MSCA's VU derivation (CSM_124) agree without sharing objects.
   */
  dsrcMasterKey(version: number): DsrcMasterKey {
    if (!Number.isInteger(version) || version < 0 || version > 255) throw new RangeError(`a DSRC master key version is one byte, got ${version}`);
    return { version, key: toHex(createRng(this.seed, `pki/dsrc-master/v${version}`).bytes(16)) };
  }

  /**
   * CSM_123-126: the MSCA's answer to a VU manufacturer: the two VU-specific DSRC keys derived from K_M-DSRC
   * of `version` and the VU serial number or, when that is not yet known, the certificate request ID (8 octets).
   */
  vuDsrcKeys(vuId: Uint8Array, version: number): VuDsrcKeyMaterial {
    const keys = deriveVuDsrcKeys(fromHex(this.dsrcMasterKey(version).key), vuId);
    return { version, enc: toHex(keys.enc), mac: toHex(keys.mac) };
  }
}
