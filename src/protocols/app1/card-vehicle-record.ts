import { isUnusedRecord, RecordReader } from './record-reader.ts';
import { readVehicleRegistration, type VehicleRegistrationIdentification } from './identification-fields.ts';

/**
 * App. 1 2.37 `CardVehicleRecord`: a period of use of a vehicle in a calendar day. Gen1 (31 bytes):
 * vehicleOdometerBegin, vehicleOdometerEnd (OdometerShort), vehicleFirstUse, vehicleLastUse (TimeReal),
 * vehicleRegistration, vuDataBlockCounter (2.189, BCD 2 bytes); gen2 (48) adds vehicleIdentificationNumber
 * (IA5 17). 2.39 `CardVehicleUnitRecord` (gen2, 10 bytes): timeStamp, manufacturerCode, deviceID,
 * vuSoftwareVersion (IA5 4).
 */
export const CARD_VEHICLE_RECORD_SIZE = { 1: 31, 2: 48 } as const;

export interface CardVehicleRecord {
  vehicleOdometerBegin: number;
  vehicleOdometerEnd: number;
  vehicleFirstUse: string | null;
  vehicleLastUse: string | null;
  vehicleRegistration: VehicleRegistrationIdentification;
  vuDataBlockCounter: number;
  /** Gen2 only. */
  vehicleIdentificationNumber?: string;
}

export function decodeCardVehicleRecord(bytes: Uint8Array, offset: number, generation: 1 | 2, problems: string[] = []): CardVehicleRecord | null {
  const size = CARD_VEHICLE_RECORD_SIZE[generation];
  if (isUnusedRecord(bytes, offset, size)) return null;
  const r = new RecordReader(bytes, offset, size, 'CardVehicleRecord', problems);
  const record: CardVehicleRecord = {
    vehicleOdometerBegin: r.u24(0),
    vehicleOdometerEnd: r.u24(3),
    vehicleFirstUse: r.time(6),
    vehicleLastUse: r.time(10),
    vehicleRegistration: readVehicleRegistration(r, 14, 'vehicleRegistration'),
    // App. 1 2.189 VuDataBlockCounter ::= BCDString(SIZE(2))
    vuDataBlockCounter: r.bcd(29, 2, 'vuDataBlockCounter'),
  };
  if (generation === 2) record.vehicleIdentificationNumber = r.ia5(31, 17);
  return record;
}

export interface CardVehicleUnitRecord {
  timeStamp: string | null;
  manufacturerCode: number;
  deviceID: number;
  vuSoftwareVersion: string;
}
export const CARD_VEHICLE_UNIT_RECORD_SIZE = 10;

export function decodeCardVehicleUnitRecord(bytes: Uint8Array, offset: number, problems: string[] = []): CardVehicleUnitRecord | null {
  if (isUnusedRecord(bytes, offset, CARD_VEHICLE_UNIT_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, CARD_VEHICLE_UNIT_RECORD_SIZE, 'CardVehicleUnitRecord', problems);
  return { timeStamp: r.time(0), manufacturerCode: r.u8(4), deviceID: r.u8(5), vuSoftwareVersion: r.ia5(6, 4) };
}
