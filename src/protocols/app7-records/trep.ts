import { concatBytes, fromHex } from '../../crypto/bytes.ts';
import { signPlain, type EcKeyPair } from '../../crypto/pki/ec-keys.ts';
import {
  encodeIa5,
  encodeOdometerShort,
  encodeTimeReal,
  encodeVehicleRegistrationNumber,
} from '../app1/app1-codec.ts';
import { encodeVuCardIWRecord, VU_CARD_IW_RECORD_SIZE, type VuCardIWRecord } from '../app1/vu-card-iw-record.ts';
import { encodeActivityChangeInfo } from '../app1/activity-change-info.ts';
import type { ActivityChangeInfo } from '../app1/activity-change-info.ts';
import type { DetailedSpeedBlock } from '../app1/detailed-speed-block.ts';
import {
  encodeVuEventRecord,
  encodeVuFaultRecord,
  encodeVuOverSpeedingControlData,
  encodeVuOverSpeedingEventRecord,
  encodeVuPowerSupplyInterruptionRecord,
  encodeVuTimeAdjustmentRecord,
  VU_EVENT_RECORD_SIZE,
  VU_FAULT_RECORD_SIZE,
  VU_OVER_SPEEDING_EVENT_RECORD_SIZE,
  VU_POWER_SUPPLY_INTERRUPTION_RECORD_SIZE,
  VU_TIME_ADJUSTMENT_RECORD_SIZE,
  type DownloadedEventFault,
  type OverSpeedingControl,
  type VuTimeAdjustment,
} from './event-records.ts';
import { encodeRecordArray, readRecordArray, RECORD_TYPE, type RecordArrayView } from './record-array.ts';
import {
  encodeSensorExternalGnssCoupledRecord,
  encodeSensorPairedRecord,
  encodeVuCalibrationRecord,
  encodeVuCardRecord,
  encodeVuIdentification,
  encodeVuItsConsentRecord,
  SENSOR_EXTERNAL_GNSS_COUPLED_RECORD_SIZE,
  SENSOR_PAIRED_RECORD_SIZE,
  VU_CALIBRATION_RECORD_SIZE,
  VU_CARD_RECORD_SIZE,
  VU_ITS_CONSENT_RECORD_SIZE,
  type SensorExternalGnssCoupled,
  type SensorPaired,
  type VuCalibration,
  type VuCard,
  type VuIdentification,
  type VuItsConsent,
} from './technical-records.ts';
import {
  encodeCardSlotsStatus,
  encodeSpecificConditionRecord,
  encodeVuCompanyLocksRecord,
  encodeVuControlActivityRecord,
  encodeVuDetailedSpeedBlock,
  encodeVuDownloadActivityData,
  encodeVuGnssAdRecord,
  encodeVuPlaceDailyWorkPeriodRecord,
  type SlotCardKind,
  type SpecificCondition,
  type VuCompanyLock,
  type VuControlActivity,
  type VuDownloadActivity,
  type VuGnssAd,
  type VuPlaceDailyWorkPeriod,
} from './records.ts';

/** The VU's signing material: VU_Sign key and the certificates TREP 21 carries (CSM_231). */
export interface DownloadSigner {
  vuSignKey: EcKeyPair;
  /** DER hex of the MSCA_VU-EGF certificate and of the VU_Sign certificate. */
  mscaCertificate: string;
  vuCertificate: string;
}

/** CSM_233: ECDSA-SHA-256 plain over the given bytes, in a SignatureRecordArray (type '08'H, one record). */
export function signatureRecordArray(signer: DownloadSigner, signed: Uint8Array): Uint8Array {
  const sig = signPlain(signer.vuSignKey, signed);
  return encodeRecordArray(RECORD_TYPE.Signature, sig.length, [sig]);
}

export function single(type: number, record: Uint8Array): Uint8Array {
  return encodeRecordArray(type, record.length, [record]);
}
export function many<T>(type: number, size: number, items: readonly T[], encode: (item: T) => Uint8Array): Uint8Array {
  return encodeRecordArray(type, size, items.map(encode));
}

/** DDP_055: what the Overview carries. */
export interface OverviewData {
  vin: string;
  registrationNumber: string;
  currentTime: number;
  minDownloadableTime: number;
  maxDownloadableTime: number;
  slots: { driver: SlotCardKind; codriver: SlotCardKind };
  lastDownload: VuDownloadActivity | null;
  companyLocks: readonly VuCompanyLock[];
  controls: readonly VuControlActivity[];
}

