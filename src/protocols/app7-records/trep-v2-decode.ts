import { toHex } from '../../crypto/bytes.ts';
import { decodeOdometerShort, decodeTimeReal } from '../app1/app1-codec.ts';
import { decodeActivityChangeInfo } from '../app1/activity-change-info.ts';
import { decodeVuCardIWRecord, readVuCardIWRecord } from '../app1/vu-card-iw-record.ts';
import {
  decodeVuBorderCrossingRecord,
  decodeVuGnssAdRecordV2,
  decodeVuLoadUnloadRecord,
  decodeVuPlaceDailyWorkPeriodRecordV2,
  readVuPlaceDailyWorkPeriodRecordV2,
  VU_BORDER_CROSSING_RECORD_SIZE,
  VU_GNSS_AD_RECORD_V2_SIZE,
  VU_LOAD_UNLOAD_RECORD_SIZE,
  VU_PLACE_DAILY_WORK_PERIOD_RECORD_V2_SIZE,
} from '../app1/vu-gnss-records-v2.ts';
import { decodeVuPowerSupplyInterruptionRecord } from './event-records.ts';
import { App7RecordError, RECORD_TYPE, type RecordArrayView } from './record-array.ts';
import {
  decodeCardSlotsStatus,
  decodeIa5,
  decodeSpecificConditionRecord,
  decodeVuCompanyLocksRecord,
  decodeVuControlActivityRecord,
  decodeVuDownloadActivityData,
} from './records.ts';
import { decodeSensorExternalGnssCoupledRecord, decodeSensorPairedRecord, decodeVuCardRecord, decodeVuItsConsentRecord } from './technical-records.ts';
import { decodeVuCalibrationRecordV2, decodeVuIdentificationV2, VU_CALIBRATION_RECORD_V2_SIZE, VU_IDENTIFICATION_V2_SIZE } from './technical-records-v2.ts';
import { arraysOf, codePagedVrn, decodeEventsAndFaults, GEN2_V1_RECORD_ARRAYS, type DecodedTrep, type Expected, type Tolerant, type TrepReading } from './trep-decode.ts';
import { readTrepArrays, type EventsAndFaultsData } from './trep.ts';
import type { ActivitiesOfDayV2Data, OverviewV2Data, TechnicalV2Data } from './trep-v2.ts';

/**
 * Typed decoders of the generation 2, version 2 download (App. 7 DDP_028a..033 gen2 v2 tables): TREP 00, 31,
 * 32, 33 and 35 (TREP 24 is shared with version 1: decodeTrep24). Same contract as trep-decode.ts: input is
 * the TREP's data or the whole message with SID 76 and the TREP; anything off the layout is refused with an
 * App7RecordError naming the TREP and the array (or, with a TrepReading, named there and read on); signatures
 * are checked elsewhere (ddd verification).
 */

export interface DecodedOverviewV2 extends DecodedTrep<OverviewV2Data> {
  mscaCertificate: string;
  vuCertificate: string;
}

/** TREP 00 (DDP_028a): DownloadInterfaceVersion, 2 bytes, as hex ('0202': generation 2, version 2). */
export function decodeTrep00(message: Uint8Array): { downloadInterfaceVersion: string } {
  const data = message[0] === 0x76 && message[1] === 0x00 && message.length === 4 ? message.subarray(2) : message;
  if (data.length !== 2) throw new App7RecordError(`TREP 00: DownloadInterfaceVersion is 2 bytes (App. 1 §2.60a), the block holds ${data.length}`);
  return { downloadInterfaceVersion: toHex(data) };
}

/** TREP 21's arrays around the registration (DDP_029): the certificates and the VIN, then the rest. */
const OVERVIEW_HEAD: readonly Expected[] = GEN2_V1_RECORD_ARRAYS[0x21]!.slice(0, 3);
const OVERVIEW_TAIL: readonly Expected[] = GEN2_V1_RECORD_ARRAYS[0x21]!.slice(4);

/** The registration array's type, when the data gets that far; the layout check says what else is wrong. */
function registrationType(message: Uint8Array): number | undefined {
  const data = message[0] === 0x76 ? message.subarray(2) : message;
  try {
    return readTrepArrays(data)[3]?.recordType;
  } catch (error) {
    if (!(error instanceof App7RecordError)) throw error;
    return undefined;
  }
}

/** A gen2 v1 layout with the record sizes version 2 changed (App. 1 ▼M3). */
function withSizes(arrays: readonly Expected[], sizes: Readonly<Record<number, number>>): Expected[] {
  return arrays.map((e) => (sizes[e.type] === undefined ? e : { ...e, size: sizes[e.type]! }));
}

