import { toHex } from '../../crypto/bytes.ts';
import { decodeOdometerShort, decodeTimeReal, VEHICLE_REGISTRATION_NUMBER_SIZE } from '../app1/app1-codec.ts';
import { decodeCodePaged } from '../app1/code-page.ts';
import { decodeVuCardIWRecord, readVuCardIWRecord, VU_CARD_IW_RECORD_SIZE } from '../app1/vu-card-iw-record.ts';
import { decodeActivityChangeInfo } from '../app1/activity-change-info.ts';
import type { DetailedSpeedBlock } from '../app1/detailed-speed-block.ts';
import {
  decodeVuEventRecord,
  decodeVuFaultRecord,
  decodeVuOverSpeedingControlData,
  decodeVuOverSpeedingEventRecord,
  decodeVuPowerSupplyInterruptionRecord,
  decodeVuTimeAdjustmentRecord,
  VU_EVENT_RECORD_SIZE,
  VU_FAULT_RECORD_SIZE,
  VU_OVER_SPEEDING_CONTROL_DATA_SIZE,
  VU_OVER_SPEEDING_EVENT_RECORD_SIZE,
  VU_POWER_SUPPLY_INTERRUPTION_RECORD_SIZE,
  VU_TIME_ADJUSTMENT_RECORD_SIZE,
} from './event-records.ts';
import { App7RecordError, RECORD_ARRAY_HEADER_SIZE, readRecordArray, RECORD_TYPE, recordArrayName, type RecordArrayView } from './record-array.ts';
import {
  decodeCardSlotsStatus,
  decodeIa5,
  decodeSpecificConditionRecord,
  decodeVuCompanyLocksRecord,
  decodeVuControlActivityRecord,
  decodeVuDetailedSpeedBlock,
  decodeVuDownloadActivityData,
  decodeVuGnssAdRecord,
  decodeVuPlaceDailyWorkPeriodRecord,
} from './records.ts';
import {
  decodeSensorExternalGnssCoupledRecord,
  decodeSensorPairedRecord,
  decodeVuCalibrationRecord,
  decodeVuCardRecord,
  decodeVuIdentification,
  decodeVuItsConsentRecord,
  SENSOR_EXTERNAL_GNSS_COUPLED_RECORD_SIZE,
  SENSOR_PAIRED_RECORD_SIZE,
  VU_CALIBRATION_RECORD_SIZE,
  VU_CARD_RECORD_SIZE,
  VU_IDENTIFICATION_SIZE,
  VU_ITS_CONSENT_RECORD_SIZE,
} from './technical-records.ts';
import { readTrepArrays, type ActivitiesOfDayData, type EventsAndFaultsData, type OverviewData, type TechnicalData } from './trep.ts';

/**
 * Typed decoders of TREP 21..25 (gen2 v1), the inverse of the encoders: each gives back the plain data its
 * encoder takes, so a download turns into records a scenario can check. Input is a TREP's data (what
 * `encodeTrepNN` returns, what a .DDD block holds), or the whole positive response with SID '76' and the
 * TREP in front. Anything out of the DDP_029..033 layout (an array missing, out of order, of another record
 * size, more than one record where App. 1 has one, bytes after the signature) is refused with the array's
 * name, unless a TrepReading is given (`rig decode` of a real-world file): then it is named there, with its
 * byte in the file, and the rest is read. Signatures are not checked here: that is the IDE's job with the
 * certificate chain (ddd-file.ts, verify-gen2.ts).
 */
export interface DecodedTrep<T> {
  data: T;
  /** The SignatureRecordArray's record: ECDSA plain r ‖ s, hex. */
  signature: string;
}

export interface DecodedOverview extends DecodedTrep<OverviewData> {
  /** DER hex of the MemberStateCertificate and the VuCertificate (unsigned, DDP_029). */
  mscaCertificate: string;
  vuCertificate: string;
}

const SID_POSITIVE_TRANSFER_DATA = 0x76;

export interface Expected {
  type: number;
  /** The record size App. 1 gives; certificates and signatures vary. */
  size?: number;
  /** Arrays of one element by nature (VuIdentification, CurrentDateTime, ...). */
  single?: boolean;
}

function trepData(message: Uint8Array, trep: number): Uint8Array {
  // '76'H is RFU as a RecordType, so a leading 76 can only be the SID
  if (message[0] !== SID_POSITIVE_TRANSFER_DATA) return message;
  if (message[1] !== trep) throw new App7RecordError(`expected TREP ${hex(trep)}, the message is TREP ${hex(message[1] ?? 0)}`);
  return message.subarray(2);
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0').toUpperCase();
}

