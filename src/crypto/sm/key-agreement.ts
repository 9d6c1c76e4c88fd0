import { createECDH, createHash } from 'node:crypto';
import type { AesKeyBits } from '../aes.ts';
import { concatBytes, fromHex } from '../bytes.ts';
import { aesCmac } from '../cmac.ts';
import { CURVES, type CurveName, type EcKeyPair } from '../pki/ec-keys.ts';

/**
 * Chip authentication and session key agreement (App. 11 §10.4, for the EGF §11.4): ECKA-EG, the TR-03111 key
 * derivation as CSM_179 profiles it, and the authentication token of CSM_176 step 6.
 */

/** CSM_50: the AES key length and MAC length tied to an ECC key size (CS#1..CS#3). */
export function cipherSuiteOf(curve: CurveName): { keyBits: AesKeyBits; macLength: number } {
  const size = CURVES[curve].size;
  if (size === 32) return { keyBits: 128, macLength: 8 };
  if (size === 48) return { keyBits: 192, macLength: 12 };
  return { keyBits: 256, macLength: 16 };
}

/** CSM_50 / CSM_187: the MAC length for an AES session key length. */
export function macLengthOf(keyBits: AesKeyBits): number {
  return keyBits === 128 ? 8 : keyBits === 192 ? 12 : 16;
}

/** CSM_164, CSM_177: Comp(PK) is the x-coordinate of the uncompressed point 04 ‖ X ‖ Y. */
export function compressedPoint(publicPoint: Uint8Array): Uint8Array {
  if (publicPoint[0] !== 0x04 || publicPoint.length % 2 !== 1) throw new Error('an uncompressed public point is 04 ‖ X ‖ Y');
  return publicPoint.slice(1, 1 + (publicPoint.length - 1) / 2);
}

/** CSM_178: ECKA-EG (TR-03111 §4.3.1): the shared secret K is the x-coordinate of d·Q. */
export function ecdhSecret(own: EcKeyPair, peerPoint: Uint8Array): Uint8Array {
  const ecdh = createECDH(own.curve);
  ecdh.setPrivateKey(fromHex(own.privateKey));
  return new Uint8Array(ecdh.computeSecret(peerPoint));
}

export interface SessionKeys {
  kEnc: Uint8Array;
  kMac: Uint8Array;
}

const HASH_OF: Record<AesKeyBits, string> = { 128: 'sha256', 192: 'sha384', 256: 'sha512' };

/**
 * CSM_179: KDF(K, r, c) = H(K ‖ r ‖ c) truncated to the key length, c = '00000001' for KENC and '00000002'
 * for KMAC, r = NPICC, H = SHA-256/384/512 for AES-128/192/256. Choice: the order K ‖ r ‖ c is that of
 * BSI TR-03110 A.2.3, the key derivation TR-03111 points to when a nonce is used.
 */
export function deriveSessionKeys(secret: Uint8Array, nonce: Uint8Array, keyBits: AesKeyBits): SessionKeys {
  const kdf = (counter: number) =>
    new Uint8Array(
      createHash(HASH_OF[keyBits])
        .update(concatBytes(secret, nonce, Uint8Array.of(0, 0, 0, counter)))
        .digest(),
    ).slice(0, keyBits / 8);
  return { kEnc: kdf(1), kMac: kdf(2) };
}

/** CSM_176 step 6, CSM_180: TPICC = CMAC(KMAC, VU.PKeph) over the uncompressed point, truncated per CSM_50. */
export function authenticationToken(kMac: Uint8Array, ephemeralPoint: Uint8Array): Uint8Array {
  return aesCmac(kMac, ephemeralPoint).slice(0, macLengthOf((kMac.length * 8) as AesKeyBits));
}
