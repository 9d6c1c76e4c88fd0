import { fromHex } from '../../crypto/bytes.ts';

/**
 * Test support: App. 1 fields written by hand as hex, so tests build card EFs field by field from the App. 1 /
 * App. 2 layouts without the decoders' own code.
 */
export const h = (...parts: string[]): Uint8Array => fromHex(parts.join(''));
export const n8 = (v: number): string => v.toString(16).padStart(2, '0');
export const n16 = (v: number): string => v.toString(16).padStart(4, '0');
export const n24 = (v: number): string => (v & 0xffffff).toString(16).padStart(6, '0');
/** TimeReal: seconds since 1970, 4 bytes. */
export const t = (iso: string): string => (Date.parse(iso) / 1000).toString(16).padStart(8, '0');
export const ia5 = (s: string, size: number): string => Buffer.from(s.padEnd(size, ' '), 'latin1').toString('hex');
/** A code-paged field: code page, the text's bytes (hex), space padded to `size`. */
export const paged = (cp: number, textHex: string, size = 36): string => n8(cp) + textHex + '20'.repeat(size - 1 - textHex.length / 2);
export const latin1 = (s: string, size = 36): string => paged(1, Buffer.from(s, 'latin1').toString('hex'), size);
/** VehicleRegistrationIdentification: nation, then the VRN in code page 1. */
export const vri = (nation: number, vrn: string): string => n8(nation) + latin1(vrn, 14);
export const zeros = (n: number): string => '00'.repeat(n);
/** `count` records of `size` bytes after a pointer of `pointerSize`: the given ones first, the rest App. 2 defaults (zero). */
export const recordSet = (pointer: number, pointerSize: 0 | 1 | 2, size: number, count: number, records: string[] = []): string => {
  for (const r of records) if (r.length !== 2 * size) throw new Error(`a record of ${size} bytes, got ${r.length / 2}`);
  return (pointerSize === 0 ? '' : pointerSize === 1 ? n8(pointer) : n16(pointer)) + records.join('') + zeros(size * (count - records.length));
};
