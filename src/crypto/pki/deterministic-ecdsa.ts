import { createECDH, createHash, createHmac } from 'node:crypto';
import { concatBytes } from '../bytes.ts';
import type { CurveName } from './ec-keys.ts';

/**
 * ECDSA with SHA-256 (CSM_50 cipher suite CS#1) whose nonce is derived from the key and the message as
 * RFC 6979 §3.2 says (HMAC-SHA256), so a signature is a function of key and data: certificates, downloads
 * and .DDD files come out byte-for-byte the same for a seed. OpenSSL draws a random nonce instead, which is
 * why the rig signs here and only verifies with node:crypto. Signatures are ordinary ECDSA: any verifier
 * accepts them.
 *
 * BigInt arithmetic is not constant-time. The rig signs with test keys (its own, or a bench's test PKI), so
 * timing side channels are out of scope (a choice; never sign with production keys here).
 */

interface CurveParameters {
  /** Field prime. */
  p: bigint;
  a: bigint;
  b: bigint;
  gx: bigint;
  gy: bigint;
  /** Order of G. */
  n: bigint;
}

/** RFC 5639 §3.4 (brainpoolP256r1) and FIPS 186-4 D.1.2.3 / SEC 2 (P-256). */
export const CURVE_PARAMETERS: Readonly<Record<CurveName, CurveParameters>> = {
  brainpoolP256r1: {
    p: 0xa9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377n,
    a: 0x7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9n,
    b: 0x26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6n,
    gx: 0x8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262n,
    gy: 0x547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997n,
    n: 0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7n,
  },
  prime256v1: {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
};

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Inverse modulo a prime by the extended Euclidean algorithm. */
function invert(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new RangeError('not invertible');
  return mod(s0, m);
}

/** Jacobian coordinates (X, Y, Z) for x = X/Z², y = Y/Z³; Z = 0 is the point at infinity. */
type Jacobian = readonly [bigint, bigint, bigint];
const INFINITY: Jacobian = [1n, 1n, 0n];

function double(P: Jacobian, c: CurveParameters): Jacobian {
  const [X, Y, Z] = P;
  if (Z === 0n || Y === 0n) return INFINITY;
  const p = c.p;
  const YY = mod(Y * Y, p);
  const S = mod(4n * X * YY, p);
  const ZZ = mod(Z * Z, p);
  const M = mod(3n * X * X + c.a * ZZ * ZZ, p);
  const X3 = mod(M * M - 2n * S, p);
  const Y3 = mod(M * (S - X3) - 8n * YY * YY, p);
  const Z3 = mod(2n * Y * Z, p);
  return [X3, Y3, Z3];
}

function add(P: Jacobian, Q: Jacobian, c: CurveParameters): Jacobian {
  if (P[2] === 0n) return Q;
  if (Q[2] === 0n) return P;
  const p = c.p;
  const [X1, Y1, Z1] = P;
  const [X2, Y2, Z2] = Q;
  const Z1Z1 = mod(Z1 * Z1, p);
  const Z2Z2 = mod(Z2 * Z2, p);
  const U1 = mod(X1 * Z2Z2, p);
  const U2 = mod(X2 * Z1Z1, p);
  const S1 = mod(Y1 * Z2 * Z2Z2, p);
  const S2 = mod(Y2 * Z1 * Z1Z1, p);
  const H = mod(U2 - U1, p);
  const R = mod(S2 - S1, p);
  if (H === 0n) return R === 0n ? double(P, c) : INFINITY;
  const HH = mod(H * H, p);
  const HHH = mod(H * HH, p);
  const V = mod(U1 * HH, p);
  const X3 = mod(R * R - HHH - 2n * V, p);
  const Y3 = mod(R * (V - X3) - S1 * HHH, p);
  const Z3 = mod(H * Z1 * Z2, p);
  return [X3, Y3, Z3];
}

/** k·G in affine coordinates. */
export function multiplyBase(curve: CurveName, k: bigint): { x: bigint; y: bigint } {
  const c = CURVE_PARAMETERS[curve];
  if (k <= 0n || k >= c.n) throw new RangeError('scalar out of [1, n-1]');
  let R: Jacobian = INFINITY;
  const G: Jacobian = [c.gx, c.gy, 1n];
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    R = double(R, c);
    if ((k >> i) & 1n) R = add(R, G, c);
  }
  if (R[2] === 0n) throw new RangeError('k·G is the point at infinity');
  const zInv = invert(R[2], c.p);
  const zz = mod(zInv * zInv, c.p);
  return { x: mod(R[0] * zz, c.p), y: mod(R[1] * zz * zInv, c.p) };
}