/**
 * How `rig decode` reads a block of a real-world file: what departs from App. 7's layout is said, with the
 * file's byte offsets, and what can still be read is. Anonymised files carry empty certificate and signature
 * arrays; some writers number the RecordType bytes 01, 02, ... by position instead of App. 1 §2.120's values,
 * or leave an array out. The arrays are then taken by their position in DDP_029..033's order, an array whose
 * records are not App. 1's size is left undecoded, a record that cannot be read is left out, and each is
 * named. Judging the file (signatures, certificates) is left to verification.
 */
export interface TrepReading {
  /** Byte of the file where the block's data (after SID and TREP) starts. */
  offset: number;
  /** Where the block is not its TREP's layout: a RecordType, a record size, an array missing or too many. */
  layout: string[];
  /** What reads, but not whole or not as App. 1 says: an empty certificate or signature array, a record refused. */
  content: string[];
}

/**
 * A block read by a TrepReading, for display and JSON, not for rules: its data is shaped as the strict
 * decoder's where it could be read, a field whose array could not be read is left out, a record read
 * leniently has null in the field it lacks; certificates and the signature are null when their arrays are empty.
 */
export type Tolerant<D> = { [K in keyof D]: K extends 'data' ? unknown : D[K] | null };

/**
 * `lenient`: how a TrepReading reads a record the strict decoder refuses for a field real files leave empty
 * (an anonymised card number); the record is then kept with that field null, and the refusal noted.
 */
type RecordsOf = <T>(a: RecordArrayView, decode: (bytes: Uint8Array) => T, lenient?: (bytes: Uint8Array) => unknown) => T[];
type RecordOf = <T>(a: RecordArrayView, decode: (bytes: Uint8Array) => T) => T;

export interface TrepArrays {
  /** One per array of the layout, in its order, then the SignatureRecordArray. */
  arrays: RecordArrayView[];
  /** Hex; null only when a TrepReading found the SignatureRecordArray empty or missing. */
  signature: string | null;
  /** The records of an array decoded (refused records are left out by a TrepReading). */
  all: RecordsOf;
  /** The record of a single-record array; undefined from a TrepReading when the array could not be read. */
  one: RecordOf;
  /** What reads but not as App. 1 says, in the record of `a` (a TrepReading keeps it; a strict read has no place for it). */
  note: (problem: string, a?: RecordArrayView) => void;
}

/** Certificates and signatures are what anonymisers strip: an empty one is a content problem, left to verification. */
const STRIPPABLE: ReadonlySet<number> = new Set([RECORD_TYPE.MemberStateCertificate, RECORD_TYPE.VuCertificate, RECORD_TYPE.Signature]);

export function arraysOf(message: Uint8Array, trep: number, layout: readonly Expected[], reading?: TrepReading): TrepArrays {
  const data = trepData(message, trep);
  const where = `TREP ${hex(trep)}`;
  if (reading) return tolerantArrays(data, where, layout, { ...reading, offset: reading.offset + message.length - data.length }, reading);
  let arrays: RecordArrayView[];
  try {
    arrays = readTrepArrays(data);
  } catch (error) {
    if (!(error instanceof App7RecordError)) throw error;
    throw new App7RecordError(`${where}: ${error.message}`);
  }
  const expected = [...layout, { type: RECORD_TYPE.Signature, single: true }];
  expected.forEach((e, i) => {
    const a = arrays[i];
    if (!a) throw new App7RecordError(`${where}: ${recordArrayName(e.type)} missing`);
    if (a.recordType !== e.type) throw new App7RecordError(`${where}: found ${a.name} where ${recordArrayName(e.type)} belongs`);
    if (e.size !== undefined && a.records.length > 0 && a.recordSize !== e.size) throw new App7RecordError(`${where}: ${a.name} has recordSize ${a.recordSize}, App. 1 gives ${e.size}`);
    if (e.single && a.records.length !== 1) throw new App7RecordError(`${where}: ${a.name} has ${a.records.length} records, expected 1`);
  });
  const last = arrays[arrays.length - 1]!;
  if (last.offset + last.length !== data.length) throw new App7RecordError(`${where}: ${data.length - last.offset - last.length} byte(s) after the SignatureRecordArray`);
  return { arrays, signature: toHex(last.records[0]!), all, one, note: () => {} };
}

