import { isUnusedRecord, RecordReader } from './record-reader.ts';
import { readGnssPlaceAuthRecord, type GnssPlaceAuthRecord } from './gnss-place-record.ts';

/**
 * Gen2 v2 load records of a card: App. 1 2.24d `CardLoadUnloadRecord` (20 bytes): timeStamp, operationType
 * (2.114a: 1 load, 2 unload, 3 simultaneous), gnssPlaceAuthRecord (12), vehicleOdometerValue; 2.24b
 * `CardLoadTypeEntryRecord` (5): timeStamp, loadTypeEntered (2.90a LoadType: 0 undefined, 1 goods, 2 passengers).
 */
export const CARD_LOAD_UNLOAD_RECORD_SIZE = 20;
export const CARD_LOAD_TYPE_ENTRY_RECORD_SIZE = 5;

export interface CardLoadUnloadRecord {
  timeStamp: string | null;
  operationType: number;
  gnssPlaceAuthRecord: GnssPlaceAuthRecord;
  vehicleOdometerValue: number;
}

export function decodeCardLoadUnloadRecord(bytes: Uint8Array, offset: number, problems: string[] = []): CardLoadUnloadRecord | null {
  if (isUnusedRecord(bytes, offset, CARD_LOAD_UNLOAD_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, CARD_LOAD_UNLOAD_RECORD_SIZE, 'CardLoadUnloadRecord', problems);
  return { timeStamp: r.time(0), operationType: r.u8(4), gnssPlaceAuthRecord: readGnssPlaceAuthRecord(r, 5), vehicleOdometerValue: r.u24(17) };
}

export interface CardLoadTypeEntryRecord {
  timeStamp: string | null;
  loadTypeEntered: number;
}

export function decodeCardLoadTypeEntryRecord(bytes: Uint8Array, offset: number, problems: string[] = []): CardLoadTypeEntryRecord | null {
  if (isUnusedRecord(bytes, offset, CARD_LOAD_TYPE_ENTRY_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, CARD_LOAD_TYPE_ENTRY_RECORD_SIZE, 'CardLoadTypeEntryRecord', problems);
  return { timeStamp: r.time(0), loadTypeEntered: r.u8(4) };
}
