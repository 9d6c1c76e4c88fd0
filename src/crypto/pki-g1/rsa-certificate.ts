import { createHash } from 'node:crypto';
import { bytesEqual, concatBytes, fromHex, toHex } from '../bytes.ts';
import { EXPONENT_BYTES, MODULUS_BYTES, rsaPrivateOperation, rsaPublicOperation, type RsaKeyPair, type RsaPublicKey } from './rsa-keys.ts';

/**
 * First-generation RSA certificates (App. 11 Part A §3.3): "non self-descriptive" card-verifiable
 * certificates (CSM_016) whose 164-byte content C is signed with message recovery per ISO/IEC 9796-2
 * (scheme 1, SHA-1), the CAR appended in clear (CSM_018):
 *
 *   C  = CPI 1 ‖ CAR 8 ‖ CHA 7 ‖ EOV 4 ‖ CHR 8 ‖ n 128 ‖ e 8          (CSM_017)
 *   X.C = X.CA.SK['6A' ‖ Cr ‖ SHA-1(C) ‖ 'BC'] ‖ Cn ‖ X.CAR           Cr = C[0..106), Cn = C[106..164)
 *
 * so a certificate is 128 + 58 + 8 = 194 bytes, and its CHR, CHA and EOV can only be read by opening it
 * with the issuer's public key (CSM_019).
 */
export const G1_CERTIFICATE_BYTES = 194;
export const G1_CERTIFICATE_CONTENT_BYTES = 164;
/** CSM_018: the part of C recovered from the signature, and the part carried in clear. */
const RECOVERABLE_BYTES = 106;
const SIGNATURE_BYTES = MODULUS_BYTES;
const CAR_BYTES = 8;
const HEADER = 0x6a;
const TRAILER = 0xbc;

/** CSM_017: CPI '01' for this version. */
export const G1_CERTIFICATE_PROFILE = 0x01;

/** App. 1 `TachographApplicationID` of DF Tachograph, 'FF' ‖ "TACHO": the six leading bytes of a gen1 CHA. */
export const TACHOGRAPH_G1_AID_6 = fromHex('FF 54 41 43 48 4F');

/** App. 1 `EquipmentType` (gen1 values) in a CHA; CSM_017 note 3: '00' for a Member State. */
export const G1_EQUIPMENT_TYPE = {
  memberState: 0,
  driverCard: 1,
  workshopCard: 2,
  controlCard: 3,
  companyCard: 4,
  manufacturingCard: 5,
  vehicleUnit: 6,
  motionSensor: 7,
} as const;

/** CSM_017: EOV 'FF' padded when not used. */
const EOV_NOT_USED = 0xffffffff;

/** The recovered content of a certificate, as plain data (hex for byte strings, ms for the time). */
export interface G1CertificateContent {
  cpi: number;
  /** Certification Authority Reference, 8 bytes hex. */
  car: string;
  /** The six application-ID bytes of the CHA, hex. */
  applicationId: string;
  /** The EquipmentType of the CHA. */
  equipmentType: number;
  /** Certificate end of validity (TimeReal, in ms); null when 'FF FF FF FF' (not used). */
  endOfValidity: number | null;
  /** Certificate Holder Reference, 8 bytes hex. */
  chr: string;
  /** The certified public key. */
  publicKey: RsaPublicKey;
}

export interface G1CertificateInput {
  car: Uint8Array;
  equipmentType: number;
  /** ms, whole seconds kept; null: not used. */
  endOfValidity: number | null;
  chr: Uint8Array;
  publicKey: RsaPublicKey;
}

export function encodeG1CertificateContent(input: G1CertificateInput): Uint8Array {
  if (input.car.length !== CAR_BYTES) throw new RangeError('CAR is a KeyIdentifier of 8 bytes');
  if (input.chr.length !== 8) throw new RangeError('CHR is a KeyIdentifier of 8 bytes');
  const n = fromHex(input.publicKey.modulus);
  const e = fromHex(input.publicKey.publicExponent);
  if (n.length !== MODULUS_BYTES || e.length !== EXPONENT_BYTES) throw new RangeError(`a certified key is n ${MODULUS_BYTES} ‖ e ${EXPONENT_BYTES} bytes (CSM_014)`);
  const seconds = input.endOfValidity === null ? EOV_NOT_USED : Math.floor(input.endOfValidity / 1000);
  if (seconds < 0 || seconds > EOV_NOT_USED) throw new RangeError(`EOV out of TimeReal range: ${input.endOfValidity}`);
  const eov = Uint8Array.of(seconds >>> 24, (seconds >>> 16) & 0xff, (seconds >>> 8) & 0xff, seconds & 0xff);
  return concatBytes(Uint8Array.of(G1_CERTIFICATE_PROFILE), input.car, TACHOGRAPH_G1_AID_6, Uint8Array.of(input.equipmentType), eov, input.chr, n, e);
}

