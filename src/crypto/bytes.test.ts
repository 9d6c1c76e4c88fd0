import { describe, expect, it } from 'vitest';
import { fromHex, keyFromHex, toHex } from './bytes.ts';

describe('hex', () => {
  it('reads hex with or without spaces, either case', () => {
    expect(fromHex('B6 44 2c')).toEqual(Uint8Array.of(0xb6, 0x44, 0x2c));
    expect(fromHex('b6442C')).toEqual(Uint8Array.of(0xb6, 0x44, 0x2c));
    expect(fromHex('')).toEqual(new Uint8Array(0));
    expect(toHex(fromHex('00ff10'))).toBe('00ff10');
  });

  it('refuses odd lengths and anything not hex, wherever it stands', () => {
    for (const bad of ['abc', 'zz', '0x12', 'ab1g', '12 3', 'abcdeg']) expect(() => fromHex(bad), bad).toThrow(`not a hex string: '${bad}'`);
  });

  it('decodes a key once: the same hex gives the same bytes object, another hex its own', () => {
    const a = keyFromHex('000102030405060708090a0b0c0d0e0f');
    expect(a).toEqual(fromHex('000102030405060708090a0b0c0d0e0f'));
    expect(keyFromHex('000102030405060708090a0b0c0d0e0f')).toBe(a);
    expect(keyFromHex('000102030405060708090a0b0c0d0e10')).not.toBe(a);
    expect(() => keyFromHex('0g')).toThrow("not a hex string: '0g'");
  });
});
