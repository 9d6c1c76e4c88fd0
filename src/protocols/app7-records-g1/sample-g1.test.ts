import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyDddG1 } from '../ddd/verify-g1.ts';
import { scanDddG1 } from './blocks-g1.ts';
import { decodeTrep01, decodeTrep02, decodeTrep03, decodeTrep04, decodeTrep05 } from './trep-g1.ts';

/**
 * A real gen1 VU download: test/fixtures/tachograph-files/vu-gen1-wp000.ddd (Trackysat-SRL/tachograph-go,
 * anonymised by its source: names, numbers and record times replaced, certificates and signatures zeroed;
 * PROVENANCE.md). The values below are transcribed from expected/vu-gen1-wp000.json: the source's golden
 * output (`golden`) and the bytes decoded by hand (`handDecoded`), by their raw App. 1 codes where the golden
 * enum names disagree with App. 1 (`discrepancies`).
 */
const file = new Uint8Array(readFileSync('test/fixtures/tachograph-files/vu-gen1-wp000.ddd'));
const { blocks, problem } = scanDddG1(file);
const T = (iso: string) => Date.parse(iso);
const of = (trep: number) => blocks.filter((b) => b.trep === trep);
const RECORD_TIME = T('2020-01-01T00:00:00Z'); // what the anonymiser wrote into every record's times

