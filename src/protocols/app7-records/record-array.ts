/**
 * App. 7 §2.2.6 remark (gen2): every top-level data element of a download is a RecordArray: a 5-byte header
 * (recordType 1, recordSize 2, noOfRecords 2, big-endian) then noOfRecords records of recordSize bytes.
 * An empty array is its header with noOfRecords = 0 (DDP_029..033).
 */

import { DecodeError } from '../decode-error.ts';

/** What the readers of record arrays and TREPs throw on bytes that are not what App. 1 and App. 7 say. */
export class App7RecordError extends DecodeError {}

/** App. 1 §2.120 RecordType, generation 2 version 1 ('01'H and '16'H also in the seed digest) and version 2 ('22'H..'24'H). */
export const RECORD_TYPE = {
  ActivityChangeInfo: 0x01,
  CardSlotsStatus: 0x02,
  CurrentDateTime: 0x03,
  MemberStateCertificate: 0x04,
  OdometerValueMidnight: 0x05,
  DateOfDayDownloaded: 0x06,
  SensorPaired: 0x07,
  Signature: 0x08,
  SpecificConditionRecord: 0x09,
  VehicleIdentificationNumber: 0x0a,
  VehicleRegistrationNumber: 0x0b,
  VuCalibrationRecord: 0x0c,
  VuCardIWRecord: 0x0d,
  VuCardRecord: 0x0e,
  VuCertificate: 0x0f,
  VuCompanyLocksRecord: 0x10,
  VuControlActivityRecord: 0x11,
  VuDetailedSpeedBlock: 0x12,
  VuDownloadablePeriod: 0x13,
  VuDownloadActivityData: 0x14,
  VuEventRecord: 0x15,
  VuGNSSADRecord: 0x16,
  VuITSConsentRecord: 0x17,
  VuFaultRecord: 0x18,
  VuIdentification: 0x19,
  VuOverSpeedingControlData: 0x1a,
  VuOverSpeedingEventRecord: 0x1b,
  VuPlaceDailyWorkPeriodRecord: 0x1c,
  VuTimeAdjustmentGNSSRecord: 0x1d,
  VuTimeAdjustmentRecord: 0x1e,
  VuPowerSupplyInterruptionRecord: 0x1f,
  SensorPairedRecord: 0x20,
  SensorExternalGNSSCoupledRecord: 0x21,
  // generation 2, version 2 (App. 1 §2.120 as amended, ▼M3)
  VuBorderCrossingRecord: 0x22,
  VuLoadUnloadRecord: 0x23,
  VehicleRegistrationIdentification: 0x24,
} as const;
export type RecordTypeName = keyof typeof RECORD_TYPE;

const NAME_OF = new Map<number, RecordTypeName>(Object.entries(RECORD_TYPE).map(([k, v]) => [v, k as RecordTypeName]));

/** App. 7 names arrays after their content, not always after the record type. */
const ARRAY_NAME: Partial<Record<RecordTypeName, string>> = {
  ActivityChangeInfo: 'VuActivityDailyRecordArray',
  SpecificConditionRecord: 'VuSpecificConditionRecordArray',
  SensorPaired: 'VuSensorPairedRecordArray',
  SensorPairedRecord: 'VuSensorPairedRecordArray',
  SensorExternalGNSSCoupledRecord: 'VuSensorExternalGNSSCoupledRecordArray',
  VehicleRegistrationNumber: 'VehicleRegistrationNumberRecordArray',
};

/** The name a RecordArray goes by in App. 7 (e.g. `VuCardIWRecordArray`). */
export function recordArrayName(recordType: number): string {
  const name = NAME_OF.get(recordType);
  if (!name) return `RecordArray(type 0x${recordType.toString(16).padStart(2, '0')})`;
  return ARRAY_NAME[name] ?? `${name.replace(/Record$/, '')}RecordArray`;
}

export const RECORD_ARRAY_HEADER_SIZE = 5;

/** Builds an array from records that must all be `recordSize` bytes. */
export function encodeRecordArray(recordType: number, recordSize: number, records: readonly Uint8Array[]): Uint8Array {
  if (recordSize < 1 || recordSize > 0xffff) throw new RangeError(`recordSize ${recordSize} is not 1..65535`);
  if (records.length > 0xffff) throw new RangeError(`${records.length} records do not fit noOfRecords`);
  const out = new Uint8Array(RECORD_ARRAY_HEADER_SIZE + recordSize * records.length);
  out[0] = recordType;
  out[1] = recordSize >> 8;
  out[2] = recordSize & 0xff;
  out[3] = records.length >> 8;
  out[4] = records.length & 0xff;
  records.forEach((r, i) => {
    if (r.length !== recordSize) throw new RangeError(`${recordArrayName(recordType)}: record ${i} is ${r.length} bytes, recordSize is ${recordSize}`);
    out.set(r, RECORD_ARRAY_HEADER_SIZE + i * recordSize);
  });
  return out;
}

/** One array as found in a byte stream. */
export interface RecordArrayView {
  recordType: number;
  name: string;
  recordSize: number;
  records: Uint8Array[];
  /** Where the array (header included) lies in the parsed buffer. */
  offset: number;
  length: number;
  bytes: Uint8Array;
}

/**
 * One array at `offset`. Checked against the bytes present before anything is made from the header: App. 1
 * gives recordSize INTEGER(1..65535), so a header announcing records of 0 bytes is refused (65 535 of them
 * in 5 bytes made a 1 kB .DDD cost hundreds of MB of record views); with recordSize ≥ 1 the records made
 * never outnumber the bytes. An empty array with recordSize 0 is let through: it costs nothing.
 */
export function readRecordArray(bytes: Uint8Array, offset: number): RecordArrayView {
  if (offset + RECORD_ARRAY_HEADER_SIZE > bytes.length) throw new App7RecordError(`record array header at ${offset} is cut off`);
  const recordType = bytes[offset]!;
  const recordSize = (bytes[offset + 1]! << 8) | bytes[offset + 2]!;
  const count = (bytes[offset + 3]! << 8) | bytes[offset + 4]!;
  const length = RECORD_ARRAY_HEADER_SIZE + recordSize * count;
  const name = recordArrayName(recordType);
  if (recordSize === 0 && count > 0) throw new App7RecordError(`${name} at ${offset}: ${count} records of recordSize 0 (App. 1: recordSize 1..65535)`);
  if (offset + length > bytes.length) throw new App7RecordError(`${name} at ${offset}: ${count} × ${recordSize} bytes run past the end (${bytes.length - offset - RECORD_ARRAY_HEADER_SIZE} left)`);
  const records: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const at = offset + RECORD_ARRAY_HEADER_SIZE + i * recordSize;
    records.push(bytes.subarray(at, at + recordSize));
  }
  return { recordType, name, recordSize, records, offset, length, bytes: bytes.subarray(offset, offset + length) };
}
