import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesCbcDecrypt, aesCbcEncrypt, keyBitsOf, ZERO_IV } from './aes.ts';
import { createRng } from './random.ts';
import { fromHex, toHex } from './bytes.ts';

// Independent vectors: FIPS-197 Appendix C (single block, so CBC with a zero IV is the bare cipher) and
// NIST SP 800-38A F.2.1 (CBC-AES128, two blocks).
const PLAIN = fromHex('00112233445566778899aabbccddeeff');

describe('AES-CBC', () => {
  it('matches FIPS-197 for 128-, 192- and 256-bit keys', () => {
    expect(toHex(aesCbcEncrypt(fromHex('000102030405060708090a0b0c0d0e0f'), ZERO_IV, PLAIN))).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    expect(toHex(aesCbcEncrypt(fromHex('000102030405060708090a0b0c0d0e0f1011121314151617'), ZERO_IV, PLAIN))).toBe('dda97ca4864cdfe06eaf70a0ec0d7191');
    expect(toHex(aesCbcEncrypt(fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'), ZERO_IV, PLAIN))).toBe('8ea2b7ca516745bfeafc49904b496089');
  });

  it('chains blocks as NIST SP 800-38A CBC-AES128', () => {
    const key = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
    const iv = fromHex('000102030405060708090a0b0c0d0e0f');
    const plain = fromHex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51');
    const cipher = aesCbcEncrypt(key, iv, plain);
    expect(toHex(cipher)).toBe('7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2');
    expect(aesCbcDecrypt(key, iv, cipher)).toEqual(plain);
  });

  it('refuses keys and data of the wrong size', () => {
    expect(() => keyBitsOf(new Uint8Array(15))).toThrow('an AES key is 16, 24 or 32 bytes, got 15');
    expect(() => aesCbcEncrypt(new Uint8Array(16), ZERO_IV, new Uint8Array(8))).toThrow('AES-CBC data must be whole 16-byte blocks, got 8 bytes');
  });

  it('refuses an IV that is not one block', () => {
    expect(() => aesCbcEncrypt(new Uint8Array(16), new Uint8Array(8), new Uint8Array(16))).toThrow('an AES-CBC IV is 16 bytes, got 8');
    expect(() => aesCbcDecrypt(new Uint8Array(16), new Uint8Array(17), new Uint8Array(16))).toThrow('an AES-CBC IV is 16 bytes, got 17');
  });

  // Issue 18: the block cipher of a key is kept and chained here; it must stay node:crypto's CBC whatever
  // came before it (other keys, other lengths, a decryption between), and past the chained length.
  it('equals a fresh node:crypto CBC cipher for interleaved keys, IVs and lengths', () => {
    const rng = createRng(18, 'aes-engine');
    const keys = [16, 24, 32, 16].map((n) => rng.bytes(n));
    for (let i = 0; i < 200; i++) {
      const key = keys[i % keys.length]!;
      const iv = i % 3 === 0 ? ZERO_IV : rng.bytes(16);
      const data = rng.bytes(16 * (1 + (i % 20)));
      const fresh = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv).setAutoPadding(false);
      const expected = Buffer.concat([fresh.update(data), fresh.final()]);
      const cipher = aesCbcEncrypt(key, iv, data);
      expect(toHex(cipher)).toBe(expected.toString('hex'));
      expect(aesCbcDecrypt(key, iv, cipher)).toEqual(data);
    }
  });
});
