import { concatBytes } from '../../crypto/bytes.ts';
import { decodeTimeReal, encodeIa5, encodeOdometerShort, encodeTimeReal } from '../app1/app1-codec.ts';
import { encodeGnssPlaceRecord, type GnssPlace } from '../app1/gnss-place-record.ts';
import type { CardDf } from './card-file-ids.ts';
import { FID } from './card-file-ids.ts';
import type { CardEf } from './card-download-file.ts';
import type { DriverCardApplicationIdentification } from './card-ef-codec.ts';
import { putCyclic } from './card-ef-update.ts';

/**
 * Version 2 of a gen2 driver card (App. 2 TCS_154 with TCS_155's record counts; App. 1 2.61a, 2.24a-d, 2.117a-c):
 * the EFs a version 2 card adds to DF Tachograph_G2, their sizes and App. 2 default content (all {00}), and how a
 * recording equipment stores its records there (Annex IC 62a, 133a-c and the card requirements of 4.5.3.2.19-20):
 * - EF Application_Identification_V2 (10 bytes): lengthOfFollowingData 8, then the counts below and
 *   VuConfigurationLengthRange;
 * - EF Places_Authentication: a pointer and n4 PlaceAuthStatusRecords (entryTime, authenticationStatus), beside
 *   EF Places' records; EF GNSS_Places_Authentication: a pointer and n8 GNSSAuthStatusADRecords beside EF GNSS_Places';
 * - EF Border_Crossings: a pointer and n10 CardBorderCrossingRecords (17 bytes);
 * - EF Load_Unload_Operations: a pointer and n11 CardLoadUnloadRecords (20 bytes);
 * - EF Load_Type_Entries: a pointer and n12 CardLoadTypeEntryRecords (5 bytes); EF VU_Configuration: n13 bytes.
 * Every set is cyclic, its pointer the newest record (App. 1), as the version 1 sets (card-ef-update.ts putCyclic).
 */
export const DRIVER_CARD_V2_COUNTS = {
  // TCS_155 n10..n13 (minimum = maximum)
  noOfBorderCrossingRecords: 1120,
  noOfLoadUnloadRecords: 1624,
  noOfLoadTypeEntryRecords: 336,
  vuConfigurationLengthRange: 3072,
} as const;

/** App. 2 TCS_163 n10..n13 of a version 2 workshop card (minimum = maximum; Annex IC 356f, 356h, 356j, 356n). */
export const WORKSHOP_CARD_V2_COUNTS = {
  noOfBorderCrossingRecords: 4,
  noOfLoadUnloadRecords: 8,
  noOfLoadTypeEntryRecords: 4,
  vuConfigurationLengthRange: 3072,
} as const;

/**
 * App. 2 TCS_171 / TCS_179 n13 of a version 2 control / company card (3072 bytes, minimum = maximum). Their EF
 * Application_Identification_V2 (App. 1 2.50a ControlCardApplicationIdentificationV2, 2.48a
 * CompanyCardApplicationIdentificationV2: TCS_170, TCS_178, 4 bytes) holds lengthOfFollowingData 2 and
 * VuConfigurationLengthRange only: these cards keep no border crossings, loads or load types.
 */
export const CONTROL_OR_COMPANY_CARD_V2_VU_CONFIGURATION_LENGTH = 3072;

export function encodeControlOrCompanyApplicationIdentificationV2(vuConfigurationLengthRange: number = CONTROL_OR_COMPANY_CARD_V2_VU_CONFIGURATION_LENGTH): Uint8Array {
  return Uint8Array.of(0x00, 0x02, (vuConfigurationLengthRange >> 8) & 0xff, vuConfigurationLengthRange & 0xff);
}

/** The version 2 EFs of a control or company card's DF Tachograph_G2, in TCS_168's / TCS_176's order, App. 2 defaults (VU_Configuration {00..00}). */
export function controlOrCompanyV2CardEfs(df: CardDf): CardEf[] {
  return [
    { df, fid: FID.APPLICATION_IDENTIFICATION_V2, data: encodeControlOrCompanyApplicationIdentificationV2() },
    { df, fid: FID.VU_CONFIGURATION, data: new Uint8Array(CONTROL_OR_COMPANY_CARD_V2_VU_CONFIGURATION_LENGTH) },
  ];
}

export type CardV2Counts = { readonly [K in keyof typeof DRIVER_CARD_V2_COUNTS]: number };

export const CARD_V2_RECORD_SIZE = { placeAuth: 5, gnssAuth: 5, borderCrossing: 17, loadUnload: 20, loadTypeEntry: 5 } as const;

/** App. 1 2.234c WorkshopCardCalibrationAddDataRecord: oldTimeValue 4, VIN 17, byDefaultLoadType 1, calibrationCountry 1, calibrationCountryTimestamp 4. */
export const CALIBRATION_ADD_DATA_RECORD_SIZE = 27;

