import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/bytes.ts';
import { decodeCardDriverActivity } from '../app1/card-activity-daily-record.ts';
import { decodeCardEventRecord } from '../app1/card-event-record.ts';
import { decodeCardVehicleRecord } from '../app1/card-vehicle-record.ts';
import { emptyDriverCardEf, type DriverCardApplicationIdentification } from './card-ef-codec.ts';
import { FID } from './card-file-ids.ts';
import {
  CARD_EVENT_SETS,
  newestActivityDay,
  newestVehicleRecord,
  putActivityDays,
  putEventRecords,
  putPlaceRecord,
  putVehicleRecord,
  type CardActivityDay,
} from './card-ef-update.ts';
import type { ActivityChangeInfo } from '../app1/activity-change-info.ts';

const D = Date.UTC(2026, 2, 2);
const DAY = 86_400_000;
const word = (minute: number, activity: ActivityChangeInfo['activity'], cardStatus: ActivityChangeInfo['cardStatus'] = 'inserted'): ActivityChangeInfo => ({ slot: 'driver', drivingStatus: 'single', cardStatus, activity, minute });
const day = (date: number, presenceCounter: number, changes: ActivityChangeInfo[], distanceKm = 0): CardActivityDay => ({ date, presenceCounter, distanceKm, changes });
const ring = (n: number) => new Uint8Array(4 + n);
/** TCS_155 / TCS_151 record counts (the rig's driver cards': driver-card-image.ts). */
const driverCardApplicationIdentification = (generation: 1 | 2): DriverCardApplicationIdentification => ({
  generation,
  typeOfTachographCardId: 1,
  cardStructureVersion: generation === 2 ? '0100' : '0000',
  noOfEventsPerType: 12,
  noOfFaultsPerType: 24,
  activityStructureLength: 13_776,
  noOfCardVehicleRecords: 200,
  noOfCardPlaceRecords: 112,
  noOfGnssAdRecords: generation === 2 ? 336 : 0,
  noOfSpecificConditionRecords: generation === 2 ? 112 : 0,
  noOfCardVehicleUnitRecords: generation === 2 ? 200 : 0,
});

describe('EF Driver_Activity_Data: the cyclic string (App. 1 2.17)', () => {
  it('writes the first day at byte 0, exact bytes', () => {
    const v = putActivityDays(ring(40), [day(D, 1, [word(0, 'break-rest', 'not-inserted'), word(480, 'driving')], 123)]);
    // pointers 0, 0; previous 0, length 16, date, counter 0001 BCD, 123 km, '2000' (not inserted, 00:00), '19E0' (driving at 08:00)
    expect(toHex(v.subarray(0, 20))).toBe('00000000' + '0000' + '0010' + (D / 1000).toString(16).padStart(8, '0') + '0001' + '007b' + '2000' + '19e0');
  });

  it('appends a later day, replaces a day of the newest date, and is idempotent', () => {
    let v: Uint8Array = putActivityDays(ring(100), [day(D, 1, [word(0, 'work')])]);
    v = putActivityDays(v, [day(D + DAY, 2, [word(0, 'work'), word(60, 'driving')], 40)]);
    const again = putActivityDays(v, [day(D + DAY, 2, [word(0, 'work'), word(60, 'driving')], 40)]);
    expect(toHex(again)).toBe(toHex(v));
    const decoded = decodeCardDriverActivity(v);
    expect(decoded.activityDailyRecords.map((r) => [r.activityRecordDate, r.activityDailyPresenceCounter, r.activityDayDistance, r.activityChangeInfo.length])).toEqual([
      ['2026-03-02T00:00:00.000Z', 1, 0, 1],
      ['2026-03-03T00:00:00.000Z', 2, 40, 2],
    ]);
    expect([decoded.activityPointerOldestDayRecord, decoded.activityPointerNewestRecord]).toEqual([0, 14]);
    expect(newestActivityDay(v)).toMatchObject({ date: D + DAY, presenceCounter: 2, distanceKm: 40 });
  });

  it('wraps at the end of the string, inside a record, and the oldest days give way', () => {
    // 40 bytes: records of 16 bytes (2 changes): 0..15, 16..31, then 32..47 wraps to 0..7 and drops day 1
    let v: Uint8Array = ring(40);
    for (let i = 0; i < 3; i++) v = putActivityDays(v, [day(D + i * DAY, i + 1, [word(0, 'work'), word(600 + i, 'driving')])]);
    const decoded = decodeCardDriverActivity(v);
    expect(decoded.activityDailyRecords.map((r) => r.activityRecordDate)).toEqual(['2026-03-03T00:00:00.000Z', '2026-03-04T00:00:00.000Z']);
    expect([decoded.activityPointerOldestDayRecord, decoded.activityPointerNewestRecord]).toEqual([16, 32]);
    // the new oldest record's previous length is 0; the third day's record begins at 32 and ends at byte 7
    expect(toHex(v.subarray(4 + 16, 4 + 18))).toBe('0000');
    expect(decoded.activityDailyRecords[1]!.activityChangeInfo.map((c) => c.minute)).toEqual([0, 602]);
  });

  it('leaves out a day before the newest one (time overlap, Annex IC 293)', () => {
    const v = putActivityDays(ring(60), [day(D + DAY, 1, [word(0, 'work')])]);
    expect(toHex(putActivityDays(v, [day(D, 2, [word(0, 'driving')])]))).toBe(toHex(v));
  });
});

