import { concatBytes, fromHex } from '../../crypto/bytes.ts';
import {
  encodeIa5,
  encodeOdometerShort,
  encodeTimeReal,
  encodeVehicleRegistrationNumber,
} from '../app1/app1-codec.ts';
import { encodeActivityChangeInfo } from '../app1/activity-change-info.ts';
import { encodeVuCardIWRecord, VU_CARD_IW_RECORD_SIZE } from '../app1/vu-card-iw-record.ts';
import {
  encodeVuBorderCrossingRecord,
  encodeVuGnssAdRecordV2,
  encodeVuLoadUnloadRecord,
  encodeVuPlaceDailyWorkPeriodRecordV2,
  VU_BORDER_CROSSING_RECORD_SIZE,
  VU_GNSS_AD_RECORD_V2_SIZE,
  VU_LOAD_UNLOAD_RECORD_SIZE,
  VU_PLACE_DAILY_WORK_PERIOD_RECORD_V2_SIZE,
  type VuBorderCrossingRecord,
  type VuGnssAdRecordV2,
  type VuLoadUnloadRecord,
  type VuPlaceDailyWorkPeriodRecordV2,
} from '../app1/vu-gnss-records-v2.ts';
import { encodeVuPowerSupplyInterruptionRecord, VU_POWER_SUPPLY_INTERRUPTION_RECORD_SIZE } from './event-records.ts';
import { RECORD_TYPE } from './record-array.ts';
import {
  encodeCardSlotsStatus,
  encodeSpecificConditionRecord,
  encodeVuCompanyLocksRecord,
  encodeVuControlActivityRecord,
  encodeVuDownloadActivityData,
} from './records.ts';
import {
  encodeSensorExternalGnssCoupledRecord,
  encodeSensorPairedRecord,
  encodeVuCardRecord,
  encodeVuItsConsentRecord,
  SENSOR_EXTERNAL_GNSS_COUPLED_RECORD_SIZE,
  SENSOR_PAIRED_RECORD_SIZE,
  VU_CARD_RECORD_SIZE,
  VU_ITS_CONSENT_RECORD_SIZE,
} from './technical-records.ts';
import { encodeVuCalibrationRecordV2, encodeVuIdentificationV2, VU_CALIBRATION_RECORD_V2_SIZE, type VuCalibrationV2, type VuIdentificationV2 } from './technical-records-v2.ts';
import { encodeTrep23, many, signatureRecordArray, single, type ActivitiesOfDayData, type DownloadSigner, type EventsAndFaultsData, type OverviewData, type TechnicalData } from './trep.ts';

/**
 * Encoders of the generation 2, version 2 download (App. 7 DDP_011: TREP 00, 31, 32, 33, 24 and 35), the
 * inverse of trep-v2-decode.ts: the rig's emulated VU speaks gen2 v1, so these serve round-trip tests and
 * fuzzing with files of the gen2 v2 layout. Signatures as in gen2 v1 (CSM_233, signatureRecordArray).
 */

/** App. 1 §2.60a DownloadInterfaceVersion as App. 7 DDP_028a gives it for a gen2 v2 VU: '02'H '02'H. */
export const DOWNLOAD_INTERFACE_VERSION_G2V2 = Uint8Array.of(0x02, 0x02);

/** TREP 00 (DDP_028a): the two bytes of DownloadInterfaceVersion, no record array and no signature. */
export function encodeTrep00(version: Uint8Array = DOWNLOAD_INTERFACE_VERSION_G2V2): Uint8Array {
  if (version.length !== 2) throw new RangeError(`DownloadInterfaceVersion is 2 bytes, got ${version.length}`);
  return Uint8Array.from(version);
}

/** DDP_029 TREP 31: the overview, with VehicleRegistrationIdentification (nation and VRN) in place of the VRN alone. */
export interface OverviewV2Data extends OverviewData {
  /**
   * NationNumeric of the registering Member State (App. 1 §2.166 vehicleRegistrationNation); null when the file
   * carries the VRN alone in a VehicleRegistrationNumberRecordArray ('0B'H), as the gen2 v1 overview does.
   */
  registrationNation: number | null;
}

/** App. 1 §2.166 VehicleRegistrationIdentification: vehicleRegistrationNation 1, vehicleRegistrationNumber 14. */
export function encodeVehicleRegistrationIdentification(nation: number, vrn: string): Uint8Array {
  if (!Number.isInteger(nation) || nation < 0 || nation > 255) throw new RangeError(`vehicleRegistrationNation ${nation} is not a NationNumeric`);
  return concatBytes(Uint8Array.of(nation), encodeVehicleRegistrationNumber(vrn));
}

/**
 * TREP 31 (DDP_029 gen2 v2 table): the certificate arrays, VehicleIdentificationNumberRecordArray,
 * VehicleRegistrationIdentificationRecordArray ('24'H, App. 1 §2.166a "Generation 2, version 2"), then as TREP
 * 21; the signature covers every array but the certificates. With registrationNation null it writes a
 * VehicleRegistrationNumberRecordArray instead, the variant the decoder also accepts (trep-v2-decode.ts).
 */
