import { toHex } from '../../crypto/index.ts';

/**
 * The sensor's real-time pulse output, as frames: a real sensor sends one edge per pulse on a wire of its
 * own; the rig sends how many pulses occurred since its previous frame, so a byte link can carry it.
 *   '50' ('P') ‖ count (2 bytes, MSB first) ‖ checksum (sum of the three bytes mod 256)
 * More than 65535 pulses since the last frame go out as several frames.
 */
export const PULSE_HEADER = 0x50;
export const PULSE_FRAME_LENGTH = 4;
export const MAX_PULSES_PER_FRAME = 0xffff;

export type PulseDecodeResult = { ok: true; count: number } | { ok: false; reason: string; hex: string };

export function encodePulseFrames(count: number): Uint8Array {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`a pulse count is a non-negative integer, got ${count}`);
  const frames: number[] = [];
  let left = count;
  do {
    const n = Math.min(left, MAX_PULSES_PER_FRAME);
    const hi = n >> 8;
    const lo = n & 0xff;
    frames.push(PULSE_HEADER, hi, lo, (PULSE_HEADER + hi + lo) & 0xff);
    left -= n;
  } while (left > 0);
  return Uint8Array.from(frames);
}

function valid(buffer: Uint8Array, at: number): boolean {
  return buffer[at] === PULSE_HEADER && ((buffer[at]! + buffer[at + 1]! + buffer[at + 2]!) & 0xff) === buffer[at + 3];
}

/**
 * Pure deframing step. A header byte whose frame fails its checksum is given out alone (as junk) and the
 * search goes on from the next byte, so one corrupted byte costs one frame, not the rest of the stream.
 */
export function deframePulses(held: readonly number[], bytes: Uint8Array): { chunks: Uint8Array[]; held: number[] } {
  const buffer = held.length === 0 ? bytes : Uint8Array.from([...held, ...bytes]);
  const chunks: Uint8Array[] = [];
  let at = 0;
  while (at < buffer.length) {
    if (buffer[at] !== PULSE_HEADER) {
      let end = at;
      while (end < buffer.length && buffer[end] !== PULSE_HEADER) end++;
      chunks.push(buffer.slice(at, end));
      at = end;
      continue;
    }
    if (buffer.length - at < PULSE_FRAME_LENGTH) break;
    const n = valid(buffer, at) ? PULSE_FRAME_LENGTH : 1;
    chunks.push(buffer.slice(at, at + n));
    at += n;
  }
  return { chunks, held: Array.from(buffer.subarray(at)) };
}

export function decodePulseFrame(chunk: Uint8Array): PulseDecodeResult {
  if (chunk.length !== PULSE_FRAME_LENGTH) return { ok: false, reason: `a pulse frame is ${PULSE_FRAME_LENGTH} bytes, got ${chunk.length}`, hex: toHex(chunk) };
  if (chunk[0] !== PULSE_HEADER) return { ok: false, reason: `a pulse frame starts with 50, not ${chunk[0]!.toString(16).padStart(2, '0')}`, hex: toHex(chunk) };
  if (!valid(chunk, 0)) return { ok: false, reason: 'pulse frame checksum does not match', hex: toHex(chunk) };
  return { ok: true, count: (chunk[1]! << 8) | chunk[2]! };
}
