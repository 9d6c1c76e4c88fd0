import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAC_LENGTH } from './short-range-frame.ts';

/**
 * The activation challenge-response (rig-defined; Decision 141 item 23 requires only that a special device
 * activates the short-range module). Each seal has a 32-byte activation key, provisioned by its home
 * operator at registration into the seal and into every special device the operator authorises. The seal
 * sends a fresh nonce; the reader proves it holds the key with
 *   HMAC-SHA256(key, "SEAL-ACT-RSP" 00 sealId 00 readerId 00 nonce), first 16 bytes;
 * the seal's status reply is bound to the same nonce with
 *   HMAC-SHA256(key, "SEAL-ACT-STS" 00 nonce statusBody), first 16 bytes,
 * so the reader knows the data is the seal's and fresh. A nonce is good for one response only.
 */
export const ACTIVATION_KEY_LENGTH = 32;

function mac(key: Uint8Array, ...parts: (string | Uint8Array)[]): Uint8Array {
  if (key.length !== ACTIVATION_KEY_LENGTH) throw new RangeError(`an activation key is ${ACTIVATION_KEY_LENGTH} bytes, got ${key.length}`);
  const h = createHmac('sha256', key);
  parts.forEach((p, i) => {
    if (i > 0) h.update(Uint8Array.of(0));
    h.update(p);
  });
  return new Uint8Array(h.digest().subarray(0, MAC_LENGTH));
}

export function responseMac(key: Uint8Array, sealId: string, readerId: string, nonce: Uint8Array): Uint8Array {
  return mac(key, 'SEAL-ACT-RSP', sealId, readerId, nonce);
}

export function statusMac(key: Uint8Array, nonce: Uint8Array, statusBody: Uint8Array): Uint8Array {
  return mac(key, 'SEAL-ACT-STS', concatBytes(nonce, statusBody));
}

/** Constant-time comparison of two MACs. */
export function macEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function parseKey(hex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new RangeError('an activation key is 64 hex digits (32 bytes)');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
