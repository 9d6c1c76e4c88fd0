import { toHex } from '../../crypto/index.ts';

/**
 * The sensor's real-time pulse output, as frames: a real sensor sends one edge per pulse on a wire of its
 * own, a signal whose frequency is the speed. The rig's line carries it in two frames:
 *   count: '50' ('P') ‖ count (2 bytes, MSB first) ‖ checksum (sum of the three bytes mod 256)
 *     so many pulses, now (more than 65535 go out as several frames);
 *   rate:  '52' ('R') ‖ at (rig ms since the epoch) ‖ position ‖ pulses per second ‖ checksum (sum of the
 *     twenty-five bytes mod 256), the three numbers IEEE 754 binary64, MSB first: the line's signal from the
 *     instant `at` on, until the next rate frame. `position` is the line's pulse count at `at` with the phase
 *     of the pulse under way as its fraction; the count at rig time t is floor(position + rate × (t − at) /
 *     1000). Exact, and one frame per change of speed (issue 18), where a count frame every 100 ms cost
 *     36 000 events a driving hour. The instant is the rig clock's, which every device of a rig shares: a
 *     frame takes 27 ms to cross a 9600 Bd line, and a count extrapolated from its arrival would run that
 *     long on the old rate at every change.
 *   no signal: '43' ('C') ‖ at (rig ms since the epoch, binary64, MSB first) ‖ checksum (sum of the nine
 *     bytes mod 256): the line carries nothing from `at` on, until the next rate frame. A cut wire says it
 *     by its silence; the rig's line says it in words only where its far end is outside the rig and cannot
 *     see the cut (a pty, a serial adapter: src/harness/links, PortSpec.cutSignal), as the VU takes a cut.
 * The sensor sends rate frames; the VU reads all three (a recording of an older rig replays count frames).
 */
export const PULSE_HEADER = 0x50;
export const PULSE_FRAME_LENGTH = 4;
export const MAX_PULSES_PER_FRAME = 0xffff;
export const RATE_HEADER = 0x52;
export const RATE_FRAME_LENGTH = 26;
export const CUT_HEADER = 0x43;
export const CUT_FRAME_LENGTH = 10;

/** The line's signal from rig time `at` on: pulses by then (with the phase as fraction), and pulses per second. */
export interface PulseRate {
  at: number;
  position: number;
  pulsesPerSecond: number;
}

export type PulseDecodeResult =
  /** A count frame; a rate frame decodes with count 0 and its `rate`; a no-signal frame with count 0 and `cut`, its instant. */
  | { ok: true; count: number; rate?: PulseRate; cut?: number }
  | { ok: false; reason: string; hex: string };

/** The rate frame for the line's signal from `at` on: a finite instant, a finite, non-negative position and rate. */
export function encodeRateFrame(rate: PulseRate): Uint8Array {
  if (!holdsSignal(rate)) throw new RangeError(`a pulse rate is a finite instant and a finite, non-negative position and rate, got ${rate.at}, ${rate.position} and ${rate.pulsesPerSecond}`);
  const frame = new Uint8Array(RATE_FRAME_LENGTH);
  const view = new DataView(frame.buffer);
  frame[0] = RATE_HEADER;
  view.setFloat64(1, rate.at);
  view.setFloat64(9, rate.position);
  view.setFloat64(17, rate.pulsesPerSecond);
  frame[25] = checksum(frame, 0, 25);
  return frame;
}

/**
 * The frame that says the line carries no signal from rig time `at` on (a cut wire), until the next rate
 * frame: what a far end outside the rig, which cannot see the rig's cut, is told at the cut (rig-defined,
 * issue 18: a real wire says it by carrying no edges).
 */
export function encodeCutFrame(at: number): Uint8Array {
  if (!Number.isFinite(at)) throw new RangeError(`a no-signal frame's instant is finite, got ${at}`);
  const frame = new Uint8Array(CUT_FRAME_LENGTH);
  frame[0] = CUT_HEADER;
  new DataView(frame.buffer).setFloat64(1, at);
  frame[9] = checksum(frame, 0, 9);
  return frame;
}

function holdsSignal(rate: PulseRate): boolean {
  return Number.isFinite(rate.at) && rate.position >= 0 && Number.isFinite(rate.position) && rate.pulsesPerSecond >= 0 && Number.isFinite(rate.pulsesPerSecond);
}

