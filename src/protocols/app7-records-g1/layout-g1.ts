import { App7G1Error } from './fields-g1.ts';

/**
 * The data of a generation 1 TREP (App. 7 DDP_029..033, "Data structure generation 1") is a fixed sequence of
 * App. 1 elements with no record-array framing: an element is either of fixed size or a count (1 or 2 bytes,
 * big-endian, App. 1 gives its INTEGER range) followed by that many records of one fixed size. A block's length
 * is therefore known only by walking its elements; the last is always the 128-byte RSA `Signature`
 * (App. 1 2.149, gen1: the modulus length, CSM_034).
 */
export type G1Element =
  | { name: string; kind: 'fixed'; size: number }
  /** `countBytes`: the size of noOfXxx (App. 1: INTEGER(0..255) one byte, INTEGER(0..2^16-1) two). */
  | { name: string; kind: 'counted'; countBytes: 1 | 2; recordSize: number; record: string };

export const SIGNATURE_G1_SIZE = 128;
export const CERTIFICATE_G1_SIZE = 194;

const fixed = (name: string, size: number): G1Element => ({ name, kind: 'fixed', size });
const counted = (name: string, countBytes: 1 | 2, record: string, recordSize: number): G1Element => ({ name, kind: 'counted', countBytes, recordSize, record });
const signature = fixed('Signature', SIGNATURE_G1_SIZE);

/** Record sizes of the gen1 App. 1 records (bytes), each the sum of its fields (records-g1.ts lays them out). */
export const G1_RECORD_SIZE = {
  VuDownloadActivityData: 58,
  VuCompanyLocksRecord: 98,
  VuControlActivityRecord: 31,
  VuCardIWRecord: 129,
  ActivityChangeInfo: 2,
  VuPlaceDailyWorkPeriodRecord: 28,
  SpecificConditionRecord: 5,
  VuFaultRecord: 82,
  VuEventRecord: 83,
  VuOverSpeedingControlData: 9,
  VuOverSpeedingEventRecord: 31,
  VuTimeAdjustmentRecord: 98,
  VuDetailedSpeedBlock: 64,
  VuIdentification: 116,
  SensorPaired: 20,
  VuCalibrationRecord: 167,
} as const;
const S = G1_RECORD_SIZE;

/** App. 7 DDP_029..033, the generation 1 tables, element by element. */
export const G1_TREP_ELEMENTS: Readonly<Record<number, readonly G1Element[]>> = {
  // DDP_029 TREP 01
  0x01: [
    fixed('MemberStateCertificate', CERTIFICATE_G1_SIZE),
    fixed('VuCertificate', CERTIFICATE_G1_SIZE),
    fixed('VehicleIdentificationNumber', 17),
    fixed('VehicleRegistrationIdentification', 15),
    fixed('CurrentDateTime', 4),
    fixed('VuDownloadablePeriod', 8),
    fixed('CardSlotsStatus', 1),
    fixed('VuDownloadActivityData', S.VuDownloadActivityData),
    counted('VuCompanyLocksData', 1, 'VuCompanyLocksRecord', S.VuCompanyLocksRecord),
    counted('VuControlActivityData', 1, 'VuControlActivityRecord', S.VuControlActivityRecord),
    signature,
  ],
  // DDP_030 TREP 02
  0x02: [
    fixed('TimeReal', 4),
    fixed('OdometerValueMidnight', 3),
    counted('VuCardIWData', 2, 'VuCardIWRecord', S.VuCardIWRecord),
    counted('VuActivityDailyData', 2, 'ActivityChangeInfo', S.ActivityChangeInfo),
    counted('VuPlaceDailyWorkPeriodData', 1, 'VuPlaceDailyWorkPeriodRecord', S.VuPlaceDailyWorkPeriodRecord),
    counted('VuSpecificConditionData', 2, 'SpecificConditionRecord', S.SpecificConditionRecord),
    signature,
  ],
  // DDP_031 TREP 03
  0x03: [
    counted('VuFaultData', 1, 'VuFaultRecord', S.VuFaultRecord),
    counted('VuEventData', 1, 'VuEventRecord', S.VuEventRecord),
    fixed('VuOverSpeedingControlData', S.VuOverSpeedingControlData),
    counted('VuOverSpeedingEventData', 1, 'VuOverSpeedingEventRecord', S.VuOverSpeedingEventRecord),
    counted('VuTimeAdjustmentData', 1, 'VuTimeAdjustmentRecord', S.VuTimeAdjustmentRecord),
    signature,
  ],
  // DDP_032 TREP 04
  0x04: [counted('VuDetailedSpeedData', 2, 'VuDetailedSpeedBlock', S.VuDetailedSpeedBlock), signature],
  // DDP_033 TREP 05
  0x05: [fixed('VuIdentification', S.VuIdentification), fixed('SensorPaired', S.SensorPaired), counted('VuCalibrationData', 1, 'VuCalibrationRecord', S.VuCalibrationRecord), signature],
};

