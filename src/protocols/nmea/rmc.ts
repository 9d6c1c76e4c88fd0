import { frameSentence, parseSentence } from './sentence.ts';

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
  /** FAA mode: A autonomous, D differential (SBAS), N no fix. */
  mode: 'A' | 'D' | 'N';
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

export function parseCoordinate(value: string, hemisphere: string): number {
  const m = /^(\d{2,3})(\d{2}\.\d+)$/.exec(value);
  if (!m) throw new SyntaxError(`not an NMEA coordinate: ${value}`);
  const deg = Number(m[1]) + Number(m[2]) / 60;
  return hemisphere === 'S' || hemisphere === 'W' ? -deg : deg;
}

export function parseRmc(sentence: string): Rmc {
  const { talker, type, fields: f } = parseSentence(sentence);
  if (type !== 'RMC') throw new SyntaxError(`not an RMC sentence: ${type}`);
  if (f.length < 12) throw new SyntaxError(`RMC has at least 12 fields, got ${f.length}`);
  const t = /^(\d{2})(\d{2})(\d{2})(?:\.(\d+))?$/.exec(f[0]!);
  const d = /^(\d{2})(\d{2})(\d{2})$/.exec(f[8]!);
  if (!t || !d) throw new SyntaxError(`RMC time ${f[0]} or date ${f[8]} is malformed`);
  const frac = t[4] ? Math.round(Number(`0.${t[4]}`) * 1000) : 0;
  // Two-digit years: this rig's world lives in 2000..2099.
  const time = Date.UTC(2000 + Number(d[3]), Number(d[2]) - 1, Number(d[1]), Number(t[1]), Number(t[2]), Number(t[3]), frac);
  const valid = f[1] === 'A';
  return {
    talker,
    time,
    valid,
    ...(f[2] ? { lat: parseCoordinate(f[2], f[3]!) } : {}),
    ...(f[4] ? { lon: parseCoordinate(f[4], f[5]!) } : {}),
    ...(f[6] ? { speedKnots: Number(f[6]) } : {}),
    ...(f[7] ? { courseDegrees: Number(f[7]) } : {}),
    mode: (f[11] || 'N') as Rmc['mode'],
    navStatus: (f[12] || 'V') as Rmc['navStatus'],
  };
}
