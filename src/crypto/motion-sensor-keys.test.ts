import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes.ts';
import {
  CV_128,
  CV_192,
  CV_256,
  PI_10,
  decryptZeroIv,
  encryptZeroIv,
  identificationKey,
  masterKey,
  pairingInfoKey,
} from './motion-sensor-keys.ts';

const NS = fromHex('00 00 30 39 07 26 07 10'); // serial 12345, 07/26, type 7 (motion sensor), manufacturer 0x10
const seq = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => from + i);

describe('motion sensor keys (App. 11 §9.2.1)', () => {
  it('CV constants are the first bytes of SHA-256/384/512 of Pi_10 (CSM_106 note)', () => {
    expect(toHex(PI_10)).toBe('243f6a8885a308d31319');
    expect(toHex(CV_128)).toBe('b6442c450ef8d3620b7a8a9791e45d83');
    expect(CV_128).toEqual(Uint8Array.from(createHash('sha256').update(PI_10).digest().subarray(0, 16)));
    expect(CV_192).toEqual(Uint8Array.from(createHash('sha384').update(PI_10).digest().subarray(0, 24)));
    expect(CV_256).toEqual(Uint8Array.from(createHash('sha512').update(PI_10).digest().subarray(0, 32)));
  });

  it('KID = KM xor CV for each key length', () => {
    expect(toHex(identificationKey(seq(0, 16)))).toBe('b6452e460afdd5650373809c9de9538c');
    expect(identificationKey(new Uint8Array(24))).toEqual(CV_192);
    expect(identificationKey(new Uint8Array(32))).toEqual(CV_256);
  });

  it('KM = KM-VU xor KM-WC, of equal lengths', () => {
    expect(toHex(masterKey(fromHex('ff00ff00ff00ff00ff00ff00ff00ff00'), fromHex('0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f')))).toBe('f00ff00ff00ff00ff00ff00ff00ff00f');
    expect(() => masterKey(new Uint8Array(16), new Uint8Array(24))).toThrow('KM-VU is 128 bits but KM-WC is 192 bits');
  });

  it("K'p = KP xor (Ns repeated 2, 3 or 4 times) (CSM_219)", () => {
    expect(toHex(pairingInfoKey(seq(0x10, 16), NS))).toBe('1011222a1333110718192a221b3b190f');
    expect(toHex(pairingInfoKey(seq(0x10, 24), NS))).toBe('1011222a1333110718192a221b3b190f2021121a23032137');
    expect(toHex(pairingInfoKey(seq(0x10, 32), NS))).toBe('1011222a1333110718192a221b3b190f2021121a2303213728291a122b0b293f');
  });

  it('encrypts with a zero IV and pads only when needed (CSM_109, CSM_220)', () => {
    const key = fromHex('000102030405060708090a0b0c0d0e0f');
    // One whole block: no padding, so it is the FIPS-197 vector.
    expect(toHex(encryptZeroIv(key, fromHex('00112233445566778899aabbccddeeff')))).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    expect(encryptZeroIv(key, NS).length).toBe(16);
    expect(encryptZeroIv(key, new Uint8Array(24)).length).toBe(32);
    const enc = encryptZeroIv(key, NS);
    expect(decryptZeroIv(key, enc, 8)).toEqual({ ok: true, data: NS });
    const wrong = decryptZeroIv(fromHex('ff0102030405060708090a0b0c0d0e0f'), enc, 8);
    expect(wrong.ok).toBe(false);
  });
});
