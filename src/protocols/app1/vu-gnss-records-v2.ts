import { concatBytes } from '../../crypto/bytes.ts';
import {
  decodeFullCardNumberAndGeneration,
  decodeOdometerShort,
  decodeTimeReal,
  encodeFullCardNumberAndGeneration,
  encodeOdometerShort,
  encodeTimeReal,
  type FullCardNumberAndGeneration,
} from './app1-codec.ts';
import { decodeGnssPlaceAuthRecord, encodeGnssPlaceAuthRecord, fixedSlice, type GnssPlaceAuthRecord } from './gnss-place-auth-record.ts';
import { decodePlaceAuthRecord, encodePlaceAuthRecord, type PlaceAuthRecord } from './place-auth-record.ts';

/**
 * The generation 2, version 2 VU records of a day's download (App. 7 DDP_030, TREP 32) that carry a
 * GNSSPlaceAuthRecord: the places of daily work periods, the positions at each 3 h of accumulated driving,
 * border crossings (Annex IC 133a..133c) and load/unload operations (Annex IC 133e..133h). Times in ms; a
 * slot without a card is 19 zero bytes (the app1-codec choice).
 */

/** App. 1 §2.219 VuPlaceDailyWorkPeriodRecord, gen2 v2 (41 bytes): fullCardNumberAndGeneration 19, placeAuthRecord 22. */
export const VU_PLACE_DAILY_WORK_PERIOD_RECORD_V2_SIZE = 41;
export interface VuPlaceDailyWorkPeriodRecordV2 {
  fullCardNumberAndGeneration: FullCardNumberAndGeneration;
  placeAuthRecord: PlaceAuthRecord;
}

export function encodeVuPlaceDailyWorkPeriodRecordV2(r: VuPlaceDailyWorkPeriodRecordV2): Uint8Array {
  return concatBytes(encodeFullCardNumberAndGeneration(r.fullCardNumberAndGeneration), encodePlaceAuthRecord(r.placeAuthRecord));
}

export function decodeVuPlaceDailyWorkPeriodRecordV2(bytes: Uint8Array, offset = 0): VuPlaceDailyWorkPeriodRecordV2 {
  const { fullCardNumberAndGeneration, placeAuthRecord } = readVuPlaceDailyWorkPeriodRecordV2(bytes, offset);
  if (!fullCardNumberAndGeneration) throw new RangeError('VuPlaceDailyWorkPeriodRecord: no card number');
  return { fullCardNumberAndGeneration, placeAuthRecord };
}

/** The record with its card number null when it has none (`rig decode` of an anonymised file). */
export function readVuPlaceDailyWorkPeriodRecordV2(bytes: Uint8Array, offset = 0): Omit<VuPlaceDailyWorkPeriodRecordV2, 'fullCardNumberAndGeneration'> & { fullCardNumberAndGeneration: FullCardNumberAndGeneration | null } {
  const b = fixedSlice(bytes, offset, VU_PLACE_DAILY_WORK_PERIOD_RECORD_V2_SIZE, 'VuPlaceDailyWorkPeriodRecord');
  return { fullCardNumberAndGeneration: decodeFullCardNumberAndGeneration(b, 0), placeAuthRecord: decodePlaceAuthRecord(b, 19) };
}

/**
 * App. 1 §2.203 VuGNSSADRecord, gen2 v2 (57 bytes): timeStamp 4, cardNumberAndGenDriverSlot 19,
 * cardNumberAndGenCodriverSlot 19, gnssPlaceAuthRecord 12, vehicleOdometerValue 3.
 */
export const VU_GNSS_AD_RECORD_V2_SIZE = 57;
export interface VuGnssAdRecordV2 {
  timeStamp: number;
  cardNumberAndGenDriverSlot: FullCardNumberAndGeneration | null;
  cardNumberAndGenCodriverSlot: FullCardNumberAndGeneration | null;
  gnssPlaceAuthRecord: GnssPlaceAuthRecord;
  vehicleOdometerValue: number;
}

export function encodeVuGnssAdRecordV2(r: VuGnssAdRecordV2): Uint8Array {
  return concatBytes(
    encodeTimeReal(r.timeStamp),
    encodeFullCardNumberAndGeneration(r.cardNumberAndGenDriverSlot),
    encodeFullCardNumberAndGeneration(r.cardNumberAndGenCodriverSlot),
    encodeGnssPlaceAuthRecord(r.gnssPlaceAuthRecord),
    encodeOdometerShort(r.vehicleOdometerValue),
  );
}

export function decodeVuGnssAdRecordV2(bytes: Uint8Array, offset = 0): VuGnssAdRecordV2 {
  const b = fixedSlice(bytes, offset, VU_GNSS_AD_RECORD_V2_SIZE, 'VuGNSSADRecord');
  return {
    timeStamp: decodeTimeReal(b, 0),
    cardNumberAndGenDriverSlot: decodeFullCardNumberAndGeneration(b, 4),
    cardNumberAndGenCodriverSlot: decodeFullCardNumberAndGeneration(b, 23),
    gnssPlaceAuthRecord: decodeGnssPlaceAuthRecord(b, 42),
    vehicleOdometerValue: decodeOdometerShort(b, 54),
  };
}

