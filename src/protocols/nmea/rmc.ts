import { decimalField, frameSentence, NmeaError, parseSentence } from './sentence.ts';

/** App. 12 GNS_4 (NMEA 4.11 RMC): time, status, position, speed and course, date, FAA mode, navigational status. */
export interface Rmc {
  talker: string;
  /** UTC instant of the fix, ms since the epoch; the sentence carries it to the hundredth of a second. */
  time: number;
  /** Status A (valid) or V (warning): GNS_4, a V position must not be recorded. */
  valid: boolean;
  /** Degrees, present when valid; quantised to 1/1000 minute (GNS_4). */
  lat?: number;
  lon?: number;
  speedKnots?: number;
  courseDegrees?: number;
  /**
   * NMEA 4.11 FAA mode: A autonomous, D differential (SBAS), E estimated, F float RTK, M manual, N no fix,
   * P precise, R RTK, S simulator. The rig's receivers write A, D or N.
   */
  mode: 'A' | 'D' | 'E' | 'F' | 'M' | 'N' | 'P' | 'R' | 'S';
  /** NMEA 4.1 navigational status: S safe, V not valid. */
  navStatus: 'S' | 'C' | 'U' | 'V';
}

const KMH_PER_KNOT = 1.852;

export function knotsFromKmh(kmh: number): number {
  return kmh / KMH_PER_KNOT;
}

export function formatRmc(r: Rmc): string {
  const d = new Date(r.time);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const hhmmss = `${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}.${p2(Math.floor(d.getUTCMilliseconds() / 10))}`;
  const date = `${p2(d.getUTCDate())}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCFullYear() % 100)}`;
  const position = r.valid && r.lat !== undefined && r.lon !== undefined ? [...formatCoordinate(r.lat, 'lat'), ...formatCoordinate(r.lon, 'lon')] : ['', '', '', ''];
  const speed = r.valid && r.speedKnots !== undefined ? r.speedKnots.toFixed(1) : '';
  const course = r.valid && r.courseDegrees !== undefined ? r.courseDegrees.toFixed(1) : '';
  return frameSentence(r.talker, 'RMC', [hhmmss, r.valid ? 'A' : 'V', ...position, speed, course, date, '', '', r.mode, r.navStatus]);
}

/**
 * GNS_4: degrees, then minutes with three decimals, so the resolution is 1/1000 minute. The coordinate is rounded
 * to the nearest thousandth of a minute, carrying into the degrees (59.9996' is 1°00.000').
 */
export function formatCoordinate(degrees: number, axis: 'lat' | 'lon'): [string, string] {
  const thousandths = Math.round(Math.abs(degrees) * 60_000);
  const deg = Math.floor(thousandths / 60_000);
  const min = (thousandths % 60_000) / 1000;
  const hemisphere = axis === 'lat' ? (degrees < 0 ? 'S' : 'N') : degrees < 0 ? 'W' : 'E';
  return [`${String(deg).padStart(axis === 'lat' ? 2 : 3, '0')}${min.toFixed(3).padStart(6, '0')}`, thousandths === 0 ? (axis === 'lat' ? 'N' : 'E') : hemisphere];
}

/** `ddmm.mmm` (latitude) or `dddmm.mmm` (longitude) and its hemisphere, to signed degrees; refuses minutes of 60 or more and a point off the globe. */
export function parseCoordinate(value: string, hemisphere: string, axis: 'lat' | 'lon'): number {
  const m = (axis === 'lat' ? /^(\d{2})(\d{2}\.\d+)$/ : /^(\d{3})(\d{2}\.\d+)$/).exec(value);
  if (!m) throw new NmeaError(`not an NMEA ${axis === 'lat' ? 'latitude' : 'longitude'}: ${value}`);
  const minutes = Number(m[2]);
  if (minutes >= 60) throw new NmeaError(`${value}: ${m[2]} minutes`);
  const deg = Number(m[1]) + minutes / 60;
  if (deg > (axis === 'lat' ? 90 : 180)) throw new NmeaError(`${axis === 'lat' ? 'latitude' : 'longitude'} ${value} is beyond ${axis === 'lat' ? 90 : 180}°`);
  const signs = axis === 'lat' ? ['N', 'S'] : ['E', 'W'];
  if (!signs.includes(hemisphere)) throw new NmeaError(`${axis === 'lat' ? 'latitude' : 'longitude'} hemisphere '${hemisphere}' is not ${signs.join(' or ')}`);
  return hemisphere === 'S' || hemisphere === 'W' ? -deg : deg;
}

