import { concatBytes } from '../../crypto/bytes.ts';
import { decodeTimeReal, encodeTimeReal } from './app1-codec.ts';
import { decodeGeoCoordinates, encodeGeoCoordinates, fixedSlice, type GeoCoordinates } from './gnss-place-auth-record.ts';
import { isUnusedRecord, RecordReader } from './record-reader.ts';

export type { GeoCoordinates };

/**
 * The GNSS position records of a card (gen2): App. 1 2.76 `GeoCoordinates` (latitude, longitude: 3 bytes two's
 * complement each, ±DDMM.M and ±DDDMM.M × 10; 7FFFFF an unknown position), 2.80 `GNSSPlaceRecord` (11 bytes),
 * 2.79c `GNSSPlaceAuthRecord` (12, gen2 v2), 2.79 `GNSSAccumulatedDrivingRecord` (18), 2.79b
 * `GNSSAuthStatusADRecord` (5, gen2 v2). 2.117a `PositionAuthenticationStatus`: 0 not authenticated, 1
 * authenticated (GNS_39).
 */
export interface GnssPlaceRecord {
  timeStamp: string | null;
  /** 2.77 GNSSAccuracy: 10 × the GSA sentence's X.Y. */
  gnssAccuracy: number;
  geoCoordinates: GeoCoordinates;
}

export interface GnssPlaceAuthRecord extends GnssPlaceRecord {
  authenticationStatus: number;
}

export const GNSS_PLACE_RECORD_SIZE = 11;
export const GNSS_PLACE_AUTH_RECORD_SIZE = 12;

/** An unknown latitude or longitude (App. 1 2.76). */
export const GEO_UNKNOWN = 0x7fffff;

export function readGeoCoordinates(r: RecordReader, at: number): GeoCoordinates {
  return { latitude: r.int24(at), longitude: r.int24(at + 3) };
}

export function readGnssPlaceRecord(r: RecordReader, at: number): GnssPlaceRecord {
  return { timeStamp: r.time(at), gnssAccuracy: r.u8(at + 4), geoCoordinates: readGeoCoordinates(r, at + 5) };
}

/**
 * A GNSSPlaceRecord as the VU keeps it and the gen2 v1 download carries it (App. 7 DDP_030: inside
 * VuGNSSADRecord and VuPlaceDailyWorkPeriodRecord): timeStamp in ms (TimeReal keeps whole seconds), the
 * coordinates beside it. The same 11 bytes as the card's (readGnssPlaceRecord).
 */
export interface GnssPlace extends GeoCoordinates {
  timeStamp: number;
  gnssAccuracy: number;
}

export function encodeGnssPlaceRecord(p: GnssPlace): Uint8Array {
  return concatBytes(encodeTimeReal(p.timeStamp), Uint8Array.of(p.gnssAccuracy), encodeGeoCoordinates(p));
}

export function decodeGnssPlaceRecord(bytes: Uint8Array, offset = 0): GnssPlace {
  const b = fixedSlice(bytes, offset, GNSS_PLACE_RECORD_SIZE, 'GNSSPlaceRecord');
  const { latitude, longitude } = decodeGeoCoordinates(b, 5);
  return { timeStamp: decodeTimeReal(b, 0), gnssAccuracy: b[4]!, latitude, longitude };
}

export function readGnssPlaceAuthRecord(r: RecordReader, at: number): GnssPlaceAuthRecord {
  return { ...readGnssPlaceRecord(r, at), authenticationStatus: r.u8(at + 11) };
}

/** ±DDMM.M × 10 (latitude) or ±DDDMM.M × 10 (longitude) as decimal degrees; null for an unknown position. */
export function geoDegrees(value: number): number | null {
  if (value === GEO_UNKNOWN) return null;
  const sign = value < 0 ? -1 : 1;
  const abs = Math.abs(value);
  const degrees = Math.floor(abs / 1000);
  const minutes = (abs % 1000) / 10;
  return sign * (degrees + minutes / 60);
}

export interface GnssAccumulatedDrivingRecord {
  timeStamp: string | null;
  gnssPlaceRecord: GnssPlaceRecord;
  vehicleOdometerValue: number;
}
export const GNSS_ACCUMULATED_DRIVING_RECORD_SIZE = 18;

export function decodeGnssAccumulatedDrivingRecord(bytes: Uint8Array, offset: number, problems: string[] = []): GnssAccumulatedDrivingRecord | null {
  if (isUnusedRecord(bytes, offset, GNSS_ACCUMULATED_DRIVING_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, GNSS_ACCUMULATED_DRIVING_RECORD_SIZE, 'GNSSAccumulatedDrivingRecord', problems);
  return { timeStamp: r.time(0), gnssPlaceRecord: readGnssPlaceRecord(r, 4), vehicleOdometerValue: r.u24(15) };
}

export interface GnssAuthStatusAdRecord {
  timeStamp: string | null;
  authenticationStatus: number;
}
export const GNSS_AUTH_STATUS_AD_RECORD_SIZE = 5;

export function decodeGnssAuthStatusAdRecord(bytes: Uint8Array, offset: number, problems: string[] = []): GnssAuthStatusAdRecord | null {
  if (isUnusedRecord(bytes, offset, GNSS_AUTH_STATUS_AD_RECORD_SIZE)) return null;
  const r = new RecordReader(bytes, offset, GNSS_AUTH_STATUS_AD_RECORD_SIZE, 'GNSSAuthStatusADRecord', problems);
  return { timeStamp: r.time(0), authenticationStatus: r.u8(4) };
}