export function encodeTrep31(data: OverviewV2Data, signer: DownloadSigner): Uint8Array {
  const certificates = concatBytes(single(RECORD_TYPE.MemberStateCertificate, fromHex(signer.mscaCertificate)), single(RECORD_TYPE.VuCertificate, fromHex(signer.vuCertificate)));
  const signed = concatBytes(
    single(RECORD_TYPE.VehicleIdentificationNumber, encodeIa5(data.vin, 17)),
    data.registrationNation === null
      ? single(RECORD_TYPE.VehicleRegistrationNumber, encodeVehicleRegistrationNumber(data.registrationNumber))
      : single(RECORD_TYPE.VehicleRegistrationIdentification, encodeVehicleRegistrationIdentification(data.registrationNation, data.registrationNumber)),
    single(RECORD_TYPE.CurrentDateTime, encodeTimeReal(data.currentTime)),
    single(RECORD_TYPE.VuDownloadablePeriod, concatBytes(encodeTimeReal(data.minDownloadableTime), encodeTimeReal(data.maxDownloadableTime))),
    single(RECORD_TYPE.CardSlotsStatus, encodeCardSlotsStatus(data.slots.driver, data.slots.codriver)),
    many(RECORD_TYPE.VuDownloadActivityData, 59, data.lastDownload ? [data.lastDownload] : [], encodeVuDownloadActivityData),
    many(RECORD_TYPE.VuCompanyLocksRecord, 99, data.companyLocks, encodeVuCompanyLocksRecord),
    many(RECORD_TYPE.VuControlActivityRecord, 32, data.controls, encodeVuControlActivityRecord),
  );
  return concatBytes(certificates, signed, signatureRecordArray(signer, signed));
}

/** DDP_030 TREP 32: a day, its places and GNSS positions with their authentication status, border crossings and load/unload operations. */
export interface ActivitiesOfDayV2Data extends Omit<ActivitiesOfDayData, 'places' | 'gnssAccumulatedDriving'> {
  places: readonly VuPlaceDailyWorkPeriodRecordV2[];
  gnssAccumulatedDriving: readonly VuGnssAdRecordV2[];
  borderCrossings: readonly VuBorderCrossingRecord[];
  loadUnloadOperations: readonly VuLoadUnloadRecord[];
}

export function encodeTrep32(data: ActivitiesOfDayV2Data, signer: DownloadSigner): Uint8Array {
  const signed = concatBytes(
    single(RECORD_TYPE.DateOfDayDownloaded, encodeTimeReal(data.day)),
    single(RECORD_TYPE.OdometerValueMidnight, encodeOdometerShort(data.odometerAtMidnightKm)),
    many(RECORD_TYPE.VuCardIWRecord, VU_CARD_IW_RECORD_SIZE, data.cardIW, encodeVuCardIWRecord),
    many(RECORD_TYPE.ActivityChangeInfo, 2, data.activities, encodeActivityChangeInfo),
    many(RECORD_TYPE.VuPlaceDailyWorkPeriodRecord, VU_PLACE_DAILY_WORK_PERIOD_RECORD_V2_SIZE, data.places, encodeVuPlaceDailyWorkPeriodRecordV2),
    many(RECORD_TYPE.VuGNSSADRecord, VU_GNSS_AD_RECORD_V2_SIZE, data.gnssAccumulatedDriving, encodeVuGnssAdRecordV2),
    many(RECORD_TYPE.SpecificConditionRecord, 5, data.specificConditions, encodeSpecificConditionRecord),
    many(RECORD_TYPE.VuBorderCrossingRecord, VU_BORDER_CROSSING_RECORD_SIZE, data.borderCrossings, encodeVuBorderCrossingRecord),
    many(RECORD_TYPE.VuLoadUnloadRecord, VU_LOAD_UNLOAD_RECORD_SIZE, data.loadUnloadOperations, encodeVuLoadUnloadRecord),
  );
  return concatBytes(signed, signatureRecordArray(signer, signed));
}

/** DDP_031 TREP 33: the gen2 v1 table unchanged (App. 1 widened EventFaultType, not the records). */
export function encodeTrep33(data: EventsAndFaultsData, signer: DownloadSigner): Uint8Array {
  return encodeTrep23(data, signer);
}

/** DDP_033 TREP 35: the seven arrays of TREP 25, VuIdentification and VuCalibrationRecord in their v2 form. */
export interface TechnicalV2Data extends Omit<TechnicalData, 'identification' | 'calibrations'> {
  identification: VuIdentificationV2;
  calibrations: readonly VuCalibrationV2[];
}

export function encodeTrep35(data: TechnicalV2Data, signer: DownloadSigner): Uint8Array {
  const signed = concatBytes(
    single(RECORD_TYPE.VuIdentification, encodeVuIdentificationV2(data.identification)),
    many(RECORD_TYPE.SensorPairedRecord, SENSOR_PAIRED_RECORD_SIZE, data.sensorPairings, encodeSensorPairedRecord),
    many(RECORD_TYPE.SensorExternalGNSSCoupledRecord, SENSOR_EXTERNAL_GNSS_COUPLED_RECORD_SIZE, data.gnssCouplings, encodeSensorExternalGnssCoupledRecord),
    many(RECORD_TYPE.VuCalibrationRecord, VU_CALIBRATION_RECORD_V2_SIZE, data.calibrations, encodeVuCalibrationRecordV2),
    many(RECORD_TYPE.VuCardRecord, VU_CARD_RECORD_SIZE, data.cards, encodeVuCardRecord),
    many(RECORD_TYPE.VuITSConsentRecord, VU_ITS_CONSENT_RECORD_SIZE, data.itsConsents, encodeVuItsConsentRecord),
    many(RECORD_TYPE.VuPowerSupplyInterruptionRecord, VU_POWER_SUPPLY_INTERRUPTION_RECORD_SIZE, data.powerSupplyInterruptions, encodeVuPowerSupplyInterruptionRecord),
  );
  return concatBytes(signed, signatureRecordArray(signer, signed));
}
