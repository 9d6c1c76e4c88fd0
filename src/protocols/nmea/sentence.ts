/**
 * NMEA 0183 sentence framing: '$', talker + type, comma-separated fields, '*', two hex digits of checksum (the
 * XOR of every character between '$' and '*'). App. 12 GNS_7 caps a sentence at 85 bytes: this is the form
 * stored in the EGF's records, without the CR LF line ending of the serial talker.
 */
export const MAX_SENTENCE_BYTES = 85;

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
  const m = /^\$([A-Z0-9]{2})([A-Z]{3}),([^*]*)\*([0-9A-Fa-f]{2})$/.exec(s);
  if (!m) throw new SyntaxError(`not an NMEA sentence: ${JSON.stringify(s)}`);
  const body = s.slice(1, s.indexOf('*'));
  const want = nmeaChecksum(body);
  if (parseInt(m[4]!, 16) !== want) throw new SyntaxError(`NMEA checksum ${m[4]} should be ${want.toString(16).toUpperCase().padStart(2, '0')}`);
  return { talker: m[1]!, type: m[2]!, fields: m[3]!.split(',') };
}
