import { describe, expect, it } from 'vitest';
import {
  EMPTY_LCUS_DEFRAME_STATE,
  LcusError,
  decodeLcusCommand,
  decodeLcusStatus,
  decodeLcusStatusLine,
  deframeLcusCommands,
  encodeLcusCommand,
  encodeLcusStatus,
  encodeLcusSwitch,
  lcusCommandCodec,
  lcusStatusCodec,
} from './lcus-relay.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replaceAll(' ', ''), 'hex'));

describe('LCUS relay board commands', () => {
  it('switches a channel with A0, the channel, 00/01 and their sum mod 256 (the sheets\' own examples)', () => {
    expect(hex(encodeLcusSwitch(1, true))).toBe('A0 01 01 A2');
    expect(hex(encodeLcusSwitch(1, false))).toBe('A0 01 00 A1');
    expect(hex(encodeLcusSwitch(2, true))).toBe('A0 02 01 A3');
    expect(hex(encodeLcusSwitch(8, false))).toBe('A0 08 00 A8');
    expect(hex(encodeLcusCommand({ type: 'status' }))).toBe('FF');
  });

  it('refuses a channel outside 1..8 when encoding', () => {
    expect(() => encodeLcusSwitch(0, true)).toThrow(RangeError);
    expect(() => encodeLcusSwitch(9, true)).toThrow(RangeError);
  });

  it('decodes what it encodes, and the status query', () => {
    for (let channel = 1; channel <= 8; channel++) {
      for (const on of [true, false]) expect(decodeLcusCommand(encodeLcusSwitch(channel, on))).toEqual({ type: 'switch', channel, on });
    }
    expect(decodeLcusCommand(bytes('FF'))).toEqual({ type: 'status' });
  });

  it('refuses a bad check byte, channel, operation or start byte, saying which', () => {
    expect(() => decodeLcusCommand(bytes('A0 01 01 A1'))).toThrow(new LcusError('LCUS check byte A1 should be A2 (sum of A0 01 01)'));
    expect(() => decodeLcusCommand(bytes('A0 09 01 AA'))).toThrow(new LcusError('LCUS channel 09 is outside 01..08'));
    expect(() => decodeLcusCommand(bytes('A0 0F 01 B0'))).toThrow(LcusError); // Diustou's "all channels": another protocol
    expect(() => decodeLcusCommand(bytes('A0 00 01 A1'))).toThrow(new LcusError('LCUS channel 00 is outside 01..08'));
    expect(() => decodeLcusCommand(bytes('A0 01 02 A3'))).toThrow(new LcusError('LCUS operation 02 is neither 00 (off) nor 01 (on)'));
    expect(() => decodeLcusCommand(bytes('55'))).toThrow(new LcusError('not an LCUS command: 55 (a command starts with A0, a status query is FF)'));
    expect(() => decodeLcusCommand(bytes('A0 01'))).toThrow(new LcusError('an LCUS switch command is 4 bytes, got 2: A0 01'));
  });

  it('cuts a stream into commands across chunks: FF alone, A0 and three more, junk byte by byte', () => {
    let state = EMPTY_LCUS_DEFRAME_STATE;
    const frames: string[] = [];
    for (const chunk of ['00 A0 01', '01 A2 FF A0', '02 00 A2 17']) {
      const r = deframeLcusCommands(state, bytes(chunk));
      state = r.state;
      frames.push(...r.frames.map(hex));
    }
    expect(frames).toEqual(['00', 'A0 01 01 A2', 'FF', 'A0 02 00 A2', '17']);
    expect(state.pending).toEqual([]);
    // a frame still open at the end of a chunk waits for the rest
    expect(deframeLcusCommands(state, bytes('A0 03')).state.pending).toEqual([0xa0, 0x03]);
  });

  it('describes commands for the trace', () => {
    expect(lcusCommandCodec.describe(bytes('A0 06 01 A7'))).toEqual({ command: 'close', channel: 6 });
    expect(lcusCommandCodec.describe(bytes('A0 06 00 A6'))).toEqual({ command: 'open', channel: 6 });
    expect(lcusCommandCodec.describe(bytes('FF'))).toEqual({ command: 'status?' });
  });
});

describe('LCUS relay board status answer', () => {
  it('is one ASCII line per channel, ON padded to the width of OFF, each ended by CR LF', () => {
    const answer = encodeLcusStatus([true, false]);
    expect(Buffer.from(answer).toString('latin1')).toBe('CH1: ON \r\nCH2: OFF\r\n');
    expect(hex(answer)).toBe('43 48 31 3A 20 4F 4E 20 0D 0A 43 48 32 3A 20 4F 46 46 0D 0A');
    expect(decodeLcusStatus(answer)).toEqual([true, false]);
    expect(decodeLcusStatus(encodeLcusStatus([false, false, true, false, false, true, false, false]))).toEqual([false, false, true, false, false, true, false, false]);
  });

  it('refuses a malformed line, a gap in the channels, a missing CR LF', () => {
    expect(() => decodeLcusStatusLine('CH1: ON\r\n')).toThrow(LcusError); // unpadded
    expect(() => decodeLcusStatusLine('CH9: OFF\r\n')).toThrow(LcusError);
    expect(() => decodeLcusStatus('CH1: OFF\r\nCH3: OFF\r\n')).toThrow(new LcusError('LCUS status line 2 is for channel 3: "CH1: OFF\\r\\nCH3: OFF\\r\\n"'));
    expect(() => decodeLcusStatus('CH1: OFF')).toThrow(LcusError);
  });

  it('the trace reads the answer line by line', () => {
    const deframer = lcusStatusCodec.createDeframer();
    const lines = [...deframer.push(encodeLcusStatus([false, true]).subarray(0, 13)), ...deframer.push(encodeLcusStatus([false, true]).subarray(13))];
    expect(lines.map((l) => lcusStatusCodec.describe(l))).toEqual([
      { channel: 1, state: 'open' },
      { channel: 2, state: 'closed' },
    ]);
  });
});
