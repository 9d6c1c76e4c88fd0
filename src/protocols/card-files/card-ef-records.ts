import { toHex } from '../../crypto/bytes.ts';
import { App1DecodeError } from '../app1/app1-decode-error.ts';
import { decodeCardDriverActivity, type CardDriverActivity } from '../app1/card-activity-daily-record.ts';
import {
  decodeCardApplicationIdentification,
  decodeCardApplicationIdentificationV2,
  type CardApplicationIdentification,
  type CardApplicationIdentificationV2,
} from '../app1/card-application-identification.ts';
import { CARD_BORDER_CROSSING_RECORD_SIZE, decodeCardBorderCrossingRecord, type CardBorderCrossingRecord } from '../app1/border-crossing-record.ts';
import { decodeCardCurrentUse, decodeLastCardDownload, decodeNoOfCalibrationsSinceDownload, type CardCurrentUse } from '../app1/card-current-use.ts';
import { CARD_EVENT_RECORD_SIZE, decodeCardEventRecord, decodeCardFaultRecord, type CardEventRecord, type CardFaultRecord } from '../app1/card-event-record.ts';
import {
  decodeCardChipIdentification,
  decodeCardDrivingLicenceInformation,
  decodeCardIccIdentification,
  decodeCardIdentificationAndHolder,
  type CardChipIdentification,
  type CardDrivingLicenceInformation,
  type CardIccIdentification,
  type CardIdentificationAndHolder,
} from '../app1/card-identification.ts';
import type { CardType } from '../app1/card-type.ts';
import {
  CARD_VEHICLE_RECORD_SIZE,
  CARD_VEHICLE_UNIT_RECORD_SIZE,
  decodeCardVehicleRecord,
  decodeCardVehicleUnitRecord,
  type CardVehicleRecord,
  type CardVehicleUnitRecord,
} from '../app1/card-vehicle-record.ts';
import {
  CONTROL_ACTIVITY_RECORD_SIZE,
  decodeCardControlActivityDataRecord,
  decodeCompanyActivityRecord,
  decodeControlCardActivityRecord,
  type CardControlActivityDataRecord,
  type CompanyActivityRecord,
  type ControlCardActivityRecord,
} from '../app1/control-activity-record.ts';
import {
  decodeGnssAccumulatedDrivingRecord,
  decodeGnssAuthStatusAdRecord,
  GNSS_ACCUMULATED_DRIVING_RECORD_SIZE,
  GNSS_AUTH_STATUS_AD_RECORD_SIZE,
  type GnssAccumulatedDrivingRecord,
  type GnssAuthStatusAdRecord,
} from '../app1/gnss-place-record.ts';
import {
  CARD_LOAD_TYPE_ENTRY_RECORD_SIZE,
  CARD_LOAD_UNLOAD_RECORD_SIZE,
  decodeCardLoadTypeEntryRecord,
  decodeCardLoadUnloadRecord,
  type CardLoadTypeEntryRecord,
  type CardLoadUnloadRecord,
} from '../app1/load-unload-record.ts';
import { decodePlaceAuthStatusRecord, decodePlaceRecord, PLACE_AUTH_STATUS_RECORD_SIZE, PLACE_RECORD_SIZE, type PlaceAuthStatusRecord, type PlaceRecord } from '../app1/place-record.ts';
import { decodeSpecificConditionRecord, SPECIFIC_CONDITION_RECORD_SIZE, type SpecificConditionRecord } from '../app1/specific-condition-record.ts';
import {
  decodeWorkshopCardCalibrationAddDataRecord,
  decodeWorkshopCardCalibrationRecord,
  WORKSHOP_CARD_CALIBRATION_ADD_DATA_RECORD_SIZE,
  WORKSHOP_CARD_CALIBRATION_RECORD_SIZE,
  type WorkshopCardCalibrationAddDataRecord,
  type WorkshopCardCalibrationRecord,
} from '../app1/workshop-card-calibration-record.ts';
import { CardFileError } from './card-download-file.ts';
import { FID } from './card-file-ids.ts';

