import type { ActivityChangeInfo } from '../app1/activity-change-info.ts';
import { concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import { signDataG1 } from '../../crypto/pki-g1/data-signature.ts';
import type { RsaKeyPair } from '../../crypto/pki-g1/rsa-keys.ts';
import { App7G1Error, ia5, readIa5, readTimeReal, readVehicleRegistrationIdentification, timeReal, vehicleRegistrationIdentification, odometer, readOdometer, type VehicleRegistrationIdentification } from './fields-g1.ts';
import { CERTIFICATE_G1_SIZE, countedBytes, G1_TREP_ELEMENTS, splitG1Trep, type G1ElementView } from './layout-g1.ts';
import {
  decodeActivityChange,
  decodeCardSlotsStatus,
  decodeSensorPaired,
  decodeSpecificConditionRecord,
  decodeVuCalibrationRecord,
  decodeVuCardIWRecord,
  decodeVuCompanyLocksRecord,
  decodeVuControlActivityRecord,
  decodeVuDetailedSpeedBlock,
  decodeVuDownloadActivityData,
  decodeVuEventRecord,
  decodeVuFaultRecord,
  decodeVuIdentification,
  decodeVuOverSpeedingControlData,
  decodeVuOverSpeedingEventRecord,
  decodeVuPlaceDailyWorkPeriodRecord,
  decodeVuTimeAdjustmentRecord,
  encodeActivityChange,
  encodeCardSlotsStatus,
  encodeSensorPaired,
  encodeSpecificConditionRecord,
  encodeVuCalibrationRecord,
  encodeVuCardIWRecord,
  encodeVuCompanyLocksRecord,
  encodeVuControlActivityRecord,
  encodeVuDetailedSpeedBlock,
  encodeVuDownloadActivityData,
  encodeVuEventRecord,
  encodeVuFaultRecord,
  encodeVuIdentification,
  encodeVuOverSpeedingControlData,
  encodeVuOverSpeedingEventRecord,
  encodeVuPlaceDailyWorkPeriodRecord,
  encodeVuTimeAdjustmentRecord,
  type CardSlotsStatus,
  type SensorPairedG1,
  type SpecificConditionRecordG1,
  type VuCalibrationRecordG1,
  type VuCardIWRecordG1,
  type VuCompanyLocksRecordG1,
  type VuControlActivityRecordG1,
  type VuDetailedSpeedBlockG1,
  type VuDownloadActivityDataG1,
  type VuDownloadablePeriod,
  type VuEventRecordG1,
  type VuFaultRecordG1,
  type VuIdentificationG1,
  type VuOverSpeedingControlDataG1,
  type VuOverSpeedingEventRecordG1,
  type VuPlaceDailyWorkPeriodRecordG1,
  type VuTimeAdjustmentRecordG1,
} from './records-g1.ts';

/**
 * The generation 1 VU download (App. 7 DDP_029..033, gen1 tables; App. 11 Part A): TREP 01..05 encoded from
 * plain data and signed, and decoded back into the same data. A decoder takes a TREP's data (what a .DDD
 * block holds after SID and TREP) or the message with `76 TREP` in front, and refuses anything off the layout
 * (layout-g1.ts: an element cut off, a count running past the end, bytes after the signature) or a value
 * App. 1 does not define, with an App7G1Error naming the TREP and the element. Signatures are not checked
 * here (src/protocols/ddd/verify-g1.ts does, with the certificates).
 */

/**
 * What signs a gen1 download (CSM_034): the VU's RSA key pair and the two certificates TREP 01 carries
 * (CSM_009: the MS certificate and the VU certificate, 194 bytes each, hex).
 */
export interface G1DownloadSigner {
  key: RsaKeyPair;
  memberStateCertificate: string;
  vuCertificate: string;
}

export interface DecodedTrepG1<T> {
  data: T;
  /** The 128-byte RSA Signature (CSM_034: PKCS #1 v1.5, SHA-1), hex. */
  signature: string;
}

/** DDP_029 TREP 01. */
export interface OverviewG1 {
  /** MemberStateCertificate and VUCertificate (App. 1 2.96, 2.181; 194 bytes each), hex. Not signed. */
  memberStateCertificate: string;
  vuCertificate: string;
  vehicleIdentificationNumber: string;
  vehicleRegistrationIdentification: VehicleRegistrationIdentification;
  /** CurrentDateTime: the VU's date and time at the download. */
  currentDateTime: number;
  vuDownloadablePeriod: VuDownloadablePeriod;
  cardSlotsStatus: CardSlotsStatus;
  vuDownloadActivityData: VuDownloadActivityDataG1;
  /** VuCompanyLocksData's records (noOfLocks is their number). */
  vuCompanyLocksRecords: VuCompanyLocksRecordG1[];
  /** VuControlActivityData's records. */
  vuControlActivityRecords: VuControlActivityRecordG1[];
}
/** What TREP 01 is encoded from: its data without the certificates, which the signer brings. */
export type OverviewG1Input = Omit<OverviewG1, 'memberStateCertificate' | 'vuCertificate'>;

/** DDP_030 TREP 02: one calendar day. */
export interface ActivitiesG1 {
  /** The TimeReal in front: the date of the day downloaded, 00:00 UTC (ms). */
  dateOfDayDownloaded: number;
  /** OdometerValueMidnight (km): the odometer at the end of the day downloaded. */
  odometerValueMidnight: number;
  vuCardIWRecords: VuCardIWRecordG1[];
  /** VuActivityDailyData's ActivityChangeInfo words (the two slots' status at 00:00 first). */
  activityChangeInfos: ActivityChangeInfo[];
  vuPlaceDailyWorkPeriodRecords: VuPlaceDailyWorkPeriodRecordG1[];
  specificConditionRecords: SpecificConditionRecordG1[];
}

/** DDP_031 TREP 03. */
export interface EventsAndFaultsG1 {
  vuFaultRecords: VuFaultRecordG1[];
  /** All events but over speeding. */
  vuEventRecords: VuEventRecordG1[];
  vuOverSpeedingControlData: VuOverSpeedingControlDataG1;
  vuOverSpeedingEventRecords: VuOverSpeedingEventRecordG1[];
  vuTimeAdjustmentRecords: VuTimeAdjustmentRecordG1[];
}

/** DDP_032 TREP 04. */
export interface DetailedSpeedG1 {
  vuDetailedSpeedBlocks: VuDetailedSpeedBlockG1[];
}

/** DDP_033 TREP 05. */
export interface TechnicalDataG1 {
  vuIdentification: VuIdentificationG1;
  sensorPaired: SensorPairedG1;
  vuCalibrationRecords: VuCalibrationRecordG1[];
}

const elementsOf = (trep: number) => G1_TREP_ELEMENTS[trep]!;
const counted = (trep: number, index: number, records: readonly Uint8Array[]) => countedBytes(elementsOf(trep)[index]!, records);

function sign(signer: G1DownloadSigner, signed: Uint8Array): Uint8Array {
  return signDataG1(signer.key, signed);
}

/** The bytes of TREP 01's data its signature covers: every element from the VIN to the last control record (DDP_029). */
export const TREP01_SIGNED_FROM = 2 * CERTIFICATE_G1_SIZE;

/** DDP_029: the certificates, the overview, the signature over the overview without the certificates. */
export function encodeTrep01(d: OverviewG1Input, signer: G1DownloadSigner): Uint8Array {
  const msc = fromHex(signer.memberStateCertificate);
  const vuc = fromHex(signer.vuCertificate);
  if (msc.length !== CERTIFICATE_G1_SIZE || vuc.length !== CERTIFICATE_G1_SIZE) throw new RangeError(`gen1 certificates are ${CERTIFICATE_G1_SIZE} bytes (CSM_017), got ${msc.length} and ${vuc.length}`);
  const signed = concatBytes(
    ia5(d.vehicleIdentificationNumber, 17),
    vehicleRegistrationIdentification(d.vehicleRegistrationIdentification),
    timeReal(d.currentDateTime),
    timeReal(d.vuDownloadablePeriod.minDownloadableTime),
    timeReal(d.vuDownloadablePeriod.maxDownloadableTime),
    encodeCardSlotsStatus(d.cardSlotsStatus),
    encodeVuDownloadActivityData(d.vuDownloadActivityData),
    counted(0x01, 8, d.vuCompanyLocksRecords.map(encodeVuCompanyLocksRecord)),
    counted(0x01, 9, d.vuControlActivityRecords.map(encodeVuControlActivityRecord)),
  );
  return concatBytes(msc, vuc, signed, sign(signer, signed));
}

/** DDP_030: the day's data, signed from the TimeReal to the last specific condition record. */
export function encodeTrep02(d: ActivitiesG1, signer: G1DownloadSigner): Uint8Array {
  const signed = concatBytes(
    timeReal(d.dateOfDayDownloaded),
    odometer(d.odometerValueMidnight),
    counted(0x02, 2, d.vuCardIWRecords.map(encodeVuCardIWRecord)),
    counted(0x02, 3, d.activityChangeInfos.map(encodeActivityChange)),
    counted(0x02, 4, d.vuPlaceDailyWorkPeriodRecords.map(encodeVuPlaceDailyWorkPeriodRecord)),
    counted(0x02, 5, d.specificConditionRecords.map(encodeSpecificConditionRecord)),
  );
  return concatBytes(signed, sign(signer, signed));
}

/** DDP_031: signed from noOfVuFaults to the last time adjustment record. */
export function encodeTrep03(d: EventsAndFaultsG1, signer: G1DownloadSigner): Uint8Array {
  const signed = concatBytes(
    counted(0x03, 0, d.vuFaultRecords.map(encodeVuFaultRecord)),
    counted(0x03, 1, d.vuEventRecords.map(encodeVuEventRecord)),
    encodeVuOverSpeedingControlData(d.vuOverSpeedingControlData),
    counted(0x03, 3, d.vuOverSpeedingEventRecords.map(encodeVuOverSpeedingEventRecord)),
    counted(0x03, 4, d.vuTimeAdjustmentRecords.map(encodeVuTimeAdjustmentRecord)),
  );
  return concatBytes(signed, sign(signer, signed));
}

/** DDP_032: signed from noOfSpeedBlocks to the last speed block. */
export function encodeTrep04(d: DetailedSpeedG1, signer: G1DownloadSigner): Uint8Array {
  const signed = counted(0x04, 0, d.vuDetailedSpeedBlocks.map(encodeVuDetailedSpeedBlock));
  return concatBytes(signed, sign(signer, signed));
}

/** DDP_033: signed from vuManufacturerName to the last calibration record. */
export function encodeTrep05(d: TechnicalDataG1, signer: G1DownloadSigner): Uint8Array {
  const signed = concatBytes(encodeVuIdentification(d.vuIdentification), encodeSensorPaired(d.sensorPaired), counted(0x05, 2, d.vuCalibrationRecords.map(encodeVuCalibrationRecord)));
  return concatBytes(signed, sign(signer, signed));
}

const SID_POSITIVE_TRANSFER_DATA = 0x76;
const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();

/**
 * The elements of a whole TREP's data, nothing after the signature. The message may be the data alone or
 * the positive response with `76 TREP` in front; the data of a TREP 01 begins with a certificate's RSA
 * block, which may itself begin `76 01`, so both readings are tried, the one with the SID and TREP first.
 */
function elements(message: Uint8Array, trep: number): { views: G1ElementView[]; signature: string } {
  const candidates = message[0] === SID_POSITIVE_TRANSFER_DATA && message[1] === trep ? [message.subarray(2), message] : [message];
  let first: unknown;
  for (const data of candidates) {
    try {
      const { elements: views, length } = splitG1Trep(trep, data);
      if (length !== data.length) throw new App7G1Error(`TREP ${hex(trep)}: ${data.length - length} byte(s) after the Signature`);
      return { views, signature: toHex(views[views.length - 1]!.bytes) };
    } catch (error) {
      if (!(error instanceof App7G1Error)) throw error;
      first ??= error;
    }
  }
  throw first;
}

/** Decodes each record of an element, naming the TREP, element and record index on a refusal. */
function records<T>(trep: number, view: G1ElementView, decode: (b: Uint8Array) => T): T[] {
  return view.records.map((r, i) => {
    try {
      return decode(r);
    } catch (error) {
      if (!(error instanceof App7G1Error)) throw error;
      const many = view.element.kind === 'counted' ? ` ${view.element.record} ${i + 1}` : '';
      throw new App7G1Error(`TREP ${hex(trep)}: ${view.element.name}${many} at ${view.offset}: ${error.message}`);
    }
  });
}
const one = <T>(trep: number, view: G1ElementView, decode: (b: Uint8Array) => T): T => records(trep, view, decode)[0]!;

export function decodeTrep01(message: Uint8Array): DecodedTrepG1<OverviewG1> {
  const { views: v, signature } = elements(message, 0x01);
  return {
    data: {
      memberStateCertificate: toHex(v[0]!.bytes),
      vuCertificate: toHex(v[1]!.bytes),
      vehicleIdentificationNumber: readIa5(v[2]!.bytes, 0, 17),
      vehicleRegistrationIdentification: readVehicleRegistrationIdentification(v[3]!.bytes, 0),
      currentDateTime: readTimeReal(v[4]!.bytes, 0),
      vuDownloadablePeriod: { minDownloadableTime: readTimeReal(v[5]!.bytes, 0), maxDownloadableTime: readTimeReal(v[5]!.bytes, 4) },
      cardSlotsStatus: one(0x01, v[6]!, decodeCardSlotsStatus),
      vuDownloadActivityData: one(0x01, v[7]!, decodeVuDownloadActivityData),
      vuCompanyLocksRecords: records(0x01, v[8]!, decodeVuCompanyLocksRecord),
      vuControlActivityRecords: records(0x01, v[9]!, decodeVuControlActivityRecord),
    },
    signature,
  };
}

export function decodeTrep02(message: Uint8Array): DecodedTrepG1<ActivitiesG1> {
  const { views: v, signature } = elements(message, 0x02);
  return {
    data: {
      dateOfDayDownloaded: readTimeReal(v[0]!.bytes, 0),
      odometerValueMidnight: readOdometer(v[1]!.bytes, 0),
      vuCardIWRecords: records(0x02, v[2]!, decodeVuCardIWRecord),
      activityChangeInfos: records(0x02, v[3]!, decodeActivityChange),
      vuPlaceDailyWorkPeriodRecords: records(0x02, v[4]!, decodeVuPlaceDailyWorkPeriodRecord),
      specificConditionRecords: records(0x02, v[5]!, decodeSpecificConditionRecord),
    },
    signature,
  };
}

export function decodeTrep03(message: Uint8Array): DecodedTrepG1<EventsAndFaultsG1> {
  const { views: v, signature } = elements(message, 0x03);
  return {
    data: {
      vuFaultRecords: records(0x03, v[0]!, decodeVuFaultRecord),
      vuEventRecords: records(0x03, v[1]!, decodeVuEventRecord),
      vuOverSpeedingControlData: one(0x03, v[2]!, decodeVuOverSpeedingControlData),
      vuOverSpeedingEventRecords: records(0x03, v[3]!, decodeVuOverSpeedingEventRecord),
      vuTimeAdjustmentRecords: records(0x03, v[4]!, decodeVuTimeAdjustmentRecord),
    },
    signature,
  };
}

export function decodeTrep04(message: Uint8Array): DecodedTrepG1<DetailedSpeedG1> {
  const { views: v, signature } = elements(message, 0x04);
  return { data: { vuDetailedSpeedBlocks: records(0x04, v[0]!, decodeVuDetailedSpeedBlock) }, signature };
}

export function decodeTrep05(message: Uint8Array): DecodedTrepG1<TechnicalDataG1> {
  const { views: v, signature } = elements(message, 0x05);
  return {
    data: {
      vuIdentification: one(0x05, v[0]!, decodeVuIdentification),
      sensorPaired: one(0x05, v[1]!, decodeSensorPaired),
      vuCalibrationRecords: records(0x05, v[2]!, decodeVuCalibrationRecord),
    },
    signature,
  };
}

/**
 * The bytes a gen1 TREP's signature covers and the signature itself (DDP_029..033 "RSA signature of all data
 * ..."): TREP 01 all but the two certificates, TREP 02..05 everything before the signature. Throws as the
 * decoders do when the data does not split into the TREP's elements.
 */
export function signedPartG1(trep: number, data: Uint8Array): { signed: Uint8Array; signature: Uint8Array } {
  const { elements: views, length } = splitG1Trep(trep, data);
  if (length !== data.length) throw new App7G1Error(`TREP ${hex(trep)}: ${data.length - length} byte(s) after the Signature`);
  const sig = views[views.length - 1]!;
  const from = trep === 0x01 ? TREP01_SIGNED_FROM : 0;
  return { signed: data.subarray(from, sig.offset), signature: sig.bytes };
}
