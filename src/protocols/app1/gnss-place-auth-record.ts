import { concatBytes } from '../../crypto/bytes.ts';
import { decodeTimeReal, encodeTimeReal } from './app1-codec.ts';

/**
 * App. 1 §2.79c GNSSPlaceAuthRecord (generation 2, version 2): a GNSS position with the authentication
 * status the VU gave it (Appendix 12 GNS_39, OSNMA). 12 bytes:
 *
 *   offset size field
 *        0    4 timeStamp             TimeReal (kept here in ms)
 *        4    1 gnssAccuracy          GNSSAccuracy (§2.77)
 *        5    6 geoCoordinates        GeoCoordinates (§2.76): latitude 3, longitude 3
 *       11    1 authenticationStatus  PositionAuthenticationStatus (§2.117a)
 *
 * Used by the gen2v2 VU records VuGNSSADRecord, VuBorderCrossingRecord, VuLoadUnloadRecord and
 * PlaceAuthRecord (the place of VuPlaceDailyWorkPeriodRecord).
 */
export const GNSS_PLACE_AUTH_RECORD_SIZE = 12;

/** App. 1 §2.117a: '00'H Not Authenticated, '01'H Authenticated (Appendix 12 GNS_39); '02'H..'FF'H RFU. */
export type PositionAuthenticationStatus = 'not-authenticated' | 'authenticated';
const AUTH_CODE: Record<PositionAuthenticationStatus, number> = { 'not-authenticated': 0x00, authenticated: 0x01 };

/**
 * App. 1 §2.76 GeoCoordinates: latitude and longitude, each a 3-byte two's complement integer of ±DDMM.M × 10
 * (degrees, minutes and tenths of minutes; positive north and east). 50°30.5' N (5030.5) is 50305. An unknown position
 * is '7FFFFF'H (8388607) in both.
 */
export interface GeoCoordinates {
  latitude: number;
  longitude: number;
}

export interface GnssPlaceAuthRecord {
  /** ms; TimeReal keeps whole seconds. */
  timeStamp: number;
  /** App. 1 §2.77 GNSSAccuracy, 1..100: the GSA sentence's X.Y dilution × 10. */
  gnssAccuracy: number;
  geoCoordinates: GeoCoordinates;
  authenticationStatus: PositionAuthenticationStatus;
}

function int24(v: number, what: string): Uint8Array {
  if (!Number.isInteger(v) || v < -0x800000 || v > 0x7fffff) throw new RangeError(`${what} ${v} does not fit 3 bytes`);
  const u = v & 0xffffff;
  return Uint8Array.of(u >> 16, (u >> 8) & 0xff, u & 0xff);
}

function readInt24(b: Uint8Array, at: number): number {
  const u = (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
  return u & 0x800000 ? u - 0x1000000 : u;
}

export function encodeGeoCoordinates(c: GeoCoordinates): Uint8Array {
  return concatBytes(int24(c.latitude, 'latitude'), int24(c.longitude, 'longitude'));
}

export function decodeGeoCoordinates(bytes: Uint8Array, offset = 0): GeoCoordinates {
  return { latitude: readInt24(bytes, offset), longitude: readInt24(bytes, offset + 3) };
}

export function encodePositionAuthenticationStatus(status: PositionAuthenticationStatus): number {
  const code = AUTH_CODE[status];
  if (code === undefined) throw new RangeError(`not a PositionAuthenticationStatus: ${String(status)}`);
  return code;
}

export function decodePositionAuthenticationStatus(code: number): PositionAuthenticationStatus {
  if (code === 0x00) return 'not-authenticated';
  if (code === 0x01) return 'authenticated';
  throw new RangeError(`PositionAuthenticationStatus '${code.toString(16).padStart(2, '0').toUpperCase()}'H is RFU (App. 1 §2.117a)`);
}

/** A slice of exactly `size` bytes, or a RangeError naming what is cut. */
export function fixedSlice(bytes: Uint8Array, offset: number, size: number, what: string): Uint8Array {
  const b = bytes.subarray(offset, offset + size);
  if (b.length !== size) throw new RangeError(`${what} needs ${size} bytes, ${b.length} left`);
  return b;
}

export function encodeGnssPlaceAuthRecord(r: GnssPlaceAuthRecord): Uint8Array {
  if (!Number.isInteger(r.gnssAccuracy) || r.gnssAccuracy < 0 || r.gnssAccuracy > 255) throw new RangeError(`gnssAccuracy ${r.gnssAccuracy} does not fit a byte`);
  return concatBytes(encodeTimeReal(r.timeStamp), Uint8Array.of(r.gnssAccuracy), encodeGeoCoordinates(r.geoCoordinates), Uint8Array.of(encodePositionAuthenticationStatus(r.authenticationStatus)));
}

export function decodeGnssPlaceAuthRecord(bytes: Uint8Array, offset = 0): GnssPlaceAuthRecord {
  const b = fixedSlice(bytes, offset, GNSS_PLACE_AUTH_RECORD_SIZE, 'GNSSPlaceAuthRecord');
  return { timeStamp: decodeTimeReal(b, 0), gnssAccuracy: b[4]!, geoCoordinates: decodeGeoCoordinates(b, 5), authenticationStatus: decodePositionAuthenticationStatus(b[11]!) };
}
