import { toHex } from '../../crypto/index.ts';
import { allowedWireLengths, INSTRUCTIONS, type LinkDirection } from './instructions.ts';

/** One instruction on the link, whatever the framing around it. */
export interface LinkFrame {
  direction: LinkDirection;
  instruction: number;
  payload: Uint8Array;
}

export type FrameErrorCode = 'bad-header' | 'bad-checksum' | 'bad-length' | 'unknown-instruction' | 'truncated';

export interface FrameError {
  code: FrameErrorCode;
  message: string;
  /** The offending bytes, hex. */
  hex: string;
}

export type DecodeResult = { ok: true; frame: LinkFrame } | { ok: false; error: FrameError };

/**
 * What the sensor and the VU need from a framing: the seam where a licensed ISO 16844-3 framing replaces
 * this rig's own. Deframing is a pure step over plain data (the bytes held so far), so machines keep it in
 * their JSON-serialisable context. Decoding never throws: a malformed frame is an error value.
 */
export interface MotionSensorFraming {
  readonly name: string;
  encode(frame: LinkFrame): Uint8Array;
  /** Complete chunks (frames, or runs of bytes that cannot start one) and the bytes still held. */
  deframe(held: readonly number[], bytes: Uint8Array): { chunks: Uint8Array[]; held: number[] };
  decode(chunk: Uint8Array): DecodeResult;
}

/**
 * The rig's framing (README.md): header, instruction, length, payload, checksum.
 *   header   'A5' request (VU → sensor) or '5A' reply (sensor → VU)
 *   length   payload bytes, 0..255
 *   checksum sum of all preceding bytes of the frame, mod 256 (as App. 7's download frames)
 */
export const HEADER: Readonly<Record<LinkDirection, number>> = { request: 0xa5, reply: 0x5a };
const OVERHEAD = 4;

function checksum(bytes: Uint8Array, end: number): number {
  let sum = 0;
  for (let i = 0; i < end; i++) sum = (sum + bytes[i]!) & 0xff;
  return sum;
}

function isHeader(b: number): boolean {
  return b === HEADER.request || b === HEADER.reply;
}

function fail(code: FrameErrorCode, message: string, chunk: Uint8Array): DecodeResult {
  return { ok: false, error: { code, message, hex: toHex(chunk) } };
}

export const rigFraming: MotionSensorFraming = {
  name: 'motion-sensor-link',

  encode({ direction, instruction, payload }) {
    if (payload.length > 255) throw new RangeError(`a payload is at most 255 bytes, got ${payload.length}`);
    const out = new Uint8Array(payload.length + OVERHEAD);
    out[0] = HEADER[direction];
    out[1] = instruction;
    out[2] = payload.length;
    out.set(payload, 3);
    out[out.length - 1] = checksum(out, out.length - 1);
    return out;
  },

  deframe(held, bytes) {
    // Without spreading both into an array first: a receiver's buffer grows by a delivery's bytes at a time.
    let buffer = bytes;
    if (held.length > 0) {
      buffer = new Uint8Array(held.length + bytes.length);
      for (let i = 0; i < held.length; i++) buffer[i] = held[i]!;
      buffer.set(bytes, held.length);
    }
    const chunks: Uint8Array[] = [];
    let at = 0;
    while (at < buffer.length) {
      if (!isHeader(buffer[at]!)) {
        // Bytes that cannot start a frame come out as one chunk, so the receiver sees them refused, not lost.
        let end = at;
        while (end < buffer.length && !isHeader(buffer[end]!)) end++;
        chunks.push(buffer.slice(at, end));
        at = end;
        continue;
      }
      if (buffer.length - at < 3) break;
      const total = buffer[at + 2]! + OVERHEAD;
      if (buffer.length - at < total) break;
      chunks.push(buffer.slice(at, at + total));
      at += total;
    }
    return { chunks, held: at === buffer.length ? [] : Array.from(buffer.subarray(at)) };
  },

  decode(chunk) {
    if (chunk.length === 0 || !isHeader(chunk[0]!)) return fail('bad-header', `${chunk.length} byte(s) that do not start with a frame header (a5 or 5a)`, chunk);
    if (chunk.length < OVERHEAD) return fail('truncated', `a frame has at least ${OVERHEAD} bytes, got ${chunk.length}`, chunk);
    if (chunk[2]! !== chunk.length - OVERHEAD) return fail('bad-length', `length byte says ${chunk[2]} payload bytes but the frame carries ${chunk.length - OVERHEAD}`, chunk);
    const expected = checksum(chunk, chunk.length - 1);
    if (expected !== chunk[chunk.length - 1]) {
      return fail('bad-checksum', `checksum ${hex2(chunk[chunk.length - 1]!)} but the bytes sum to ${hex2(expected)}`, chunk);
    }
    const direction: LinkDirection = chunk[0] === HEADER.request ? 'request' : 'reply';
    const instruction = chunk[1]!;
    const lengths = allowedWireLengths(direction, instruction);
    if (!lengths || !INSTRUCTIONS[direction][instruction]) return fail('unknown-instruction', `no ${direction} instruction ${hex2(instruction)}`, chunk);
    const payload = chunk.slice(3, chunk.length - 1);
    if (!lengths.includes(payload.length)) {
      return fail('bad-length', `${direction} ${hex2(instruction)} carries ${lengths.join(' or ')} bytes, got ${payload.length}`, chunk);
    }
    return { ok: true, frame: { direction, instruction, payload } };
  },
};

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}
