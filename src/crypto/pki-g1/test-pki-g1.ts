import { fromHex, toHex } from '../bytes.ts';
import { encodeCertificationAuthorityKid } from '../pki/key-identifier.ts';
import { MSCA_VALIDITY_MS, TEST_ERCA_KID, TEST_MSCA_KID, TEST_PKI_DEFAULT_SEED } from '../pki/test-pki.ts';
import { encodeEuropeanPublicKey } from './european-public-key.ts';
import { G1_EQUIPMENT_TYPE, issueG1Certificate } from './rsa-certificate.ts';
import { publicKeyOf, type RsaKeyPair } from './rsa-keys.ts';
import { seededRsaKeyPair } from './seeded-rsa-keys.ts';

/**
 * A deterministic first-generation test hierarchy (App. 11 Part A CSM_006..011): a European test key pair,
 * one Member State test key pair certified by it, and equipment key pairs certified by the MS. Keys come from
 * the seed through HMAC-DRBG (hmac-drbg.ts), one stream per key, so every party that agrees on the seed (the
 * card that signs, the IDE that trusts EUR.PK) derives the same keys on any machine; within a process each
 * key is derived once per seed (about 10-150 ms each).
 *
 * Choices: the rig's VU `pki.seed` seeds both generations; the identifiers are the gen2 test PKI's (EUR:
 * FD 'EC ' 01 FFFF 01, MS: 06 'B  ' 01 FFFF 01); the MS certificate ends where the gen2 MSCA's does (2025-07
 * + 17 y 3 m); e = 65537 everywhere. Test keys only (CSM_011), never a real ERCA's.
 */
export interface G1Credential {
  key: RsaKeyPair;
  /** The 194-byte certificate, hex. */
  certificate: string;
}

export interface TestPkiG1Options {
  seed?: number;
  /** ms; the root's start (as the gen2 test PKI's option): the MS certificate ends 6 months + MSCA validity later. Default 2025-01-01. */
  rootEffective?: number;
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const cache = new Map<string, TestPkiG1>();

export class TestPkiG1 {
  readonly seed: number;
  /** EUR.SK/EUR.PK (CSM_007). */
  readonly eurKey: RsaKeyPair;
  /** The European public key in its 144-byte form (KID ‖ n ‖ e), hex: what a verifier trusts. */
  readonly eurPublicKey: string;
  /** MS.SK and the MS certificate issued with EUR.SK (CSM_008): EF CA_Certificate of the cards. */
  readonly ms: G1Credential;
  private readonly equipments = new Map<string, G1Credential>();

  static of(options: TestPkiG1Options = {}): TestPkiG1 {
    const id = `${options.seed ?? TEST_PKI_DEFAULT_SEED}/${options.rootEffective ?? ''}`;
    let pki = cache.get(id);
    if (!pki) cache.set(id, (pki = new TestPkiG1(options)));
    return pki;
  }

  constructor(options: TestPkiG1Options = {}) {
    this.seed = options.seed ?? TEST_PKI_DEFAULT_SEED;
    const rootEffective = options.rootEffective ?? Date.UTC(2025, 0, 1);
    const eurKid = encodeCertificationAuthorityKid(TEST_ERCA_KID);
    this.eurKey = seededRsaKeyPair(this.seed, 'eur');
    this.eurPublicKey = toHex(encodeEuropeanPublicKey({ kid: toHex(eurKid), ...publicKeyOf(this.eurKey) }));
    const msKey = seededRsaKeyPair(this.seed, 'ms');
    const msCertificate = issueG1Certificate(
      {
        car: eurKid,
        equipmentType: G1_EQUIPMENT_TYPE.memberState,
        endOfValidity: rootEffective + YEAR_MS / 2 + MSCA_VALIDITY_MS,
        chr: encodeCertificationAuthorityKid(TEST_MSCA_KID),
        publicKey: publicKeyOf(msKey),
      },
      this.eurKey,
    );
    this.ms = { key: msKey, certificate: toHex(msCertificate) };
  }

  /**
   * CSM_009: the one key pair of an equipment (CHR = its 8-byte key identifier, App. 11 Part A §3.3.1 note
   * 5.1), certified by the MS. The key depends on the seed and the CHR only; the certificate also on the
   * type and end of validity (null: 'FF FF FF FF', not used).
   */
  equipment(chr: Uint8Array, equipmentType: number, endOfValidity: number | null): G1Credential {
    const id = `${toHex(chr)}/${equipmentType}/${endOfValidity}`;
    const known = this.equipments.get(id);
    if (known) return known;
    const key = seededRsaKeyPair(this.seed, `eqt/${toHex(chr)}`);
    const certificate = issueG1Certificate(
      { car: encodeCertificationAuthorityKid(TEST_MSCA_KID), equipmentType, endOfValidity, chr, publicKey: publicKeyOf(key) },
      this.ms.key,
    );
    const credential = { key, certificate: toHex(certificate) };
    this.equipments.set(id, credential);
    return credential;
  }

  /** The European public key as bytes, for verifiers. */
  eurPublicKeyBytes(): Uint8Array {
    return fromHex(this.eurPublicKey);
  }
}
