import { isUnusedRecord, RecordReader } from './record-reader.ts';
import { readGnssPlaceAuthRecord, type GnssPlaceAuthRecord } from './gnss-place-record.ts';

/**
 * App. 1 2.11b `CardBorderCrossingRecord` (gen2 v2, 17 bytes): countryLeft, countryEntered (NationNumeric,
 * 'FF' rest of the world), gnssPlaceAuthRecord (12), vehicleOdometerValue (OdometerShort). Annex IC 147b.
 */
export const CARD_BORDER_CROSSING_RECORD_SIZE = 17;

export interface CardBorderCrossingRecord {
  countryLeft: number;
  countryEntered: number;
  gnssPlaceAuthRecord: GnssPlaceAuthRecord;
  vehicleOdometerValue: number;
}

export function decodeCardBorderCrossingRecord(bytes: Uint8Array, offset: number, problems: string[] = []): CardBorderCrossingRecord | null {
  if (isUnusedRecord(bytes, offset, CARD_BORDER_CROSSING_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, CARD_BORDER_CROSSING_RECORD_SIZE, 'CardBorderCrossingRecord', problems);
  return { countryLeft: r.u8(0), countryEntered: r.u8(1), gnssPlaceAuthRecord: readGnssPlaceAuthRecord(r, 2), vehicleOdometerValue: r.u24(14) };
}
