import { describe, expect, it } from 'vitest';
import { allowedWireLengths, INS, INSTRUCTIONS } from './instructions.ts';

// App. 11 Table 6, transcribed: [instruction, direction, plaintext with AES per key length, encrypted per key length].
const TABLE_6: [number, 'request' | 'reply', [number, number, number], [number, number, number]][] = [
  [0x10, 'request', [8, 8, 8], [16, 16, 16]],
  [0x41, 'request', [8, 8, 8], [16, 16, 16]],
  [0x41, 'reply', [16, 24, 32], [16, 32, 32]],
  [0x42, 'request', [16, 24, 32], [16, 32, 32]],
  [0x43, 'request', [24, 24, 24], [32, 32, 32]],
  [0x50, 'reply', [24, 24, 24], [32, 32, 32]],
  [0x70, 'request', [8, 8, 8], [16, 16, 16]],
  [0x80, 'reply', [8, 8, 8], [16, 16, 16]],
];

describe('instruction table (App. 11 Table 6)', () => {
  it.each(TABLE_6)('instruction %s %s: plaintext %j, encrypted %j for 128/192/256-bit keys', (ins, dir, plain, wire) => {
    const spec = INSTRUCTIONS[dir][ins]!;
    expect(spec.table6).toBe(true);
    expect(([128, 192, 256] as const).map((k) => spec.plaintext(k))).toEqual(plain);
    expect(([128, 192, 256] as const).map((k) => spec.wire(k))).toEqual(wire);
  });

  it('instruction 11: 16 or 32 plaintext bytes per file, 32 / 48 encrypted, for every key length', () => {
    const spec = INSTRUCTIONS.reply[INS.FILE]!;
    for (const k of [128, 192, 256] as const) {
      expect([spec.plaintext(k, 8), spec.plaintext(k, 24)]).toEqual([16, 32]);
      expect([spec.wire(k, 8), spec.wire(k, 24)]).toEqual([32, 48]);
    }
  });

  it('lists every length a codec may accept per instruction', () => {
    expect(allowedWireLengths('reply', INS.PAIRING_KEY)).toEqual([16, 32]);
    expect(allowedWireLengths('reply', INS.FILE)).toEqual([32, 48]);
    expect(allowedWireLengths('request', INS.SERIAL)).toEqual([0]);
    expect(allowedWireLengths('reply', INS.SERIAL)).toEqual([8]);
    expect(allowedWireLengths('reply', INS.NEGATIVE)).toEqual([2]);
    expect(allowedWireLengths('request', 0x99)).toBeUndefined();
  });
});