/** An array the block lacks or that cannot be read: no records, so its fields are left out. */
function noArray(recordType: number): RecordArrayView {
  return { recordType, name: recordArrayName(recordType), recordSize: 0, records: [], offset: -1, length: 0, bytes: new Uint8Array(0) };
}

/** `at`: `sink` with the offset of `data` in the file (the caller's offset is of the message it gave). */
function tolerantArrays(data: Uint8Array, where: string, layout: readonly Expected[], at: TrepReading, sink: TrepReading): TrepArrays {
  const byte = (a: RecordArrayView) => at.offset + a.offset;
  const found: RecordArrayView[] = [];
  for (let p = 0; p < data.length; ) {
    try {
      const a = readRecordArray(data, p);
      found.push(a);
      p += a.length;
    } catch (error) {
      if (!(error instanceof App7RecordError)) throw error;
      sink.layout.push(`${where}: the record arrays break at byte ${at.offset + p} (${error.message.replace(/ at \d+/, '')}); the rest of the block is not read`);
      break;
    }
  }
  const expected = [...layout, { type: RECORD_TYPE.Signature, single: true }];
  const arrays = expected.map((e, i): RecordArrayView => {
    const a = found[i];
    const name = recordArrayName(e.type);
    if (!a) {
      sink.layout.push(`${where}: ${name} missing: App. 7 lists ${expected.length} record arrays, the block has ${found.length}`);
      return noArray(e.type);
    }
    if (a.recordType !== e.type) sink.layout.push(`${where}: found ${a.name} where ${name} belongs (byte ${byte(a)}); read as ${name} by its position`);
    if (e.size !== undefined && a.records.length > 0 && a.recordSize !== e.size) {
      sink.layout.push(`${where}: ${name} has recordSize ${a.recordSize}, App. 1 gives ${e.size} (byte ${byte(a)}): its ${a.records.length} record(s) are not decoded`);
      return noArray(e.type);
    }
    if (e.single && a.records.length !== 1) {
      const stripped = a.records.length === 0 && STRIPPABLE.has(e.type);
      const what = e.type === RECORD_TYPE.Signature ? 'the block carries no signature' : stripped ? 'no certificate' : a.records.length === 0 ? 'its field is left out' : 'the first is read';
      (stripped ? sink.content : sink.layout).push(`${where}: ${name} has ${a.records.length} records, expected 1 (byte ${byte(a)}): ${what}`);
      return { ...a, name, records: a.records.slice(0, 1) };
    }
    return { ...a, name };
  });
  if (found.length > expected.length) sink.layout.push(`${where}: ${found.length - expected.length} record array(s) after the SignatureRecordArray (byte ${byte(found[expected.length]!)})`);
  const signature = arrays[arrays.length - 1]!.records[0];
  const allOf: RecordsOf = (a, decode, lenient) => {
    const out: ReturnType<typeof decode>[] = [];
    a.records.forEach((r, i) => {
      const record = `${where}: ${a.name} record ${i} (byte ${byte(a) + RECORD_ARRAY_HEADER_SIZE + i * a.recordSize})`;
      try {
        out.push(decode(r));
      } catch (error) {
        if (error instanceof TypeError || error instanceof ReferenceError) throw error;
        const refused = (error as Error).message;
        try {
          if (!lenient) throw error;
          // shaped as the strict record but for the field it lacks: Tolerant<> data is not typed beyond that
          out.push(lenient(r) as ReturnType<typeof decode>);
          sink.content.push(`${record}: ${refused}; read with it empty`);
        } catch (again) {
          if (again instanceof TypeError || again instanceof ReferenceError) throw again;
          sink.content.push(`${record} is left out: ${refused}`);
        }
      }
    });
    return out;
  };
  return {
    arrays,
    signature: signature ? toHex(signature) : null,
    all: allOf,
    one: ((a, decode) => allOf(a, decode)[0]) as RecordOf,
    note: (problem, a) => sink.content.push(`${where}: ${problem}${a && a.offset >= 0 ? ` (byte ${byte(a) + RECORD_ARRAY_HEADER_SIZE})` : ''}`),
  };
}

