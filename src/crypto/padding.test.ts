import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes.ts';
import { padMethod2, padToBlock, unpadMethod2, unpadToLength } from './padding.ts';

describe('ISO/IEC 9797-1 padding method 2', () => {
  it('appends 80 then zeros to the next block boundary', () => {
    expect(toHex(padMethod2(new Uint8Array(0)))).toBe('80000000000000000000000000000000');
    expect(toHex(padMethod2(fromHex('010203')))).toBe('01020380000000000000000000000000');
    expect(toHex(padMethod2(fromHex('00112233445566778899aabbccddee')))).toBe('00112233445566778899aabbccddee80');
    expect(toHex(padMethod2(fromHex('0102030405060708'), 8))).toBe('01020304050607088000000000000000');
  });

  it('adds a whole block to data that is already whole blocks', () => {
    const padded = padMethod2(new Uint8Array(16).fill(0xaa));
    expect(padded.length).toBe(32);
    expect(toHex(padded.subarray(16))).toBe('80000000000000000000000000000000');
  });

  it('pads only when necessary for the motion sensor link (CSM_220)', () => {
    expect(padToBlock(new Uint8Array(16)).length).toBe(16);
    expect(padToBlock(new Uint8Array(32)).length).toBe(32);
    expect(toHex(padToBlock(fromHex('0102030405060708')))).toBe('01020304050607088000000000000000');
    expect(padToBlock(new Uint8Array(24)).length).toBe(32);
  });

  it('unpads to a known length and reports a broken tail', () => {
    expect(unpadToLength(fromHex('01020304050607088000000000000000'), 8)).toEqual({ ok: true, data: fromHex('0102030405060708') });
    expect(unpadToLength(fromHex('01020304050607088100000000000000'), 8)).toEqual({ ok: false, reason: 'padding: byte 8 is 81, not 80' });
    expect(unpadToLength(fromHex('01020304050607088000000000000001'), 8)).toEqual({ ok: false, reason: 'padding: byte 15 is 01, not 00' });
    expect(unpadToLength(new Uint8Array(16), 24)).toEqual({ ok: false, reason: 'expected 32 bytes for 24 plaintext bytes, got 16' });
    expect(unpadToLength(new Uint8Array(16).fill(7), 16)).toEqual({ ok: true, data: new Uint8Array(16).fill(7) });
  });

  it('unpads data of unknown length', () => {
    expect(unpadMethod2(fromHex('01020380000000000000000000000000'))).toEqual({ ok: true, data: fromHex('010203') });
    expect(unpadMethod2(new Uint8Array(16))).toEqual({ ok: false, reason: 'padding: no 80 byte before the trailing zeros' });
    expect(unpadMethod2(fromHex('0102'))).toEqual({ ok: false, reason: 'padded data of 2 bytes is not whole 16-byte blocks' });
  });
});
