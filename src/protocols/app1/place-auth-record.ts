import { concatBytes } from '../../crypto/bytes.ts';
import { decodeOdometerShort, decodeTimeReal, encodeOdometerShort, encodeTimeReal } from './app1-codec.ts';
import { decodeGnssPlaceAuthRecord, encodeGnssPlaceAuthRecord, fixedSlice, GNSS_PLACE_AUTH_RECORD_SIZE, type GnssPlaceAuthRecord } from './gnss-place-auth-record.ts';

/**
 * App. 1 §2.116a PlaceAuthRecord (generation 2, version 2): a place where a daily work period begins or ends,
 * with its GNSS position and that position's authentication status. 22 bytes:
 *
 *   offset size field
 *        0    4 entryTime                 TimeReal (kept here in ms)
 *        4    1 entryTypeDailyWorkPeriod  EntryTypeDailyWorkPeriod (§2.66)
 *        5    1 dailyWorkPeriodCountry    NationNumeric
 *        6    1 dailyWorkPeriodRegion     RegionNumeric
 *        7    3 vehicleOdometerValue      OdometerShort
 *       10   12 entryGNSSPlaceAuthRecord  GNSSPlaceAuthRecord (§2.79c)
 */
export const PLACE_AUTH_RECORD_SIZE = 10 + GNSS_PLACE_AUTH_RECORD_SIZE;

export interface PlaceAuthRecord {
  entryTime: number;
  /** App. 1 §2.66 EntryTypeDailyWorkPeriod code (gen2: 0..7, begin/end, card related or entered). */
  entryTypeDailyWorkPeriod: number;
  dailyWorkPeriodCountry: number;
  dailyWorkPeriodRegion: number;
  /** km */
  vehicleOdometerValue: number;
  entryGNSSPlaceAuthRecord: GnssPlaceAuthRecord;
}

function byte(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`${what} ${v} does not fit a byte`);
  return v;
}

export function encodePlaceAuthRecord(p: PlaceAuthRecord): Uint8Array {
  return concatBytes(
    encodeTimeReal(p.entryTime),
    Uint8Array.of(byte(p.entryTypeDailyWorkPeriod, 'entryTypeDailyWorkPeriod'), byte(p.dailyWorkPeriodCountry, 'dailyWorkPeriodCountry'), byte(p.dailyWorkPeriodRegion, 'dailyWorkPeriodRegion')),
    encodeOdometerShort(p.vehicleOdometerValue),
    encodeGnssPlaceAuthRecord(p.entryGNSSPlaceAuthRecord),
  );
}

export function decodePlaceAuthRecord(bytes: Uint8Array, offset = 0): PlaceAuthRecord {
  const b = fixedSlice(bytes, offset, PLACE_AUTH_RECORD_SIZE, 'PlaceAuthRecord');
  return {
    entryTime: decodeTimeReal(b, 0),
    entryTypeDailyWorkPeriod: b[4]!,
    dailyWorkPeriodCountry: b[5]!,
    dailyWorkPeriodRegion: b[6]!,
    vehicleOdometerValue: decodeOdometerShort(b, 7),
    entryGNSSPlaceAuthRecord: decodeGnssPlaceAuthRecord(b, 10),
  };
}