describe('EF Events_Data: a set per type (App. 1 2.19)', () => {
  const app = driverCardApplicationIdentification(2);
  const vehicle = { nation: 0x06, number: 'B-RIG-001' };
  it('puts each type in its set, replaces the same event, and the oldest gives way in a full set', () => {
    let v: Uint8Array = emptyDriverCardEf(FID.EVENTS_DATA, app);
    const per = app.noOfEventsPerType;
    v = putEventRecords(v, CARD_EVENT_SETS[2], per, [{ type: 0x06, begin: D, end: D + 1000, vehicle }]);
    // set 2 ('06'H), record 0
    const at = 2 * per * 24;
    expect(decodeCardEventRecord(v, at)).toEqual({ eventType: 6, eventBeginTime: '2026-03-02T00:00:00.000Z', eventEndTime: '2026-03-02T00:00:01.000Z', eventVehicleRegistration: { vehicleRegistrationNation: 6, vehicleRegistrationNumber: 'B-RIG-001' } });
    v = putEventRecords(v, CARD_EVENT_SETS[2], per, [{ type: 0x06, begin: D, end: D + 5000, vehicle }]);
    expect(decodeCardEventRecord(v, at)?.eventEndTime).toBe('2026-03-02T00:00:05.000Z');
    expect(decodeCardEventRecord(v, at + 24)).toBeNull();
    // over speeding is not a driver card's event (Annex IC 285)
    expect(toHex(putEventRecords(v, CARD_EVENT_SETS[2], per, [{ type: 0x07, begin: D, end: D, vehicle }]))).toBe(toHex(v));
    for (let i = 1; i <= per; i++) v = putEventRecords(v, CARD_EVENT_SETS[2], per, [{ type: 0x06, begin: D + i * 60_000, end: D + i * 60_000, vehicle }]);
    // 13 events in a set of 12: the first (begin D) gave way to the last
    expect(decodeCardEventRecord(v, at)?.eventBeginTime).toBe('2026-03-02T00:12:00.000Z');
  });
});

describe('EF Vehicles_Used and EF Places: cyclic sets with a pointer', () => {
  const app = driverCardApplicationIdentification(2);
  const vehicle = { nation: 0x06, number: 'B-RIG-001' };
  it('writes the first record at 0, updates the same period in place, appends another vehicle', () => {
    let v: Uint8Array = emptyDriverCardEf(FID.VEHICLES_USED, app);
    const use = { odometerBeginKm: 1000, odometerEndKm: 1010, firstUse: D + 3600_000, lastUse: D + 7200_000, vehicle, vuDataBlockCounter: 1, vin: 'WDB9634031L000001' };
    v = putVehicleRecord(v, 2, use);
    v = putVehicleRecord(v, 2, { ...use, odometerEndKm: 1100, lastUse: D + 9000_000 });
    expect((v[0]! << 8) | v[1]!).toBe(0);
    expect(decodeCardVehicleRecord(v, 2, 2)).toEqual({
      vehicleOdometerBegin: 1000,
      vehicleOdometerEnd: 1100,
      vehicleFirstUse: '2026-03-02T01:00:00.000Z',
      vehicleLastUse: '2026-03-02T02:30:00.000Z',
      vehicleRegistration: { vehicleRegistrationNation: 6, vehicleRegistrationNumber: 'B-RIG-001' },
      vuDataBlockCounter: 1,
      vehicleIdentificationNumber: 'WDB9634031L000001',
    });
    v = putVehicleRecord(v, 2, { ...use, vehicle: { nation: 0x0d, number: 'D-XY-2' }, firstUse: D + 10_000_000, lastUse: D + 11_000_000, vuDataBlockCounter: 2 });
    expect((v[0]! << 8) | v[1]!).toBe(1);
    expect(newestVehicleRecord(v, 2)).toMatchObject({ lastUse: D + 11_000_000, vuDataBlockCounter: 2, vehicle: { nation: 0x0d, number: 'D-XY-2' } });
  });

  it('a gen1 place record: 10 bytes after a one-byte pointer', () => {
    const g1 = driverCardApplicationIdentification(1);
    let v: Uint8Array = emptyDriverCardEf(FID.PLACES, g1);
    const place = { entryTime: D + 60_000, entryType: 0, country: 0x06, region: 0, odometerKm: 1000, place: { timeStamp: 0, gnssAccuracy: 0, latitude: 0, longitude: 0 } };
    v = putPlaceRecord(v, 1, place);
    v = putPlaceRecord(v, 1, { ...place, entryType: 1, entryTime: D + 120_000, odometerKm: 1200 });
    expect(toHex(v.subarray(0, 21))).toBe('01' + ((D + 60_000) / 1000).toString(16) + '000600' + '0003e8' + ((D + 120_000) / 1000).toString(16) + '010600' + '0004b0');
  });
});
