import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes.ts';
import { aesCmac } from './cmac.ts';

// The four messages shared by RFC 4493 §4 and NIST SP 800-38B Appendix D (lengths 0, 16, 40, 64 bytes).
const M = fromHex(
  '6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710',
);
const LENGTHS = [0, 16, 40, 64];

const VECTORS = {
  // RFC 4493 §4 (= SP 800-38B D.1)
  'AES-128 (RFC 4493)': {
    key: '2b7e151628aed2a6abf7158809cf4f3c',
    tags: ['bb1d6929e95937287fa37d129b756746', '070a16b46b4d4144f79bdd9dd04a287c', 'dfa66747de9ae63030ca32611497c827', '51f0bebf7e3b9d92fc49741779363cfe'],
  },
  // SP 800-38B D.2
  'AES-192 (SP 800-38B)': {
    key: '8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b',
    tags: ['d17ddf46adaacde531cac483de7a9367', '9e99a7bf31e710900662f65e617c5184', '8a1de5be2eb31aad089a82e6ee908b0e', 'a1d5df0eed790f794d77589659f39a11'],
  },
  // SP 800-38B D.3
  'AES-256 (SP 800-38B)': {
    key: '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4',
    tags: ['028962f61b7bf89efc6b551f4667d983', '28a7023f452e8f82bd4bf28d8c37c35c', 'aaf3d8f1de5640c232f5b169b9c911e6', 'e1992190549f6ed5696a2c056c315410'],
  },
};

describe('AES-CMAC', () => {
  for (const [name, v] of Object.entries(VECTORS)) {
    it.each(LENGTHS.map((len, i) => [len, v.tags[i]!] as const))(`${name}: Mlen %i bytes`, (len, tag) => {
      expect(toHex(aesCmac(fromHex(v.key), M.subarray(0, len)))).toBe(tag);
    });
  }

  it('refuses a key that is not 16, 24 or 32 bytes', () => {
    expect(() => aesCmac(new Uint8Array(15), new Uint8Array(0))).toThrow(/16, 24 or 32 bytes/);
  });
});
