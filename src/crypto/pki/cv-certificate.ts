import { concatBytes, toHex } from '../bytes.ts';
import { curveOfOid, signPlain, verifyPlain, type CurveName, type EcKeyPair, CURVES } from './ec-keys.ts';
import { encodeTlv, expectTlvs, readTlv } from './tlv.ts';
import { fromHex } from '../bytes.ts';

/**
 * App. 11 §9.3 card-verifiable certificates, Certificate Profile version 1 (Table 4), in DER (CSM_135):
 *
 *   7F21 ECC Certificate
 *     7F4E Certificate Body
 *       5F29 01 CPI  '00'                    (CSM_137)
 *       42   08 CAR  KeyIdentifier           (CSM_138)
 *       5F4C 07 CHA  AID(6 MSB) ‖ EquipmentType (CSM_141)
 *       7F49    PK   { 06 domain parameters OID, 86 public point }   (CSM_142, CSM_143)
 *       5F20 08 CHR  KeyIdentifier           (CSM_144..147)
 *       5F25 04 CEfD TimeReal                (CSM_148)
 *       5F24 04 CExD TimeReal                (CSM_149)
 *     5F37 Signature, plain r ‖ s over the encoded body with its tag and length (CSM_150)
 */
export const TAG = {
  certificate: 0x7f21,
  body: 0x7f4e,
  cpi: 0x5f29,
  car: 0x42,
  cha: 0x5f4c,
  publicKey: 0x7f49,
  domainParameters: 0x06,
  publicPoint: 0x86,
  chr: 0x5f20,
  effectiveDate: 0x5f25,
  expirationDate: 0x5f24,
  signature: 0x5f37,
} as const;

/** CSM_137: profile version 1. */
export const CERTIFICATE_PROFILE_V1 = 0x00;

/** App. 1 `TachographApplicationID` of DF Tachograph_G2, 'FF' ‖ "SMRDT": CSM_141 takes its six bytes. */
export const TACHOGRAPH_G2_AID_6 = fromHex('FF 53 4D 52 44 54');

/** App. 1 §2.67 EquipmentType values a certificate's CHA carries (CSM_141). */
export const EQUIPMENT_TYPE = {
  driverCard: 1,
  workshopCard: 2,
  controlCard: 3,
  companyCard: 4,
  vehicleUnit: 6,
  externalGnssFacility: 8,
  erca: 13,
  msca: 14,
  driverCardSign: 17,
  workshopCardSign: 18,
  vehicleUnitSign: 19,
} as const;

/** A decoded certificate as plain data (hex for byte strings, ms for times). */
export interface CvCertificate {
  cpi: number;
  /** Certificate Authority Reference, 8 bytes hex. */
  car: string;
  /** The EquipmentType of the CHA. */
  equipmentType: number;
  /** The six AID bytes of the CHA, hex. */
  applicationId: string;
  curve: CurveName;
  /** Uncompressed public point, hex. */
  publicPoint: string;
  /** Certificate Holder Reference, 8 bytes hex. */
  chr: string;
  /** TimeReal, in ms. */
  effectiveDate: number;
  expirationDate: number;
  /** Plain r ‖ s, hex. */
  signature: string;
  /** The encoded body (tag and length included): what the signature covers (CSM_150). */
  body: string;
  /** The whole certificate as encoded. */
  der: string;
}

export interface CertificateBodyInput {
  car: Uint8Array;
  equipmentType: number;
  curve: CurveName;
  publicPoint: Uint8Array;
  chr: Uint8Array;
  /** ms; whole seconds are kept (TimeReal). */
  effectiveDate: number;
  expirationDate: number;
}

function timeReal(ms: number): Uint8Array {
  const s = Math.floor(ms / 1000);
  if (s < 0 || s > 0xffffffff) throw new RangeError(`TimeReal out of range: ${ms}`);
  return Uint8Array.of(s >>> 24, (s >>> 16) & 0xff, (s >>> 8) & 0xff, s & 0xff);
}

