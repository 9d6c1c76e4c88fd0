import { DecodeError } from '../decode-error.ts';

/**
 * NMEA 0183 sentence framing: '$', talker + type, comma-separated fields, '*', two hex digits of checksum (the
 * XOR of every character between '$' and '*'). App. 12 GNS_7 caps a sentence at 85 bytes: this is the form
 * stored in the EGF's records, without the CR LF line ending of the serial talker.
 */
export const MAX_SENTENCE_BYTES = 85;

/** What the NMEA parsers throw on a sentence they cannot read, or whose fields are out of their range. */
export class NmeaError extends DecodeError {}

export function nmeaChecksum(body: string): number {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x;
}

export function frameSentence(talker: string, type: string, fields: readonly string[]): string {
  const body = [`${talker}${type}`, ...fields].join(',');
  if (/[$*\r\n]/.test(body) || /[^\x20-\x7e]/.test(body)) throw new RangeError(`NMEA fields must be printable ASCII without $ or *: ${body}`);
  const sentence = `$${body}*${nmeaChecksum(body).toString(16).toUpperCase().padStart(2, '0')}`;
  if (sentence.length > MAX_SENTENCE_BYTES) throw new RangeError(`NMEA sentence of ${sentence.length} bytes exceeds ${MAX_SENTENCE_BYTES} (GNS_7)`);
  return sentence;
}

export interface ParsedSentence {
  talker: string;
  type: string;
  fields: string[];
}

export function parseSentence(text: string): ParsedSentence {
  const s = text.replace(/\r?\n$/, '');
  // GNS_7: 85 bytes at most, checked first so a long line costs nothing more
  if (s.length > MAX_SENTENCE_BYTES) throw new NmeaError(`NMEA sentence of ${s.length} bytes exceeds ${MAX_SENTENCE_BYTES} (GNS_7)`);
  const m = /^\$([A-Z0-9]{2})([A-Z]{3}),([\x20-\x7e]*)\*([0-9A-Fa-f]{2})$/.exec(s);
  if (!m || m[3]!.includes('$') || m[3]!.includes('*')) throw new NmeaError(`not an NMEA sentence: ${JSON.stringify(s)}`);
  const body = s.slice(1, s.indexOf('*'));
  const want = nmeaChecksum(body);
  if (parseInt(m[4]!, 16) !== want) throw new NmeaError(`NMEA checksum ${m[4]} should be ${want.toString(16).toUpperCase().padStart(2, '0')}`);
  return { talker: m[1]!, type: m[2]!, fields: m[3]!.split(',') };
}

/**
 * A decimal field as NMEA writes it (digits, an optional fraction: no sign, exponent, hex or spaces, which
 * `Number` would take) within [min, max]. A checksum-valid sentence can still carry `NaN` or `1e999`.
 */
export function decimalField(value: string, what: string, min: number, max: number): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new NmeaError(`${what} '${value}' is not a decimal number`);
  const n = Number(value);
  if (!(n >= min && n <= max)) throw new NmeaError(`${what} ${value} is outside ${min}..${max}`);
  return n;
}

