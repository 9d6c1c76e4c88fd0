import { createCipheriv, createDecipheriv } from 'node:crypto';

/** AES key lengths of the smart tachograph (CSM_44), in bits. */
export type AesKeyBits = 128 | 192 | 256;

export const AES_BLOCK = 16;
export const ZERO_IV: Uint8Array = new Uint8Array(AES_BLOCK);

export function keyBitsOf(key: Uint8Array): AesKeyBits {
  const bits = key.length * 8;
  if (bits !== 128 && bits !== 192 && bits !== 256) throw new RangeError(`an AES key is 16, 24 or 32 bytes, got ${key.length}`);
  return bits;
}

/**
 * AES-CBC with interleave m = 1 (ISO/IEC 10116), no padding of its own: callers pad per the protocol
 * (CSM_191 note: padding is the protocol's job, never the cipher's). Data must be whole blocks.
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const cipher = createCipheriv(`aes-${keyBitsOf(key)}-cbc`, key, iv).setAutoPadding(false);
  checkBlocks(data);
  return Uint8Array.from(Buffer.concat([cipher.update(data), cipher.final()]));
}

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const decipher = createDecipheriv(`aes-${keyBitsOf(key)}-cbc`, key, iv).setAutoPadding(false);
  checkBlocks(data);
  return Uint8Array.from(Buffer.concat([decipher.update(data), decipher.final()]));
}

function checkBlocks(data: Uint8Array): void {
  if (data.length === 0 || data.length % AES_BLOCK !== 0) throw new RangeError(`AES-CBC data must be whole 16-byte blocks, got ${data.length} bytes`);
}