/**
 * TREP 21 (DDP_029, DDP_055): the two certificate arrays, then the overview arrays, then the signature over
 * the overview arrays only (the certificates are not signed: DDP_029).
 */
export function encodeTrep21(data: OverviewData, signer: DownloadSigner): Uint8Array {
  const msca = fromHex(signer.mscaCertificate);
  const vu = fromHex(signer.vuCertificate);
  const certificates = concatBytes(single(RECORD_TYPE.MemberStateCertificate, msca), single(RECORD_TYPE.VuCertificate, vu));
  const signed = concatBytes(
    single(RECORD_TYPE.VehicleIdentificationNumber, encodeIa5(data.vin, 17)),
    single(RECORD_TYPE.VehicleRegistrationNumber, encodeVehicleRegistrationNumber(data.registrationNumber)),
    single(RECORD_TYPE.CurrentDateTime, encodeTimeReal(data.currentTime)),
    single(RECORD_TYPE.VuDownloadablePeriod, concatBytes(encodeTimeReal(data.minDownloadableTime), encodeTimeReal(data.maxDownloadableTime))),
    single(RECORD_TYPE.CardSlotsStatus, encodeCardSlotsStatus(data.slots.driver, data.slots.codriver)),
    // a VU never downloaded to a company sends an empty array (a choice: DDP_029 is silent)
    many(RECORD_TYPE.VuDownloadActivityData, 59, data.lastDownload ? [data.lastDownload] : [], encodeVuDownloadActivityData),
    many(RECORD_TYPE.VuCompanyLocksRecord, 99, data.companyLocks, encodeVuCompanyLocksRecord),
    many(RECORD_TYPE.VuControlActivityRecord, 32, data.controls, encodeVuControlActivityRecord),
  );
  return concatBytes(certificates, signed, signatureRecordArray(signer, signed));
}

/** DDP_030: one calendar day. */
export interface ActivitiesOfDayData {
  /** ms of 00:00 UTC of the day. */
  day: number;
  odometerAtMidnightKm: number;
  cardIW: readonly VuCardIWRecord[];
  activities: readonly ActivityChangeInfo[];
  places: readonly VuPlaceDailyWorkPeriod[];
  gnssAccumulatedDriving: readonly VuGnssAd[];
  specificConditions: readonly SpecificCondition[];
}

export function encodeTrep22(data: ActivitiesOfDayData, signer: DownloadSigner): Uint8Array {
  const signed = concatBytes(
    single(RECORD_TYPE.DateOfDayDownloaded, encodeTimeReal(data.day)),
    single(RECORD_TYPE.OdometerValueMidnight, encodeOdometerShort(data.odometerAtMidnightKm)),
    many(RECORD_TYPE.VuCardIWRecord, VU_CARD_IW_RECORD_SIZE, data.cardIW, encodeVuCardIWRecord),
    many(RECORD_TYPE.ActivityChangeInfo, 2, data.activities, encodeActivityChangeInfo),
    many(RECORD_TYPE.VuPlaceDailyWorkPeriodRecord, 40, data.places, encodeVuPlaceDailyWorkPeriodRecord),
    // seed L5023-5030: VuGNSSADRecordArray replaces VuGNSSCDRecordArray; empty means header with 0 records
    many(RECORD_TYPE.VuGNSSADRecord, 56, data.gnssAccumulatedDriving, encodeVuGnssAdRecord),
    many(RECORD_TYPE.SpecificConditionRecord, 5, data.specificConditions, encodeSpecificConditionRecord),
  );
  return concatBytes(signed, signatureRecordArray(signer, signed));
}

export interface EventsAndFaultsData {
  /** Records as the VU's `listRecords` gives them (ids are not downloaded); faults, events and over-speeding
   * events ('07'H) go to their own arrays. */
  records: readonly DownloadedEventFault[];
  overSpeedingControl: OverSpeedingControl;
  /** Time adjustments outside a full calibration (Annex IC 124, 125): see `vuTimeAdjustmentOf`. */
  timeAdjustments: readonly VuTimeAdjustment[];
}

/** App. 1 §2.70: over speeding, the one event type with a record of its own (§2.215). */
export const OVER_SPEEDING = 0x07;

