import type { Deframer, PortCodec } from '../port-codec.ts';
import { crc16CcittFalse } from './crc16.ts';
import { concatBytes } from '../../crypto/bytes.ts';
import { DecodeError } from '../decode-error.ts';

/**
 * The seal's short-range link frame (rig-defined: Decision 141 item 23 names the short-range module but
 * not its radio or framing). Layout:
 *
 *   off  len  field
 *   0    1    SOF 0xA5
 *   1    1    LEN: bytes from TYPE to the end of BODY (5..253)
 *   2    1    TYPE (see FrameType)
 *   3    1    s = SRC id length (1..32), then s bytes of ASCII: the sender's id (seal id or reader id)
 *   .    1    d = DST id length (0..32), then d bytes of ASCII: the addressee; 0 = anyone in range
 *   .    n    BODY (by TYPE, below)
 *   end  2    CRC-16/CCITT-FALSE over LEN..BODY, big-endian
 *
 * Addresses are in every frame because the radio is a shared medium: every reader in range hears every
 * frame and keeps only those addressed to it.
 */
export const SOF = 0xa5;
export const MAX_ID_LENGTH = 32;
const MAX_LEN = 253;

export const FrameType = {
  /** reader → seal: the activation command. BODY empty. */
  activate: 0x01,
  /** seal → reader: BODY nonce[16]. */
  challenge: 0x02,
  /** reader → seal: BODY nonce[16] (echoed), mac[16]. */
  response: 0x03,
  /** seal → reader: BODY custody u8, battery u16 BE (0.1 %), diagnostics u8, framesRefused u8, mac[16]. */
  status: 0x04,
  /** seal → reader: BODY reason u8 (RefusalReason). No seal data. */
  refused: 0x05,
} as const;
export type FrameTypeName = keyof typeof FrameType;

export const NONCE_LENGTH = 16;
export const MAC_LENGTH = 16;

/** Why the seal refused an activation. */
export const RefusalReason = { badMac: 1, noChallenge: 2, expired: 3, unknownSeal: 4 } as const;
export type RefusalReasonName = keyof typeof RefusalReason;

export const Custody = { registered: 0, tracking: 1, violated: 2, disarmed: 3 } as const;
export type CustodyName = keyof typeof Custody;

/** Self-diagnostic bits in STATUS: a set bit is a fault. */
export const DiagnosticBit = { gnss: 0x01, lock: 0x02, housing: 0x04, memory: 0x08, modem: 0x10, battery: 0x20 } as const;
export type DiagnosticName = keyof typeof DiagnosticBit;
export type Diagnostics = Record<DiagnosticName, 'ok' | 'fault'>;

export interface StatusBody {
  custody: CustodyName;
  /** Percent, resolved to 0.1. */
  batteryPercent: number;
  diagnostics: Diagnostics;
  /** Frames the seal refused (bad checksum, malformed) since it last reported to a reader. */
  framesRefused: number;
  mac: Uint8Array;
}

export type ShortRangeFrame = { src: string; dst: string } & (
  | { type: 'activate' }
  | { type: 'challenge'; nonce: Uint8Array }
  | { type: 'response'; nonce: Uint8Array; mac: Uint8Array }
  | ({ type: 'status' } & StatusBody)
  | { type: 'refused'; reason: RefusalReasonName }
);

/** What the short-range frame codec throws (encoding a frame that cannot be, decoding bytes that are not one). */
export class FrameError extends DecodeError {}

const ascii = new TextEncoder();

function idBytes(id: string, what: string, allowEmpty: boolean): Uint8Array {
  if (!/^[\x21-\x7e]*$/.test(id)) throw new FrameError(`${what} id '${id}' must be printable ASCII without spaces`);
  if (id.length > MAX_ID_LENGTH || (!allowEmpty && id.length === 0)) {
    throw new FrameError(`${what} id must be ${allowEmpty ? 0 : 1}..${MAX_ID_LENGTH} characters, got ${id.length}`);
  }
  return ascii.encode(id);
}

