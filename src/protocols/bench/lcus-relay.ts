import type { Deframer, PortCodec } from '../port-codec.ts';
import { DecodeError } from '../decode-error.ts';
import { createLineDeframer } from './line-deframer.ts';

/**
 * The serial protocol of the widespread CH340 "LCUS-1/2/4/8" USB relay boards (LC Technology, sold under many
 * names): a USB-serial chip at 9600 baud 8N1 in front of a microcontroller that switches 1 to 8 relays.
 *
 * Sources (the boards come with a one-page protocol sheet; these are public copies of it):
 * - switch command, 4 bytes: `A0` start, the channel (01 = first relay), `00` off (open) / `01` on (closed),
 *   and a check byte, the sum of the first three mod 256: `A0 01 01 A2` closes relay 1, `A0 01 00 A1` opens
 *   it. LC Technology's LCUS-1 sheet as reproduced by resellers (optimusdigital.ro "USB 5V 10A Relay
 *   Module", tilga.com/prod/5732195), and every LCUS-2/4/8 sheet with channels 02..08.
 * - status query, 1 byte: `FF`. LC Technology's LCUS-4 sheet (www.chinalctech.com/cpzx/32.html) documents it;
 *   the board answers in ASCII, one line per channel, `CH1: ON \r\n` or `CH1: OFF\r\n` ("ON" padded to the
 *   width of "OFF"), as recorded from an LCUS-2 by B. Rzycki's Python driver (Apache-2.0, 2020). The
 *   LCUS-1 sheet does not list it; a single-channel board of this family may not answer.
 * - the boards send nothing back to a switch command: the only confirmation is the status query.
 *
 * "ON" is the relay energised: its normally-open contact closed. The boards power up with every relay off.
 * Other families with an `A0` start byte (e.g. Diustou's "USB Relay PRO", whose query is `A0 01 02 A3` and
 * which switches all channels with `A0 0F ..`) are not this protocol: channel 0x0F is refused here.
 */
export const LCUS_BAUD = 9600;
export const LCUS_START = 0xa0;
export const LCUS_STATUS_QUERY = 0xff;
export const LCUS_OFF = 0x00;
export const LCUS_ON = 0x01;
/** LCUS-8, the largest board of the family. */
export const LCUS_MAX_CHANNELS = 8;
export const LCUS_BOARD_SIZES = [1, 2, 4, 8] as const;

/** What the LCUS decoders throw on bytes that are not a command or status answer of the protocol. */
export class LcusError extends DecodeError {}

export type LcusCommand = { type: 'switch'; channel: number; on: boolean } | { type: 'status' };

/** The check byte: the sum of start, channel and operation, mod 256. */
export function lcusChecksum(start: number, channel: number, operation: number): number {
  return (start + channel + operation) & 0xff;
}

/** The 4 bytes that switch one relay: `A0 01 01 A2` closes relay 1. */
export function encodeLcusSwitch(channel: number, on: boolean): Uint8Array {
  if (!Number.isInteger(channel) || channel < 1 || channel > LCUS_MAX_CHANNELS) throw new RangeError(`an LCUS channel is 1..${LCUS_MAX_CHANNELS}, got ${channel}`);
  const operation = on ? LCUS_ON : LCUS_OFF;
  return Uint8Array.of(LCUS_START, channel, operation, lcusChecksum(LCUS_START, channel, operation));
}

export function encodeLcusCommand(command: LcusCommand): Uint8Array {
  return command.type === 'status' ? Uint8Array.of(LCUS_STATUS_QUERY) : encodeLcusSwitch(command.channel, command.on);
}

/** Reads one command frame (as the deframer cuts them). Throws an LcusError naming what is wrong. */
export function decodeLcusCommand(frame: Uint8Array): LcusCommand {
  if (frame.length === 1 && frame[0] === LCUS_STATUS_QUERY) return { type: 'status' };
  if (frame[0] !== LCUS_START) throw new LcusError(`not an LCUS command: ${hexOf(frame)} (a command starts with A0, a status query is FF)`);
  if (frame.length !== 4) throw new LcusError(`an LCUS switch command is 4 bytes, got ${frame.length}: ${hexOf(frame)}`);
  const [start, channel, operation, check] = frame as unknown as [number, number, number, number];
  const want = lcusChecksum(start, channel, operation);
  if (check !== want) throw new LcusError(`LCUS check byte ${hex(check)} should be ${hex(want)} (sum of A0 ${hex(channel)} ${hex(operation)})`);
  if (channel < 1 || channel > LCUS_MAX_CHANNELS) throw new LcusError(`LCUS channel ${hex(channel)} is outside 01..0${LCUS_MAX_CHANNELS}`);
  if (operation !== LCUS_ON && operation !== LCUS_OFF) throw new LcusError(`LCUS operation ${hex(operation)} is neither 00 (off) nor 01 (on)`);
  return { type: 'switch', channel, on: operation === LCUS_ON };
}