/** DDP_030 gen2 v2: TREP 22's arrays with the v2 place and GNSS records, then border crossings and load/unload operations. */
const ACTIVITIES_V2_ARRAYS: readonly Expected[] = [
  ...withSizes(GEN2_V1_RECORD_ARRAYS[0x22]!, { [RECORD_TYPE.VuPlaceDailyWorkPeriodRecord]: VU_PLACE_DAILY_WORK_PERIOD_RECORD_V2_SIZE, [RECORD_TYPE.VuGNSSADRecord]: VU_GNSS_AD_RECORD_V2_SIZE }),
  { type: RECORD_TYPE.VuBorderCrossingRecord, size: VU_BORDER_CROSSING_RECORD_SIZE },
  { type: RECORD_TYPE.VuLoadUnloadRecord, size: VU_LOAD_UNLOAD_RECORD_SIZE },
];
/** DDP_033 gen2 v2: TREP 25's arrays with the v2 VuIdentification and VuCalibrationRecord. */
const TECHNICAL_V2_ARRAYS: readonly Expected[] = withSizes(GEN2_V1_RECORD_ARRAYS[0x25]!, {
  [RECORD_TYPE.VuIdentification]: VU_IDENTIFICATION_V2_SIZE,
  [RECORD_TYPE.VuCalibrationRecord]: VU_CALIBRATION_RECORD_V2_SIZE,
});

/** The record arrays of each gen2 v2 TREP with arrays (DDP_029..033), the SignatureRecordArray left out. */
export const GEN2_V2_RECORD_ARRAYS: Readonly<Record<number, readonly Expected[]>> = {
  0x31: [...OVERVIEW_HEAD, { type: RECORD_TYPE.VehicleRegistrationIdentification, size: 15, single: true }, ...OVERVIEW_TAIL],
  0x32: ACTIVITIES_V2_ARRAYS,
  0x33: GEN2_V1_RECORD_ARRAYS[0x23]!,
  0x24: GEN2_V1_RECORD_ARRAYS[0x24]!,
  0x35: TECHNICAL_V2_ARRAYS,
};

/**
 * TREP 31, Overview (DDP_029 gen2 v2). App. 1 §2.166a makes the registration a
 * VehicleRegistrationIdentificationRecordArray ('24'H, 15 bytes: nation and VRN) in version 2; the public
 * decoders disagree on what real VUs send (traconiq/tachoparser reads either, way-platform/tachograph-go names
 * it VehicleRegistrationNumber), so a VehicleRegistrationNumberRecordArray ('0B'H, 14 bytes) is accepted too,
 * with registrationNation null.
 */
export function decodeTrep31(message: Uint8Array): DecodedOverviewV2;
export function decodeTrep31(message: Uint8Array, reading: TrepReading): Tolerant<DecodedOverviewV2>;
export function decodeTrep31(message: Uint8Array, reading?: TrepReading): DecodedOverviewV2 | Tolerant<DecodedOverviewV2> {
  const withNation = registrationType(message) !== RECORD_TYPE.VehicleRegistrationNumber;
  const registration: Expected = withNation ? { type: RECORD_TYPE.VehicleRegistrationIdentification, size: 15, single: true } : { type: RECORD_TYPE.VehicleRegistrationNumber, size: 14, single: true };
  const { arrays, signature, all, one, note } = arraysOf(message, 0x31, [...OVERVIEW_HEAD, registration, ...OVERVIEW_TAIL], reading);
  const [msca, vuCert, vin, vrn, now, period, slots, downloads, locks, controls] = arrays as [RecordArrayView, ...RecordArrayView[]];
  const downloadable = one(period!, (b) => ({ min: decodeTimeReal(b, 0), max: decodeTimeReal(b, 4) }));
  if (downloads!.records.length > 1) {
    const problem = `${downloads!.name} has ${downloads!.records.length} records, expected at most 1`;
    if (!reading) throw new App7RecordError(`TREP 31: ${problem}`);
    note(`${problem}: the first is read`, downloads);
  }
  return {
    mscaCertificate: msca.records[0] ? toHex(msca.records[0]) : null,
    vuCertificate: vuCert!.records[0] ? toHex(vuCert!.records[0]) : null,
    data: {
      vin: one(vin!, (b) => decodeIa5(b, 0, 17)),
      registrationNation: withNation ? one(vrn!, (b) => b[0]!) : null,
      registrationNumber: one(vrn!, (b) => codePagedVrn(b, withNation ? 1 : 0, (p) => note(p, vrn))),
      currentTime: one(now!, (b) => decodeTimeReal(b)),
      minDownloadableTime: downloadable?.min,
      maxDownloadableTime: downloadable?.max,
      slots: one(slots!, (b) => decodeCardSlotsStatus(b)),
      lastDownload: all(downloads!, (b) => decodeVuDownloadActivityData(b))[0] ?? null,
      companyLocks: all(locks!, (b) => decodeVuCompanyLocksRecord(b)),
      controls: all(controls!, (b) => decodeVuControlActivityRecord(b)),
    },
    signature,
  } as DecodedOverviewV2;
}

