import { fromHex } from '../../crypto/bytes.ts';
import { decodeCertificate } from '../../crypto/pki/cv-certificate.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { G1_EQUIPMENT_TYPE } from '../../crypto/pki-g1/rsa-certificate.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { encodeExtendedSerialNumber } from '../../protocols/motion-sensor/payloads.ts';
import type { DownloadSigner } from '../../protocols/app7-records/index.ts';
import type { G1DownloadSigner } from '../../protocols/app7-records-g1/index.ts';
import type { VuMaCredentials } from './gnss-link/index.ts';
import type { VuOptions } from './vu-options.ts';

/**
 * The VU's two key pairs and certificates (CSM_72), issued by the rig's test PKI for its serial number:
 * VU_Sign signs downloads, VU_MA authenticates the VU to an EGF (and, later, to cards).
 */
function credentials(options: VuOptions) {
  return TestPki.of({ seed: options.pki.seed }).vu(options.identification.serialNumber);
}

export function vuSigner(options: VuOptions): DownloadSigner {
  const vu = credentials(options);
  return { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate };
}

/**
 * The gen1 key material a gen2 VU signs a download in the generation 1 format with (App. 7 §1.1: "signed using
 * Appendix 11 Common Security Mechanisms Part A", MIG_015). Choice: the emulated VU holds one gen1 key pair
 * (CSM_009) from the rig's gen1 test PKI of the same seed (TestPkiG1: EUR → MS → VU), certified by the test MS
 * with CHR = its ExtendedSerialNumber (App. 11 Part A: an equipment's KeyIdentifier is its extended serial
 * number), CHA equipment type 6 (vehicle unit), ending when its gen2 VU_Sign certificate ends.
 */
export function vuSignerG1(options: VuOptions): G1DownloadSigner {
  const endOfValidity = decodeCertificate(fromHex(credentials(options).vuSign.certificate)).expirationDate;
  const pki = TestPkiG1.of({ seed: options.pki.seed });
  const vu = pki.equipment(encodeExtendedSerialNumber(options.identification.serialNumber), G1_EQUIPMENT_TYPE.vehicleUnit, endOfValidity);
  return { key: vu.key, memberStateCertificate: pki.ms.certificate, vuCertificate: vu.certificate };
}

export function vuMaCredentials(options: VuOptions): VuMaCredentials {
  const vu = credentials(options);
  return {
    privateKey: vu.vuMa.key.privateKey,
    curve: vu.vuMa.key.curve as VuMaCredentials['curve'],
    certificate: vu.vuMa.certificate,
    mscaCertificate: vu.mscaCertificate,
    rootCertificate: vu.rootCertificate,
  };
}

/**
 * CSM_123-126: what the VU holds for DSRC, as the MSCA answered its manufacturer: K_VUDSRC_ENC and _MAC for the
 * test PKI's K_M-DSRC of the configured version, derived from the VU serial number (or the certificate request
 * ID), and that identifier, which goes into every set's security data (CSM_224). Hex.
 */
export function vuDsrcKeys(options: VuOptions): { enc: string; mac: string; version: number; vuId: string } {
  const vuId = options.dsrc.certificateRequestId ?? Buffer.from(encodeExtendedSerialNumber(options.identification.serialNumber)).toString('hex');
  const keys = TestPki.of({ seed: options.pki.seed }).vuDsrcKeys(fromHex(vuId), options.dsrc.keyVersion);
  return { ...keys, vuId };
}
