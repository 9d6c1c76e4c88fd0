/**
 * Times in messages are UTC in ISO 8601 (Decision 141 item 17). Accepted: a full date and time with
 * seconds, optional fraction, and the zone written `Z` or `+00:00`. Refused: a local time without zone, any
 * other offset, and `-00:00` (RFC 3339: "offset unknown"). Written: always `Z` with milliseconds.
 */
const UTC_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|\+00:00)$/;

export function isUtcIso(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = UTC_ISO.exec(value);
  if (!m) return false;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return false;
  // Date.parse rolls 2026-02-30 over to March: compare the fields back.
  const d = new Date(t);
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() + 1 === +m[2]! && d.getUTCDate() === +m[3]! && d.getUTCHours() === +m[4]!;
}

/** Rig time (ms since the epoch, possibly fractional) as ISO 8601 UTC with milliseconds. */
export function utcIso(t: number): string {
  return new Date(Math.floor(t)).toISOString();
}

/** Why a value is not a UTC ISO 8601 time, for refusals. */
export function utcProblem(value: unknown): string {
  if (typeof value !== 'string') return `expected a string, got ${value === null ? 'null' : typeof value}`;
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return `'${value}' has no zone: times must be UTC (Z)`;
  if (/[+-]\d{2}:?\d{2}$/.test(value) && !/\+00:00$/.test(value)) return `'${value}' is not UTC: the offset must be Z or +00:00`;
  return `'${value}' is not an ISO 8601 date-time`;
}