/**
 * Cuts a byte stream into command frames, as the board's firmware reads it: `FF` is a frame of its own, `A0`
 * starts a 4-byte frame (whatever its check byte: a bad one is refused whole), any other byte outside a frame
 * is junk, handed on alone so the trace shows it. Plain data, so a machine can keep it in its context.
 */
export interface LcusDeframeState {
  pending: number[];
}

export const EMPTY_LCUS_DEFRAME_STATE: LcusDeframeState = { pending: [] };

export function deframeLcusCommands(state: LcusDeframeState, bytes: Uint8Array): { state: LcusDeframeState; frames: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  let pending = [...state.pending];
  for (const byte of bytes) {
    if (pending.length === 0) {
      if (byte === LCUS_START) pending = [byte];
      else frames.push(Uint8Array.of(byte)); // FF: a status query; anything else: junk
      continue;
    }
    pending.push(byte);
    if (pending.length === 4) {
      frames.push(Uint8Array.from(pending));
      pending = [];
    }
  }
  return { state: { pending }, frames };
}

/** The status answer: one ASCII line per channel, `CH1: ON \r\n` (closed) or `CH1: OFF\r\n` (open). */
export function encodeLcusStatus(closed: readonly boolean[]): Uint8Array {
  return new TextEncoder().encode(closed.map((on, i) => statusLine(i + 1, on)).join(''));
}

function statusLine(channel: number, on: boolean): string {
  return `CH${channel}: ${on ? 'ON ' : 'OFF'}\r\n`;
}

/** One status line (with or without its CR LF) → its channel and state. Throws an LcusError otherwise. */
export function decodeLcusStatusLine(line: Uint8Array | string): { channel: number; on: boolean } {
  const text = typeof line === 'string' ? line : latin1(line);
  const m = /^CH([1-8]): (ON |OFF)(\r\n)?$/.exec(text);
  if (!m) throw new LcusError(`not an LCUS status line: ${JSON.stringify(text)} (expected e.g. "CH1: ON \\r\\n")`);
  return { channel: Number(m[1]), on: m[2] === 'ON ' };
}

/** A whole status answer → the state of channels 1..n, in order. Throws an LcusError on a gap or a bad line. */
export function decodeLcusStatus(answer: Uint8Array | string): boolean[] {
  const text = typeof answer === 'string' ? answer : latin1(answer);
  if (!text.endsWith('\r\n')) throw new LcusError(`an LCUS status answer ends with CR LF: ${JSON.stringify(text)}`);
  const lines = text.slice(0, -2).split('\r\n');
  return lines.map((line, i) => {
    const { channel, on } = decodeLcusStatusLine(line);
    if (channel !== i + 1) throw new LcusError(`LCUS status line ${i + 1} is for channel ${channel}: ${JSON.stringify(text)}`);
    return on;
  });
}

/** The trace's reading of what a host sends a relay board: switch commands and status queries. */
export const lcusCommandCodec: PortCodec = {
  name: 'lcus-relay-command',
  createDeframer(): Deframer {
    let state = EMPTY_LCUS_DEFRAME_STATE;
    return {
      push(bytes) {
        const r = deframeLcusCommands(state, bytes);
        state = r.state;
        return r.frames;
      },
    };
  },
  describe(frame) {
    const command = decodeLcusCommand(frame);
    return command.type === 'status' ? { command: 'status?' } : { command: command.on ? 'close' : 'open', channel: command.channel };
  },
};

/** The trace's reading of what a relay board sends back: the lines of its status answer. */
export const lcusStatusCodec: PortCodec = {
  name: 'lcus-relay-status',
  // A status line is 10 bytes (`CH1: OFF\r\n`): a line of 16 without its LF is cut anyway.
  createDeframer: () => createLineDeframer(16),
  describe(frame) {
    const { channel, on } = decodeLcusStatusLine(frame);
    return { channel, state: on ? 'closed' : 'open' };
  },
};

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function hexOf(bytes: Uint8Array): string {
  return [...bytes].map(hex).join(' ') || '(nothing)';
}
