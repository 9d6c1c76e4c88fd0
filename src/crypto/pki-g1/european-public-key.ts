import { concatBytes, fromHex, toHex } from '../bytes.ts';
import { EXPONENT_BYTES, MODULUS_BYTES, type RsaPublicKey } from './rsa-keys.ts';

/**
 * The European public key as a verifier is given it (CSM_035: EUR.PK "needs to be known independently"):
 * KeyIdentifier 8 ‖ n 128 ‖ e 8, 144 bytes, the form in which the ERCA distributes it. App. 1's
 * `EuropeanPublicKey` is the PublicKey alone (136 bytes); the identifier in front is what lets a verifier
 * pick the key a Member State certificate's CAR names (CSM_019), so the rig keeps the 144-byte form.
 */
export const EUROPEAN_PUBLIC_KEY_BYTES = 8 + MODULUS_BYTES + EXPONENT_BYTES;

export interface EuropeanPublicKey extends RsaPublicKey {
  /** KeyIdentifier (a CertificationAuthorityKID), 8 bytes hex: what the CAR of an MS certificate names. */
  kid: string;
}

export function encodeEuropeanPublicKey(key: EuropeanPublicKey): Uint8Array {
  const out = concatBytes(fromHex(key.kid), fromHex(key.modulus), fromHex(key.publicExponent));
  if (out.length !== EUROPEAN_PUBLIC_KEY_BYTES) throw new RangeError(`a European public key is ${EUROPEAN_PUBLIC_KEY_BYTES} bytes (KID 8 ‖ n 128 ‖ e 8), not ${out.length}`);
  return out;
}

export function decodeEuropeanPublicKey(bytes: Uint8Array): EuropeanPublicKey {
  if (bytes.length !== EUROPEAN_PUBLIC_KEY_BYTES) throw new Error(`a European public key is ${EUROPEAN_PUBLIC_KEY_BYTES} bytes (KID 8 ‖ n 128 ‖ e 8), not ${bytes.length}`);
  return {
    kid: toHex(bytes.subarray(0, 8)),
    modulus: toHex(bytes.subarray(8, 8 + MODULUS_BYTES)),
    publicExponent: toHex(bytes.subarray(8 + MODULUS_BYTES)),
  };
}