function checksum(buffer: Uint8Array, at: number, length: number): number {
  let sum = 0;
  for (let i = at; i < at + length; i++) sum += buffer[i]!;
  return sum & 0xff;
}

function frameLength(header: number | undefined): number | undefined {
  return header === PULSE_HEADER ? PULSE_FRAME_LENGTH : header === RATE_HEADER ? RATE_FRAME_LENGTH : header === CUT_HEADER ? CUT_FRAME_LENGTH : undefined;
}

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
  const length = frameLength(buffer[at]);
  return length !== undefined && checksum(buffer, at, length - 1) === buffer[at + length - 1];
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
    const length = frameLength(buffer[at]);
    if (length === undefined) {
      let end = at;
      while (end < buffer.length && frameLength(buffer[end]) === undefined) end++;
      chunks.push(buffer.slice(at, end));
      at = end;
      continue;
    }
    if (buffer.length - at < length) break;
    const n = valid(buffer, at) ? length : 1;
    chunks.push(buffer.slice(at, at + n));
    at += n;
  }
  return { chunks, held: Array.from(buffer.subarray(at)) };
}

export function decodePulseFrame(chunk: Uint8Array): PulseDecodeResult {
  if (chunk[0] === RATE_HEADER) return decodeRateFrame(chunk);
  if (chunk[0] === CUT_HEADER) return decodeCutFrame(chunk);
  if (chunk.length !== PULSE_FRAME_LENGTH) return { ok: false, reason: `a pulse frame is ${PULSE_FRAME_LENGTH} bytes, got ${chunk.length}`, hex: toHex(chunk) };
  if (chunk[0] !== PULSE_HEADER) return { ok: false, reason: `a pulse frame starts with 50, 52 or 43, not ${chunk[0]!.toString(16).padStart(2, '0')}`, hex: toHex(chunk) };
  if (!valid(chunk, 0)) return { ok: false, reason: 'pulse frame checksum does not match', hex: toHex(chunk) };
  return { ok: true, count: (chunk[1]! << 8) | chunk[2]! };
}

function decodeRateFrame(chunk: Uint8Array): PulseDecodeResult {
  if (chunk.length !== RATE_FRAME_LENGTH) return { ok: false, reason: `a pulse rate frame is ${RATE_FRAME_LENGTH} bytes, got ${chunk.length}`, hex: toHex(chunk) };
  if (!valid(chunk, 0)) return { ok: false, reason: 'pulse rate frame checksum does not match', hex: toHex(chunk) };
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const rate = { at: view.getFloat64(1), position: view.getFloat64(9), pulsesPerSecond: view.getFloat64(17) };
  // a checksum of one byte lets a damaged frame through now and then: a signal no sensor gives is refused
  if (!holdsSignal(rate)) return { ok: false, reason: `pulse rate frame holds no signal (at ${rate.at}, position ${rate.position}, ${rate.pulsesPerSecond} pulses/s)`, hex: toHex(chunk) };
  return { ok: true, count: 0, rate };
}

function decodeCutFrame(chunk: Uint8Array): PulseDecodeResult {
  if (chunk.length !== CUT_FRAME_LENGTH) return { ok: false, reason: `a no-signal frame is ${CUT_FRAME_LENGTH} bytes, got ${chunk.length}`, hex: toHex(chunk) };
  if (!valid(chunk, 0)) return { ok: false, reason: 'no-signal frame checksum does not match', hex: toHex(chunk) };
  const at = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getFloat64(1);
  if (!Number.isFinite(at)) return { ok: false, reason: `no-signal frame holds no instant (${at})`, hex: toHex(chunk) };
  return { ok: true, count: 0, cut: at };
}

/**
 * The line's pulse count at rig time `t` under a rate frame: floor(position + rate × (t − at)), never below
 * its position. The same nudge as the sensor's count (motion-sensor/pulses.ts): a sum that is an integer in
 * exact arithmetic can come out one ulp short.
 */
export function pulsesAt(rate: PulseRate, t: number): number {
  const exact = rate.position + (rate.pulsesPerSecond * Math.max(0, t - rate.at)) / 1000;
  return Math.floor(exact + exact * 1e-12 + 1e-9);
}
