import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes.ts';
import { HmacDrbg, seededDrbg } from './hmac-drbg.ts';

describe('HMAC_DRBG SHA-256 (SP 800-90A §10.1.2)', () => {
  // NIST CAVP HMAC_DRBG.rsp [SHA-256] no reseed, no prediction resistance, 256-bit entropy, 128-bit nonce,
  // no personalization: instantiate, generate 1024 bits (discarded), generate 1024 bits = ReturnedBits
  it('gives the CAVP ReturnedBits of COUNT 0', () => {
    const drbg = new HmacDrbg(fromHex('ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488'), fromHex('659ba96c601dc69fc902940805ec0ca8'));
    drbg.generate(128);
    expect(toHex(drbg.generate(128))).toBe(
      'e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c443c9ec21036d2460' +
        'b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668' +
        '961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8',
    );
  });

  it('gives the CAVP ReturnedBits of COUNT 1 (its first 86 bytes)', () => {
    const drbg = new HmacDrbg(fromHex('79737479ba4e7642a221fcfd1b820b134e9e3540a35bb48ffae29c20f5418ea3'), fromHex('3593259c092bef4129bc2c6c9e19f343'));
    drbg.generate(128);
    expect(toHex(drbg.generate(128)).slice(0, 172)).toBe(
      'cf5ad5984f9e43917aa9087380dac46e410ddc8a7731859c84e9d0f31bd43655b924159413e2293b17610f211e09f770f172b8fb693a35b85d3b9e5e63b1dc25' + '2ac0e115002e9bedfb4b5b6fd43f33b8e0eafb2d072e',
    );
  });

  it('a generate of n bytes is one request: not the same as two of n/2', () => {
    const a = new HmacDrbg(new Uint8Array(32)).generate(64);
    const b = new HmacDrbg(new Uint8Array(32));
    const halves = [...b.generate(32), ...b.generate(32)];
    expect(toHex(a.subarray(0, 32))).toBe(toHex(Uint8Array.from(halves.slice(0, 32))));
    expect(toHex(a.subarray(32))).not.toBe(toHex(Uint8Array.from(halves.slice(32))));
  });

  it('a seeded stream per seed and per name', () => {
    const first = (seed: number, stream: string) => toHex(seededDrbg(seed, stream).generate(16));
    expect(first(7027, 'eur')).toBe(first(7027, 'eur'));
    expect(new Set([first(7027, 'eur'), first(7027, 'ms'), first(7028, 'eur')]).size).toBe(3);
  });
});