/** The STATUS body up to (not including) its MAC: what the MAC covers. */
export function statusBodyBytes(s: Omit<StatusBody, 'mac'>): Uint8Array {
  const permille = Math.round(s.batteryPercent * 10);
  if (!(permille >= 0 && permille <= 1000)) throw new FrameError(`battery ${s.batteryPercent} % is outside 0..100`);
  let bits = 0;
  for (const [name, bit] of Object.entries(DiagnosticBit)) if (s.diagnostics[name as DiagnosticName] === 'fault') bits |= bit;
  return Uint8Array.of(Custody[s.custody], permille >> 8, permille & 0xff, bits, Math.min(255, s.framesRefused));
}

function body(frame: ShortRangeFrame): Uint8Array {
  const fixed = (bytes: Uint8Array, n: number, what: string) => {
    if (bytes.length !== n) throw new FrameError(`${what} must be ${n} bytes, got ${bytes.length}`);
    return bytes;
  };
  switch (frame.type) {
    case 'activate':
      return new Uint8Array(0);
    case 'challenge':
      return fixed(frame.nonce, NONCE_LENGTH, 'nonce');
    case 'response':
      return concatBytes(fixed(frame.nonce, NONCE_LENGTH, 'nonce'), fixed(frame.mac, MAC_LENGTH, 'mac'));
    case 'status':
      return concatBytes(statusBodyBytes(frame), fixed(frame.mac, MAC_LENGTH, 'mac'));
    case 'refused':
      return Uint8Array.of(RefusalReason[frame.reason]);
  }
}

export function encodeFrame(frame: ShortRangeFrame): Uint8Array {
  const src = idBytes(frame.src, 'source', false);
  const dst = idBytes(frame.dst, 'destination', true);
  const inner = concatBytes(Uint8Array.of(FrameType[frame.type], src.length), src, Uint8Array.of(dst.length), dst, body(frame));
  if (inner.length > MAX_LEN) throw new FrameError(`frame content is ${inner.length} bytes, at most ${MAX_LEN}`);
  const out = new Uint8Array(inner.length + 4);
  out[0] = SOF;
  out[1] = inner.length;
  out.set(inner, 2);
  const crc = crc16CcittFalse(out.subarray(1, out.length - 2));
  out[out.length - 2] = crc >> 8;
  out[out.length - 1] = crc & 0xff;
  return out;
}

const TYPE_NAMES = new Map<number, FrameTypeName>(Object.entries(FrameType).map(([k, v]) => [v, k as FrameTypeName]));
const REASON_NAMES = new Map<number, RefusalReasonName>(Object.entries(RefusalReason).map(([k, v]) => [v, k as RefusalReasonName]));
const CUSTODY_NAMES = new Map<number, CustodyName>(Object.entries(Custody).map(([k, v]) => [v, k as CustodyName]));
const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0').toUpperCase()}`;