export function decodeG1CertificateContent(c: Uint8Array): G1CertificateContent {
  if (c.length !== G1_CERTIFICATE_CONTENT_BYTES) throw new Error(`certificate content is ${c.length} bytes, CSM_017 says ${G1_CERTIFICATE_CONTENT_BYTES}`);
  const seconds = ((c[16]! << 24) >>> 0) + (c[17]! << 16) + (c[18]! << 8) + c[19]!;
  return {
    cpi: c[0]!,
    car: toHex(c.subarray(1, 9)),
    applicationId: toHex(c.subarray(9, 15)),
    equipmentType: c[15]!,
    endOfValidity: seconds === EOV_NOT_USED ? null : seconds * 1000,
    chr: toHex(c.subarray(20, 28)),
    publicKey: { modulus: toHex(c.subarray(28, 28 + MODULUS_BYTES)), publicExponent: toHex(c.subarray(28 + MODULUS_BYTES)) },
  };
}

const sha1 = (data: Uint8Array) => new Uint8Array(createHash('sha1').update(data).digest());

/** CSM_018: the content signed with partial message recovery, Cn and the CAR appended. */
export function issueG1Certificate(input: G1CertificateInput, issuerKey: RsaKeyPair): Uint8Array {
  const c = encodeG1CertificateContent(input);
  const sr = concatBytes(Uint8Array.of(HEADER), c.subarray(0, RECOVERABLE_BYTES), sha1(c), Uint8Array.of(TRAILER));
  return concatBytes(rsaPrivateOperation(issuerKey, sr), c.subarray(RECOVERABLE_BYTES), input.car);
}

/** The CAR appended in clear (CSM_018 note 2): which CA key opens the certificate. */
export function g1CertificateCar(certificate: Uint8Array): string {
  if (certificate.length !== G1_CERTIFICATE_BYTES) throw new Error(`a gen1 certificate is ${G1_CERTIFICATE_BYTES} bytes, not ${certificate.length}`);
  return toHex(certificate.subarray(SIGNATURE_BYTES + (G1_CERTIFICATE_CONTENT_BYTES - RECOVERABLE_BYTES)));
}

/**
 * CSM_019: opens the signature with the issuer's public key, checks '6A' … 'BC', recovers C' = Cr' ‖ Cn' and
 * checks SHA-1(C') = H'. Throws naming the failed check. Also refused (a choice, CSM_019 does not list it):
 * a recovered CAR other than the one appended, or a CPI other than '01'. Validity (EOV) is the caller's
 * to judge, at its own time.
 */
export function openG1Certificate(certificate: Uint8Array, issuer: RsaPublicKey): G1CertificateContent {
  const car = g1CertificateCar(certificate);
  const sign = certificate.subarray(0, SIGNATURE_BYTES);
  const cn = certificate.subarray(SIGNATURE_BYTES, SIGNATURE_BYTES + G1_CERTIFICATE_CONTENT_BYTES - RECOVERABLE_BYTES);
  let sr: Uint8Array;
  try {
    sr = rsaPublicOperation(issuer, sign);
  } catch {
    return fail('the signature is not below the issuer\'s modulus');
  }
  if (sr[0] !== HEADER || sr[SIGNATURE_BYTES - 1] !== TRAILER) return fail(`the opened signature does not run '6A' … 'BC' (it starts ${toHex(sr.subarray(0, 1))}, ends ${toHex(sr.subarray(-1))})`);
  const content = concatBytes(sr.subarray(1, 1 + RECOVERABLE_BYTES), cn);
  if (!bytesEqual(sha1(content), sr.subarray(1 + RECOVERABLE_BYTES, SIGNATURE_BYTES - 1))) return fail('SHA-1 of the recovered content differs from the hash in the signature');
  const decoded = decodeG1CertificateContent(content);
  if (decoded.car !== car) return fail(`the CAR appended (${car}) is not the CAR signed (${decoded.car})`);
  if (decoded.cpi !== G1_CERTIFICATE_PROFILE) return fail(`certificate profile ${decoded.cpi} is not '01' (CSM_017)`);
  return decoded;
}

function fail(reason: string): never {
  throw new Error(reason);
}