/**
 * The content of each application EF of a card (App. 2 TCS_142..178), typed with App. 1's records: the EF's
 * App. 1 type and its fields, record sets in card order with `null` for an unused record (App. 2 defaults),
 * the "pointer newest record" of each cyclic set as the card keeps it. What an EF holds depends on the DF
 * (generation) and the card type; both come from the DF's EF Application_Identification (`EfContext`).
 *
 * A decoder returns the record and lists what does not hold in `problems` (an EF of another size than its
 * record counts give, a pointer outside its set, a code page App. 1 does not have); it throws a CardFileError
 * only when the bytes cannot be read as the type at all.
 */
export interface EfContext {
  cardType: CardType;
  generation: 1 | 2;
  applicationIdentification?: CardApplicationIdentification;
}

/** A cyclic set of records (CardVehiclesUsed, CardPlaceDailyWorkPeriod, ...): unused records are null. */
export type RecordSet<T> = (T | null)[];

export interface CardEfRecordTypes {
  CardIccIdentification: CardIccIdentification;
  CardChipIdentification: CardChipIdentification;
  CardApplicationIdentification: CardApplicationIdentification;
  CardApplicationIdentificationV2: CardApplicationIdentificationV2;
  CardIdentification: CardIdentificationAndHolder;
  CardDrivingLicenceInformation: CardDrivingLicenceInformation;
  LastCardDownload: { lastCardDownload: string | null };
  NoOfCalibrationsSinceDownload: { noOfCalibrationsSinceDownload: number };
  CardEventData: { cardEventRecords: RecordSet<CardEventRecord>[] };
  CardFaultData: { cardFaultRecords: RecordSet<CardFaultRecord>[] };
  CardDriverActivity: CardDriverActivity;
  CardVehiclesUsed: { vehiclePointerNewestRecord: number; cardVehicleRecords: RecordSet<CardVehicleRecord> };
  CardPlaceDailyWorkPeriod: { placePointerNewestRecord: number; placeRecords: RecordSet<PlaceRecord> };
  CardCurrentUse: CardCurrentUse;
  CardControlActivityDataRecord: CardControlActivityDataRecord | null;
  SpecificConditions: { conditionPointerNewestRecord?: number; specificConditionRecords: RecordSet<SpecificConditionRecord> };
  CardVehicleUnitsUsed: { vehicleUnitPointerNewestRecord: number; cardVehicleUnitRecords: RecordSet<CardVehicleUnitRecord> };
  GNSSAccumulatedDriving: { gnssADPointerNewestRecord: number; gnssAccumulatedDrivingRecords: RecordSet<GnssAccumulatedDrivingRecord> };
  CardPlaceAuthDailyWorkPeriod: { placeAuthPointerNewestRecord: number; placeAuthStatusRecords: RecordSet<PlaceAuthStatusRecord> };
  GNSSAuthAccumulatedDriving: { gnssAuthADPointerNewestRecord: number; gnssAuthStatusADRecords: RecordSet<GnssAuthStatusAdRecord> };
  CardBorderCrossings: { borderCrossingPointerNewestRecord: number; cardBorderCrossingRecords: RecordSet<CardBorderCrossingRecord> };
  CardLoadUnloadOperations: { loadUnloadPointerNewestRecord: number; cardLoadUnloadRecords: RecordSet<CardLoadUnloadRecord> };
  CardLoadTypeEntries: { loadTypeEntryPointerNewestRecord: number; cardLoadTypeEntryRecords: RecordSet<CardLoadTypeEntryRecord> };
  VuConfigurations: { vuConfigurations: string };
  WorkshopCardCalibrationData: { calibrationTotalNumber: number; calibrationPointerNewestRecord: number; calibrationRecords: RecordSet<WorkshopCardCalibrationRecord> };
  WorkshopCardCalibrationAddData: { calibrationPointerNewestRecord: number; workshopCardCalibrationAddDataRecords: RecordSet<WorkshopCardCalibrationAddDataRecord> };
  SensorInstallationSecData: { sensorInstallationSecData: string } | { kmwcKeys: { kMWCKey: string; keyVersion: number }[] };
  ControlCardControlActivityData: { controlPointerNewestRecord: number; controlActivityRecords: RecordSet<ControlCardActivityRecord> };
  CompanyActivityData: { companyPointerNewestRecord: number; companyActivityRecords: RecordSet<CompanyActivityRecord> };
}
export type CardEfType = keyof CardEfRecordTypes;
export type TypedEf = { [K in CardEfType]: { type: K; record: CardEfRecordTypes[K] } }[CardEfType];

