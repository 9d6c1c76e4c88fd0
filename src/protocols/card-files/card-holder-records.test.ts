import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/bytes.ts';
import { decodeCardApplicationIdentification } from '../app1/card-application-identification.ts';
import { decodeCardControlActivityDataRecord, decodeCompanyActivityRecord, decodeControlCardActivityRecord } from '../app1/control-activity-record.ts';
import { decodeWorkshopCardCalibrationRecord } from '../app1/workshop-card-calibration-record.ts';
import {
  ACTIVITY_RECORD_SIZE,
  calibrationHeaderSize,
  calibrationRecordWrites,
  COMPANY_ACTIVITY,
  CONTROL_CARD_ACTIVITY_RECORDS,
  EMPTY_ACTIVITY_RECORD,
  emptyActivityRecords,
  emptyWorkshopCalibrationData,
  encodeActivityRecord,
  encodeControlOrCompanyApplicationIdentification,
  encodeWorkshopCardApplicationIdentification,
  encodeWorkshopCalibrationRecord,
  putCompanyActivityRecord,
  putCompanyDownloadRecord,
  putControllerActivityRecord,
  WORKSHOP_CALIBRATION_RECORD_SIZE,
  type CardActivityRecord,
  type WorkshopCalibration,
} from './card-holder-records.ts';

const T = Date.UTC(2026, 2, 2, 8, 6);
const DAY = Date.UTC(2026, 2, 2);
const anna = { cardType: 'driver' as const, issuingMemberState: 6, cardNumber: 'B000000012345601' };
const carla = { cardType: 'control' as const, issuingMemberState: 6, cardNumber: 'B000000000CTL000' };
const vehicle = { nation: 6, number: 'B-RIG-001' };
const control = (time: number, type = 0x40): CardActivityRecord => ({ type, time, card: anna, vehicle, periodBegin: DAY, periodEnd: DAY });

