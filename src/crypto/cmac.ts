import { AES_BLOCK, ZERO_IV, aesCbcEncrypt, aesEngineOf } from './aes.ts';

/**
 * AES-CMAC (RFC 4493, NIST SP 800-38B) over node:crypto's raw AES block. App. 11 uses it for the chip
 * authentication token (CSM_180) and for secure messaging MACs (CSM_187); the caller truncates to the cipher
 * suite's MAC length (CSM_50: 8, 12 or 16 bytes). Padding here is CMAC's own (10*), never the SM layer's.
 */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const [k1, k2] = subkeysOf(key);
  const n = Math.max(1, Math.ceil(message.length / AES_BLOCK));
  const complete = message.length > 0 && message.length % AES_BLOCK === 0;
  // RFC 4493 §2.4 step 4: the last block is XORed with K1 when complete, else padded 10* and XORed with K2.
  const blocks = new Uint8Array(n * AES_BLOCK);
  blocks.set(message);
  const lastAt = (n - 1) * AES_BLOCK;
  if (!complete) blocks[message.length] = 0x80;
  const k = complete ? k1 : k2;
  for (let i = 0; i < AES_BLOCK; i++) blocks[lastAt + i]! ^= k[i]!;
  // Steps 5-6: the CBC-MAC chain, E(x XOR block) block after block from x = 0, is CBC encryption with a zero
  // IV; the tag is its last block. The key's block cipher is kept (aes.ts), not made per message.
  return aesCbcEncrypt(key, ZERO_IV, blocks).slice(lastAt, lastAt + AES_BLOCK);
}

/**
 * K1 and K2 of a key, kept for the keys in use: a secure-messaging session MACs every APDU with the same key,
 * and the subkeys cost a cipher of their own. Bounded, oldest dropped first.
 */
const SUBKEY_CACHE_SIZE = 64;
const subkeyCache = new Map<string, [Uint8Array, Uint8Array]>();

function subkeysOf(key: Uint8Array): [Uint8Array, Uint8Array] {
  const id = Buffer.from(key).toString('hex');
  const cached = subkeyCache.get(id);
  if (cached) return cached;
  // RFC 4493 §2.3 step 1: L = E(K, 0^128); ECB on one block is the bare cipher.
  const l = aesEngineOf(key).encrypt.update(new Uint8Array(AES_BLOCK));
  const keys = subkeys(Uint8Array.from(l));
  if (subkeyCache.size >= SUBKEY_CACHE_SIZE) subkeyCache.delete(subkeyCache.keys().next().value!);
  subkeyCache.set(id, keys);
  return keys;
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