/**
 * The x-coordinate of k·G by OpenSSL's scalar multiplication (ECDH's public key for private key k): the same
 * point multiplyBase computes, a signature about eight times faster (7 ms to under 1 ms here), which keeps a
 * card's mutual authentication at
 * insertion (one VU signature) from holding the event loop. The nonce stays RFC 6979's.
 */
function baseX(curve: CurveName, k: bigint, size: number): bigint {
  const ecdh = createECDH(curve);
  ecdh.setPrivateKey(toBytes(k, size));
  return toInt(new Uint8Array(ecdh.getPublicKey()).subarray(1, 1 + size));
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}
function toInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}
function toBytes(v: bigint, size: number): Uint8Array {
  return Uint8Array.from(Buffer.from(v.toString(16).padStart(2 * size, '0'), 'hex'));
}
/** RFC 6979 §2.3.2 bits2int: the leftmost qlen bits. */
function bits2int(bytes: Uint8Array, qlen: number): bigint {
  const v = toInt(bytes);
  const blen = bytes.length * 8;
  return blen > qlen ? v >> BigInt(blen - qlen) : v;
}
function hmac(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac('sha256', key);
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
}

/**
 * RFC 6979 §3.2 with HMAC-SHA256: the nonce candidates for private key `d` and message hash `h1`, in order.
 * A generator, because §3.2 step h.3 asks for the next candidate when one is rejected (k out of range, or
 * r or s zero in the signature).
 */
export function* rfc6979Nonces(curve: CurveName, d: bigint, h1: Uint8Array): Generator<bigint> {
  const { n } = CURVE_PARAMETERS[curve];
  const qlen = bitLength(n);
  const rlen = Math.ceil(qlen / 8);
  const x = toBytes(d, rlen);
  // bits2octets(h1) = int2octets(bits2int(h1) mod q)
  const h = toBytes(mod(bits2int(h1, qlen), n), rlen);
  let V: Uint8Array = new Uint8Array(32).fill(0x01);
  let K: Uint8Array = new Uint8Array(32);
  K = hmac(K, V, Uint8Array.of(0x00), x, h);
  V = hmac(K, V);
  K = hmac(K, V, Uint8Array.of(0x01), x, h);
  V = hmac(K, V);
  for (;;) {
    let T: Uint8Array = new Uint8Array(0);
    while (T.length < rlen) {
      V = hmac(K, V);
      T = concatBytes(T, V);
    }
    const k = bits2int(T, qlen);
    if (k >= 1n && k < n) yield k;
    K = hmac(K, V, Uint8Array.of(0x00));
    V = hmac(K, V);
  }
}

/** ECDSA-SHA-256 with an RFC 6979 nonce, plain format r ‖ s (TR-03111), each half the order's size. */
export function signDeterministic(curve: CurveName, privateKey: Uint8Array, data: Uint8Array): Uint8Array {
  return signDigestDeterministic(curve, privateKey, new Uint8Array(createHash('sha256').update(data).digest()));
}

/** The same over a SHA-256 hash computed before (a card's PSO: COMPUTE DIGITAL SIGNATURE signs the hash PERFORM HASH OF FILE kept). */
export function signDigestDeterministic(curve: CurveName, privateKey: Uint8Array, h1: Uint8Array): Uint8Array {
  const { n } = CURVE_PARAMETERS[curve];
  const d = toInt(privateKey);
  if (d <= 0n || d >= n) throw new RangeError(`private key is not in [1, n-1] of ${curve}`);
  const qlen = bitLength(n);
  const size = Math.ceil(qlen / 8);
  const e = mod(bits2int(h1, qlen), n);
  for (const k of rfc6979Nonces(curve, d, h1)) {
    const r = mod(baseX(curve, k, size), n);
    if (r === 0n) continue;
    const s = mod(invert(k, n) * (e + r * d), n);
    if (s === 0n) continue;
    return concatBytes(toBytes(r, size), toBytes(s, size));
  }
  throw new Error('unreachable: the nonce generator does not end');
}
