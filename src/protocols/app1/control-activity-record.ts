import { isUnusedRecord, RecordReader } from './record-reader.ts';
import { readFullCardNumber, readVehicleRegistration, type FullCardNumberField, type VehicleRegistrationIdentification } from './identification-fields.ts';

/**
 * The 46-byte control and company activity records of the cards, App. 1 2.15, 2.51, 2.46: a type, a time, a
 * FullCardNumber, a VehicleRegistrationIdentification and a download period (begin, end). 2.53 `ControlType`
 * is the bit field 'cvpdexxx' (gen1 'cvpdxxxx'); 2.47 `CompanyActivityType` 1 card download, 2 VU download,
 * 3 VU lock-in, 4 VU lock-out.
 */
export const CONTROL_ACTIVITY_RECORD_SIZE = 46;

export interface ControlType {
  cardDownloading: boolean;
  vuDownloading: boolean;
  printing: boolean;
  display: boolean;
  /** Gen2 only ('e'). */
  roadsideCalibrationChecking?: boolean;
}

export function decodeControlType(byte: number, generation: 1 | 2): ControlType {
  const out: ControlType = { cardDownloading: (byte & 0x80) !== 0, vuDownloading: (byte & 0x40) !== 0, printing: (byte & 0x20) !== 0, display: (byte & 0x10) !== 0 };
  if (generation === 2) out.roadsideCalibrationChecking = (byte & 0x08) !== 0;
  return out;
}

/** EF Control_Activity_Data of a driver or workshop card: the last control the holder was subject to (2.15). */
export interface CardControlActivityDataRecord {
  controlType: ControlType;
  controlTime: string | null;
  controlCardNumber: FullCardNumberField | null;
  controlVehicleRegistration: VehicleRegistrationIdentification;
  controlDownloadPeriodBegin: string | null;
  controlDownloadPeriodEnd: string | null;
}

export function decodeCardControlActivityDataRecord(bytes: Uint8Array, offset: number, generation: 1 | 2, problems: string[] = []): CardControlActivityDataRecord | null {
  if (isUnusedRecord(bytes, offset, CONTROL_ACTIVITY_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, CONTROL_ACTIVITY_RECORD_SIZE, 'CardControlActivityDataRecord', problems);
  return {
    controlType: decodeControlType(r.u8(0), generation),
    controlTime: r.time(1),
    controlCardNumber: readFullCardNumber(r, 5, 'controlCardNumber'),
    controlVehicleRegistration: readVehicleRegistration(r, 23, 'controlVehicleRegistration'),
    controlDownloadPeriodBegin: r.time(38),
    controlDownloadPeriodEnd: r.time(42),
  };
}

/** One control made with a control card (2.51 controlActivityRecord). */
export interface ControlCardActivityRecord {
  controlType: ControlType;
  controlTime: string | null;
  controlledCardNumber: FullCardNumberField | null;
  controlledVehicleRegistration: VehicleRegistrationIdentification;
  controlDownloadPeriodBegin: string | null;
  controlDownloadPeriodEnd: string | null;
}

export function decodeControlCardActivityRecord(bytes: Uint8Array, offset: number, generation: 1 | 2, problems: string[] = []): ControlCardActivityRecord | null {
  if (isUnusedRecord(bytes, offset, CONTROL_ACTIVITY_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, CONTROL_ACTIVITY_RECORD_SIZE, 'controlActivityRecord', problems);
  return {
    controlType: decodeControlType(r.u8(0), generation),
    controlTime: r.time(1),
    controlledCardNumber: readFullCardNumber(r, 5, 'controlledCardNumber'),
    controlledVehicleRegistration: readVehicleRegistration(r, 23, 'controlledVehicleRegistration'),
    controlDownloadPeriodBegin: r.time(38),
    controlDownloadPeriodEnd: r.time(42),
  };
}

/** One activity made with a company card (2.46 companyActivityRecord). */
export interface CompanyActivityRecord {
  companyActivityType: number;
  companyActivityTime: string | null;
  cardNumberInformation: FullCardNumberField | null;
  vehicleRegistrationInformation: VehicleRegistrationIdentification;
  downloadPeriodBegin: string | null;
  downloadPeriodEnd: string | null;
}

export function decodeCompanyActivityRecord(bytes: Uint8Array, offset: number, problems: string[] = []): CompanyActivityRecord | null {
  if (isUnusedRecord(bytes, offset, CONTROL_ACTIVITY_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, CONTROL_ACTIVITY_RECORD_SIZE, 'companyActivityRecord', problems);
  const companyActivityType = r.u8(0);
  if (companyActivityType < 1 || companyActivityType > 4) r.note('companyActivityType', `${companyActivityType} is not 1..4 (App. 1 2.47)`);
  return {
    companyActivityType,
    companyActivityTime: r.time(1),
    cardNumberInformation: readFullCardNumber(r, 5, 'cardNumberInformation'),
    vehicleRegistrationInformation: readVehicleRegistration(r, 23, 'vehicleRegistrationInformation'),
    downloadPeriodBegin: r.time(38),
    downloadPeriodEnd: r.time(42),
  };
}