export function encodeApplicationIdentificationV2(c: CardV2Counts = DRIVER_CARD_V2_COUNTS): Uint8Array {
  const out = new Uint8Array(10);
  const d = new DataView(out.buffer);
  d.setUint16(0, 8);
  d.setUint16(2, c.noOfBorderCrossingRecords);
  d.setUint16(4, c.noOfLoadUnloadRecords);
  d.setUint16(6, c.noOfLoadTypeEntryRecords);
  d.setUint16(8, c.vuConfigurationLengthRange);
  return out;
}

/**
 * The version 2 EFs of DF Tachograph_G2, in TCS_154's order (a workshop card's in TCS_160's, with EF
 * Calibration_Add_Data), `app` giving n4 and n8 and `c` n10..n13 (the driver card's TCS_155, the workshop card's TCS_163).
 */
export function v2CardEfs(df: CardDf, app: Pick<DriverCardApplicationIdentification, 'noOfCardPlaceRecords' | 'noOfGnssAdRecords'>, c: CardV2Counts = DRIVER_CARD_V2_COUNTS, workshop?: { noOfCalibrationRecords: number }): CardEf[] {
  const set = (records: number, size: number) => new Uint8Array(2 + records * size);
  return [
    { df, fid: FID.APPLICATION_IDENTIFICATION_V2, data: encodeApplicationIdentificationV2(c) },
    { df, fid: FID.PLACES_AUTHENTICATION, data: set(app.noOfCardPlaceRecords, CARD_V2_RECORD_SIZE.placeAuth) },
    { df, fid: FID.GNSS_PLACES_AUTHENTICATION, data: set(app.noOfGnssAdRecords, CARD_V2_RECORD_SIZE.gnssAuth) },
    { df, fid: FID.BORDER_CROSSINGS, data: set(c.noOfBorderCrossingRecords, CARD_V2_RECORD_SIZE.borderCrossing) },
    { df, fid: FID.LOAD_UNLOAD_OPERATIONS, data: set(c.noOfLoadUnloadRecords, CARD_V2_RECORD_SIZE.loadUnload) },
    { df, fid: FID.LOAD_TYPE_ENTRIES, data: set(c.noOfLoadTypeEntryRecords, CARD_V2_RECORD_SIZE.loadTypeEntry) },
    // App. 2 TCS_160: a workshop card's additional calibration data, n5 records beside EF Calibration's
    ...(workshop ? [{ df, fid: FID.CALIBRATION_ADD_DATA, data: emptyCalibrationAddData(workshop.noOfCalibrationRecords) }] : []),
    { df, fid: FID.VU_CONFIGURATION, data: new Uint8Array(c.vuConfigurationLengthRange) },
  ];
}

/** App. 2 TCS_160 defaults: pointer {00 00}, each record's times and codes {00..00}, its VIN {20..20}. */
function emptyCalibrationAddData(records: number): Uint8Array {
  const out = new Uint8Array(2 + records * CALIBRATION_ADD_DATA_RECORD_SIZE);
  for (let i = 0; i < records; i++) out.fill(0x20, 2 + i * CALIBRATION_ADD_DATA_RECORD_SIZE + 4, 2 + i * CALIBRATION_ADD_DATA_RECORD_SIZE + 21);
  return out;
}

/** App. 1 2.234c WorkshopCardCalibrationAddDataRecord, as the VU writes it beside the calibration (Annex IC 356k). */
export interface CalibrationAddData {
  /** ms: the oldTimeValue of the WorkshopCardCalibrationRecord it goes with. */
  oldTime: number;
  vin: string;
  loadType: keyof typeof LOAD_TYPE_CODE;
  country: number;
  /** ms; 0 none. */
  countryTimestamp: number;
}

/**
 * Annex IC 356k: "the old date and time and the vehicle identification number, which shall be exactly the same
 * values as the one stored in EF Calibration", so the record goes in the same slot of its cyclic set as the
 * calibration record in EF Calibration: `index`, that record's, and the pointer its pointer.
 */
export function putCalibrationAddDataRecord(value: Uint8Array, index: number, r: CalibrationAddData): Uint8Array {
  const out = value.slice();
  const record = concatBytes(encodeTimeReal(r.oldTime), encodeIa5(r.vin, 17), Uint8Array.of(LOAD_TYPE_CODE[r.loadType], r.country), encodeTimeReal(r.countryTimestamp));
  const at = 2 + index * CALIBRATION_ADD_DATA_RECORD_SIZE;
  if (index < 0 || at + CALIBRATION_ADD_DATA_RECORD_SIZE > out.length) throw new RangeError(`EF Calibration_Add_Data has no record ${index}`);
  out.set(record, at);
  out[0] = (index >> 8) & 0xff;
  out[1] = index & 0xff;
  return out;
}

