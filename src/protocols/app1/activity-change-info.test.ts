import { describe, expect, it } from 'vitest';
import type { ActivityChangeInfo } from './activity-change-info.ts';
import {
  activityCode,
  decodeActivityChangeInfo,
  decodeVuActivityDailyRecordArray,
  encodeActivityChangeInfo,
  encodeVuActivityDailyRecordArray,
} from './activity-change-info.ts';

/**
 * Vectors derived by hand from App. 1 §2.1 'scpaattttttttttt' (no published vector exists): each row
 * gives the bits, then the two bytes they make.
 */
const vectors: Array<{ info: ActivityChangeInfo; bits: string; bytes: [number, number] }> = [
  // driver, single, inserted, BREAK/REST, 00:00
  { info: { slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'break-rest', minute: 0 }, bits: '0 0 0 00 00000000000', bytes: [0x00, 0x00] },
  // driver, single, inserted, DRIVING, 08:00 = 480 = 00111100000
  { info: { slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'driving', minute: 480 }, bits: '0 0 0 11 00111100000', bytes: [0x19, 0xe0] },
  // co-driver, single, inserted, WORK, 00:01
  { info: { slot: 'co-driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'work', minute: 1 }, bits: '1 0 0 10 00000000001', bytes: [0x90, 0x01] },
  // driver, crew, inserted, WORK, 12:34 = 754 = 01011110010
  { info: { slot: 'driver', drivingStatus: 'crew', cardStatus: 'inserted', activity: 'work', minute: 754 }, bits: '0 1 0 10 01011110010', bytes: [0x52, 0xf2] },
  // driver, single, not inserted, AVAILABILITY, 13:10 = 790 = 01100010110
  { info: { slot: 'driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'availability', minute: 790 }, bits: '0 0 1 01 01100010110', bytes: [0x2b, 0x16] },
  // co-driver, crew, not inserted, AVAILABILITY, 23:59 = 1439 = 10110011111
  { info: { slot: 'co-driver', drivingStatus: 'crew', cardStatus: 'not-inserted', activity: 'availability', minute: 1439 }, bits: '1 1 1 01 10110011111', bytes: [0xed, 0x9f] },
];

describe('ActivityChangeInfo (App. 1 §2.1)', () => {
  it.each(vectors)('encodes $bits', ({ info, bits, bytes }) => {
    const word = parseInt(bits.replaceAll(' ', ''), 2);
    expect([word >> 8, word & 0xff]).toEqual(bytes); // the vector's bits and bytes agree
    expect([...encodeActivityChangeInfo(info)]).toEqual(bytes);
  });

  it.each(vectors)('decodes $bits', ({ info, bytes }) => {
    expect(decodeActivityChangeInfo(Uint8Array.from(bytes))).toEqual(info);
  });

  it('decodes at an offset', () => {
    expect(decodeActivityChangeInfo(Uint8Array.of(0xff, 0x19, 0xe0), 1)).toEqual(vectors[1]!.info);
  });

  it('refuses a time of change past 23:59 and a short buffer', () => {
    const base = vectors[0]!.info;
    expect(() => encodeActivityChangeInfo({ ...base, minute: 1440 })).toThrow(RangeError);
    expect(() => encodeActivityChangeInfo({ ...base, minute: -1 })).toThrow(RangeError);
    expect(() => encodeActivityChangeInfo({ ...base, minute: 1.5 })).toThrow(RangeError);
    expect(() => decodeActivityChangeInfo(Uint8Array.of(0x05, 0xa0))).toThrow(/1440 is past 23:59/); // t = 1440
    expect(() => decodeActivityChangeInfo(Uint8Array.of(0x00))).toThrow(RangeError);
  });

  it('refuses what is not one of the four activities (Annex IC 45)', () => {
    expect(['break-rest', 'availability', 'work', 'driving'].map((a) => activityCode(a as 'work'))).toEqual([0, 1, 2, 3]);
    expect(() => activityCode('rest' as 'work')).toThrow(RangeError);
    expect(() => encodeActivityChangeInfo({ ...vectors[0]!.info, activity: 'rest' as 'work' })).toThrow(RangeError);
  });
});

describe('VuActivityDailyRecordArray (App. 1 §2.171)', () => {
  const changes = [vectors[0]!.info, { ...vectors[0]!.info, slot: 'co-driver' as const }, vectors[1]!.info];

  it('is recordType 01, recordSize 2, noOfRecords, then the words', () => {
    expect([...encodeVuActivityDailyRecordArray(changes)]).toEqual([0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x80, 0x00, 0x19, 0xe0]);
    expect([...encodeVuActivityDailyRecordArray([])]).toEqual([0x01, 0x00, 0x02, 0x00, 0x00]);
  });

  it('decodes what it encodes, with its length', () => {
    const bytes = Uint8Array.of(0xaa, ...encodeVuActivityDailyRecordArray(changes), 0xbb);
    expect(decodeVuActivityDailyRecordArray(bytes, 1)).toEqual({ changes, length: 11 });
  });

  it('counts records in 16 bits: a day of many changes (more than 255 words) reads back whole', () => {
    // 300 changes: noOfRecords 0x012C, its high byte in use (a day holds up to 1440 minutes × 2 slots)
    const many = Array.from({ length: 300 }, (_, i) => ({ ...vectors[0]!.info, activity: i % 2 ? ('work' as const) : ('driving' as const), minute: i }));
    const bytes = encodeVuActivityDailyRecordArray(many);
    expect([...bytes.subarray(0, 5)]).toEqual([0x01, 0x00, 0x02, 0x01, 0x2c]);
    expect(decodeVuActivityDailyRecordArray(bytes)).toEqual({ changes: many, length: 605 }); // exactly its bytes, nothing after
  });

  it('takes up to 65535 records, the most noOfRecords holds, and refuses more', () => {
    const word = vectors[1]!.info;
    const most = encodeVuActivityDailyRecordArray(Array.from({ length: 0xffff }, () => word));
    expect([most.length, ...most.subarray(0, 5), ...most.subarray(-2)]).toEqual([5 + 2 * 0xffff, 0x01, 0x00, 0x02, 0xff, 0xff, 0x19, 0xe0]);
    expect(() => encodeVuActivityDailyRecordArray(Array.from({ length: 0x10000 }, () => word))).toThrow(RangeError);
  });

  it('refuses another record type, size or a truncated array', () => {
    expect(() => decodeVuActivityDailyRecordArray(Uint8Array.of(0x02, 0x00, 0x02, 0x00, 0x00))).toThrow(/record type 2/);
    expect(() => decodeVuActivityDailyRecordArray(Uint8Array.of(0x01, 0x00, 0x03, 0x00, 0x00))).toThrow(/record size 3/);
    expect(() => decodeVuActivityDailyRecordArray(Uint8Array.of(0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00))).toThrow(/need 9 bytes/);
  });
});