export function all<T>(a: RecordArrayView, decode: (bytes: Uint8Array) => T): T[] {
  return a.records.map((r) => {
    try {
      return decode(r);
    } catch (error) {
      // the App. 1 field decoders refuse bad values with Error or RangeError; a TypeError is a bug of the rig's
      if (error instanceof TypeError || error instanceof ReferenceError) throw error;
      throw new App7RecordError(`${a.name}: ${(error as Error).message}`);
    }
  });
}
export function one<T>(a: RecordArrayView, decode: (bytes: Uint8Array) => T): T {
  return all(a, decode)[0]!;
}

const OVERVIEW_ARRAYS: readonly Expected[] = [
  { type: RECORD_TYPE.MemberStateCertificate, single: true },
  { type: RECORD_TYPE.VuCertificate, single: true },
  { type: RECORD_TYPE.VehicleIdentificationNumber, size: 17, single: true },
  { type: RECORD_TYPE.VehicleRegistrationNumber, size: 14, single: true },
  { type: RECORD_TYPE.CurrentDateTime, size: 4, single: true },
  { type: RECORD_TYPE.VuDownloadablePeriod, size: 8, single: true },
  { type: RECORD_TYPE.CardSlotsStatus, size: 1, single: true },
  { type: RECORD_TYPE.VuDownloadActivityData, size: 59 },
  { type: RECORD_TYPE.VuCompanyLocksRecord, size: 99 },
  { type: RECORD_TYPE.VuControlActivityRecord, size: 32 },
];
const ACTIVITIES_ARRAYS: readonly Expected[] = [
  { type: RECORD_TYPE.DateOfDayDownloaded, size: 4, single: true },
  { type: RECORD_TYPE.OdometerValueMidnight, size: 3, single: true },
  { type: RECORD_TYPE.VuCardIWRecord, size: VU_CARD_IW_RECORD_SIZE },
  { type: RECORD_TYPE.ActivityChangeInfo, size: 2 },
  { type: RECORD_TYPE.VuPlaceDailyWorkPeriodRecord, size: 40 },
  { type: RECORD_TYPE.VuGNSSADRecord, size: 56 },
  { type: RECORD_TYPE.SpecificConditionRecord, size: 5 },
];
/** DDP_031's gen2 table, the same for TREP 23 (version 1) and TREP 33 (version 2). */
const EVENTS_AND_FAULTS_ARRAYS: readonly Expected[] = [
  { type: RECORD_TYPE.VuFaultRecord, size: VU_FAULT_RECORD_SIZE },
  { type: RECORD_TYPE.VuEventRecord, size: VU_EVENT_RECORD_SIZE },
  { type: RECORD_TYPE.VuOverSpeedingControlData, size: VU_OVER_SPEEDING_CONTROL_DATA_SIZE, single: true },
  { type: RECORD_TYPE.VuOverSpeedingEventRecord, size: VU_OVER_SPEEDING_EVENT_RECORD_SIZE },
  { type: RECORD_TYPE.VuTimeAdjustmentRecord, size: VU_TIME_ADJUSTMENT_RECORD_SIZE },
];
const DETAILED_SPEED_ARRAYS: readonly Expected[] = [{ type: RECORD_TYPE.VuDetailedSpeedBlock, size: 64 }];
const TECHNICAL_ARRAYS: readonly Expected[] = [
  { type: RECORD_TYPE.VuIdentification, size: VU_IDENTIFICATION_SIZE, single: true },
  { type: RECORD_TYPE.SensorPairedRecord, size: SENSOR_PAIRED_RECORD_SIZE },
  { type: RECORD_TYPE.SensorExternalGNSSCoupledRecord, size: SENSOR_EXTERNAL_GNSS_COUPLED_RECORD_SIZE },
  { type: RECORD_TYPE.VuCalibrationRecord, size: VU_CALIBRATION_RECORD_SIZE },
  { type: RECORD_TYPE.VuCardRecord, size: VU_CARD_RECORD_SIZE },
  { type: RECORD_TYPE.VuITSConsentRecord, size: VU_ITS_CONSENT_RECORD_SIZE },
  { type: RECORD_TYPE.VuPowerSupplyInterruptionRecord, size: VU_POWER_SUPPLY_INTERRUPTION_RECORD_SIZE },
];

/** The record arrays of each gen2 v1 TREP (DDP_029..033), the SignatureRecordArray that ends each left out. */
export const GEN2_V1_RECORD_ARRAYS: Readonly<Record<number, readonly Expected[]>> = {
  0x21: OVERVIEW_ARRAYS,
  0x22: ACTIVITIES_ARRAYS,
  0x23: EVENTS_AND_FAULTS_ARRAYS,
  0x24: DETAILED_SPEED_ARRAYS,
  0x25: TECHNICAL_ARRAYS,
};