/** The sizes of the version 2 EFs from the two application identifications. */
export function v2EfSizes(app: DriverCardApplicationIdentification, v2: { noOfBorderCrossingRecords: number; noOfLoadUnloadRecords: number; noOfLoadTypeEntryRecords: number; vuConfigurationLengthRange: number }): Map<number, number> {
  return new Map([
    [FID.APPLICATION_IDENTIFICATION_V2, 10],
    [FID.PLACES_AUTHENTICATION, 2 + app.noOfCardPlaceRecords * CARD_V2_RECORD_SIZE.placeAuth],
    [FID.GNSS_PLACES_AUTHENTICATION, 2 + app.noOfGnssAdRecords * CARD_V2_RECORD_SIZE.gnssAuth],
    [FID.BORDER_CROSSINGS, 2 + v2.noOfBorderCrossingRecords * CARD_V2_RECORD_SIZE.borderCrossing],
    [FID.LOAD_UNLOAD_OPERATIONS, 2 + v2.noOfLoadUnloadRecords * CARD_V2_RECORD_SIZE.loadUnload],
    [FID.LOAD_TYPE_ENTRIES, 2 + v2.noOfLoadTypeEntryRecords * CARD_V2_RECORD_SIZE.loadTypeEntry],
    [FID.VU_CONFIGURATION, v2.vuConfigurationLengthRange],
  ]);
}

/** App. 1 2.117a PositionAuthenticationStatus: 0 not authenticated (the rig has no OSNMA positions). */
export const NOT_AUTHENTICATED = 0;

/** App. 1 2.79c GNSSPlaceAuthRecord (12 bytes): a GNSSPlaceRecord and its authenticationStatus. */
export function encodeGnssPlaceAuthRecord(place: GnssPlace, authenticationStatus = NOT_AUTHENTICATED): Uint8Array {
  return concatBytes(encodeGnssPlaceRecord(place), Uint8Array.of(authenticationStatus));
}

const sameTime = (x: Uint8Array, record: Uint8Array) => decodeTimeReal(x, 0) === decodeTimeReal(record, 0);

/** App. 1 2.24d CardLoadUnloadRecord: timeStamp, operationType (2.114a: 1 load, 2 unload, 3 simultaneous), place, odometer. */
export interface CardLoadUnload {
  timeStamp: number;
  operationType: number;
  place: GnssPlace;
  odometerKm: number;
}

export function putLoadUnloadRecord(value: Uint8Array, r: CardLoadUnload): Uint8Array {
  const record = concatBytes(encodeTimeReal(r.timeStamp), Uint8Array.of(r.operationType), encodeGnssPlaceAuthRecord(r.place), encodeOdometerShort(r.odometerKm));
  // Annex IC 62a: of one type within a calendar minute the last is kept (the VU's memory did it): same time and type, the same record
  return putCyclic(value, { pointerSize: 2, recordSize: CARD_V2_RECORD_SIZE.loadUnload, timeAt: 0 }, record, (x) => sameTime(x, record) && x[4] === record[4]);
}

/** App. 1 2.24a CardBorderCrossingRecord: countryLeft, countryEntered (NationNumeric), place, odometer. */
export interface CardBorderCrossing {
  countryLeft: number;
  countryEntered: number;
  place: GnssPlace;
  odometerKm: number;
}

export function putBorderCrossingRecord(value: Uint8Array, r: CardBorderCrossing): Uint8Array {
  const record = concatBytes(Uint8Array.of(r.countryLeft, r.countryEntered), encodeGnssPlaceAuthRecord(r.place), encodeOdometerShort(r.odometerKm));
  // the place's time stamp (bytes 2..5) says when: unused records are all zero there
  return putCyclic(value, { pointerSize: 2, recordSize: CARD_V2_RECORD_SIZE.borderCrossing, timeAt: 2 }, record, (x) => x.subarray(0, 6).every((b, i) => b === record[i]));
}

/** App. 1 2.90a LoadType: '00'H undefined, '01'H goods, '02'H passengers. */
export const LOAD_TYPE_CODE = { undefined: 0, goods: 1, passengers: 2 } as const;

/** App. 1 2.24b CardLoadTypeEntryRecord: timeStamp (the card's insertion, Annex IC 147a), loadTypeEntered. */
export interface CardLoadTypeEntry {
  timeStamp: number;
  loadType: keyof typeof LOAD_TYPE_CODE;
}

export function putLoadTypeEntryRecord(value: Uint8Array, r: CardLoadTypeEntry): Uint8Array {
  const record = concatBytes(encodeTimeReal(r.timeStamp), Uint8Array.of(LOAD_TYPE_CODE[r.loadType]));
  // the same insertion again (a write repeated after a lost answer) is the same record
  return putCyclic(value, { pointerSize: 2, recordSize: CARD_V2_RECORD_SIZE.loadTypeEntry, timeAt: 0 }, record, (x) => sameTime(x, record));
}

/** App. 1 2.117b PlaceAuthStatusRecord / 2.79d GNSSAuthStatusADRecord: entryTime (timeStamp) and authenticationStatus. */
export function putAuthStatusRecord(value: Uint8Array, time: number, authenticationStatus = NOT_AUTHENTICATED): Uint8Array {
  const record = concatBytes(encodeTimeReal(time), Uint8Array.of(authenticationStatus));
  return putCyclic(value, { pointerSize: 2, recordSize: 5, timeAt: 0 }, record, (x) => sameTime(x, record));
}