/** DDP_031 (TREP 23, gen2 v1). */
export function encodeTrep23(data: EventsAndFaultsData, signer: DownloadSigner): Uint8Array {
  const faults = data.records.filter((r) => r.category === 'fault');
  const events = data.records.filter((r) => r.category === 'event' && r.type !== OVER_SPEEDING);
  const overSpeeding = data.records.filter((r) => r.category === 'event' && r.type === OVER_SPEEDING);
  const signed = concatBytes(
    many(RECORD_TYPE.VuFaultRecord, VU_FAULT_RECORD_SIZE, faults, encodeVuFaultRecord),
    many(RECORD_TYPE.VuEventRecord, VU_EVENT_RECORD_SIZE, events, encodeVuEventRecord),
    single(RECORD_TYPE.VuOverSpeedingControlData, encodeVuOverSpeedingControlData(data.overSpeedingControl)),
    many(RECORD_TYPE.VuOverSpeedingEventRecord, VU_OVER_SPEEDING_EVENT_RECORD_SIZE, overSpeeding, encodeVuOverSpeedingEventRecord),
    // seed L5043: no VuTimeAdjustmentGNSSRecordArray in TREP 23
    many(RECORD_TYPE.VuTimeAdjustmentRecord, VU_TIME_ADJUSTMENT_RECORD_SIZE, data.timeAdjustments, encodeVuTimeAdjustmentRecord),
  );
  return concatBytes(signed, signatureRecordArray(signer, signed));
}

export function encodeTrep24(blocks: readonly DetailedSpeedBlock[], signer: DownloadSigner): Uint8Array {
  const signed = many(RECORD_TYPE.VuDetailedSpeedBlock, 64, blocks, encodeVuDetailedSpeedBlock);
  return concatBytes(signed, signatureRecordArray(signer, signed));
}

/** DDP_033 (TREP 25, gen2 v1): what the technical data carries. */
export interface TechnicalData {
  identification: VuIdentification;
  /** Every motion sensor pairing the VU keeps (Annex IC 97), oldest first. */
  sensorPairings: readonly SensorPaired[];
  /** Every external GNSS facility coupling (Annex IC 100). */
  gnssCouplings: readonly SensorExternalGnssCoupled[];
  calibrations: readonly VuCalibration[];
  /** Cards used with the VU (Annex IC 132). */
  cards: readonly VuCard[];
  itsConsents: readonly VuItsConsent[];
  /** Power supply interruption events ('08'H) as the event memory keeps them. */
  powerSupplyInterruptions: readonly DownloadedEventFault[];
}

/**
 * TREP 25 (DDP_033, gen2 v1 table): the seven arrays, then the signature over all of them. The
 * VuPowerSupplyInterruptionRecordArray is in the gen2 v1 table and App. 1 §2.240 (▼B), so it is written.
 */
export function encodeTrep25(data: TechnicalData, signer: DownloadSigner): Uint8Array {
  const signed = concatBytes(
    single(RECORD_TYPE.VuIdentification, encodeVuIdentification(data.identification)),
    many(RECORD_TYPE.SensorPairedRecord, SENSOR_PAIRED_RECORD_SIZE, data.sensorPairings, encodeSensorPairedRecord),
    many(RECORD_TYPE.SensorExternalGNSSCoupledRecord, SENSOR_EXTERNAL_GNSS_COUPLED_RECORD_SIZE, data.gnssCouplings, encodeSensorExternalGnssCoupledRecord),
    many(RECORD_TYPE.VuCalibrationRecord, VU_CALIBRATION_RECORD_SIZE, data.calibrations, encodeVuCalibrationRecord),
    many(RECORD_TYPE.VuCardRecord, VU_CARD_RECORD_SIZE, data.cards, encodeVuCardRecord),
    many(RECORD_TYPE.VuITSConsentRecord, VU_ITS_CONSENT_RECORD_SIZE, data.itsConsents, encodeVuItsConsentRecord),
    many(RECORD_TYPE.VuPowerSupplyInterruptionRecord, VU_POWER_SUPPLY_INTERRUPTION_RECORD_SIZE, data.powerSupplyInterruptions, encodeVuPowerSupplyInterruptionRecord),
  );
  return concatBytes(signed, signatureRecordArray(signer, signed));
}

/** Splits a TREP's data into its arrays; the last is the SignatureRecordArray. */
export function readTrepArrays(data: Uint8Array): RecordArrayView[] {
  const arrays: RecordArrayView[] = [];
  let at = 0;
  while (at < data.length) {
    const a = readRecordArray(data, at);
    arrays.push(a);
    at += a.length;
    if (a.recordType === RECORD_TYPE.Signature) break;
  }
  return arrays;
}

/** Length of a TREP's data at `offset`: arrays up to and including the signature. */
export function trepDataLength(bytes: Uint8Array, offset: number): number {
  let at = offset;
  for (;;) {
    const a = readRecordArray(bytes, at);
    at += a.length;
    if (a.recordType === RECORD_TYPE.Signature) return at - offset;
  }
}
