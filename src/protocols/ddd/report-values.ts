import { toHex } from '../../crypto/bytes.ts';

/**
 * The values `rig decode` shows, in its JSON and its text alike: times as ISO 8601 UTC without milliseconds,
 * bytes as hex, positions in degrees and minutes.
 */

/** App. 1 time fields (TimeReal, Datef-like) by their names across the VU and card records. */
const TIME_KEY = /^(begin|end|day|timeStamp|lastControl|firstOverSpeedSince)$|(Time|Date|Timestamp|TimeStamp|TimeValue)$/;

/** TimeReal 0..2^32-1 s is below 1e11 as seconds and above it as ms (after 1973-03-03): the unit when none is known. */
const MS_THRESHOLD = 1e11;

/** An ISO time of a whole second as the card records give it ('...T08:15:00.000Z'). */
const ISO_WHOLE_SECOND = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000Z$/;

export function isoTime(value: number, unit?: 'ms' | 's'): string {
  const ms = (unit ?? (value >= MS_THRESHOLD ? 'ms' : 's')) === 's' ? value * 1000 : value;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace('.000Z', 'Z');
}

/** An ISO time string without its '.000': every time `rig decode` shows has whole seconds (TimeReal). */
export function isoText(iso: string): string {
  return iso.replace(ISO_WHOLE_SECOND, '$1Z');
}

/**
 * A decoded value as JSON: Uint8Array as hex, times (numbers, by field name) and ISO strings of whole seconds
 * as ISO strings without milliseconds, undefined left out.
 */
export function jsonValue(value: unknown, unit?: 'ms' | 's', key = ''): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (typeof value === 'number' && TIME_KEY.test(key)) return isoTime(value, unit);
  if (typeof value === 'string') return isoText(value);
  if (Array.isArray(value)) return value.map((v) => jsonValue(v, unit));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonValue(v, unit, k);
    return out;
  }
  return value;
}

/**
 * ±DDMM.M × 10 (App. 1 §2.76 GeoCoordinates) as degrees and minutes; '7FFFFF'H is App. 1's unknown position.
 * A value no position has (minutes of 60 or more, beyond `maxDegrees`) is shown as its number.
 */
export function angle(value: number, pos: string, neg: string, maxDegrees = 180): string {
  if (value === 0x7fffff) return 'unknown';
  const a = Math.abs(value);
  const degrees = Math.floor(a / 1000);
  const minutes = (a % 1000) / 10;
  if (minutes >= 60 || degrees > maxDegrees || (degrees === maxDegrees && minutes > 0)) return `invalid (${value})`;
  return `${degrees}°${minutes.toFixed(1)}'${value < 0 ? neg : pos}`;
}

/** "50°30.5'N 6°12.3'E". */
export function position(latitude: number, longitude: number): string {
  return `${angle(latitude, 'N', 'S', 90)} ${angle(longitude, 'E', 'W')}`;
}

/** A one-byte code as App. 1 writes it: "'26'H". */
export function code(n: number): string {
  return `'${n.toString(16).padStart(2, '0').toUpperCase()}'H`;
}
