import { hkdf, type HkdfHash } from '../hkdf.ts';

/** The two VU-specific DSRC keys (CSM_123), as the MSCA derives them and the VU stores them (CSM_125/126). */
export interface VuDsrcKeys {
  enc: Uint8Array;
  mac: Uint8Array;
}

/** VuSerialNumber (ExtendedSerialNumber) or CertificateRequestID: 8 octets either way (App. 1 2.44, 2.191). */
export const VU_DSRC_ID_LENGTH = 8;

/** CSM_50: the hash of a cipher suite follows its AES key length (CS#1 SHA-256, CS#2 SHA-384, CS#3 SHA-512). */
export function dsrcHashOf(keyLength: number): HkdfHash {
  switch (keyLength) {
    case 16:
      return 'sha256';
    case 24:
      return 'sha384';
    case 32:
      return 'sha512';
    default:
      throw new RangeError(`a DSRC master key is 16, 24 or 32 octets, got ${keyLength}`);
  }
}

/** CSM_50 / CSM_227: the MAC length of a cipher suite, 8, 12 or 16 octets for AES-128, -192, -256 keys. */
export function dsrcMacLength(keyLength: number): 8 | 12 | 16 {
  dsrcHashOf(keyLength);
  return keyLength === 16 ? 8 : keyLength === 24 ? 12 : 16;
}

/**
 * CSM_124 (App. 11 §9.2.2.2): HKDF (RFC 5869) with an empty salt, IKM = K_M-DSRC and info = the VU serial
 * number or certificate request ID (CSM_123 as amended by Reg. 2018/502: the request ID when the serial number
 * was not yet known). OKM = T(1), one hash block of 2L octets: K_VUDSRC_ENC is its first L octets and
 * K_VUDSRC_MAC its last L. The card (CSM_228 step 2) derives the same pair from the security data.
 */
export function deriveVuDsrcKeys(masterKey: Uint8Array, vuId: Uint8Array): VuDsrcKeys {
  if (vuId.length !== VU_DSRC_ID_LENGTH) throw new RangeError(`the VU serial number or certificate request ID is ${VU_DSRC_ID_LENGTH} octets, got ${vuId.length}`);
  const l = masterKey.length;
  const okm = hkdf(dsrcHashOf(l), masterKey, new Uint8Array(0), vuId, 2 * l);
  return { enc: okm.slice(0, l), mac: okm.slice(l, 2 * l) };
}