/** TREP 21, Overview (DDP_029). */
export function decodeTrep21(message: Uint8Array): DecodedOverview;
export function decodeTrep21(message: Uint8Array, reading: TrepReading): Tolerant<DecodedOverview>;
export function decodeTrep21(message: Uint8Array, reading?: TrepReading): DecodedOverview | Tolerant<DecodedOverview> {
  const { arrays, signature, all, one, note } = arraysOf(message, 0x21, OVERVIEW_ARRAYS, reading);
  const [msca, vuCert, vin, vrn, now, period, slots, downloads, locks, controls] = arrays as [RecordArrayView, ...RecordArrayView[]];
  const downloadable = one(period!, (b) => ({ min: decodeTimeReal(b, 0), max: decodeTimeReal(b, 4) }));
  // DDP_029 keeps the previous download only: more than one record is refused as not this layout
  if (downloads!.records.length > 1) {
    if (!reading) tooMany(downloads!);
    note(`${downloads!.name} has ${downloads!.records.length} records, expected at most 1: the first is read`, downloads);
  }
  return {
    mscaCertificate: msca.records[0] ? toHex(msca.records[0]) : null,
    vuCertificate: vuCert!.records[0] ? toHex(vuCert!.records[0]) : null,
    data: {
      vin: one(vin!, (b) => decodeIa5(b, 0, 17)),
      registrationNumber: one(vrn!, (b) => codePagedVrn(b, 0, (p) => note(p, vrn))),
      currentTime: one(now!, (b) => decodeTimeReal(b)),
      minDownloadableTime: downloadable?.min,
      maxDownloadableTime: downloadable?.max,
      slots: one(slots!, (b) => decodeCardSlotsStatus(b)),
      lastDownload: all(downloads!, (b) => decodeVuDownloadActivityData(b))[0] ?? null,
      companyLocks: all(locks!, (b) => decodeVuCompanyLocksRecord(b)),
      controls: all(controls!, (b) => decodeVuControlActivityRecord(b)),
    },
    signature,
  } as DecodedOverview | Tolerant<DecodedOverview>;
}

/** A VehicleRegistrationNumber in its code page; an unknown code page is noted (App. 1 chapter 4). */
export function codePagedVrn(b: Uint8Array, offset: number, note: (problem: string) => void): string {
  const vrn = decodeCodePaged(b, offset, VEHICLE_REGISTRATION_NUMBER_SIZE);
  if (vrn.problem) note(`VehicleRegistrationNumber '${vrn.text}': ${vrn.problem}`);
  return vrn.text;
}

function tooMany(a: RecordArrayView): never {
  throw new App7RecordError(`TREP 21: ${a.name} has ${a.records.length} records, expected at most 1`);
}

/** TREP 22, Activities of a day (DDP_030, with the seed's VuGNSSADRecordArray). */
export function decodeTrep22(message: Uint8Array): DecodedTrep<ActivitiesOfDayData>;
export function decodeTrep22(message: Uint8Array, reading: TrepReading): Tolerant<DecodedTrep<ActivitiesOfDayData>>;
export function decodeTrep22(message: Uint8Array, reading?: TrepReading): DecodedTrep<ActivitiesOfDayData> | Tolerant<DecodedTrep<ActivitiesOfDayData>> {
  const { arrays, signature, all, one } = arraysOf(message, 0x22, ACTIVITIES_ARRAYS, reading);
  const [day, odometer, cardIW, activities, places, gnss, conditions] = arrays;
  return {
    data: {
      day: one(day!, (b) => decodeTimeReal(b)),
      odometerAtMidnightKm: one(odometer!, (b) => decodeOdometerShort(b)),
      cardIW: all(cardIW!, (b) => decodeVuCardIWRecord(b), (b) => readVuCardIWRecord(b)),
      activities: all(activities!, (b) => decodeActivityChangeInfo(b)),
      places: all(places!, (b) => decodeVuPlaceDailyWorkPeriodRecord(b)),
      gnssAccumulatedDriving: all(gnss!, (b) => decodeVuGnssAdRecord(b)),
      specificConditions: all(conditions!, (b) => decodeSpecificConditionRecord(b)),
    },
    signature,
  } as DecodedTrep<ActivitiesOfDayData>;
}

