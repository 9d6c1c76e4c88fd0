import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CardDriverActivity } from '../app1/card-activity-daily-record.ts';
import type { CardEfRecordTypes, CardEfType } from './card-ef-records.ts';
import { decodeCardDownload, type DecodedCardDownloadEf, type DecodedCardFile } from './decode-card-download.ts';

/**
 * decodeCardDownload on the two public driver card downloads (test/fixtures/tachograph-files, PROVENANCE.md:
 * anonymised downloads 000 and 004 of Trackysat-SRL/tachograph-go, MIT): whole files, EF after EF. Expected
 * values from expected/card-driver-*.json: the `handDecoded` values (App. 1 layouts, absolute offsets) and the
 * source's golden values where `goldenVsHand` says they agree. Where they disagree (the total of activity
 * changes: the source drops every ActivityChangeInfo word 0000) the hand-decoded value is the App. 1 one.
 * The per-EF golden vectors of way-platform/tachograph-go are card-ef-golden.test.ts's, not repeated here.
 */
const DIR = 'test/fixtures/tachograph-files';
const bytes = (name: string) => new Uint8Array(readFileSync(`${DIR}/${name}`));
const iso = (s: string) => new Date(s).toISOString();

function ef<K extends CardEfType>(file: DecodedCardFile, tag: string, type: K): CardEfRecordTypes[K] {
  const found = file.efs.find((e) => e.tag === tag) as DecodedCardDownloadEf | undefined;
  expect(found?.type).toBe(type);
  return (found as unknown as { record: CardEfRecordTypes[K] }).record;
}

/** Used records per set and their type codes, in card order: "05" x1 → { '05': 1 }. */
function typeCounts(sets: readonly (readonly ({ eventType?: number; faultType?: number } | null)[])[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of sets.flat()) {
    if (!r) continue;
    const code = (r.eventType ?? r.faultType)!.toString(16).padStart(2, '0').toUpperCase();
    out[code] = (out[code] ?? 0) + 1;
  }
  return out;
}

function days(a: CardDriverActivity) {
  const list = a.activityDailyRecords;
  const head = (d: (typeof list)[number]) => [d.activityRecordDate, d.activityPreviousRecordLength, d.activityRecordLength, d.activityDailyPresenceCounter, d.activityDayDistance, d.activityChangeInfo.length];
  return { count: list.length, first: head(list[0]!), last: head(list[list.length - 1]!), changes: list.reduce((n, d) => n + d.activityChangeInfo.length, 0) };
}

/** A CardVehicleRecord of DF Tachograph_G2 (48 bytes) of this file: registered in the Netherlands ('26'H). */
const gen2Vehicle = ([begin, end]: [number, number], [first, last]: [string, string], vrn: string, counter: number, vin: string) => ({
  vehicleOdometerBegin: begin,
  vehicleOdometerEnd: end,
  vehicleFirstUse: iso(first),
  vehicleLastUse: iso(last),
  vehicleRegistration: { vehicleRegistrationNation: 0x26, vehicleRegistrationNumber: vrn },
  vuDataBlockCounter: counter,
  vehicleIdentificationNumber: vin,
});

const inserted = (activity: string, minute: number, day: string) => ({ slot: 'driver', cardStatus: 'inserted', drivingStatus: 'single', activity, minute, time: iso(`${day}T00:00:00Z`).replace('00:00:00', `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`) });