/**
 * App. 1 §2.203a VuBorderCrossingRecord (55 bytes): cardNumberAndGenDriverSlot 19, cardNumberAndGenCodriverSlot
 * 19, countryLeft 1, countryEntered 1 (NationNumeric; 'FF'H "Rest of the World" when the VU cannot tell),
 * gnssPlaceAuthRecord 12, vehicleOdometerValue 3. No time of its own: the position's timeStamp is it.
 */
export const VU_BORDER_CROSSING_RECORD_SIZE = 55;
export interface VuBorderCrossingRecord {
  cardNumberAndGenDriverSlot: FullCardNumberAndGeneration | null;
  cardNumberAndGenCodriverSlot: FullCardNumberAndGeneration | null;
  countryLeft: number;
  countryEntered: number;
  gnssPlaceAuthRecord: GnssPlaceAuthRecord;
  vehicleOdometerValue: number;
}

function nation(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`${what} ${v} is not a NationNumeric`);
  return v;
}

export function encodeVuBorderCrossingRecord(r: VuBorderCrossingRecord): Uint8Array {
  return concatBytes(
    encodeFullCardNumberAndGeneration(r.cardNumberAndGenDriverSlot),
    encodeFullCardNumberAndGeneration(r.cardNumberAndGenCodriverSlot),
    Uint8Array.of(nation(r.countryLeft, 'countryLeft'), nation(r.countryEntered, 'countryEntered')),
    encodeGnssPlaceAuthRecord(r.gnssPlaceAuthRecord),
    encodeOdometerShort(r.vehicleOdometerValue),
  );
}

export function decodeVuBorderCrossingRecord(bytes: Uint8Array, offset = 0): VuBorderCrossingRecord {
  const b = fixedSlice(bytes, offset, VU_BORDER_CROSSING_RECORD_SIZE, 'VuBorderCrossingRecord');
  return {
    cardNumberAndGenDriverSlot: decodeFullCardNumberAndGeneration(b, 0),
    cardNumberAndGenCodriverSlot: decodeFullCardNumberAndGeneration(b, 19),
    countryLeft: b[38]!,
    countryEntered: b[39]!,
    gnssPlaceAuthRecord: decodeGnssPlaceAuthRecord(b, 40),
    vehicleOdometerValue: decodeOdometerShort(b, 52),
  };
}

/** App. 1 §2.114a OperationType: '01'H load, '02'H unload, '03'H simultaneous load/unload; '00'H and '04'H.. RFU. */
export type OperationType = 'load' | 'unload' | 'load-unload';
const OPERATION_CODE: Record<OperationType, number> = { load: 0x01, unload: 0x02, 'load-unload': 0x03 };
const OPERATION_OF = new Map(Object.entries(OPERATION_CODE).map(([k, v]) => [v, k as OperationType]));

/**
 * App. 1 §2.208a VuLoadUnloadRecord (58 bytes): timeStamp 4, operationType 1, cardNumberAndGenDriverSlot 19,
 * cardNumberAndGenCodriverSlot 19, gnssPlaceAuthRecord 12, vehicleOdometerValue 3.
 */
export const VU_LOAD_UNLOAD_RECORD_SIZE = 58;
export interface VuLoadUnloadRecord {
  timeStamp: number;
  operationType: OperationType;
  cardNumberAndGenDriverSlot: FullCardNumberAndGeneration | null;
  cardNumberAndGenCodriverSlot: FullCardNumberAndGeneration | null;
  gnssPlaceAuthRecord: GnssPlaceAuthRecord;
  vehicleOdometerValue: number;
}

export function encodeVuLoadUnloadRecord(r: VuLoadUnloadRecord): Uint8Array {
  const op = OPERATION_CODE[r.operationType];
  if (op === undefined) throw new RangeError(`not an OperationType: ${String(r.operationType)}`);
  return concatBytes(
    encodeTimeReal(r.timeStamp),
    Uint8Array.of(op),
    encodeFullCardNumberAndGeneration(r.cardNumberAndGenDriverSlot),
    encodeFullCardNumberAndGeneration(r.cardNumberAndGenCodriverSlot),
    encodeGnssPlaceAuthRecord(r.gnssPlaceAuthRecord),
    encodeOdometerShort(r.vehicleOdometerValue),
  );
}

export function decodeVuLoadUnloadRecord(bytes: Uint8Array, offset = 0): VuLoadUnloadRecord {
  const b = fixedSlice(bytes, offset, VU_LOAD_UNLOAD_RECORD_SIZE, 'VuLoadUnloadRecord');
  const operationType = OPERATION_OF.get(b[4]!);
  if (!operationType) throw new RangeError(`VuLoadUnloadRecord: OperationType '${b[4]!.toString(16).padStart(2, '0').toUpperCase()}'H is RFU (App. 1 §2.114a)`);
  return {
    timeStamp: decodeTimeReal(b, 0),
    operationType,
    cardNumberAndGenDriverSlot: decodeFullCardNumberAndGeneration(b, 5),
    cardNumberAndGenCodriverSlot: decodeFullCardNumberAndGeneration(b, 24),
    gnssPlaceAuthRecord: decodeGnssPlaceAuthRecord(b, 43),
    vehicleOdometerValue: decodeOdometerShort(b, 55),
  };
}