/** Reads a record set after a pointer of `pointerSize` bytes (0: none); the count from the EF's size. */
function recordSet<T>(
  value: Uint8Array,
  pointerSize: 0 | 1 | 2,
  recordSize: number,
  decode: (bytes: Uint8Array, offset: number, problems: string[]) => T | null,
  problems: string[],
  what: string,
  expected?: number,
): { pointer: number; records: RecordSet<T> } {
  if (value.length < pointerSize) throw new App1DecodeError(`${what}: ${value.length} bytes, too few for its pointer`);
  const body = value.length - pointerSize;
  const count = Math.floor(body / recordSize);
  if (body % recordSize !== 0) problems.push(`${what}: ${body} bytes after the pointer are not whole records of ${recordSize}; the last ${body % recordSize} are ignored`);
  if (expected !== undefined && expected !== count) problems.push(`${what}: ${count} records, EF Application_Identification gives ${expected}`);
  const pointer = pointerSize === 0 ? 0 : pointerSize === 1 ? value[0]! : (value[0]! << 8) | value[1]!;
  // App. 1: the pointer is the index of the last updated record, 0..n-1
  if (pointerSize > 0 && count > 0 && pointer >= count) problems.push(`${what}: pointer to the newest record ${pointer} is outside its ${count} records`);
  const records: RecordSet<T> = [];
  for (let i = 0; i < count; i++) {
    const p: string[] = [];
    records.push(decode(value, pointerSize + i * recordSize, p));
    problems.push(...p.map((x) => `record ${i}: ${x}`));
  }
  return { pointer, records };
}

/** The sets of a CardEventData or CardFaultData: `sets` sets of equal size, in card order. */
function recordSets<T>(value: Uint8Array, sets: number, perSet: number | undefined, decode: (b: Uint8Array, o: number, p: string[]) => T | null, problems: string[], what: string): RecordSet<T>[] {
  const n = perSet ?? Math.floor(value.length / (sets * CARD_EVENT_RECORD_SIZE));
  if (value.length !== sets * n * CARD_EVENT_RECORD_SIZE) {
    problems.push(`${what}: ${value.length} bytes, ${sets} sets of ${n} records of ${CARD_EVENT_RECORD_SIZE} are ${sets * n * CARD_EVENT_RECORD_SIZE}`);
  }
  const out: RecordSet<T>[] = [];
  for (let s = 0; s < sets; s++) {
    const set: RecordSet<T> = [];
    for (let i = 0; i < n; i++) {
      const at = (s * n + i) * CARD_EVENT_RECORD_SIZE;
      if (at + CARD_EVENT_RECORD_SIZE > value.length) break;
      const p: string[] = [];
      set.push(decode(value, at, p));
      problems.push(...p.map((x) => `set ${s} record ${i}: ${x}`));
    }
    out.push(set);
  }
  return out;
}

function driverOrWorkshop(ctx: EfContext): { noOfEventsPerType?: number; noOfFaultsPerType?: number; noOfCardVehicleRecords?: number; noOfCardPlaceRecords?: number; noOfGNSSADRecords?: number; noOfSpecificConditionRecords?: number; noOfCardVehicleUnitRecords?: number; noOfCalibrationRecords?: number } {
  const app = ctx.applicationIdentification;
  return app && (app.cardType === 'driver' || app.cardType === 'workshop') ? app : {};
}

/**
 * The EF's typed content, or undefined for an EF this module does not know (proprietary, or not one of the
 * card type's: shown as hex). `v2` is the DF's EF Application_Identification_V2 when the card has one.
 */
export function decodeCardEfContent(fid: number, value: Uint8Array, ctx: EfContext, problems: string[], v2?: CardApplicationIdentificationV2): TypedEf | undefined {
  try {
    return decodeContent(fid, value, ctx, problems, v2);
  } catch (error) {
    // the card file layer's one error type: CardFileError (a DecodeError)
    if (error instanceof App1DecodeError) throw new CardFileError(error.message);
    throw error;
  }
}