/** COCOM limit: a GNSS receiver gives no fix above 1 000 knots, so a faster speed over ground is not a reading. */
export const MAX_SPEED_KNOTS = 1000;
const MODES = new Set<string>(['A', 'D', 'E', 'F', 'M', 'N', 'P', 'R', 'S']);
const NAV_STATUSES = new Set<string>(['S', 'C', 'U', 'V']);

/**
 * Reads an RMC sentence (GNS_4), refusing with an NmeaError any field out of its format or range: a time
 * and date that do not exist, a status other than A or V, a coordinate off the globe, a speed or course
 * that is not a plain decimal (`NaN` passed the checksum and became a speed of NaN), above 1 000 knots or
 * 360°, a mode or navigational status NMEA 4.11 does not define.
 */
export function parseRmc(sentence: string): Rmc {
  const { talker, type, fields: f } = parseSentence(sentence);
  if (type !== 'RMC') throw new NmeaError(`not an RMC sentence: ${type}`);
  if (f.length < 12) throw new NmeaError(`RMC has at least 12 fields, got ${f.length}`);
  const t = /^(\d{2})(\d{2})(\d{2})(?:\.(\d+))?$/.exec(f[0]!);
  const d = /^(\d{2})(\d{2})(\d{2})$/.exec(f[8]!);
  if (!t || !d) throw new NmeaError(`RMC time ${f[0]} or date ${f[8]} is malformed`);
  const [hh, mm, ss] = [Number(t[1]), Number(t[2]), Number(t[3])];
  // second 60: a leap second, which Date.UTC carries into the next minute
  if (hh > 23 || mm > 59 || ss > 60) throw new NmeaError(`RMC time ${f[0]} is not a time of day`);
  const frac = t[4] ? Math.round(Number(`0.${t[4]}`) * 1000) : 0;
  // Two-digit years: this rig's world lives in 2000..2099.
  const [day, month, year] = [Number(d[1]), Number(d[2]), 2000 + Number(d[3])];
  const midnight = Date.UTC(year, month - 1, day);
  const check = new Date(midnight);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) throw new NmeaError(`RMC date ${f[8]} is not a day of the calendar`);
  const time = midnight + ((hh * 60 + mm) * 60 + ss) * 1000 + frac;
  if (f[1] !== 'A' && f[1] !== 'V') throw new NmeaError(`RMC status '${f[1]}' is not A or V`);
  const valid = f[1] === 'A';
  const mode = f[11] || 'N';
  if (!MODES.has(mode)) throw new NmeaError(`RMC mode '${mode}' is not an NMEA 4.11 FAA mode`);
  const navStatus = f[12] || 'V';
  if (!NAV_STATUSES.has(navStatus)) throw new NmeaError(`RMC navigational status '${navStatus}' is not S, C, U or V`);
  return {
    talker,
    time,
    valid,
    ...(f[2] ? { lat: parseCoordinate(f[2], f[3]!, 'lat') } : {}),
    ...(f[4] ? { lon: parseCoordinate(f[4], f[5]!, 'lon') } : {}),
    ...(f[6] ? { speedKnots: decimalField(f[6], 'RMC speed over ground (knots)', 0, MAX_SPEED_KNOTS) } : {}),
    ...(f[7] ? { courseDegrees: decimalField(f[7], 'RMC course (degrees true)', 0, 360) } : {}),
    mode: mode as Rmc['mode'],
    navStatus: navStatus as Rmc['navStatus'],
  };
}