describe('a public gen1 VU download (vu-gen1-wp000.ddd) decoded whole', () => {
  it('splits into the ten blocks of expected.blocks: offsets and value lengths', () => {
    expect(problem).toBeUndefined();
    expect(blocks.map((b) => [b.trep, b.offset, b.data.length])).toEqual([
      [1, 0, 719],
      [2, 721, 146],
      [2, 869, 523],
      [2, 1394, 146],
      [2, 1542, 571],
      [2, 2115, 599],
      [2, 2716, 525],
      [3, 3243, 3393],
      [4, 6638, 92290],
      [5, 98930, 1601],
    ]);
  });

  it('TREP 01: the overview (golden.overview, handDecoded.overview)', () => {
    const o = decodeTrep01(of(1)[0]!.data).data;
    expect(o.memberStateCertificate).toBe('00'.repeat(194));
    expect(o.vehicleIdentificationNumber).toBe('*****************');
    expect(o.vehicleRegistrationIdentification).toEqual({ vehicleRegistrationNation: 0, vehicleRegistrationNumber: '*************' });
    expect(o.currentDateTime).toBe(T('2025-09-12T13:32:45Z'));
    expect(o.vuDownloadablePeriod).toEqual({ minDownloadableTime: T('2024-09-03T00:00:00Z'), maxDownloadableTime: T('2025-09-12T13:31:00Z') });
    expect(o.cardSlotsStatus).toEqual({ driver: 'driver', codriver: 'none' }); // '01'
    expect(o.vuDownloadActivityData.downloadingTime).toBe(T('2025-09-12T12:35:13Z'));
    expect(o.vuDownloadActivityData.fullCardNumber?.cardType).toBe('company');
    // lockOutTime FF FF FF FF at offset 498: a lock still on
    expect(o.vuCompanyLocksRecords.map((l) => [l.lockInTime, l.lockOutTime, l.companyCardNumber.cardType])).toEqual([[T('2017-08-18T13:40:00Z'), null, 'company']]);
    expect(o.vuControlActivityRecords).toEqual([]);
  });

  it('TREP 02: six days (golden.activities): date, odometer at midnight, record counts, activity changes', () => {
    const days = of(2).map((b) => decodeTrep02(b.data).data);
    expect(days.map((d) => [d.dateOfDayDownloaded, d.odometerValueMidnight, d.vuCardIWRecords.length, d.activityChangeInfos.length, d.vuPlaceDailyWorkPeriodRecords.length, d.specificConditionRecords.length])).toEqual([
      [T('2025-09-07T23:59:59Z'), 371532, 0, 2, 0, 0],
      [T('2025-09-08T23:59:59Z'), 371633, 1, 98, 2, 0],
      [T('2025-09-09T23:59:59Z'), 371633, 0, 2, 0, 0],
      [T('2025-09-10T23:59:59Z'), 371768, 1, 122, 2, 0],
      [T('2025-09-11T23:59:59Z'), 371904, 1, 136, 2, 0],
      [T('2025-09-12T13:32:58Z'), 372055, 1, 113, 1, 0],
    ]);
    // 2025-09-08: 2000, 00e8, 10e9, 18eb at offsets 1011..1017; the last change a297 (co-driver, 663 min)
    const second = days[1]!;
    expect(second.activityChangeInfos.slice(0, 4)).toEqual([
      { slot: 'driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute: 0 },
      { slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'break-rest', minute: 232 },
      { slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'work', minute: 233 },
      { slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'driving', minute: 235 },
    ]);
    expect(second.activityChangeInfos.at(-1)).toEqual({ slot: 'co-driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute: 663 });
    expect(days[5]!.activityChangeInfos.at(-1)).toEqual({ slot: 'co-driver', drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'availability', minute: 811 }); // ab2b
    // places: begin and end in Finland (NationNumeric 18 as the golden reads it), odometer 371 000 km
    expect(second.vuPlaceDailyWorkPeriodRecords.map((p) => [p.placeRecord.entryTime, p.placeRecord.entryTypeDailyWorkPeriod, p.placeRecord.dailyWorkPeriodCountry, p.placeRecord.vehicleOdometerValue])).toEqual([
      [RECORD_TIME, 0, 18, 371000],
      [RECORD_TIME, 1, 18, 371000],
    ]);
    expect(second.vuCardIWRecords[0]).toMatchObject({ fullCardNumber: { cardType: 'driver', cardNumber: '****************' }, cardInsertionTime: RECORD_TIME, vehicleOdometerValueAtInsertion: 371000, cardSlotNumber: 'driver' });
  });

  it('TREP 03: 38 events by raw type and purpose, one time adjustment, no fault (golden.eventsAndFaults)', () => {
    const e = decodeTrep03(of(3)[0]!.data).data;
    expect([e.vuFaultRecords.length, e.vuEventRecords.length, e.vuOverSpeedingEventRecords.length, e.vuTimeAdjustmentRecords.length]).toEqual([0, 38, 0, 1]);
    const counts = new Map<string, number>();
    for (const r of e.vuEventRecords) {
      const key = `${r.eventType}/${r.eventRecordPurpose}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // 04 driving without an appropriate card, 05 card insertion while driving, 08 power supply interruption, 09 motion data error
    expect(Object.fromEntries(counts)).toEqual({ '4/1': 10, '4/2': 5, '5/3': 10, '8/1': 10, '8/2': 2, '9/1': 1 });
    expect(e.vuEventRecords.slice(0, 3).map((r) => [r.eventType, r.eventRecordPurpose, r.eventBeginTime, r.eventEndTime, r.similarEventsNumber])).toEqual([
      [4, 1, RECORD_TIME, RECORD_TIME, 2],
      [4, 1, RECORD_TIME, RECORD_TIME, 3],
      [4, 1, RECORD_TIME, RECORD_TIME, 75],
    ]);
    expect(e.vuOverSpeedingControlData.numberOfOverspeedSince).toBe(0);
    expect(e.vuTimeAdjustmentRecords[0]).toMatchObject({ oldTimeValue: RECORD_TIME, newTimeValue: RECORD_TIME, workshopName: 'TEST WORKSHOP' });
  });

  it('TREP 04: 1 440 speed blocks, the first and the last (golden.detailedSpeed)', () => {
    const s = decodeTrep04(of(4)[0]!.data).data.vuDetailedSpeedBlocks;
    expect(s.length).toBe(1440);
    expect(s[0]).toEqual({ speedBlockBeginDate: RECORD_TIME, speedsPerSecond: [...Array(30).fill(0), 2, 7, 12, 16, 17, 18, 18, 17, 17, 18, 20, 21, 22, 23, 23, 23, 22, 22, 21, 21, 22, 24, 25, 25, 26, 26, 25, 24, 23, 22] });
    expect(s[1439]!.speedsPerSecond).toEqual([8, 9, 8, 7, 5, 3, 2, 1, 1, 0, 0, 0, 0, 1, 6, 10, 11, 14, 17, 17, 18, 19, 20, 19, 18, 18, 18, 18, 19, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 30, 31, 32, 33, 33, 34, 34, 35, 35, 36, 36, 37, 37, 36, 36, 36, 36, 36, 36, 35]);
    expect(Math.max(...s.flatMap((b) => b.speedsPerSecond))).toBe(91);
  });

  it('TREP 05: identification, paired sensor, calibrations by raw purpose (golden.technicalData)', () => {
    const t = decodeTrep05(of(5)[0]!.data).data;
    expect(t.vuIdentification).toMatchObject({
      vuPartNumber: '****************',
      vuSerialNumber: { serialNumber: 0, type: 6, manufacturerCode: 161 },
      vuSoftwareIdentification: { vuSoftwareVersion: '****', vuSoftInstallationDate: T('2017-04-22T11:14:40Z') },
      vuManufacturingDate: T('2017-04-22T00:00:00Z'),
      vuApprovalNumber: 'TEST0001',
    });
    expect(t.sensorPaired).toMatchObject({ sensorSerialNumber: { serialNumber: 0, type: 7, manufacturerCode: 161 }, sensorApprovalNumber: 'SENSOR01', sensorPairingDateFirst: T('2017-05-08T17:43:20Z') });
    expect(t.vuCalibrationRecords.slice(0, 7).map((c) => [c.calibrationPurpose, c.wVehicleCharacteristicConstant, c.kConstantOfRecordingEquipment, c.lTyreCircumference, c.authorisedSpeed, c.oldOdometerValue, c.newOdometerValue])).toEqual([
      [1, 7746, 7746, 22176, 90, 0, 16777000],
      [2, 7746, 7746, 22176, 90, 0, 16777000],
      [3, 7746, 7746, 22176, 90, 0, 16777000],
      [4, 7753, 7753, 22176, 90, 0, 16777000],
      [4, 7950, 7950, 22176, 90, 111000, 16777000],
      [4, 7950, 7950, 22176, 90, 219000, 16777000],
      [4, 7588, 7588, 21680, 90, 252000, 16777000],
    ]);
  });

  it('verifies nothing: its certificates are zeroed by the anonymiser (anonymisation[0]); every block says so, at its CurrentDateTime', () => {
    const eur = new Uint8Array(readFileSync('test/fixtures/tachograph-files/certs/erca-gen1-EC_PK.bin'));
    const v = verifyDddG1(file, { europeanPublicKeys: [eur], rootCertificates: [] });
    expect(v.at).toBe(T('2025-09-12T13:32:45Z'));
    expect(v.problems).toEqual([]);
    expect(v.verdicts.map((x) => [x.block, x.status])).toEqual([
      ['TREP 01 (Overview)', 'failed'],
      ['TREP 02 (Activities 2025-09-07)', 'failed'],
      ['TREP 02 (Activities 2025-09-08)', 'failed'],
      ['TREP 02 (Activities 2025-09-09)', 'failed'],
      ['TREP 02 (Activities 2025-09-10)', 'failed'],
      ['TREP 02 (Activities 2025-09-11)', 'failed'],
      ['TREP 02 (Activities 2025-09-12)', 'failed'],
      ['TREP 03 (Events and faults)', 'failed'],
      ['TREP 04 (Detailed speed)', 'failed'],
      ['TREP 05 (Technical data)', 'failed'],
    ]);
    expect(v.verdicts[0]!.reason).toBe('TREP 01 certificates: EQT.CA certificate: the MemberStateCertificate is 194 zero bytes: no certificate');
  });
});
