import { aesCbcDecrypt, aesCbcEncrypt, keyBitsOf, ZERO_IV, type AesKeyBits } from './aes.ts';
import { concatBytes, fromHex, xorBytes } from './bytes.ts';
import { padToBlock, unpadToLength, type UnpadResult } from './padding.ts';

/**
 * Keys that secure the VU - motion sensor link (App. 11 §9.2.1, Table 3): KM = KM-VU xor KM-WC, KID = KM
 * xor CV, the sensor's pairing key KP, the session key KS, and the pairing-information key K'p.
 */

// CSM_106: the constant vectors, as printed. The test recomputes them from π (first bytes of SHA-256/384/512
// of '24 3F 6A 88 85 A3 08 D3 13 19'), so a typo here cannot pass.
export const CV_128: Uint8Array = fromHex('B6 44 2C 45 0E F8 D3 62 0B 7A 8A 97 91 E4 5D 83');
export const CV_192: Uint8Array = fromHex('72 AD EA FA 00 BB F4 EE F4 99 15 70 5B 7E EE BB 1C 54 ED 46 8B 0E F8 25');
export const CV_256: Uint8Array = fromHex('1D 74 DB F0 34 C7 37 2F 65 55 DE D5 DC D1 9A C3 23 D6 A6 25 64 CD BE 2D 42 0D 85 D2 32 63 AD 60');

/** Pi_10 of the CSM_106 note, from which the CVs were generated. */
export const PI_10: Uint8Array = fromHex('24 3F 6A 88 85 A3 08 D3 13 19');

export function constantVector(keyBits: AesKeyBits): Uint8Array {
  return keyBits === 128 ? CV_128 : keyBits === 192 ? CV_192 : CV_256;
}

/** Sensor serial numbers (ExtendedSerialNumber) are 8 bytes: the Ns of CSM_108 and CSM_219. */
export const NS_LENGTH = 8;

/** CSM_101, Table 3: KM = KM-VU xor KM-WC. Both halves have the master key's length. */
export function masterKey(kmVu: Uint8Array, kmWc: Uint8Array): Uint8Array {
  keyBitsOf(kmVu);
  if (kmWc.length !== kmVu.length) throw new RangeError(`KM-VU is ${kmVu.length * 8} bits but KM-WC is ${kmWc.length * 8} bits`);
  return xorBytes(kmVu, kmWc);
}

/** CSM_106: KID = KM xor CV, with the CV of the master key's length. */
export function identificationKey(km: Uint8Array): Uint8Array {
  return xorBytes(km, constantVector(keyBitsOf(km)));
}

/** CSM_219: K'p = KP xor (Ns‖Ns), (Ns‖Ns‖Ns) or (Ns‖Ns‖Ns‖Ns) for a 16-, 24- or 32-byte KP. */
export function pairingInfoKey(kp: Uint8Array, ns: Uint8Array): Uint8Array {
  keyBitsOf(kp);
  if (ns.length !== NS_LENGTH) throw new RangeError(`Ns is ${NS_LENGTH} bytes, got ${ns.length}`);
  const repeated = concatBytes(...Array.from({ length: kp.length / NS_LENGTH }, () => ns));
  return xorBytes(kp, repeated);
}

/**
 * The one encryption scheme of the link and of the MSCA (CSM_109, CSM_220, CSM_221 "other instructions"):
 * AES-CBC, m = 1, IV '00'{16}, ISO 9797-1 padding method 2 only when the data is not whole blocks.
 */
export function encryptZeroIv(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return aesCbcEncrypt(key, ZERO_IV, padToBlock(plaintext));
}

/** Inverse of {@link encryptZeroIv} for a plaintext of known length; a broken padding is reported, not thrown. */
export function decryptZeroIv(key: Uint8Array, ciphertext: Uint8Array, plaintextLength: number): UnpadResult {
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) return { ok: false, reason: `ciphertext of ${ciphertext.length} bytes is not whole AES blocks` };
  return unpadToLength(aesCbcDecrypt(key, ZERO_IV, ciphertext), plaintextLength);
}
