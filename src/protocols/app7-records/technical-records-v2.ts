import { concatBytes } from '../../crypto/bytes.ts';
import { decodeTimeReal, encodeIa5, encodeTimeReal } from '../app1/app1-codec.ts';
import { fixedSlice } from '../app1/gnss-place-auth-record.ts';
import { decodeExtendedSerialNumber, encodeExtendedSerialNumber, type ExtendedSerialNumber } from '../motion-sensor/payloads.ts';
import { decodeIa5 } from './records.ts';
import {
  CALIBRATION_GEN1_PART_SIZE,
  decodeCalibrationGen1Part,
  decodeSealDataVu,
  decodeVuIdentification,
  encodeCalibrationGen1Part,
  encodeSealDataVu,
  encodeVuIdentification,
  VU_IDENTIFICATION_SIZE,
  type VuCalibration,
  type VuIdentification,
} from './technical-records.ts';

/**
 * App. 1 records of TREP 35 (technical data, DDP_033) that generation 2 version 2 changed: VuIdentification
 * gains vuDigitalMapVersion, VuCalibrationRecord gains the serial numbers of what was paired and coupled at the
 * end of the calibration, the vehicle's by-default load type and the country of the calibration. They sit
 * beside their gen2 v1 siblings (technical-records.ts), whose codecs they extend; times as there (TimeReal
 * seconds, identification dates as ISO strings).
 */

/**
 * App. 1 §2.205 VuIdentification, gen2 v2 (138 bytes): the gen2 v1 fields (vuManufacturerName 0..35,
 * vuManufacturerAddress 36..71, vuPartNumber 72..87, vuSerialNumber 88..95, vuSoftwareIdentification 96..103
 * (version IA5 4, installation date TimeReal), vuManufacturingDate 104..107, vuApprovalNumber 108..123,
 * vuGeneration 124, vuAbility 125), then vuDigitalMapVersion 126..137 (§2.192a IA5String(SIZE(12)), Annex IC
 * 133j).
 */
export interface VuIdentificationV2 extends VuIdentification {
  /** VuDigitalMapVersion, IA5 12: the version of the digital map the VU holds (Annex IC 133j, 133k). */
  digitalMapVersion: string;
}
export const VU_IDENTIFICATION_V2_SIZE = VU_IDENTIFICATION_SIZE + 12;

export function encodeVuIdentificationV2(id: VuIdentificationV2): Uint8Array {
  return concatBytes(encodeVuIdentification(id), encodeIa5(id.digitalMapVersion, 12));
}

export function decodeVuIdentificationV2(bytes: Uint8Array, offset = 0): VuIdentificationV2 {
  const b = fixedSlice(bytes, offset, VU_IDENTIFICATION_V2_SIZE, 'VuIdentification');
  return { ...decodeVuIdentification(b.subarray(0, VU_IDENTIFICATION_SIZE)), digitalMapVersion: decodeIa5(b, VU_IDENTIFICATION_SIZE, 12) };
}

/** App. 1 §2.90a LoadType: '00'H undefined, '01'H goods, '02'H passengers; the rest RFU. */
export type LoadType = 'undefined' | 'goods' | 'passengers';
const LOAD_TYPES: readonly LoadType[] = ['undefined', 'goods', 'passengers'];

/**
 * App. 1 §2.174 VuCalibrationRecord, gen2 v2 (252 bytes):
 *
 *   offset size field
 *        0  167 the generation 1 fields (calibrationPurpose .. nextCalibrationDate), as gen2 v1
 *      167    8 sensorSerialNumber           SensorSerialNumber (ExtendedSerialNumber)
 *      175    8 sensorGNSSSerialNumber       SensorGNSSSerialNumber (ExtendedSerialNumber)
 *      183    8 rcmSerialNumber              RemoteCommunicationModuleSerialNumber (ExtendedSerialNumber)
 *      191   55 sealDataVu                   SealDataVu (5 × SealRecord of 11)
 *      246    1 byDefaultLoadType            LoadType
 *      247    1 calibrationCountry           NationNumeric
 *      248    4 calibrationCountryTimestamp  TimeReal
 *
 * The order is App. 1's list of the gen2 v2 elements (sensorSerialNumber, sensorGNSSSerialNumber,
 * rcmSerialNumber, sealDataVu, byDefaultLoadType, calibrationCountry, calibrationCountryTimestamp), which
 * traconiq/tachoparser's VuCalibrationRecordSecondGenV2 follows too. An external GNSS facility or remote
 * communication facility the VU was not coupled with ("if any") is 8 zero bytes, read back as null (a choice:
 * App. 1 gives no value for "none").
 */
export interface VuCalibrationV2 extends VuCalibration {
  sensorSerialNumber: ExtendedSerialNumber | null;
  sensorGNSSSerialNumber: ExtendedSerialNumber | null;
  rcmSerialNumber: ExtendedSerialNumber | null;
  byDefaultLoadType: LoadType;
  calibrationCountry: number;
  /** TimeReal seconds. */
  calibrationCountryTimestamp: number;
}
export const VU_CALIBRATION_RECORD_V2_SIZE = 252;

function serial(s: ExtendedSerialNumber | null): Uint8Array {
  return s === null ? new Uint8Array(8) : encodeExtendedSerialNumber(s);
}
function readSerial(b: Uint8Array, at: number): ExtendedSerialNumber | null {
  const bytes = b.subarray(at, at + 8);
  return bytes.every((x) => x === 0) ? null : decodeExtendedSerialNumber(bytes);
}

export function encodeVuCalibrationRecordV2(c: VuCalibrationV2): Uint8Array {
  const loadType = LOAD_TYPES.indexOf(c.byDefaultLoadType);
  if (loadType < 0) throw new RangeError(`not a LoadType: ${String(c.byDefaultLoadType)}`);
  if (!Number.isInteger(c.calibrationCountry) || c.calibrationCountry < 0 || c.calibrationCountry > 255) throw new RangeError(`calibrationCountry ${c.calibrationCountry} is not a NationNumeric`);
  return concatBytes(
    encodeCalibrationGen1Part(c),
    serial(c.sensorSerialNumber),
    serial(c.sensorGNSSSerialNumber),
    serial(c.rcmSerialNumber),
    encodeSealDataVu(c.sealDataVu),
    Uint8Array.of(loadType, c.calibrationCountry),
    encodeTimeReal(c.calibrationCountryTimestamp * 1000),
  );
}

export function decodeVuCalibrationRecordV2(bytes: Uint8Array, offset = 0): VuCalibrationV2 {
  const b = fixedSlice(bytes, offset, VU_CALIBRATION_RECORD_V2_SIZE, 'VuCalibrationRecord');
  const at = CALIBRATION_GEN1_PART_SIZE;
  const byDefaultLoadType = LOAD_TYPES[b[at + 79]!];
  if (!byDefaultLoadType) throw new RangeError(`VuCalibrationRecord: LoadType '${b[at + 79]!.toString(16).padStart(2, '0').toUpperCase()}'H is RFU (App. 1 §2.90a)`);
  return {
    ...decodeCalibrationGen1Part(b),
    sensorSerialNumber: readSerial(b, at),
    sensorGNSSSerialNumber: readSerial(b, at + 8),
    rcmSerialNumber: readSerial(b, at + 16),
    sealDataVu: decodeSealDataVu(b, at + 24),
    byDefaultLoadType,
    calibrationCountry: b[at + 80]!,
    calibrationCountryTimestamp: decodeTimeReal(b, at + 81) / 1000,
  };
}
