/**
 * ISO/IEC 7816-4 §5.1 command APDU: header CLA INS P1 P2, then the body in one of the four cases, with short
 * (one-byte) or extended (three-byte Lc, two- or three-byte Le) length fields. App. 12 GNS_16 forbids extended
 * lengths on the EGF link; the codec still reads and writes them, so a peer that sends one is refused by the
 * EGF (with '6700') rather than misparsed.
 */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Lc bytes); empty when there is no Lc field. */
  data: Uint8Array;
  /** Ne, the maximum number of response bytes expected; undefined when there is no Le field. 256 (short) or 65536 (extended) when Le is 00. */
  le?: number;
  /** Whether the length fields are extended. */
  extended: boolean;
}

export type ApduCase = '1' | '2S' | '3S' | '4S' | '2E' | '3E' | '4E';

export function apduCase(c: Pick<CommandApdu, 'data' | 'le' | 'extended'>): ApduCase {
  const suffix = c.extended ? 'E' : 'S';
  if (c.data.length === 0) return c.le === undefined ? '1' : (`2${suffix}` as ApduCase);
  return (c.le === undefined ? `3${suffix}` : `4${suffix}`) as ApduCase;
}

export function command(cla: number, ins: number, p1: number, p2: number, data: Uint8Array = new Uint8Array(0), le?: number): CommandApdu {
  const extended = data.length > 255 || (le !== undefined && le > 256);
  return { cla, ins, p1, p2, data, ...(le === undefined ? {} : { le }), extended };
}

export function encodeCommand(c: CommandApdu): Uint8Array {
  for (const [name, v] of [['CLA', c.cla], ['INS', c.ins], ['P1', c.p1], ['P2', c.p2]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`${name} must be a byte, got ${v}`);
  }
  const nc = c.data.length;
  const ne = c.le;
  const maxNc = c.extended ? 65535 : 255;
  const maxNe = c.extended ? 65536 : 256;
  if (nc > maxNc) throw new RangeError(`Nc ${nc} exceeds ${maxNc} with ${c.extended ? 'extended' : 'short'} lengths`);
  if (ne !== undefined && (!Number.isInteger(ne) || ne < 1 || ne > maxNe)) throw new RangeError(`Ne must be 1..${maxNe}, got ${ne}`);
  const out: number[] = [c.cla, c.ins, c.p1, c.p2];
  if (!c.extended) {
    if (nc > 0) out.push(nc, ...c.data);
    if (ne !== undefined) out.push(ne & 0xff); // 256 is coded 00 (§5.1)
    return Uint8Array.from(out);
  }
  // Extended: Lc is 00 followed by two bytes; Le is two bytes after Lc, or 00 + two bytes when there is no Lc.
  if (nc > 0) out.push(0x00, nc >> 8, nc & 0xff, ...c.data);
  if (ne !== undefined) {
    if (nc === 0) out.push(0x00);
    out.push((ne >> 8) & 0xff, ne & 0xff); // 65536 is coded 0000
  }
  if (nc === 0 && ne === undefined) throw new RangeError('a case 1 APDU has no length fields to extend');
  return Uint8Array.from(out);
}

export type CommandDecodeResult = { ok: true; apdu: CommandApdu; case: ApduCase } | { ok: false; reason: string };

export function decodeCommand(bytes: Uint8Array): CommandDecodeResult {
  const n = bytes.length;
  if (n < 4) return { ok: false, reason: `a command APDU has at least 4 bytes, got ${n}` };
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const make = (data: Uint8Array, le: number | undefined, extended: boolean): CommandDecodeResult => {
    const apdu: CommandApdu = { cla, ins, p1, p2, data, ...(le === undefined ? {} : { le }), extended };
    return { ok: true, apdu, case: apduCase(apdu) };
  };
  if (n === 4) return make(new Uint8Array(0), undefined, false);
  const b5 = bytes[4]!;
  if (n === 5) return make(new Uint8Array(0), b5 === 0 ? 256 : b5, false);
  if (b5 !== 0) {
    if (n === 5 + b5) return make(bytes.slice(5), undefined, false);
    if (n === 6 + b5) return make(bytes.slice(5, 5 + b5), bytes[n - 1] === 0 ? 256 : bytes[n - 1], false);
    return { ok: false, reason: `Lc ${b5} does not match a body of ${n - 4} bytes` };
  }
  const w = (i: number) => (bytes[i]! << 8) | bytes[i + 1]!;
  if (n === 7) return make(new Uint8Array(0), w(5) === 0 ? 65536 : w(5), true);
  const lc = w(5);
  if (lc === 0) return { ok: false, reason: 'extended Lc is 0000' };
  if (n === 7 + lc) return make(bytes.slice(7), undefined, true);
  if (n === 9 + lc) return make(bytes.slice(7, 7 + lc), w(n - 2) === 0 ? 65536 : w(n - 2), true);
  return { ok: false, reason: `extended Lc ${lc} does not match a body of ${n - 4} bytes` };
}