function readTimeReal(b: Uint8Array): number {
  return (((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!) * 1000;
}

export function encodeCertificateBody(input: CertificateBodyInput): Uint8Array {
  if (input.car.length !== 8) throw new RangeError('CAR is a KeyIdentifier of 8 bytes');
  if (input.chr.length !== 8) throw new RangeError('CHR is a KeyIdentifier of 8 bytes');
  return encodeTlv(
    TAG.body,
    concatBytes(
      encodeTlv(TAG.cpi, Uint8Array.of(CERTIFICATE_PROFILE_V1)),
      encodeTlv(TAG.car, input.car),
      encodeTlv(TAG.cha, concatBytes(TACHOGRAPH_G2_AID_6, Uint8Array.of(input.equipmentType))),
      encodeTlv(TAG.publicKey, concatBytes(encodeTlv(TAG.domainParameters, CURVES[input.curve].oid), encodeTlv(TAG.publicPoint, input.publicPoint))),
      encodeTlv(TAG.chr, input.chr),
      encodeTlv(TAG.effectiveDate, timeReal(input.effectiveDate)),
      encodeTlv(TAG.expirationDate, timeReal(input.expirationDate)),
    ),
  );
}

/** Issues a certificate: the body signed with the issuer's key (CSM_150). */
export function issueCertificate(input: CertificateBodyInput, issuerKey: EcKeyPair): Uint8Array {
  const body = encodeCertificateBody(input);
  return encodeTlv(TAG.certificate, concatBytes(body, encodeTlv(TAG.signature, signPlain(issuerKey, body))));
}

/** Decodes and checks the structure (Table 4 order, lengths, known curve). Does not check the signature. */
export function decodeCertificate(der: Uint8Array): CvCertificate {
  const outer = readTlv(der, 0);
  if (outer.tag !== TAG.certificate) throw new Error(`not an ECC certificate: tag '${outer.tag.toString(16).toUpperCase()}', expected '7F21'`);
  if (outer.length !== der.length) throw new Error(`${der.length - outer.length} byte(s) after the certificate`);
  const bodyTlv = readTlv(outer.value, 0);
  const [, signature] = expectTlvs(outer.value, [TAG.body, TAG.signature], 'certificate');
  const [cpi, car, cha, pk, chr, cefd, cexd] = expectTlvs(
    bodyTlv.value,
    [TAG.cpi, TAG.car, TAG.cha, TAG.publicKey, TAG.chr, TAG.effectiveDate, TAG.expirationDate],
    'certificate body',
  ) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  const [oid, point] = expectTlvs(pk, [TAG.domainParameters, TAG.publicPoint], 'public key') as [Uint8Array, Uint8Array];
  const fixed: [string, Uint8Array, number][] = [['CPI', cpi, 1], ['CAR', car, 8], ['CHA', cha, 7], ['CHR', chr, 8], ['CEfD', cefd, 4], ['CExD', cexd, 4]];
  for (const [name, value, size] of fixed) if (value.length !== size) throw new Error(`${name} is ${value.length} bytes, Table 4 says ${size}`);
  if (cpi[0] !== CERTIFICATE_PROFILE_V1) throw new Error(`certificate profile ${cpi[0]} is not version 1 ('00', CSM_137)`);
  const curve = curveOfOid(oid);
  return {
    cpi: cpi[0]!,
    car: toHex(car),
    equipmentType: cha[6]!,
    applicationId: toHex(cha.subarray(0, 6)),
    curve: curve.name,
    publicPoint: toHex(point),
    chr: toHex(chr),
    effectiveDate: readTimeReal(cefd),
    expirationDate: readTimeReal(cexd),
    signature: toHex(signature!),
    body: toHex(der.subarray(outer.length - outer.value.length, outer.length - outer.value.length + bodyTlv.length)),
    der: toHex(der),
  };
}

/** CSM_150: the certificate's signature checked with the issuer's public key. */
export function certificateSignedBy(cert: CvCertificate, issuer: CvCertificate): boolean {
  return verifyPlain(issuer.curve, fromHex(issuer.publicPoint), fromHex(cert.body), fromHex(cert.signature));
}
