import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';

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
 * The bare AES block cipher of a key, both ways, kept for the keys in use (issue 18): a session key secures a
 * counter check every 10 s, an SM session MACs every APDU, and a node:crypto cipher object costs more to make
 * (key schedule, OpenSSL context) than the one to three blocks it then processes. ECB without padding keeps no
 * state between calls (each block is enciphered on its own and `update` returns every whole block at once,
 * never holding one back), so one object serves every later call; CBC's chaining is done here, block by block.
 * Bounded, oldest dropped first.
 */
export interface AesEngine {
  encrypt: Cipher;
  decrypt: Decipher;
}
const ENGINE_CACHE_SIZE = 64;
const engines = new Map<string, AesEngine>();

/** The cached block cipher of `key` (the key's own bytes name it in the cache). */
export function aesEngineOf(key: Uint8Array): AesEngine {
  const id = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
  const cached = engines.get(id);
  if (cached) return cached;
  const algorithm = `aes-${keyBitsOf(key)}-ecb`;
  const engine = { encrypt: createCipheriv(algorithm, key, null).setAutoPadding(false), decrypt: createDecipheriv(algorithm, key, null).setAutoPadding(false) };
  if (engines.size >= ENGINE_CACHE_SIZE) engines.delete(engines.keys().next().value!);
  engines.set(id, engine);
  return engine;
}

/** Above this many blocks one CBC cipher of node:crypto is cheaper than chaining block calls here. */
const CHAINED_MAX_BLOCKS = 16;

/**
 * AES-CBC with interleave m = 1 (ISO/IEC 10116), no padding of its own: callers pad per the protocol
 * (CSM_191 note: padding is the protocol's job, never the cipher's). Data must be whole blocks.
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const { encrypt } = aesEngineOf(key);
  checkIv(iv);
  checkBlocks(data);
  if (data.length > CHAINED_MAX_BLOCKS * AES_BLOCK) return oneShot(createCipheriv(`aes-${keyBitsOf(key)}-cbc`, key, iv), data);
  // C_i = E(K, P_i xor C_i-1), C_0 = IV
  const out = new Uint8Array(data.length);
  const x = new Uint8Array(AES_BLOCK);
  let previous: Uint8Array = iv;
  for (let at = 0; at < data.length; at += AES_BLOCK) {
    for (let i = 0; i < AES_BLOCK; i++) x[i] = data[at + i]! ^ previous[i]!;
    previous = encrypt.update(x);
    out.set(previous, at);
  }
  return out;
}

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const { decrypt } = aesEngineOf(key);
  checkIv(iv);
  checkBlocks(data);
  if (data.length > CHAINED_MAX_BLOCKS * AES_BLOCK) return oneShot(createDecipheriv(`aes-${keyBitsOf(key)}-cbc`, key, iv), data);
  // P_i = D(K, C_i) xor C_i-1: every block deciphered in one call, then the chain undone
  const plain = decrypt.update(data);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < AES_BLOCK; i++) out[i] = plain[i]! ^ iv[i]!;
  for (let i = AES_BLOCK; i < data.length; i++) out[i] = plain[i]! ^ data[i - AES_BLOCK]!;
  return out;
}

function oneShot(cipher: Cipher | Decipher, data: Uint8Array): Uint8Array {
  cipher.setAutoPadding(false);
  return Uint8Array.from(Buffer.concat([cipher.update(data), cipher.final()]));
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== AES_BLOCK) throw new RangeError(`an AES-CBC IV is 16 bytes, got ${iv.length}`);
}

function checkBlocks(data: Uint8Array): void {
  if (data.length === 0 || data.length % AES_BLOCK !== 0) throw new RangeError(`AES-CBC data must be whole 16-byte blocks, got ${data.length} bytes`);
}