describe('card-driver-gen1-wp000.ddd: a gen1 driver card download (11 EFs, no certificates or signatures)', () => {
  const file = decodeCardDownload(bytes('card-driver-gen1-wp000.ddd'));

  it('the summary: driver card DRIVER0000000100 of Doe John (Finland), valid 2020..2024, 189 activity days 2020-01-01..2020-07-07', () => {
    expect([file.cardType, file.generation, file.structure, file.problems]).toEqual(['driver', 1, 'gen1', []]);
    expect(file.efs.map((e) => [e.tag, e.offset, e.size])).toEqual([
      ['000200', 0, 25],
      ['000500', 30, 8],
      ['050100', 43, 10],
      ['052000', 58, 143],
      ['050200', 206, 1728],
      ['050300', 1939, 1152],
      ['050400', 3096, 13700],
      ['050500', 16801, 6202],
      ['050600', 23008, 1121],
      ['050800', 24134, 46],
      ['052200', 24185, 280],
    ]);
    expect(file.summary).toMatchObject({
      cardType: 'driver',
      cardIssuingMemberState: 0x12,
      cardNumber: 'DRIVER0000000100',
      holder: 'Doe John',
      cardValidityBegin: iso('2020-01-01T00:00:00Z'),
      cardExpiryDate: iso('2024-12-31T23:59:59Z'),
      activities: { df: 'tachograph', firstDay: '2020-01-01', lastDay: '2020-07-07', days: 189 },
      counts: { tachograph: { CardEventRecord: 1, CardFaultRecord: 0, CardActivityDailyRecord: 189, ActivityChangeInfo: 5714, CardVehicleRecord: 200, PlaceRecord: 112, CardControlActivityDataRecord: 0, SpecificConditionRecord: 56 } },
    });
    expect(ef(file, '052000', 'CardIdentification')).toEqual({
      cardIdentification: { cardIssuingMemberState: 0x12, cardNumber: 'DRIVER0000000100', cardIssuingAuthorityName: 'Transport and Communications Agency', cardIssueDate: iso('2020-01-01T00:00:00Z'), cardValidityBegin: iso('2020-01-01T00:00:00Z'), cardExpiryDate: iso('2024-12-31T23:59:59Z') },
      cardHolderIdentification: { cardHolderName: { holderSurname: 'Doe', holderFirstNames: 'John' }, cardHolderBirthDate: '2000-01-01', cardHolderPreferredLanguage: 'fi' },
    });
  });

  it('the activities: pointers 0 and 13614, 189 days, the first (148 bytes, 68 changes) and the last (82 bytes, 35 changes), 5714 changes in all', () => {
    const activity = ef(file, '050400', 'CardDriverActivity');
    expect([activity.activityPointerOldestDayRecord, activity.activityPointerNewestRecord]).toEqual([0, 13614]);
    expect(days(activity)).toEqual({
      count: 189,
      first: [iso('2020-01-01T00:00:00Z'), 0, 148, 600, 69, 68],
      last: [iso('2020-07-07T00:00:00Z'), 14, 82, 788, 0, 35],
      // hand-decoded (recordLength - 12) / 2 per day; the source's golden 5674 leaves out the 40 words 0000
      changes: 5714,
    });
    expect(activity.activityDailyRecords[0]!.activityChangeInfo.slice(0, 3)).toEqual([
      // 'c' = 1 with the card out: the following activity is known (App. 1 2.1)
      { slot: 'driver', cardStatus: 'not-inserted', activityStatus: 'known', activity: 'break-rest', minute: 0, time: iso('2020-01-01T00:00:00Z') },
      inserted('work', 30, '2020-01-01'),
      inserted('driving', 60, '2020-01-01'),
    ]);
    // the file carries 80 bytes less of the cyclic buffer than EF Application_Identification declares
    expect(file.efs.find((e) => e.tag === '050400')!.problems).toEqual(['CardDriverActivity: 13696 bytes of activityDailyRecords, EF Application_Identification gives 13776']);
  });

  it('events and faults: one event \'05\'H in the second set (index 12 of the EF, offset 499), no fault', () => {
    const events = ef(file, '050200', 'CardEventData').cardEventRecords;
    expect(events.map((set) => set.length)).toEqual([12, 12, 12, 12, 12, 12]);
    expect(typeCounts(events)).toEqual({ '05': 1 });
    expect(events[1]![0]).toEqual({ eventType: 0x05, eventBeginTime: iso('2020-01-01T12:00:00Z'), eventEndTime: iso('2020-01-01T12:30:00Z'), eventVehicleRegistration: { vehicleRegistrationNation: 0x12, vehicleRegistrationNumber: '*************' } });
    const faults = ef(file, '050300', 'CardFaultData').cardFaultRecords;
    expect([faults.map((set) => set.length), typeCounts(faults)]).toEqual([[24, 24], {}]);
  });

  it('vehicles used (pointer 31), places (pointer 70), no control, 56 specific conditions of type 00', () => {
    const vehicles = ef(file, '050500', 'CardVehiclesUsed');
    expect([vehicles.vehiclePointerNewestRecord, vehicles.cardVehicleRecords.filter((v) => v).length]).toEqual([31, 200]);
    const vehicle = { vehicleRegistration: { vehicleRegistrationNation: 0x12, vehicleRegistrationNumber: '*************' } };
    expect(vehicles.cardVehicleRecords[0]).toEqual({ vehicleOdometerBegin: 195000, vehicleOdometerEnd: 195000, vehicleFirstUse: iso('2020-01-01T00:00:00Z'), vehicleLastUse: iso('2020-01-01T23:59:59Z'), ...vehicle, vuDataBlockCounter: 401 });
    expect(vehicles.cardVehicleRecords[31]).toEqual({ vehicleOdometerBegin: 305000, vehicleOdometerEnd: 16777000, vehicleFirstUse: iso('2020-02-01T00:00:00Z'), vehicleLastUse: iso('2020-02-01T23:59:59Z'), ...vehicle, vuDataBlockCounter: 432 });
    const places = ef(file, '050600', 'CardPlaceDailyWorkPeriod');
    expect([places.placePointerNewestRecord, places.placeRecords.filter((p) => p).length]).toEqual([70, 112]);
    expect([places.placeRecords[0], places.placeRecords[70]]).toEqual([
      { entryTime: iso('2020-01-01T00:00:00Z'), entryTypeDailyWorkPeriod: 0, dailyWorkPeriodCountry: 0x12, dailyWorkPeriodRegion: 1, vehicleOdometerValue: 194500 },
      { entryTime: iso('2020-01-03T22:00:00Z'), entryTypeDailyWorkPeriod: 0, dailyWorkPeriodCountry: 0x12, dailyWorkPeriodRegion: 1, vehicleOdometerValue: 305800 },
    ]);
    expect(ef(file, '050800', 'CardControlActivityDataRecord')).toBeNull();
    const conditions = ef(file, '052200', 'SpecificConditions');
    expect(conditions.conditionPointerNewestRecord).toBeUndefined();
    expect(conditions.specificConditionRecords.length).toBe(56);
    expect(conditions.specificConditionRecords.slice(0, 4)).toEqual(['01', '02', '03', '04'].map((d) => ({ entryTime: iso(`2020-01-${d}T00:00:00Z`), specificConditionType: 0 })));
  });
});

