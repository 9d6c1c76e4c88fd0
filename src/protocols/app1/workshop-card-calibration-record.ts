import { isUnusedRecord, RecordReader } from './record-reader.ts';
import { readExtendedSerialNumber, readVehicleRegistration, type ExtendedSerialNumberField, type VehicleRegistrationIdentification } from './identification-fields.ts';

/**
 * App. 1 2.236 `WorkshopCardCalibrationRecord`: gen1 105 bytes (calibrationPurpose 2.8 ... sensorSerialNumber),
 * gen2 178 (adds sensorGNSSSerialNumber, rcmSerialNumber, vuAbility 2.169, sealDataCard 2.128: noOfSealRecords
 * then 5 SealRecords 2.130 of equipmentType and ExtendedSealIdentifier 2.71). 2.234c
 * `WorkshopCardCalibrationAddDataRecord` (gen2 v2, 27 bytes). A serial number at its default {00..00} is null.
 */
export const WORKSHOP_CARD_CALIBRATION_RECORD_SIZE = { 1: 105, 2: 178 } as const;
export const WORKSHOP_CARD_CALIBRATION_ADD_DATA_RECORD_SIZE = 27;

export interface SealRecord {
  equipmentType: number;
  extendedSealIdentifier: { manufacturerCode: string; sealIdentifier: string };
}

export interface WorkshopCardCalibrationRecord {
  calibrationPurpose: number;
  vehicleIdentificationNumber: string;
  vehicleRegistration: VehicleRegistrationIdentification;
  /** pulses/km */
  wVehicleCharacteristicConstant: number;
  /** pulses/km */
  kConstantOfRecordingEquipment: number;
  /** 1/8 mm (App. 1 2.91) */
  lTyreCircumference: number;
  tyreSize: string;
  /** km/h */
  authorisedSpeed: number;
  oldOdometerValue: number;
  newOdometerValue: number;
  oldTimeValue: string | null;
  newTimeValue: string | null;
  nextCalibrationDate: string | null;
  vuPartNumber: string;
  vuSerialNumber: ExtendedSerialNumberField | null;
  sensorSerialNumber: ExtendedSerialNumberField | null;
  /** Gen2 only. */
  sensorGNSSSerialNumber?: ExtendedSerialNumberField | null;
  rcmSerialNumber?: ExtendedSerialNumberField | null;
  vuAbility?: number;
  sealDataCard?: { noOfSealRecords: number; sealRecords: SealRecord[] };
}

function serial(r: RecordReader, at: number): ExtendedSerialNumberField | null {
  return r.unused(at, 8) ? null : readExtendedSerialNumber(r, at);
}

export function decodeWorkshopCardCalibrationRecord(bytes: Uint8Array, offset: number, generation: 1 | 2, problems: string[] = []): WorkshopCardCalibrationRecord | null {
  const size = WORKSHOP_CARD_CALIBRATION_RECORD_SIZE[generation];
  if (isUnusedRecord(bytes, offset, size)) return null;
  const r = new RecordReader(bytes, offset, size, 'WorkshopCardCalibrationRecord', problems);
  const record: WorkshopCardCalibrationRecord = {
    calibrationPurpose: r.u8(0),
    vehicleIdentificationNumber: r.ia5(1, 17),
    vehicleRegistration: readVehicleRegistration(r, 18, 'vehicleRegistration'),
    wVehicleCharacteristicConstant: r.u16(33),
    kConstantOfRecordingEquipment: r.u16(35),
    lTyreCircumference: r.u16(37),
    tyreSize: r.ia5(39, 15),
    authorisedSpeed: r.u8(54),
    oldOdometerValue: r.u24(55),
    newOdometerValue: r.u24(58),
    oldTimeValue: r.time(61),
    newTimeValue: r.time(65),
    nextCalibrationDate: r.time(69),
    vuPartNumber: r.ia5(73, 16),
    vuSerialNumber: serial(r, 89),
    sensorSerialNumber: serial(r, 97),
  };
  if (generation === 1) return record;
  const noOfSealRecords = r.u8(122);
  // SealDataCard holds 5 SealRecords; noOfSealRecords says how many are in use
  if (noOfSealRecords > 5) r.note('sealDataCard.noOfSealRecords', `${noOfSealRecords} is more than the 5 records it has`);
  const sealRecords: SealRecord[] = [];
  for (let i = 0; i < Math.min(noOfSealRecords, 5); i++) {
    const at = 123 + 11 * i;
    sealRecords.push({ equipmentType: r.u8(at), extendedSealIdentifier: { manufacturerCode: r.ia5(at + 1, 2), sealIdentifier: r.ia5(at + 3, 8) } });
  }
  return { ...record, sensorGNSSSerialNumber: serial(r, 105), rcmSerialNumber: serial(r, 113), vuAbility: r.u8(121), sealDataCard: { noOfSealRecords, sealRecords } };
}

export interface WorkshopCardCalibrationAddDataRecord {
  oldTimeValue: string | null;
  vehicleIdentificationNumber: string;
  byDefaultLoadType: number;
  calibrationCountry: number;
  calibrationCountryTimestamp: string | null;
}

export function decodeWorkshopCardCalibrationAddDataRecord(bytes: Uint8Array, offset: number, problems: string[] = []): WorkshopCardCalibrationAddDataRecord | null {
  if (isUnusedRecord(bytes, offset, WORKSHOP_CARD_CALIBRATION_ADD_DATA_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, WORKSHOP_CARD_CALIBRATION_ADD_DATA_RECORD_SIZE, 'WorkshopCardCalibrationAddDataRecord', problems);
  return { oldTimeValue: r.time(0), vehicleIdentificationNumber: r.ia5(4, 17), byDefaultLoadType: r.u8(21), calibrationCountry: r.u8(22), calibrationCountryTimestamp: r.time(23) };
}
