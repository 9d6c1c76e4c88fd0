import { toHex } from '../../crypto/bytes.ts';
import { decodeOdometerShort, decodeTimeReal, decodeVehicleRegistrationNumber } from '../app1/app1-codec.ts';
import { decodeVuCardIWRecord, VU_CARD_IW_RECORD_SIZE } from '../app1/vu-card-iw-record.ts';
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
import { App7RecordError, RECORD_TYPE, recordArrayName, type RecordArrayView } from './record-array.ts';
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
 * name. Signatures are not checked here: that is the IDE's job with the certificate chain (ddd-file.ts).
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

export function arraysOf(message: Uint8Array, trep: number, layout: readonly Expected[]): { arrays: RecordArrayView[]; signature: string } {
  const data = trepData(message, trep);
  const where = `TREP ${hex(trep)}`;
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
  return { arrays, signature: toHex(last.records[0]!) };
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

/** TREP 21, Overview (DDP_029). */
export function decodeTrep21(message: Uint8Array): DecodedOverview {
  const { arrays, signature } = arraysOf(message, 0x21, [
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
  ]);
  const [msca, vuCert, vin, vrn, now, period, slots, downloads, locks, controls] = arrays;
  const downloadable = one(period!, (b) => ({ min: decodeTimeReal(b, 0), max: decodeTimeReal(b, 4) }));
  return {
    mscaCertificate: toHex(msca!.records[0]!),
    vuCertificate: toHex(vuCert!.records[0]!),
    data: {
      vin: one(vin!, (b) => decodeIa5(b, 0, 17)),
      registrationNumber: one(vrn!, (b) => decodeVehicleRegistrationNumber(b)),
      currentTime: one(now!, (b) => decodeTimeReal(b)),
      minDownloadableTime: downloadable.min,
      maxDownloadableTime: downloadable.max,
      slots: one(slots!, (b) => decodeCardSlotsStatus(b)),
      // DDP_029 keeps the previous download only: more than one record is refused as not this layout
      lastDownload: downloads!.records.length > 1 ? tooMany(downloads!) : (all(downloads!, (b) => decodeVuDownloadActivityData(b))[0] ?? null),
      companyLocks: all(locks!, (b) => decodeVuCompanyLocksRecord(b)),
      controls: all(controls!, (b) => decodeVuControlActivityRecord(b)),
    },
    signature,
  };
}

function tooMany(a: RecordArrayView): never {
  throw new App7RecordError(`TREP 21: ${a.name} has ${a.records.length} records, expected at most 1`);
}

/** TREP 22, Activities of a day (DDP_030, with the seed's VuGNSSADRecordArray). */
export function decodeTrep22(message: Uint8Array): DecodedTrep<ActivitiesOfDayData> {
  const { arrays, signature } = arraysOf(message, 0x22, [
    { type: RECORD_TYPE.DateOfDayDownloaded, size: 4, single: true },
    { type: RECORD_TYPE.OdometerValueMidnight, size: 3, single: true },
    { type: RECORD_TYPE.VuCardIWRecord, size: VU_CARD_IW_RECORD_SIZE },
    { type: RECORD_TYPE.ActivityChangeInfo, size: 2 },
    { type: RECORD_TYPE.VuPlaceDailyWorkPeriodRecord, size: 40 },
    { type: RECORD_TYPE.VuGNSSADRecord, size: 56 },
    { type: RECORD_TYPE.SpecificConditionRecord, size: 5 },
  ]);
  const [day, odometer, cardIW, activities, places, gnss, conditions] = arrays;
  return {
    data: {
      day: one(day!, (b) => decodeTimeReal(b)),
      odometerAtMidnightKm: one(odometer!, (b) => decodeOdometerShort(b)),
      cardIW: all(cardIW!, (b) => decodeVuCardIWRecord(b)),
      activities: all(activities!, (b) => decodeActivityChangeInfo(b)),
      places: all(places!, (b) => decodeVuPlaceDailyWorkPeriodRecord(b)),
      gnssAccumulatedDriving: all(gnss!, (b) => decodeVuGnssAdRecord(b)),
      specificConditions: all(conditions!, (b) => decodeSpecificConditionRecord(b)),
    },
    signature,
  };
}

/** TREP 23, Events and faults (DDP_031, no VuTimeAdjustmentGNSSRecordArray). Records come back grouped:
 * faults, events, over-speeding events. */
export function decodeTrep23(message: Uint8Array): DecodedTrep<EventsAndFaultsData> {
  return decodeEventsAndFaults(message, 0x23);
}

/** DDP_031's gen2 table, the same for TREP 23 (version 1) and TREP 33 (version 2). */
export function decodeEventsAndFaults(message: Uint8Array, trep: 0x23 | 0x33): DecodedTrep<EventsAndFaultsData> {
  const { arrays, signature } = arraysOf(message, trep, [
    { type: RECORD_TYPE.VuFaultRecord, size: VU_FAULT_RECORD_SIZE },
    { type: RECORD_TYPE.VuEventRecord, size: VU_EVENT_RECORD_SIZE },
    { type: RECORD_TYPE.VuOverSpeedingControlData, size: VU_OVER_SPEEDING_CONTROL_DATA_SIZE, single: true },
    { type: RECORD_TYPE.VuOverSpeedingEventRecord, size: VU_OVER_SPEEDING_EVENT_RECORD_SIZE },
    { type: RECORD_TYPE.VuTimeAdjustmentRecord, size: VU_TIME_ADJUSTMENT_RECORD_SIZE },
  ]);
  const [faults, events, control, overSpeeding, adjustments] = arrays;
  return {
    data: {
      records: [...all(faults!, (b) => decodeVuFaultRecord(b)), ...all(events!, (b) => decodeVuEventRecord(b)), ...all(overSpeeding!, (b) => decodeVuOverSpeedingEventRecord(b))],
      overSpeedingControl: one(control!, (b) => decodeVuOverSpeedingControlData(b)),
      timeAdjustments: all(adjustments!, (b) => decodeVuTimeAdjustmentRecord(b)),
    },
    signature,
  };
}

/** TREP 24, Detailed speed (DDP_032). Blocks in the VU's shape (begin in TimeReal seconds). */
export function decodeTrep24(message: Uint8Array): DecodedTrep<DetailedSpeedBlock[]> {
  const { arrays, signature } = arraysOf(message, 0x24, [{ type: RECORD_TYPE.VuDetailedSpeedBlock, size: 64 }]);
  return { data: all(arrays[0]!, (b) => decodeVuDetailedSpeedBlock(b)), signature };
}

/** TREP 25, Technical data (DDP_033, gen2 v1). */
export function decodeTrep25(message: Uint8Array): DecodedTrep<TechnicalData> {
  const { arrays, signature } = arraysOf(message, 0x25, [
    { type: RECORD_TYPE.VuIdentification, size: VU_IDENTIFICATION_SIZE, single: true },
    { type: RECORD_TYPE.SensorPairedRecord, size: SENSOR_PAIRED_RECORD_SIZE },
    { type: RECORD_TYPE.SensorExternalGNSSCoupledRecord, size: SENSOR_EXTERNAL_GNSS_COUPLED_RECORD_SIZE },
    { type: RECORD_TYPE.VuCalibrationRecord, size: VU_CALIBRATION_RECORD_SIZE },
    { type: RECORD_TYPE.VuCardRecord, size: VU_CARD_RECORD_SIZE },
    { type: RECORD_TYPE.VuITSConsentRecord, size: VU_ITS_CONSENT_RECORD_SIZE },
    { type: RECORD_TYPE.VuPowerSupplyInterruptionRecord, size: VU_POWER_SUPPLY_INTERRUPTION_RECORD_SIZE },
  ]);
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
  };
}
