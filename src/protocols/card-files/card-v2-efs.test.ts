import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/bytes.ts';
import { encodeApplicationIdentificationV2, putAuthStatusRecord, putBorderCrossingRecord, putLoadUnloadRecord, v2CardEfs, v2EfSizes } from './card-v2-efs.ts';
import { FID } from './card-file-ids.ts';
import { decodeCardEfContent } from './card-ef-records.ts';
import { decodeCardApplicationIdentificationV2 } from '../app1/card-application-identification.ts';

// 2026-03-02T06:05:00Z = 0x69A5288C; 50.5100° N 4.2110° E as GeoCoordinates ±DDMM.M × 10: 50°30.6' = 303060, 4°12.66' = 25266 (whole: 42126)
const T = Date.parse('2026-03-02T06:05:00Z');
const place = { timeStamp: T, gnssAccuracy: 3, latitude: 303060, longitude: 42126 };
const app = { generation: 2 as const, typeOfTachographCardId: 1, cardStructureVersion: '0101', noOfEventsPerType: 12, noOfFaultsPerType: 24, activityStructureLength: 13_776, noOfCardVehicleRecords: 200, noOfCardPlaceRecords: 112, noOfGnssAdRecords: 336, noOfSpecificConditionRecords: 112, noOfCardVehicleUnitRecords: 200 };

describe('version 2 card EFs (App. 2 TCS_154, TCS_155; App. 1 2.24a-d, 2.61a, 2.117b)', () => {
  it('EF Application_Identification_V2: lengthOfFollowingData 8, 1120 crossings, 1624 operations, 336 load types, 3072 bytes of VU configuration', () => {
    expect(toHex(encodeApplicationIdentificationV2())).toBe('0008' + '0460' + '0658' + '0150' + '0c00');
    expect(decodeCardApplicationIdentificationV2(encodeApplicationIdentificationV2(), 'driver')).toEqual({ lengthOfFollowingData: 8, noOfBorderCrossingRecords: 1120, noOfLoadUnloadRecords: 1624, noOfLoadTypeEntryRecords: 336, vuConfigurationLengthRange: 3072 });
  });

  it('the sizes TCS_154 gives: 562, 1682, 19 042, 32 482, 1682, 3072', () => {
    const sizes = v2EfSizes(app, decodeCardApplicationIdentificationV2(encodeApplicationIdentificationV2(), 'driver') as never);
    expect([...sizes.values()]).toEqual([10, 562, 1682, 19_042, 32_482, 1_682, 3_072]);
    expect(v2CardEfs('tachograph-g2', app).map((e) => [e.fid, e.data.length])).toEqual([...sizes.entries()].map(([fid, size]) => [fid, size]));
  });

  it('a load/unload record after the newest: time, type, the place with its authentication status 0, the odometer', () => {
    let ef: Uint8Array = new Uint8Array(2 + 3 * 20);
    ef = putLoadUnloadRecord(ef, { timeStamp: T, operationType: 1, place, odometerKm: 1234 });
    const record = '69a5288c' + '01' + '69a5288c' + '03' + '049fd4' + '00a48e' + '00' + '0004d2';
    expect(toHex(ef)).toBe('0000' + record + '00'.repeat(40));
    ef = putLoadUnloadRecord(ef, { timeStamp: T + 60_000, operationType: 2, place, odometerKm: 1235 });
    expect(toHex(ef.subarray(0, 2))).toBe('0001');
    // the same again: unchanged
    expect(toHex(putLoadUnloadRecord(ef, { timeStamp: T + 60_000, operationType: 2, place, odometerKm: 1235 }))).toBe(toHex(ef));
    const decoded = decodeCardEfContent(FID.LOAD_UNLOAD_OPERATIONS, ef, { cardType: 'driver', generation: 2 }, []);
    expect(decoded?.record).toMatchObject({ loadUnloadPointerNewestRecord: 1, cardLoadUnloadRecords: [{ operationType: 1, vehicleOdometerValue: 1234 }, { operationType: 2 }, null] });
  });

  it('a border crossing record: left, entered, the place, the odometer; place and GNSS place authentication status records', () => {
    let ef: Uint8Array = new Uint8Array(2 + 2 * 17);
    ef = putBorderCrossingRecord(ef, { countryLeft: 6, countryEntered: 13, place, odometerKm: 2 });
    expect(toHex(ef)).toBe('0000' + '06' + '0d' + '69a5288c' + '03' + '049fd4' + '00a48e' + '00' + '000002' + '00'.repeat(17));
    let auth: Uint8Array = new Uint8Array(2 + 2 * 5);
    auth = putAuthStatusRecord(auth, T);
    auth = putAuthStatusRecord(auth, T + 1000);
    expect(toHex(auth)).toBe('0001' + '69a5288c00' + '69a5288d00');
  });
});
