import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { putSpecificConditionRecord } from './card-ef-specific-conditions.ts';

// 2026-03-02T06:05:00Z = 0x69A5288C
const T = Date.parse('2026-03-02T06:05:00Z');

describe('EF Specific_Conditions updates (Annex IC 276, 277; App. 1 2.152, 2.153; App. 2 TCS_150, TCS_154)', () => {
  it('generation 2: the pointer names the newest record; the first record on a blank EF is record 0, the next after it', () => {
    let ef: Uint8Array = new Uint8Array(2 + 3 * 5);
    ef = putSpecificConditionRecord(ef, 2, { entryTime: T, type: 0x01 });
    expect(toHex(ef)).toBe('0000' + '69a5288c01' + '0000000000' + '0000000000');
    ef = putSpecificConditionRecord(ef, 2, { entryTime: T + 120_000, type: 0x03 });
    expect(toHex(ef)).toBe('0001' + '69a5288c01' + '69a5290403' + '0000000000');
    // the same again: nothing changes (idempotent)
    expect(toHex(putSpecificConditionRecord(ef, 2, { entryTime: T + 120_000, type: 0x03 }))).toBe(toHex(ef));
    // a ferry begin 30 s later in the same minute replaces it (Annex IC 62: the last one kept)
    ef = putSpecificConditionRecord(ef, 2, { entryTime: T + 150_000, type: 0x03 });
    expect(toHex(ef)).toBe('0001' + '69a5288c01' + '69a5292203' + '0000000000');
    ef = putSpecificConditionRecord(ef, 2, { entryTime: T + 180_000, type: 0x04 });
    // full: the oldest (record 0) gives way, the pointer wraps
    ef = putSpecificConditionRecord(ef, 2, { entryTime: T + 240_000, type: 0x02 });
    expect(toHex(ef)).toBe('0000' + '69a5297c02' + '69a5292203' + '69a5294004');
  });

  it('generation 1 (56 records, no pointer): the first unused place, then over the oldest', () => {
    let ef: Uint8Array = new Uint8Array(56 * 5);
    ef = putSpecificConditionRecord(ef, 1, { entryTime: T, type: 0x01 });
    ef = putSpecificConditionRecord(ef, 1, { entryTime: T + 60_000, type: 0x02 });
    expect(toHex(ef.subarray(0, 15))).toBe('69a5288c01' + '69a528c802' + '0000000000');
    // fill it: 54 more, a minute apart
    for (let i = 2; i < 56; i++) ef = putSpecificConditionRecord(ef, 1, { entryTime: T + i * 60_000, type: (i % 2) + 1 });
    expect(toHex(ef.subarray(55 * 5))).toBe('69a5357002');
    // the 57th takes the oldest's place (record 0)
    ef = putSpecificConditionRecord(ef, 1, { entryTime: T + 3_600_000, type: 0x03 });
    expect(toHex(ef.subarray(0, 10))).toBe('69a5369c03' + '69a528c802');
    // and the next the then-oldest (record 1)
    ef = putSpecificConditionRecord(ef, 1, { entryTime: T + 3_660_000, type: 0x01 });
    expect(toHex(ef.subarray(5, 10))).toBe('69a536d801');
    expect(fromHex('69a5288c01')[4]).toBe(1);
  });
});