function decodeContent(fid: number, value: Uint8Array, ctx: EfContext, problems: string[], v2?: CardApplicationIdentificationV2): TypedEf | undefined {
  const g = ctx.generation;
  const counts = driverOrWorkshop(ctx);
  switch (fid) {
    case FID.ICC:
      return { type: 'CardIccIdentification', record: decodeCardIccIdentification(value, problems) };
    case FID.IC:
      return { type: 'CardChipIdentification', record: decodeCardChipIdentification(value, problems) };
    case FID.APPLICATION_IDENTIFICATION:
      return { type: 'CardApplicationIdentification', record: decodeCardApplicationIdentification(value, g, problems, ctx.cardType) };
    case FID.APPLICATION_IDENTIFICATION_V2:
      return { type: 'CardApplicationIdentificationV2', record: decodeCardApplicationIdentificationV2(value, ctx.cardType, problems) };
    case FID.IDENTIFICATION:
      return { type: 'CardIdentification', record: decodeCardIdentificationAndHolder(value, ctx.cardType, problems) };
    case FID.DRIVING_LICENCE_INFO:
      return { type: 'CardDrivingLicenceInformation', record: decodeCardDrivingLicenceInformation(value, problems) };
    case FID.CARD_DOWNLOAD:
      // '050E': a driver card's LastCardDownload (a workshop card's Card_Download is '0509')
      return { type: 'LastCardDownload', record: decodeLastCardDownload(value, problems) };
    case FID.WORKSHOP_CARD_DOWNLOAD:
      return { type: 'NoOfCalibrationsSinceDownload', record: decodeNoOfCalibrationsSinceDownload(value, problems) };
    case FID.EVENTS_DATA:
      // App. 1 2.19: 6 event types in gen1, 11 in gen2
      return { type: 'CardEventData', record: { cardEventRecords: recordSets(value, g === 2 ? 11 : 6, counts.noOfEventsPerType, (b, o, p) => decodeCardEventRecord(b, o, p), problems, 'CardEventData') } };
    case FID.FAULTS_DATA:
      // App. 1 2.21: recording equipment faults, then card faults
      return { type: 'CardFaultData', record: { cardFaultRecords: recordSets(value, 2, counts.noOfFaultsPerType, (b, o, p) => decodeCardFaultRecord(b, o, p), problems, 'CardFaultData') } };
    case FID.DRIVER_ACTIVITY_DATA: {
      const record = decodeCardDriverActivity(value, problems);
      const expected = ctx.applicationIdentification && 'activityStructureLength' in ctx.applicationIdentification ? ctx.applicationIdentification.activityStructureLength : undefined;
      if (expected !== undefined && expected !== value.length - 4) problems.push(`CardDriverActivity: ${value.length - 4} bytes of activityDailyRecords, EF Application_Identification gives ${expected}`);
      return { type: 'CardDriverActivity', record };
    }
    case FID.VEHICLES_USED: {
      const s = recordSet(value, 2, CARD_VEHICLE_RECORD_SIZE[g], (b, o, p) => decodeCardVehicleRecord(b, o, g, p), problems, 'CardVehiclesUsed', counts.noOfCardVehicleRecords);
      return { type: 'CardVehiclesUsed', record: { vehiclePointerNewestRecord: s.pointer, cardVehicleRecords: s.records } };
    }
    case FID.PLACES: {
      // App. 1 2.27: placePointerNewestRecord is NoOfCardPlaceRecords, one byte in gen1, two in gen2
      const s = recordSet(value, g === 2 ? 2 : 1, PLACE_RECORD_SIZE[g], (b, o, p) => decodePlaceRecord(b, o, g, p), problems, 'CardPlaceDailyWorkPeriod', counts.noOfCardPlaceRecords);
      return { type: 'CardPlaceDailyWorkPeriod', record: { placePointerNewestRecord: s.pointer, placeRecords: s.records } };
    }
    case FID.CURRENT_USAGE:
      return { type: 'CardCurrentUse', record: decodeCardCurrentUse(value, problems) };
    case FID.CONTROL_ACTIVITY_DATA: {
      if (value.length !== CONTROL_ACTIVITY_RECORD_SIZE) problems.push(`CardControlActivityDataRecord: ${value.length} bytes, App. 1 gives ${CONTROL_ACTIVITY_RECORD_SIZE}`);
      return { type: 'CardControlActivityDataRecord', record: decodeCardControlActivityDataRecord(value, 0, g, problems) };
    }
    case FID.SPECIFIC_CONDITIONS: {
      // gen1 (TCS_150, TCS_158): the records alone; gen2 (2.153): a pointer first
      if (g === 1) {
        const s = recordSet(value, 0, SPECIFIC_CONDITION_RECORD_SIZE, decodeSpecificConditionRecord, problems, 'SpecificConditionRecords');
        return { type: 'SpecificConditions', record: { specificConditionRecords: s.records } };
      }
      const s = recordSet(value, 2, SPECIFIC_CONDITION_RECORD_SIZE, decodeSpecificConditionRecord, problems, 'SpecificConditions', counts.noOfSpecificConditionRecords);
      return { type: 'SpecificConditions', record: { conditionPointerNewestRecord: s.pointer, specificConditionRecords: s.records } };
    }
    case FID.VEHICLE_UNITS_USED: {
      const s = recordSet(value, 2, CARD_VEHICLE_UNIT_RECORD_SIZE, decodeCardVehicleUnitRecord, problems, 'CardVehicleUnitsUsed', counts.noOfCardVehicleUnitRecords);
      return { type: 'CardVehicleUnitsUsed', record: { vehicleUnitPointerNewestRecord: s.pointer, cardVehicleUnitRecords: s.records } };
    }
    case FID.GNSS_PLACES: {
      const s = recordSet(value, 2, GNSS_ACCUMULATED_DRIVING_RECORD_SIZE, decodeGnssAccumulatedDrivingRecord, problems, 'GNSSAccumulatedDriving', counts.noOfGNSSADRecords);
      return { type: 'GNSSAccumulatedDriving', record: { gnssADPointerNewestRecord: s.pointer, gnssAccumulatedDrivingRecords: s.records } };
    }
    case FID.PLACES_AUTHENTICATION: {
      const s = recordSet(value, 2, PLACE_AUTH_STATUS_RECORD_SIZE, decodePlaceAuthStatusRecord, problems, 'CardPlaceAuthDailyWorkPeriod', counts.noOfCardPlaceRecords);
      return { type: 'CardPlaceAuthDailyWorkPeriod', record: { placeAuthPointerNewestRecord: s.pointer, placeAuthStatusRecords: s.records } };
    }
    case FID.GNSS_PLACES_AUTHENTICATION: {
      const s = recordSet(value, 2, GNSS_AUTH_STATUS_AD_RECORD_SIZE, decodeGnssAuthStatusAdRecord, problems, 'GNSSAuthAccumulatedDriving', counts.noOfGNSSADRecords);
      return { type: 'GNSSAuthAccumulatedDriving', record: { gnssAuthADPointerNewestRecord: s.pointer, gnssAuthStatusADRecords: s.records } };
    }
    case FID.BORDER_CROSSINGS: {
      const s = recordSet(value, 2, CARD_BORDER_CROSSING_RECORD_SIZE, decodeCardBorderCrossingRecord, problems, 'CardBorderCrossings', v2?.noOfBorderCrossingRecords);
      return { type: 'CardBorderCrossings', record: { borderCrossingPointerNewestRecord: s.pointer, cardBorderCrossingRecords: s.records } };
    }
    case FID.LOAD_UNLOAD_OPERATIONS: {
      const s = recordSet(value, 2, CARD_LOAD_UNLOAD_RECORD_SIZE, decodeCardLoadUnloadRecord, problems, 'CardLoadUnloadOperations', v2?.noOfLoadUnloadRecords);
      return { type: 'CardLoadUnloadOperations', record: { loadUnloadPointerNewestRecord: s.pointer, cardLoadUnloadRecords: s.records } };
    }
    case FID.LOAD_TYPE_ENTRIES: {
      const s = recordSet(value, 2, CARD_LOAD_TYPE_ENTRY_RECORD_SIZE, decodeCardLoadTypeEntryRecord, problems, 'CardLoadTypeEntries', v2?.noOfLoadTypeEntryRecords);
      return { type: 'CardLoadTypeEntries', record: { loadTypeEntryPointerNewestRecord: s.pointer, cardLoadTypeEntryRecords: s.records } };
    }
    case FID.VU_CONFIGURATION:
      // App. 1 names VuConfigurationLengthRange only: the configurations' content is the VU manufacturer's
      if (v2 && v2.vuConfigurationLengthRange !== value.length) problems.push(`VuConfigurations: ${value.length} bytes, EF Application_Identification_V2 gives ${v2.vuConfigurationLengthRange}`);
      return { type: 'VuConfigurations', record: { vuConfigurations: toHex(value) } };
    case FID.CALIBRATION: {
      // 2.235: calibrationTotalNumber, then the pointer (one byte in gen1: TCS_158, two in gen2: TCS_162)
      if (value.length < 2) throw new App1DecodeError(`WorkshopCardCalibrationData: ${value.length} bytes, too few for calibrationTotalNumber`);
      const rest = value.subarray(2);
      const s = recordSet(rest, g === 2 ? 2 : 1, WORKSHOP_CARD_CALIBRATION_RECORD_SIZE[g], (b, o, p) => decodeWorkshopCardCalibrationRecord(b, o, g, p), problems, 'WorkshopCardCalibrationData', counts.noOfCalibrationRecords);
      return { type: 'WorkshopCardCalibrationData', record: { calibrationTotalNumber: (value[0]! << 8) | value[1]!, calibrationPointerNewestRecord: s.pointer, calibrationRecords: s.records } };
    }
    case FID.CALIBRATION_ADD_DATA: {
      const s = recordSet(value, 2, WORKSHOP_CARD_CALIBRATION_ADD_DATA_RECORD_SIZE, decodeWorkshopCardCalibrationAddDataRecord, problems, 'WorkshopCardCalibrationAddData', counts.noOfCalibrationRecords);
      return { type: 'WorkshopCardCalibrationAddData', record: { calibrationPointerNewestRecord: s.pointer, workshopCardCalibrationAddDataRecords: s.records } };
    }
    case FID.SENSOR_INSTALLATION_DATA:
      return { type: 'SensorInstallationSecData', record: decodeSensorInstallationSecData(value, g, problems) };
    case FID.CONTROLLER_ACTIVITY_DATA: {
      const n = ctx.applicationIdentification?.cardType === 'control' ? ctx.applicationIdentification.noOfControlActivityRecords : undefined;
      const s = recordSet(value, 2, CONTROL_ACTIVITY_RECORD_SIZE, (b, o, p) => decodeControlCardActivityRecord(b, o, g, p), problems, 'ControlCardControlActivityData', n);
      return { type: 'ControlCardControlActivityData', record: { controlPointerNewestRecord: s.pointer, controlActivityRecords: s.records } };
    }
    case FID.COMPANY_ACTIVITY_DATA: {
      const n = ctx.applicationIdentification?.cardType === 'company' ? ctx.applicationIdentification.noOfCompanyActivityRecords : undefined;
      const s = recordSet(value, 2, CONTROL_ACTIVITY_RECORD_SIZE, decodeCompanyActivityRecord, problems, 'CompanyActivityData', n);
      return { type: 'CompanyActivityData', record: { companyPointerNewestRecord: s.pointer, companyActivityRecords: s.records } };
    }
    default:
      return undefined;
  }
}