describe('the 46-byte control and company activity records (App. 1 2.15, 2.46, 2.51)', () => {
  it('encodes type, time, FullCardNumber, VRN and period, and the App. 2 default for none', () => {
    const bytes = encodeActivityRecord(control(T));
    expect(bytes.length).toBe(ACTIVITY_RECORD_SIZE);
    // ControlType 40, TimeReal 1772438760 (08:06:00), cardType 01 (driver), Member State 06 (B)
    expect(toHex(bytes.subarray(0, 7)).toUpperCase()).toBe('4069A544E80106');
    expect(decodeControlCardActivityRecord(bytes, 0, 2)).toEqual({
      controlType: { cardDownloading: false, vuDownloading: true, printing: false, display: false, roadsideCalibrationChecking: false },
      controlTime: '2026-03-02T08:06:00.000Z',
      controlledCardNumber: { cardType: 1, cardIssuingMemberState: 6, cardNumber: 'B000000012345601' },
      controlledVehicleRegistration: { vehicleRegistrationNation: 6, vehicleRegistrationNumber: 'B-RIG-001' },
      controlDownloadPeriodBegin: '2026-03-02T00:00:00.000Z',
      controlDownloadPeriodEnd: '2026-03-02T00:00:00.000Z',
    });
    // a driver card's record names the control card
    expect(decodeCardControlActivityDataRecord(encodeActivityRecord({ ...control(T), card: carla }), 0, 2)?.controlCardNumber).toEqual({ cardType: 3, cardIssuingMemberState: 6, cardNumber: 'B000000000CTL000' });
    // App. 2 default: card {00 00 20..20}, VRN {00, 20..20}: an unused record
    expect(toHex(EMPTY_ACTIVITY_RECORD.subarray(5, 24)).toUpperCase()).toBe('0000' + '20'.repeat(16) + '00');
    expect(decodeControlCardActivityRecord(EMPTY_ACTIVITY_RECORD, 0, 2)).toBeNull();
  });

  it("a control card's set: a record per control after the newest, the same control updated in place, the oldest giving way", () => {
    let ef = emptyActivityRecords(3);
    expect(ef.length).toBe(2 + 3 * 46);
    ef = putControllerActivityRecord(ef, control(T));
    // a later transfer of the same session adds the card download bit: the same record
    ef = putControllerActivityRecord(ef, control(T, 0xc0));
    expect([ef[0], ef[1], ef[2]]).toEqual([0, 0, 0xc0]);
    expect(ef[2 + 46]).toBe(0);
    ef = putControllerActivityRecord(ef, control(T + 60_000));
    ef = putControllerActivityRecord(ef, control(T + 120_000));
    ef = putControllerActivityRecord(ef, control(T + 180_000));
    // three records: the fourth control replaced the first, the pointer names it
    expect(ef[1]).toBe(0);
    expect(decodeControlCardActivityRecord(ef, 2, 2)?.controlTime).toBe('2026-03-02T08:09:00.000Z');
    expect(decodeControlCardActivityRecord(ef, 2 + 46, 2)?.controlTime).toBe('2026-03-02T08:07:00.000Z');
  });

  it("a company card's set: lock-in and lock-out are two records", () => {
    let ef = emptyActivityRecords(4);
    const lock = (type: number, time: number): CardActivityRecord => ({ type, time, card: null, vehicle, periodBegin: 0, periodEnd: 0 });
    ef = putCompanyActivityRecord(ef, lock(COMPANY_ACTIVITY.vuLockIn, T));
    ef = putCompanyActivityRecord(ef, lock(COMPANY_ACTIVITY.vuLockIn, T));
    ef = putCompanyActivityRecord(ef, lock(COMPANY_ACTIVITY.vuLockOut, T + 60_000));
    expect(ef[1]).toBe(1);
    expect(decodeCompanyActivityRecord(ef, 2)?.companyActivityType).toBe(3);
    expect(decodeCompanyActivityRecord(ef, 2 + 46)).toMatchObject({ companyActivityType: 4, companyActivityTime: '2026-03-02T08:07:00.000Z', cardNumberInformation: null });
    expect(decodeCompanyActivityRecord(ef, 2 + 92)).toBeNull();
  });

  it("a company download session is one record, its period widened by each day's transfer", () => {
    let ef = emptyActivityRecords(4);
    const download = (day: number): CardActivityRecord => ({ type: COMPANY_ACTIVITY.vuDownloading, time: T, card: null, vehicle, periodBegin: day, periodEnd: day });
    ef = putCompanyDownloadRecord(ef, download(0));
    ef = putCompanyDownloadRecord(ef, download(DAY));
    ef = putCompanyDownloadRecord(ef, download(DAY - 86_400_000));
    ef = putCompanyDownloadRecord(ef, download(0));
    expect(decodeCompanyActivityRecord(ef, 2)).toMatchObject({ companyActivityType: 2, downloadPeriodBegin: '2026-03-01T00:00:00.000Z', downloadPeriodEnd: '2026-03-02T00:00:00.000Z' });
    expect(decodeCompanyActivityRecord(ef, 2 + 46)).toBeNull();
  });

  it('application identifications of control, company (5 bytes) and workshop cards (11, 19) decode to their App. 2 counts', () => {
    expect(decodeCardApplicationIdentification(encodeControlOrCompanyApplicationIdentification('control', 2, CONTROL_CARD_ACTIVITY_RECORDS), 2)).toEqual({ cardType: 'control', typeOfTachographCardId: 3, cardStructureVersion: '0100', noOfControlActivityRecords: 230 });
    expect(decodeCardApplicationIdentification(encodeControlOrCompanyApplicationIdentification('company', 1, 230), 1)).toEqual({ cardType: 'company', typeOfTachographCardId: 4, cardStructureVersion: '0000', noOfCompanyActivityRecords: 230 });
    expect(decodeCardApplicationIdentification(encodeWorkshopCardApplicationIdentification(2), 2)).toMatchObject({ cardType: 'workshop', noOfEventsPerType: 3, noOfFaultsPerType: 6, activityStructureLength: 492, noOfCardVehicleRecords: 8, noOfCalibrationRecords: 255 });
    expect(decodeCardApplicationIdentification(encodeWorkshopCardApplicationIdentification(1), 1)).toMatchObject({ cardType: 'workshop', activityStructureLength: 198, noOfCardVehicleRecords: 4, noOfCardPlaceRecords: 6, noOfCalibrationRecords: 88 });
  });
});

