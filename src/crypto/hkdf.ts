import { hkdfSync } from 'node:crypto';

/** The hash functions of App. 11's cipher suites (CSM_50): SHA-256, -384, -512. */
export type HkdfHash = 'sha256' | 'sha384' | 'sha512';

const HASH_LENGTH: Readonly<Record<HkdfHash, number>> = { sha256: 32, sha384: 48, sha512: 64 };

/**
 * HKDF (RFC 5869): Extract then Expand, over node:crypto. An empty salt is what RFC 5869 §2.2 calls "not
 * provided": HMAC pads a zero-length key with zeros, so it is the same as HashLen zero octets (test case A.3).
 * App. 11 uses it once, for the VU-specific DSRC keys (CSM_124).
 */
export function hkdf(hash: HkdfHash, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  // RFC 5869 §2.3: L <= 255 * HashLen
  if (!Number.isInteger(length) || length < 1 || length > 255 * HASH_LENGTH[hash]) throw new RangeError(`HKDF output of ${length} octets is outside 1..${255 * HASH_LENGTH[hash]}`);
  return new Uint8Array(hkdfSync(hash, ikm, salt, info, length));
}

export function hashLengthOf(hash: HkdfHash): number {
  return HASH_LENGTH[hash];
}
