import { describe, expect, it } from 'vitest';
import type { DecodedCardDownloadEf } from '../card-files/decode-card-download.ts';
import { cardEfHeader, cardEfLines } from './card-download-report.ts';

/**
 * The lines of the EFs the public samples lack (workshop, control and company cards, gen2 v2 driver cards):
 * typed records as the card decoder gives them, one readable line each.
 */
type Placed = 'tag' | 'fid' | 'df' | 'name' | 'offset' | 'size' | 'problems' | 'signature';
/** An EF's content as the card decoder types it (its type and record, or its hex). */
type Content = DecodedCardDownloadEf extends infer E ? (E extends unknown ? Omit<E, Placed> : never) : never;
const ef = (content: Content, placed: Partial<Pick<DecodedCardDownloadEf, Placed>> = {}): DecodedCardDownloadEf =>
  ({ tag: '050902', fid: 0x0509, df: 'tachograph-g2', name: 'EF Calibration', offset: 100, size: 2, problems: [], ...placed, ...content }) as DecodedCardDownloadEf;
const vehicle = { vehicleRegistrationNation: 0x06, vehicleRegistrationNumber: 'B-RIG-001' };
const control = { cardType: 3, cardIssuingMemberState: 0x0d, cardNumber: 'D000000000999000' };
const controlType = { cardDownloading: true, vuDownloading: false, printing: true, display: false };
const place = { timeStamp: '2026-03-03T08:00:00.000Z', gnssAccuracy: 12, geoCoordinates: { latitude: 50460, longitude: 6010 }, authenticationStatus: 1 };

describe('card EF lines of the records the public samples lack', () => {
  it('a workshop calibration: purpose by App. 1 §2.8 name, the constants, the serial numbers', () => {
    const record = {
      calibrationPurpose: 4,
      vehicleIdentificationNumber: 'WDB9634031L000001',
      vehicleRegistration: vehicle,
      wVehicleCharacteristicConstant: 8000,
      kConstantOfRecordingEquipment: 8000,
      lTyreCircumference: 25000,
      tyreSize: '315/80R22.5',
      authorisedSpeed: 90,
      oldOdometerValue: 1200,
      newOdometerValue: 1200,
      oldTimeValue: null,
      newTimeValue: '2026-03-02T10:00:00.000Z',
      nextCalibrationDate: '2028-03-02T00:00:00.000Z',
      vuPartNumber: 'RIG-VU-2',
      vuSerialNumber: { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 },
      sensorSerialNumber: null,
    };
    expect(cardEfLines(ef({ type: 'WorkshopCardCalibrationData', record: { calibrationTotalNumber: 7, calibrationPointerNewestRecord: 0, calibrationRecords: [record, null] } }))).toEqual([
      'calibrations: 7 in total',
      '1 of 2 records used, newest at index 0',
      "  [0] 2026-03-02T10:00:00Z calibration '04'H periodic inspection: VIN WDB9634031L000001, vehicle '06'H B-RIG-001, w 8000 imp/km, k 8000 imp/km, l 25000 (1/8 mm), tyre 315/80R22.5, authorised speed 90 km/h, odometer 1200 .. 1200 km, time no time .. 2026-03-02T10:00:00Z, next calibration 2028-03-02T00:00:00Z, VU part number RIG-VU-2, VU serial 1, 01/26, type 6, manufacturer '40'H, sensor none",
    ]);
  });

  it('a control card\'s controls, a company card\'s activities, a driver card\'s last control', () => {
    const controls = { controlType, controlTime: '2026-03-03T09:00:00.000Z', controlledCardNumber: { cardType: 1, cardIssuingMemberState: 0x06, cardNumber: 'B000000012345601' }, controlledVehicleRegistration: vehicle, controlDownloadPeriodBegin: '2026-03-01T00:00:00.000Z', controlDownloadPeriodEnd: '2026-03-03T00:00:00.000Z' };
    expect(cardEfLines(ef({ type: 'ControlCardControlActivityData', record: { controlPointerNewestRecord: 0, controlActivityRecords: [controls] } }))).toEqual([
      '1 of 1 records used, newest at index 0',
      "  [0] 2026-03-03T09:00:00Z card downloading, printing of driver card B000000012345601 '06'H, vehicle '06'H B-RIG-001, download period 2026-03-01T00:00:00Z .. 2026-03-03T00:00:00Z",
    ]);
    const company = { companyActivityType: 3, companyActivityTime: '2026-03-01T07:00:00.000Z', cardNumberInformation: null, vehicleRegistrationInformation: vehicle, downloadPeriodBegin: null, downloadPeriodEnd: null };
    expect(cardEfLines(ef({ type: 'CompanyActivityData', record: { companyPointerNewestRecord: 0, companyActivityRecords: [company] } }))[1]).toBe(
      "  [0] 2026-03-01T07:00:00Z '03'H VU lock-in, none, vehicle '06'H B-RIG-001, download period no time .. no time",
    );
    const last = { controlType: { ...controlType, roadsideCalibrationChecking: true }, controlTime: '2026-03-03T09:00:00.000Z', controlCardNumber: control, controlVehicleRegistration: vehicle, controlDownloadPeriodBegin: null, controlDownloadPeriodEnd: null };
    expect(cardEfLines(ef({ type: 'CardControlActivityDataRecord', record: last }))).toEqual([
      "2026-03-03T09:00:00Z card downloading, printing, roadside calibration checking by control card D000000000999000 '0D'H, vehicle '06'H B-RIG-001, download period no time .. no time",
    ]);
  });

  it('gen2 v2 border crossings and load/unload operations with their authenticated positions', () => {
    expect(cardEfLines(ef({ type: 'CardBorderCrossings', record: { borderCrossingPointerNewestRecord: 0, cardBorderCrossingRecords: [{ countryLeft: 0x06, countryEntered: 0x0d, gnssPlaceAuthRecord: place, vehicleOdometerValue: 1350 }] } }))[1]).toBe(
      "  [0] 2026-03-03T08:00:00Z border crossed from '06'H to '0D'H at 50°46.0'N 6°1.0'E (accuracy 12, at 2026-03-03T08:00:00Z, authenticated), odometer 1350 km",
    );
    expect(cardEfLines(ef({ type: 'CardLoadUnloadOperations', record: { loadUnloadPointerNewestRecord: 0, cardLoadUnloadRecords: [{ timeStamp: '2026-03-03T07:00:00.000Z', operationType: 2, gnssPlaceAuthRecord: { ...place, authenticationStatus: 0 }, vehicleOdometerValue: 1210 }] } }))[1]).toBe(
      "  [0] 2026-03-03T07:00:00Z '02'H unload operation at 50°46.0'N 6°1.0'E (accuracy 12, at 2026-03-03T08:00:00Z, not authenticated), odometer 1210 km",
    );
  });

  it('a proprietary EF as hex, under a header naming DF, FID, byte and size', () => {
    const unknown = ef({ type: 'unknown', hex: 'cafe' }, { tag: '05ff02', fid: 0x05ff, name: 'EF 05FF' });
    expect([cardEfHeader(unknown), ...cardEfLines(unknown)]).toEqual(["== DF Tachograph_G2 EF 05FF ('05FF', byte 100, 2 bytes)", "not an EF this decoder reads (proprietary, or another card type's): cafe"]);
  });
});
