import { checkPrimeSync, constants, createPrivateKey, createPublicKey, privateEncrypt, publicDecrypt, type KeyObject } from 'node:crypto';
import { fromHex, toHex } from '../bytes.ts';
import type { HmacDrbg } from './hmac-drbg.ts';

/**
 * RSA keys of the first-generation system (App. 11 Part A): CSM_014 a 1024-bit modulus, a public exponent
 * of at most 64 bits, kept as plain hex so they travel in options and machine context like the gen2 keys.
 */
export const MODULUS_BYTES = 128;
/** CSM_017: the exponent field of a certificate and of a public key is 8 bytes. */
export const EXPONENT_BYTES = 8;
/**
 * A choice: e = 65537 (F4). CSM_003 allows any e in 3..n-1 coprime to lcm(p-1, q-1); 65537 is what OpenSSL
 * and most card personalisers use, and fits the 8-byte field of CSM_014/CSM_017.
 */
export const DEFAULT_PUBLIC_EXPONENT = 65537n;

/** An RSA public key: modulus n (128 bytes) and exponent e (8 bytes), big-endian hex (App. 1 PublicKey). */
export interface RsaPublicKey {
  modulus: string;
  publicExponent: string;
}

/** An RSA key pair with its CRT parameters (PKCS #1), big-endian hex. */
export interface RsaKeyPair extends RsaPublicKey {
  privateExponent: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  /** q⁻¹ mod p. */
  qi: string;
}

export function bigintOf(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

export function bytesOf(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError(`${value.toString(16)} does not fit ${length} bytes`);
  return fromHex(hex);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new RangeError('not invertible');
  return ((s0 % m) + m) % m;
}

/**
 * A 512-bit prime from the generator: each candidate is 64 fresh bytes with the two top bits set (so p·q
 * has exactly 1024 bits) and the low bit set, kept when p-1 is coprime to e and OpenSSL's Miller-Rabin
 * test (64 rounds, error below 2⁻¹²⁸) says prime. The rounds' bases are random, but the verdict is not:
 * the same candidates give the same prime on every machine.
 */
function primeFrom(drbg: HmacDrbg, e: bigint): bigint {
  for (;;) {
    const bytes = drbg.generate(MODULUS_BYTES / 2);
    bytes[0]! |= 0xc0;
    bytes[bytes.length - 1]! |= 0x01;
    const candidate = bigintOf(bytes);
    if (gcd(candidate - 1n, e) !== 1n) continue;
    if (checkPrimeSync(candidate, { checks: 64 })) return candidate;
  }
}

/** CSM_014 key pair from a deterministic generator; d = e⁻¹ mod lcm(p-1, q-1) (CSM_003). */
export function deriveRsaKeyPair(drbg: HmacDrbg, e: bigint = DEFAULT_PUBLIC_EXPONENT): RsaKeyPair {
  if (e < 3n || e >= 1n << 64n || e % 2n === 0n) throw new RangeError(`public exponent ${e} is not an odd integer of at most 64 bits (CSM_003, CSM_014)`);
  const p = primeFrom(drbg, e);
  let q = primeFrom(drbg, e);
  while (q === p) q = primeFrom(drbg, e);
  const n = p * q;
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(e, lambda);
  const hex = (v: bigint, len: number) => toHex(bytesOf(v, len));
  return {
    modulus: hex(n, MODULUS_BYTES),
    publicExponent: hex(e, EXPONENT_BYTES),
    privateExponent: hex(d, MODULUS_BYTES),
    p: hex(p, MODULUS_BYTES / 2),
    q: hex(q, MODULUS_BYTES / 2),
    dp: hex(d % (p - 1n), MODULUS_BYTES / 2),
    dq: hex(d % (q - 1n), MODULUS_BYTES / 2),
    qi: hex(modInverse(q, p), MODULUS_BYTES / 2),
  };
}

/** The public half, as a certificate carries it. */
export function publicKeyOf(key: RsaPublicKey): RsaPublicKey {
  return { modulus: key.modulus, publicExponent: key.publicExponent };
}

// JWK wants unsigned big-endian integers without leading zeros
function jwkInteger(hex: string): string {
  const digits = BigInt(`0x${hex}`).toString(16);
  return Buffer.from(digits.length % 2 ? `0${digits}` : digits, 'hex').toString('base64url');
}

const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

export function rsaPrivateKeyObject(key: RsaKeyPair): KeyObject {
  let object = privateKeys.get(key.modulus);
  if (!object) {
    object = createPrivateKey({
      format: 'jwk',
      key: { kty: 'RSA', n: jwkInteger(key.modulus), e: jwkInteger(key.publicExponent), d: jwkInteger(key.privateExponent), p: jwkInteger(key.p), q: jwkInteger(key.q), dp: jwkInteger(key.dp), dq: jwkInteger(key.dq), qi: jwkInteger(key.qi) },
    });
    privateKeys.set(key.modulus, object);
  }
  return object;
}

export function rsaPublicKeyObject(key: RsaPublicKey): KeyObject {
  const id = `${key.modulus}/${key.publicExponent}`;
  let object = publicKeys.get(id);
  if (!object) {
    object = createPublicKey({ format: 'jwk', key: { kty: 'RSA', n: jwkInteger(key.modulus), e: jwkInteger(key.publicExponent) } });
    publicKeys.set(id, object);
  }
  return object;
}

/** CSM_003 X.SK[m] = m^d mod n, on a 128-byte block below n (raw RSA, no padding). */
export function rsaPrivateOperation(key: RsaKeyPair, block: Uint8Array): Uint8Array {
  if (block.length !== MODULUS_BYTES) throw new RangeError(`an RSA block is ${MODULUS_BYTES} bytes, not ${block.length}`);
  return new Uint8Array(privateEncrypt({ key: rsaPrivateKeyObject(key), padding: constants.RSA_NO_PADDING }, block));
}

/** CSM_003 X.PK[s] = s^e mod n; throws when s is not below n. */
export function rsaPublicOperation(key: RsaPublicKey, block: Uint8Array): Uint8Array {
  if (block.length !== MODULUS_BYTES) throw new RangeError(`an RSA block is ${MODULUS_BYTES} bytes, not ${block.length}`);
  return new Uint8Array(publicDecrypt({ key: rsaPublicKeyObject(key), padding: constants.RSA_NO_PADDING }, block));
}