/** TREP 32, Activities of a day (DDP_030 gen2 v2): TREP 22's arrays in v2 form, then border crossings and load/unload operations. */
export function decodeTrep32(message: Uint8Array): DecodedTrep<ActivitiesOfDayV2Data>;
export function decodeTrep32(message: Uint8Array, reading: TrepReading): Tolerant<DecodedTrep<ActivitiesOfDayV2Data>>;
export function decodeTrep32(message: Uint8Array, reading?: TrepReading): DecodedTrep<ActivitiesOfDayV2Data> | Tolerant<DecodedTrep<ActivitiesOfDayV2Data>> {
  const { arrays, signature, all, one } = arraysOf(message, 0x32, ACTIVITIES_V2_ARRAYS, reading);
  const [day, odometer, cardIW, activities, places, gnss, conditions, borders, loads] = arrays;
  return {
    data: {
      day: one(day!, (b) => decodeTimeReal(b)),
      odometerAtMidnightKm: one(odometer!, (b) => decodeOdometerShort(b)),
      cardIW: all(cardIW!, (b) => decodeVuCardIWRecord(b), (b) => readVuCardIWRecord(b)),
      activities: all(activities!, (b) => decodeActivityChangeInfo(b)),
      places: all(places!, (b) => decodeVuPlaceDailyWorkPeriodRecordV2(b), (b) => readVuPlaceDailyWorkPeriodRecordV2(b)),
      gnssAccumulatedDriving: all(gnss!, (b) => decodeVuGnssAdRecordV2(b)),
      specificConditions: all(conditions!, (b) => decodeSpecificConditionRecord(b)),
      borderCrossings: all(borders!, (b) => decodeVuBorderCrossingRecord(b)),
      loadUnloadOperations: all(loads!, (b) => decodeVuLoadUnloadRecord(b)),
    },
    signature,
  } as DecodedTrep<ActivitiesOfDayV2Data>;
}

/** TREP 33, Events and faults (DDP_031 gen2 v2: TREP 23's table). */
export function decodeTrep33(message: Uint8Array): DecodedTrep<EventsAndFaultsData>;
export function decodeTrep33(message: Uint8Array, reading: TrepReading): Tolerant<DecodedTrep<EventsAndFaultsData>>;
export function decodeTrep33(message: Uint8Array, reading?: TrepReading): DecodedTrep<EventsAndFaultsData> | Tolerant<DecodedTrep<EventsAndFaultsData>> {
  return reading ? decodeEventsAndFaults(message, 0x33, reading) : decodeEventsAndFaults(message, 0x33);
}

/** TREP 35, Technical data (DDP_033 gen2 v2). */
export function decodeTrep35(message: Uint8Array): DecodedTrep<TechnicalV2Data>;
export function decodeTrep35(message: Uint8Array, reading: TrepReading): Tolerant<DecodedTrep<TechnicalV2Data>>;
export function decodeTrep35(message: Uint8Array, reading?: TrepReading): DecodedTrep<TechnicalV2Data> | Tolerant<DecodedTrep<TechnicalV2Data>> {
  const { arrays, signature, all, one } = arraysOf(message, 0x35, TECHNICAL_V2_ARRAYS, reading);
  const [identification, paired, coupled, calibrations, cards, consents, interruptions] = arrays;
  return {
    data: {
      identification: one(identification!, (b) => decodeVuIdentificationV2(b)),
      sensorPairings: all(paired!, (b) => decodeSensorPairedRecord(b)),
      gnssCouplings: all(coupled!, (b) => decodeSensorExternalGnssCoupledRecord(b)),
      calibrations: all(calibrations!, (b) => decodeVuCalibrationRecordV2(b)),
      cards: all(cards!, (b) => decodeVuCardRecord(b)),
      itsConsents: all(consents!, (b) => decodeVuItsConsentRecord(b)),
      powerSupplyInterruptions: all(interruptions!, (b) => decodeVuPowerSupplyInterruptionRecord(b)),
    },
    signature,
  } as DecodedTrep<TechnicalV2Data>;
}
