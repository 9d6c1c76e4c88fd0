import { isUnusedRecord, RecordReader } from './record-reader.ts';
import { readGnssPlaceRecord, type GnssPlaceRecord } from './gnss-place-record.ts';

/**
 * App. 1 2.117 `PlaceRecord`: where a daily work period begins or ends. Gen1 (10 bytes): entryTime,
 * entryTypeDailyWorkPeriod (2.66, kept as its number: the sources differ on the gen2 value list, see
 * src/devices/vu/places/entry-type.ts), dailyWorkPeriodCountry (NationNumeric), dailyWorkPeriodRegion
 * (RegionNumeric), vehicleOdometerValue (OdometerShort). Gen2 (21) adds entryGNSSPlaceRecord.
 * 2.116b `PlaceAuthStatusRecord` (gen2 v2, 5 bytes): entryTime and the position's authentication status.
 */
export const PLACE_RECORD_SIZE = { 1: 10, 2: 21 } as const;

export interface PlaceRecord {
  entryTime: string | null;
  entryTypeDailyWorkPeriod: number;
  dailyWorkPeriodCountry: number;
  dailyWorkPeriodRegion: number;
  vehicleOdometerValue: number;
  /** Gen2 only. */
  entryGNSSPlaceRecord?: GnssPlaceRecord;
}

export function decodePlaceRecord(bytes: Uint8Array, offset: number, generation: 1 | 2, problems: string[] = []): PlaceRecord | null {
  const size = PLACE_RECORD_SIZE[generation];
  if (isUnusedRecord(bytes, offset, size)) return null;
  const r = new RecordReader(bytes, offset, size, 'PlaceRecord', problems);
  const record: PlaceRecord = {
    entryTime: r.time(0),
    entryTypeDailyWorkPeriod: r.u8(4),
    dailyWorkPeriodCountry: r.u8(5),
    dailyWorkPeriodRegion: r.u8(6),
    vehicleOdometerValue: r.u24(7),
  };
  if (generation === 2) record.entryGNSSPlaceRecord = readGnssPlaceRecord(r, 10);
  return record;
}

export interface PlaceAuthStatusRecord {
  entryTime: string | null;
  authenticationStatus: number;
}
export const PLACE_AUTH_STATUS_RECORD_SIZE = 5;

export function decodePlaceAuthStatusRecord(bytes: Uint8Array, offset: number, problems: string[] = []): PlaceAuthStatusRecord | null {
  if (isUnusedRecord(bytes, offset, PLACE_AUTH_STATUS_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, PLACE_AUTH_STATUS_RECORD_SIZE, 'PlaceAuthStatusRecord', problems);
  return { entryTime: r.time(0), authenticationStatus: r.u8(4) };
}
