import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes.ts';
import { hkdf } from './hkdf.ts';

// RFC 5869 Appendix A, test cases 1-3 (SHA-256), byte for byte.
describe('hkdf (RFC 5869)', () => {
  it('A.1: basic test case with SHA-256', () => {
    const okm = hkdf('sha256', fromHex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'), fromHex('000102030405060708090a0b0c'), fromHex('f0f1f2f3f4f5f6f7f8f9'), 42);
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('A.2: longer inputs and outputs', () => {
    const range = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => from + i);
    const okm = hkdf('sha256', range(0x00, 80), range(0x60, 80), range(0xb0, 80), 82);
    expect(toHex(okm)).toBe(
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
    );
  });

  it('A.3: zero-length salt and info', () => {
    const okm = hkdf('sha256', fromHex('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b'), new Uint8Array(0), new Uint8Array(0), 42);
    expect(toHex(okm)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });

  it('refuses an output longer than 255 hash blocks', () => {
    expect(() => hkdf('sha256', new Uint8Array(16), new Uint8Array(0), new Uint8Array(0), 255 * 32 + 1)).toThrow(RangeError);
  });
});