/** One element as found in a TREP's data: its bytes (count included) and, for a counted one, its records. */
export interface G1ElementView {
  element: G1Element;
  /** Offset in the buffer walked. */
  offset: number;
  bytes: Uint8Array;
  /** A fixed element's content; a counted element's records. */
  records: Uint8Array[];
}

const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();

/**
 * The elements of TREP `trep`'s data at `offset` of `bytes`, each checked against the bytes left; the total
 * length is where the signature ends. Throws App7G1Error naming the TREP, the element and its offset.
 */
export function splitG1Trep(trep: number, bytes: Uint8Array, offset = 0): { elements: G1ElementView[]; length: number } {
  const layout = G1_TREP_ELEMENTS[trep];
  if (!layout) throw new App7G1Error(`TREP ${hex(trep)} is not a generation 1 VU block (TREP 01..05, App. 7 DDP_011)`);
  const elements: G1ElementView[] = [];
  let at = offset;
  for (const element of layout) {
    const where = `TREP ${hex(trep)}: ${element.name} at ${at}`;
    if (element.kind === 'fixed') {
      if (at + element.size > bytes.length) throw new App7G1Error(`${where}: needs ${element.size} bytes, ${bytes.length - at} left`);
      const content = bytes.subarray(at, at + element.size);
      elements.push({ element, offset: at, bytes: content, records: [content] });
      at += element.size;
      continue;
    }
    if (at + element.countBytes > bytes.length) throw new App7G1Error(`${where}: its count is cut off`);
    const count = element.countBytes === 1 ? bytes[at]! : (bytes[at]! << 8) | bytes[at + 1]!;
    const length = element.countBytes + count * element.recordSize;
    if (at + length > bytes.length) throw new App7G1Error(`${where}: ${count} × ${element.recordSize}-byte ${element.record} run past the end (${bytes.length - at - element.countBytes} left)`);
    const records: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const r = at + element.countBytes + i * element.recordSize;
      records.push(bytes.subarray(r, r + element.recordSize));
    }
    elements.push({ element, offset: at, bytes: bytes.subarray(at, at + length), records });
    at += length;
  }
  return { elements, length: at - offset };
}

/** The length of TREP `trep`'s data at `offset`, signature included (how a .DDD file is split, DDP_034). */
export function g1TrepDataLength(trep: number, bytes: Uint8Array, offset: number): number {
  return splitG1Trep(trep, bytes, offset).length;
}

/** An element's bytes with its count, for encoders: the records must all be `recordSize` bytes. */
export function countedBytes(element: G1Element, records: readonly Uint8Array[]): Uint8Array {
  if (element.kind !== 'counted') throw new RangeError(`${element.name} is not a counted element`);
  const max = element.countBytes === 1 ? 0xff : 0xffff;
  if (records.length > max) throw new RangeError(`${element.name}: ${records.length} ${element.record}s do not fit its ${element.countBytes}-byte count (at most ${max})`);
  const out = new Uint8Array(element.countBytes + records.length * element.recordSize);
  if (element.countBytes === 1) out[0] = records.length;
  else {
    out[0] = records.length >> 8;
    out[1] = records.length & 0xff;
  }
  records.forEach((r, i) => {
    if (r.length !== element.recordSize) throw new RangeError(`${element.name}: ${element.record} ${i} is ${r.length} bytes, App. 1 gives ${element.recordSize}`);
    out.set(r, element.countBytes + i * element.recordSize);
  });
  return out;
}