/** Decodes one whole frame (as the deframer cuts it). Throws a FrameError saying what is wrong. */
export function decodeFrame(frame: Uint8Array): ShortRangeFrame {
  if (frame.length < 9) throw new FrameError(`frame of ${frame.length} bytes is shorter than the minimum 9`);
  if (frame[0] !== SOF) throw new FrameError(`frame starts with 0x${frame[0]!.toString(16)}, not SOF 0xA5`);
  if (frame[1] !== frame.length - 4) throw new FrameError(`LEN says ${frame[1]} bytes but the frame carries ${frame.length - 4}`);
  const stated = (frame[frame.length - 2]! << 8) | frame[frame.length - 1]!;
  const computed = crc16CcittFalse(frame.subarray(1, frame.length - 2));
  if (stated !== computed) throw new FrameError(`checksum mismatch: frame says ${hex4(stated)}, computed ${hex4(computed)}`);
  const type = TYPE_NAMES.get(frame[2]!);
  if (!type) throw new FrameError(`unknown frame type 0x${frame[2]!.toString(16).padStart(2, '0')}`);
  const end = frame.length - 2;
  let at = 3;
  const readId = (what: string, allowEmpty: boolean): string => {
    const n = frame[at]!;
    if (n > MAX_ID_LENGTH || (!allowEmpty && n === 0) || at + 1 + n > end) throw new FrameError(`${what} id length ${n} is invalid`);
    const id = String.fromCharCode(...frame.subarray(at + 1, at + 1 + n));
    at += 1 + n;
    return id;
  };
  const src = readId('source', false);
  const dst = readId('destination', true);
  const b = frame.slice(at, end);
  const expectLength = (n: number) => {
    if (b.length !== n) throw new FrameError(`${type.toUpperCase()} body must be ${n} bytes, got ${b.length}`);
  };
  switch (type) {
    case 'activate':
      expectLength(0);
      return { type, src, dst };
    case 'challenge':
      expectLength(NONCE_LENGTH);
      return { type, src, dst, nonce: b };
    case 'response':
      expectLength(NONCE_LENGTH + MAC_LENGTH);
      return { type, src, dst, nonce: b.slice(0, NONCE_LENGTH), mac: b.slice(NONCE_LENGTH) };
    case 'status': {
      expectLength(5 + MAC_LENGTH);
      const custody = CUSTODY_NAMES.get(b[0]!);
      if (!custody) throw new FrameError(`unknown custody state ${b[0]}`);
      const permille = (b[1]! << 8) | b[2]!;
      if (permille > 1000) throw new FrameError(`battery ${permille / 10} % is over 100`);
      const diagnostics = Object.fromEntries(
        Object.entries(DiagnosticBit).map(([name, bit]) => [name, b[3]! & bit ? 'fault' : 'ok']),
      ) as Diagnostics;
      return { type, src, dst, custody, batteryPercent: permille / 10, diagnostics, framesRefused: b[4]!, mac: b.slice(5) };
    }
    case 'refused': {
      expectLength(1);
      const reason = REASON_NAMES.get(b[0]!);
      if (!reason) throw new FrameError(`unknown refusal reason ${b[0]}`);
      return { type, src, dst, reason };
    }
  }
}

/**
 * Cuts a byte stream into frames: resynchronises on SOF, then takes LEN + 4 bytes. A LEN too small to
 * hold a frame makes it drop that SOF and look for the next one. Frames come out whole but unchecked:
 * {@link decodeFrame} judges them, so a frame with a bad checksum is still seen (and refused with a reason).
 */
export class ShortRangeDeframer implements Deframer {
  private held: number[] = [];

  push(bytes: Uint8Array): Uint8Array[] {
    const { frames, held } = deframeShortRange(this.held, bytes);
    this.held = held;
    return frames;
  }
}

/** The deframer as a pure step, for machines that keep the bytes held so far in their (plain-data) context. */
export function deframeShortRange(held: readonly number[], bytes: Uint8Array): { frames: Uint8Array[]; held: number[] } {
  const frames: Uint8Array[] = [];
  let buffer = [...held];
  for (const byte of bytes) {
    if (buffer.length === 0 && byte !== SOF) continue;
    buffer.push(byte);
    if (buffer.length === 2 && (byte < 5 || byte > MAX_LEN)) {
      buffer = byte === SOF ? [byte] : [];
      continue;
    }
    if (buffer.length >= 2 && buffer.length === buffer[1]! + 4) {
      frames.push(Uint8Array.from(buffer));
      buffer = [];
    }
  }
  return { frames, held: buffer };
}

/** For the trace: hex-friendly description of a frame. */
export function describeFrame(bytes: Uint8Array): unknown {
  const f = decodeFrame(bytes);
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  switch (f.type) {
    case 'challenge':
      return { ...f, nonce: hex(f.nonce) };
    case 'response':
      return { ...f, nonce: hex(f.nonce), mac: hex(f.mac) };
    case 'status':
      return { ...f, mac: hex(f.mac) };
    default:
      return f;
  }
}

export const shortRangeCodec: PortCodec = {
  name: 'seal-short-range',
  createDeframer: () => new ShortRangeDeframer(),
  describe: describeFrame,
};