/** TREP 23, Events and faults (DDP_031, no VuTimeAdjustmentGNSSRecordArray). Records come back grouped:
 * faults, events, over-speeding events. */
export function decodeTrep23(message: Uint8Array): DecodedTrep<EventsAndFaultsData>;
export function decodeTrep23(message: Uint8Array, reading: TrepReading): Tolerant<DecodedTrep<EventsAndFaultsData>>;
export function decodeTrep23(message: Uint8Array, reading?: TrepReading): DecodedTrep<EventsAndFaultsData> | Tolerant<DecodedTrep<EventsAndFaultsData>> {
  return reading ? decodeEventsAndFaults(message, 0x23, reading) : decodeEventsAndFaults(message, 0x23);
}

/** DDP_031's gen2 table, the same for TREP 23 (version 1) and TREP 33 (version 2). */
export function decodeEventsAndFaults(message: Uint8Array, trep: 0x23 | 0x33): DecodedTrep<EventsAndFaultsData>;
export function decodeEventsAndFaults(message: Uint8Array, trep: 0x23 | 0x33, reading: TrepReading): Tolerant<DecodedTrep<EventsAndFaultsData>>;
export function decodeEventsAndFaults(message: Uint8Array, trep: 0x23 | 0x33, reading?: TrepReading): DecodedTrep<EventsAndFaultsData> | Tolerant<DecodedTrep<EventsAndFaultsData>> {
  const { arrays, signature, all, one } = arraysOf(message, trep, EVENTS_AND_FAULTS_ARRAYS, reading);
  const [faults, events, control, overSpeeding, adjustments] = arrays;
  return {
    data: {
      records: [...all(faults!, (b) => decodeVuFaultRecord(b)), ...all(events!, (b) => decodeVuEventRecord(b)), ...all(overSpeeding!, (b) => decodeVuOverSpeedingEventRecord(b))],
      overSpeedingControl: one(control!, (b) => decodeVuOverSpeedingControlData(b)),
      timeAdjustments: all(adjustments!, (b) => decodeVuTimeAdjustmentRecord(b)),
    },
    signature,
  } as DecodedTrep<EventsAndFaultsData>;
}

/** TREP 24, Detailed speed (DDP_032). Blocks in the VU's shape (begin in TimeReal seconds). */
export function decodeTrep24(message: Uint8Array): DecodedTrep<DetailedSpeedBlock[]>;
export function decodeTrep24(message: Uint8Array, reading: TrepReading): Tolerant<DecodedTrep<DetailedSpeedBlock[]>>;
export function decodeTrep24(message: Uint8Array, reading?: TrepReading): DecodedTrep<DetailedSpeedBlock[]> | Tolerant<DecodedTrep<DetailedSpeedBlock[]>> {
  const { arrays, signature, all } = arraysOf(message, 0x24, DETAILED_SPEED_ARRAYS, reading);
  return { data: all(arrays[0]!, (b) => decodeVuDetailedSpeedBlock(b)), signature } as DecodedTrep<DetailedSpeedBlock[]>;
}

/** TREP 25, Technical data (DDP_033, gen2 v1). */
export function decodeTrep25(message: Uint8Array): DecodedTrep<TechnicalData>;
export function decodeTrep25(message: Uint8Array, reading: TrepReading): Tolerant<DecodedTrep<TechnicalData>>;
export function decodeTrep25(message: Uint8Array, reading?: TrepReading): DecodedTrep<TechnicalData> | Tolerant<DecodedTrep<TechnicalData>> {
  const { arrays, signature, all, one } = arraysOf(message, 0x25, TECHNICAL_ARRAYS, reading);
  const [identification, paired, coupled, calibrations, cards, consents, interruptions] = arrays;
  return {
    data: {
      identification: one(identification!, (b) => decodeVuIdentification(b)),
      sensorPairings: all(paired!, (b) => decodeSensorPairedRecord(b)),
      gnssCouplings: all(coupled!, (b) => decodeSensorExternalGnssCoupledRecord(b)),
      calibrations: all(calibrations!, (b) => decodeVuCalibrationRecord(b)),
      cards: all(cards!, (b) => decodeVuCardRecord(b)),
      itsConsents: all(consents!, (b) => decodeVuItsConsentRecord(b)),
      powerSupplyInterruptions: all(interruptions!, (b) => decodeVuPowerSupplyInterruptionRecord(b)),
    },
    signature,
  } as DecodedTrep<TechnicalData>;
}