describe('card-driver-gen2v1-wp004.ddd: a gen2 driver card download (14 gen1 EFs, 14 gen2 EFs, 2 gen2 signatures)', () => {
  const raw = bytes('card-driver-gen2v1-wp004.ddd');
  const file = decodeCardDownload(raw);

  it('the summary: Netherlands, 200 days in DF Tachograph_G2 (2020-01-01..2020-07-18), downloaded at the latest time it records', () => {
    // cardStructureVersion {01 01} (offset 24631) is version 2's (App. 2: {01 00} for version 1), though the file
    // has no EF Application_Identification_V2; the collector's notes call it gen2v1 by that EF
    expect([file.cardType, file.generation, file.structure, file.problems]).toEqual(['driver', 2, 'gen2v2', []]);
    expect(file.summary).toMatchObject({
      cardIssuingMemberState: 0x26,
      cardNumber: 'DRIVER0000000100',
      holder: 'Doe John',
      activities: { df: 'tachograph-g2', firstDay: '2020-01-01', lastDay: '2020-07-18', days: 200 },
      downloadTime: { at: iso('2024-09-26T07:09:56Z'), source: 'the latest time the file records: DF Tachograph_G2 EF Vehicles_Used vehicleLastUse' },
    });
    expect(file.efs.filter((e) => e.signature).map((e) => [e.tag, e.signature])).toEqual([
      ['050102', { offset: 24647, size: 64 }],
      ['052202', { offset: 55650, size: 64 }],
    ]);
    for (const tag of ['050e00', '050e02']) expect(ef(file, tag, 'LastCardDownload')).toEqual({ lastCardDownload: iso('2026-01-03T15:23:43Z') });
    expect(ef(file, '050102', 'CardApplicationIdentification')).toMatchObject({ cardStructureVersion: '0101', noOfGNSSADRecords: 336, noOfSpecificConditionRecords: 112, noOfCardVehicleUnitRecords: 200 });
  });

  it('DF Tachograph: 220 days (5560 changes), 9 events, 2 faults \'31\'H, vehicles (pointer 51), places (pointer 0), current usage', () => {
    const activity = ef(file, '050400', 'CardDriverActivity');
    expect([activity.activityPointerOldestDayRecord, activity.activityPointerNewestRecord]).toEqual([0, 13672]);
    expect(days(activity)).toEqual({ count: 220, first: [iso('2020-01-01T00:00:00Z'), 0, 78, 616, 579, 33], last: [iso('2020-08-07T00:00:00Z'), 112, 88, 835, 323, 38], changes: 5560 });
    expect(activity.activityDailyRecords[0]!.activityChangeInfo[0]).toEqual({ slot: 'driver', cardStatus: 'not-inserted', activityStatus: 'unknown', activity: 'break-rest', minute: 0, time: iso('2020-01-01T00:00:00Z') });
    const events = ef(file, '050200', 'CardEventData').cardEventRecords;
    expect(typeCounts(events)).toEqual({ '03': 1, '05': 4, '09': 1, '1C': 3 });
    expect(events[0]![0]).toEqual({ eventType: 0x03, eventBeginTime: iso('2020-01-01T00:00:00Z'), eventEndTime: iso('2020-01-01T00:30:00Z'), eventVehicleRegistration: { vehicleRegistrationNation: 0x26, vehicleRegistrationNumber: '*************' } });
    const faults = ef(file, '050300', 'CardFaultData').cardFaultRecords;
    expect(faults[0]!.slice(0, 2)).toEqual([
      { faultType: 0x31, faultBeginTime: iso('2020-01-01T00:00:00Z'), faultEndTime: iso('2020-01-01T00:30:00Z'), faultVehicleRegistration: { vehicleRegistrationNation: 0x26, vehicleRegistrationNumber: '*************' } },
      { faultType: 0x31, faultBeginTime: iso('2020-01-01T01:00:00Z'), faultEndTime: iso('2020-01-01T01:30:00Z'), faultVehicleRegistration: { vehicleRegistrationNation: 0x26, vehicleRegistrationNumber: '*************' } },
    ]);
    expect(typeCounts(faults)).toEqual({ '31': 2 });
    const vehicles = ef(file, '050500', 'CardVehiclesUsed');
    expect(vehicles.vehiclePointerNewestRecord).toBe(51);
    expect([vehicles.cardVehicleRecords[0], vehicles.cardVehicleRecords[51]].map((v) => [v!.vehicleOdometerBegin, v!.vehicleOdometerEnd, v!.vehicleFirstUse, v!.vuDataBlockCounter])).toEqual([
      [676000, 677000, iso('2020-01-01T00:00:00Z'), 401],
      [694000, 694000, iso('2020-02-21T00:00:00Z'), 452],
    ]);
    const places = ef(file, '050600', 'CardPlaceDailyWorkPeriod');
    expect([places.placePointerNewestRecord, places.placeRecords[0]]).toEqual([0, { entryTime: iso('2020-01-01T00:00:00Z'), entryTypeDailyWorkPeriod: 1, dailyWorkPeriodCountry: 0x12, dailyWorkPeriodRegion: 1, vehicleOdometerValue: 694400 }]);
    expect(ef(file, '050700', 'CardCurrentUse')).toEqual({ sessionOpenTime: iso('2020-01-01T00:00:00Z'), sessionOpenVehicle: { vehicleRegistrationNation: 0, vehicleRegistrationNumber: '*************' } });
  });

  it('DF Tachograph_G2: 200 days (5686 changes), 7 events, vehicles with VIN (pointer 128), places with GNSS (pointer 24), VU units, GNSS places', () => {
    const activity = ef(file, '050402', 'CardDriverActivity');
    expect(days(activity)).toEqual({ count: 200, first: [iso('2020-01-01T00:00:00Z'), 0, 14, 15, 0, 1], last: [iso('2020-07-18T00:00:00Z'), 112, 62, 214, 198, 25], changes: 5686 });
    expect(activity.activityDailyRecords[199]!.activityChangeInfo.slice(1, 3)).toEqual([inserted('break-rest', 30, '2020-07-18'), inserted('driving', 60, '2020-07-18')]);
    expect(typeCounts(ef(file, '050202', 'CardEventData').cardEventRecords)).toEqual({ '05': 1, '09': 1, '0A': 2, '1C': 3 });
    expect(ef(file, '050202', 'CardEventData').cardEventRecords.length).toBe(11);
    const vehicles = ef(file, '050502', 'CardVehiclesUsed');
    expect(vehicles.vehiclePointerNewestRecord).toBe(128);
    expect(vehicles.cardVehicleRecords[128]).toEqual(gen2Vehicle([29605, 29803], ['2024-09-26T02:26:44Z', '2024-09-26T07:09:56Z'], 'TEST129', 129, 'TESTVIN0000000012'));
    const places = ef(file, '050602', 'CardPlaceDailyWorkPeriod');
    expect(places.placePointerNewestRecord).toBe(24);
    expect([places.placeRecords[0], places.placeRecords[24]]).toEqual([
      { entryTime: iso('2020-01-01T00:00:00Z'), entryTypeDailyWorkPeriod: 3, dailyWorkPeriodCountry: 0x12, dailyWorkPeriodRegion: 1, vehicleOdometerValue: 25000, entryGNSSPlaceRecord: { timeStamp: iso('2020-01-01T00:00:00Z'), gnssAccuracy: 7, geoCoordinates: { latitude: 60100, longitude: 24560 } } },
      // entryTime 00000000 beside a GNSS time: an anonymiser artefact (expected notes)
      { entryTime: null, entryTypeDailyWorkPeriod: 1, dailyWorkPeriodCountry: 0x12, dailyWorkPeriodRegion: 1, vehicleOdometerValue: 29800, entryGNSSPlaceRecord: { timeStamp: iso('2020-01-02T00:00:00Z'), gnssAccuracy: 7, geoCoordinates: { latitude: 60100, longitude: 24560 } } },
    ]);
    const conditions = ef(file, '052202', 'SpecificConditions');
    expect([conditions.conditionPointerNewestRecord, conditions.specificConditionRecords.length, conditions.specificConditionRecords.filter((c) => c).length]).toEqual([0, 112, 0]);
    const units = ef(file, '052302', 'CardVehicleUnitsUsed');
    expect([units.vehicleUnitPointerNewestRecord, units.cardVehicleUnitRecords.filter((u) => u).length, units.cardVehicleUnitRecords[16]]).toEqual([
      16,
      17,
      { timeStamp: iso('2020-01-01T16:00:00Z'), manufacturerCode: 0x40, deviceID: 0, vuSoftwareVersion: '0000' },
    ]);
    const gnss = ef(file, '052402', 'GNSSAccumulatedDriving');
    expect([gnss.gnssADPointerNewestRecord, gnss.gnssAccumulatedDrivingRecords.length, gnss.gnssAccumulatedDrivingRecords[271]]).toEqual([
      271,
      336,
      { timeStamp: iso('2020-01-12T07:00:00Z'), gnssPlaceRecord: { timeStamp: iso('2020-01-12T07:00:00Z'), gnssAccuracy: 7, geoCoordinates: { latitude: 60100, longitude: 24560 } }, vehicleOdometerValue: 29700 },
    ]);
  });

  it('the registration of vehicle record 0 in code page 0x0F (ISO/IEC 8859-15) reads without a problem', () => {
    // EF Vehicles_Used (gen2) value at 43047: pointer 2 bytes, record 0 at 43049; its VRN's code page byte at +15
    expect(raw[43049 + 15]).toBe(0x0f);
    const vehicles = ef(file, '050502', 'CardVehiclesUsed');
    expect(vehicles.cardVehicleRecords[0]).toEqual(gen2Vehicle([99178, 99605], ['2023-08-31T04:23:25Z', '2023-08-31T14:05:29Z'], 'TEST001', 1, 'TESTVIN0000000000'));
    const problems = file.efs.find((e) => e.tag === '050502')!.problems;
    expect(problems.filter((p) => /^record (0|1|128):/.test(p))).toEqual([]);
    // code pages by the bytes: 41 records in 0F (record 0 first), 88 in 01 (record 128 last); records 129..199 are
    // zero but for their VRN text and VIN, so code page 00 before a text: said, and read as ISO/IEC 8859-1
    expect([problems.length, problems[0]]).toEqual([71, 'record 129: CardVehicleRecord vehicleRegistration.vehicleRegistrationNumber: code page 0 is not an App. 1 code page (chapter 4): read as ISO/IEC 8859-1']);
  });
});
