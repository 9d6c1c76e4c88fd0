import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { decodeGnssPlaceRecord, encodeGnssPlaceRecord, readGnssPlaceRecord } from './gnss-place-record.ts';
import { RecordReader } from './record-reader.ts';

describe('App. 1 §2.80 GNSSPlaceRecord: one layout, the VU form (ms) and the card form (ISO) read the same 11 bytes', () => {
  // 2026-03-03T06:00:00Z = 0x69a678e0 (1772517600 s); accuracy 3; 50°51.2'N = 50512 = 00c550; 4°21.7'W = -4217 = ffef87
  const hex = '69a678e0' + '03' + '00c550' + 'ffef87';

  it('encodes and decodes the VU form, negative longitude included', () => {
    const place = { timeStamp: Date.UTC(2026, 2, 3, 6), gnssAccuracy: 3, latitude: 50512, longitude: -4217 };
    expect(toHex(encodeGnssPlaceRecord(place))).toBe(hex);
    expect(decodeGnssPlaceRecord(fromHex(hex))).toEqual(place);
  });

  it('the card reader gives the same values', () => {
    expect(readGnssPlaceRecord(new RecordReader(fromHex(hex), 0, 11, 'GNSSPlaceRecord'), 0)).toEqual({
      timeStamp: '2026-03-03T06:00:00.000Z',
      gnssAccuracy: 3,
      geoCoordinates: { latitude: 50512, longitude: -4217 },
    });
  });

  it('refuses a record cut short', () => {
    expect(() => decodeGnssPlaceRecord(fromHex(hex).subarray(0, 10))).toThrow('GNSSPlaceRecord needs 11 bytes, 10 left');
  });
});