describe("a workshop card's EF Calibration (App. 1 2.235, 2.236; Annex IC 313-316)", () => {
  const calibration = (at: number, w = 8000): WorkshopCalibration => ({
    purpose: 4,
    vin: 'WDB9634031L000001',
    vehicle,
    w,
    k: 8000,
    l: 3200,
    tyreSize: '315/70R22.5',
    authorisedSpeedKmh: 90,
    oldOdometerKm: 0,
    newOdometerKm: 1000,
    oldTime: at,
    newTime: at,
    nextCalibrationDate: Date.UTC(2028, 2, 2),
    vuPartNumber: 'RIG-VU-2',
    vuSerialNumber: { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 },
    sensorSerialNumber: null,
    sensorGnssSerialNumber: null,
    rcmSerialNumber: null,
    vuAbility: 0,
    seals: [{ equipmentType: 7, manufacturerCode: '0010', sealIdentifier: '0000000000001234' }],
  });

  it('App. 2 sizes: gen1 9 243 bytes (88 records of 105), gen2 45 394 (255 of 178)', () => {
    expect(emptyWorkshopCalibrationData(1).length).toBe(9243);
    expect(emptyWorkshopCalibrationData(2).length).toBe(45394);
  });

  it('gen2 record: 178 bytes with the VU ability and the seal data, decoded back', () => {
    const bytes = encodeWorkshopCalibrationRecord(calibration(T), 2);
    expect(bytes.length).toBe(WORKSHOP_CALIBRATION_RECORD_SIZE[2]);
    expect(decodeWorkshopCardCalibrationRecord(bytes, 0, 2)).toMatchObject({
      calibrationPurpose: 4,
      vehicleIdentificationNumber: 'WDB9634031L000001',
      wVehicleCharacteristicConstant: 8000,
      newOdometerValue: 1000,
      newTimeValue: '2026-03-02T08:06:00.000Z',
      nextCalibrationDate: '2028-03-02T00:00:00.000Z',
      vuSerialNumber: { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 },
      sensorSerialNumber: null,
      vuAbility: 0,
      sealDataCard: { noOfSealRecords: 1 },
    });
    expect(encodeWorkshopCalibrationRecord(calibration(T), 1).length).toBe(105);
  });

  it('the first record goes to record 0, the next after it, counted; the same calibration again replaces the newest, not counted', () => {
    const g = 2;
    const h = calibrationHeaderSize(g);
    const size = WORKSHOP_CALIBRATION_RECORD_SIZE[g];
    const ef = emptyWorkshopCalibrationData(g);
    const apply = (writes: ReturnType<typeof calibrationRecordWrites>) => writes.forEach((w) => ef.set(w.bytes, w.offset));
    const newest = () => ef.subarray(h + ((ef[2]! << 8) | ef[3]!) * size, h + ((ef[2]! << 8) | ef[3]!) * size + size);
    const first = calibrationRecordWrites(ef.subarray(0, h), newest(), g, 255, calibration(T));
    expect(first.map((w) => w.offset)).toEqual([h, 0]);
    apply(first);
    expect([...ef.subarray(0, h)]).toEqual([0, 1, 0, 0]);
    const again = calibrationRecordWrites(ef.subarray(0, h), newest(), g, 255, calibration(T));
    expect(again).toEqual([{ offset: h, bytes: first[0]!.bytes, added: false }]);
    apply(calibrationRecordWrites(ef.subarray(0, h), newest(), g, 255, calibration(T + 60_000, 8100)));
    expect([...ef.subarray(0, h)]).toEqual([0, 2, 0, 1]);
    expect(decodeWorkshopCardCalibrationRecord(ef, h + size, 2)?.wVehicleCharacteristicConstant).toBe(8100);
  });
});