/**
 * App. 1 2.142 SensorInstallationSecData: gen1 a TDES session key (16 bytes, ISO 16844-3); gen2 up to three
 * KMWCKeys (2.87: the AES key's length, the key, its version; App. 2 TCS_162 18..102 bytes). A download leaves
 * this EF out (DDP_035); a file that has it shows it.
 */
function decodeSensorInstallationSecData(value: Uint8Array, generation: 1 | 2, problems: string[]): CardEfRecordTypes['SensorInstallationSecData'] {
  if (generation === 1) {
    if (value.length !== 16) problems.push(`SensorInstallationSecData: ${value.length} bytes, a TDES session key is 16`);
    return { sensorInstallationSecData: toHex(value) };
  }
  const keys: { kMWCKey: string; keyVersion: number }[] = [];
  // App. 2's default {00..00}: no key written
  if (value.every((b) => b === 0)) return { kmwcKeys: keys };
  let at = 0;
  while (at < value.length && keys.length < 3) {
    const length = value[at]!;
    if (![16, 24, 32].includes(length) || at + 2 + length > value.length) break;
    keys.push({ kMWCKey: toHex(value.subarray(at + 1, at + 1 + length)), keyVersion: value[at + 1 + length]! });
    at += 2 + length;
  }
  if (at !== value.length) {
    problems.push(`SensorInstallationSecData: byte ${at} does not start an AES key of 16, 24 or 32 bytes (App. 1 2.87 KMWCKey); given as hex`);
    return { sensorInstallationSecData: toHex(value) };
  }
  return { kmwcKeys: keys };
}
