import { createCipheriv } from 'node:crypto';
import { AES_BLOCK, keyBitsOf } from './aes.ts';

/**
 * AES-CMAC (RFC 4493, NIST SP 800-38B) over node:crypto's raw AES block. App. 11 uses it for the chip
 * authentication token (CSM_180) and for secure messaging MACs (CSM_187); the caller truncates to the cipher
 * suite's MAC length (CSM_50: 8, 12 or 16 bytes). Padding here is CMAC's own (10*), never the SM layer's.
 */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const bits = keyBitsOf(key);
  // ECB on one block is the bare cipher E(K, ·); CBC chaining is done below so the last block can be keyed.
  const encrypt = (block: Uint8Array) => {
    const c = createCipheriv(`aes-${bits}-ecb`, key, null).setAutoPadding(false);
    return Uint8Array.from(Buffer.concat([c.update(block), c.final()]));
  };
  const [k1, k2] = subkeys(encrypt(new Uint8Array(AES_BLOCK)));
  const n = Math.max(1, Math.ceil(message.length / AES_BLOCK));
  const complete = message.length > 0 && message.length % AES_BLOCK === 0;
  // RFC 4493 §2.4 step 4: the last block is XORed with K1 when complete, else padded 10* and XORed with K2.
  const last = new Uint8Array(AES_BLOCK);
  last.set(message.subarray((n - 1) * AES_BLOCK));
  if (!complete) last[message.length - (n - 1) * AES_BLOCK] = 0x80;
  const k = complete ? k1 : k2;
  for (let i = 0; i < AES_BLOCK; i++) last[i]! ^= k[i]!;
  let x: Uint8Array = new Uint8Array(AES_BLOCK);
  for (let b = 0; b < n - 1; b++) {
    const y = new Uint8Array(AES_BLOCK);
    for (let i = 0; i < AES_BLOCK; i++) y[i] = x[i]! ^ message[b * AES_BLOCK + i]!;
    x = encrypt(y);
  }
  for (let i = 0; i < AES_BLOCK; i++) last[i]! ^= x[i]!;
  return encrypt(last);
}

/** RFC 4493 §2.3: K1 = L·x, K2 = L·x² in GF(2^128), with Rb = 0x87. */
function subkeys(l: Uint8Array): [Uint8Array, Uint8Array] {
  const double = (v: Uint8Array) => {
    const out = new Uint8Array(AES_BLOCK);
    for (let i = 0; i < AES_BLOCK; i++) out[i] = ((v[i]! << 1) | (i + 1 < AES_BLOCK ? v[i + 1]! >> 7 : 0)) & 0xff;
    if (v[0]! & 0x80) out[AES_BLOCK - 1]! ^= 0x87;
    return out;
  };
  const k1 = double(l);
  return [k1, double(k1)];
}
