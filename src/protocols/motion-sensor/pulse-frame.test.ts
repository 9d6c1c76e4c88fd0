import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/index.ts';
import { decodePulseFrame, deframePulses, encodeCutFrame, encodePulseFrames, encodeRateFrame, pulsesAt } from './pulse-frame.ts';

describe('pulse frames', () => {
  it('encodes a count with its checksum, splitting above 65535', () => {
    expect(toHex(encodePulseFrames(0))).toBe('50000050');
    expect(toHex(encodePulseFrames(250))).toBe('5000fa4a');
    expect(toHex(encodePulseFrames(70000))).toBe('50ffff4e' + '501171d2');
  });

  it('decodes, and refuses a frame with a bad checksum', () => {
    expect(decodePulseFrame(fromHex('5000fa4a'))).toEqual({ ok: true, count: 250 });
    expect(decodePulseFrame(fromHex('5000fa4b'))).toEqual({ ok: false, reason: 'pulse frame checksum does not match', hex: '5000fa4b' });
  });

  it('resynchronises after a corrupted frame without losing the next one', () => {
    const stream = fromHex('5000fa4b' + '5000fa4a');
    const r = deframePulses([], stream.subarray(0, 6));
    const r2 = deframePulses(r.held, stream.subarray(6));
    expect(r.chunks.map(toHex)).toEqual(['50', '00fa4b']);
    expect(r.held).toEqual([0x50, 0x00]);
    expect(r2.chunks.map(toHex)).toEqual(['5000fa4a']);
    expect(decodePulseFrame(r.chunks[0]!)).toEqual({ ok: false, reason: 'a pulse frame is 4 bytes, got 1', hex: '50' });
  });

  it('encodes a rate frame: the instant, the line position and pulses per second as binary64, MSB first, with the checksum of all twenty-five bytes', () => {
    // 1 000 000 ms = 0x412E8480_00000000, 720 000.25 = 0x4125F900_80000000, 200 = 0x40690000_00000000
    const hex = '52' + '412e848000000000' + '4125f90080000000' + '4069000000000000' + '4d';
    expect(toHex(encodeRateFrame({ at: 1_000_000, position: 720_000.25, pulsesPerSecond: 200 }))).toBe(hex);
    expect(decodePulseFrame(fromHex(hex))).toEqual({ ok: true, count: 0, rate: { at: 1_000_000, position: 720_000.25, pulsesPerSecond: 200 } });
    expect(() => encodeRateFrame({ at: 0, position: -1, pulsesPerSecond: 200 })).toThrow(RangeError);
    expect(() => encodeRateFrame({ at: 0, position: 0, pulsesPerSecond: Number.NaN })).toThrow(RangeError);
    expect(() => encodeRateFrame({ at: Number.POSITIVE_INFINITY, position: 0, pulsesPerSecond: 0 })).toThrow(RangeError);
  });

  it('refuses a rate frame with a bad checksum, or one whose checksum passes around a signal no sensor gives', () => {
    const body = '52' + '412e848000000000' + '4125f90080000000';
    expect(decodePulseFrame(fromHex(body + '4069000000000000' + '4e'))).toEqual({ ok: false, reason: 'pulse rate frame checksum does not match', hex: body + '40690000000000004e' });
    // a negative rate (sign bit set), the checksum adjusted to match
    expect(decodePulseFrame(fromHex(body + 'c069000000000000' + 'cd'))).toMatchObject({ ok: false, reason: 'pulse rate frame holds no signal (at 1000000, position 720000.25, -200 pulses/s)' });
    expect(decodePulseFrame(fromHex('52' + '4125f9008000'))).toMatchObject({ ok: false, reason: 'a pulse rate frame is 26 bytes, got 7' });
  });

  it('deframes rate and count frames in one stream, a damaged rate frame costing its header byte alone', () => {
    const rate = encodeRateFrame({ at: 5_000, position: 20, pulsesPerSecond: 80 });
    const damaged = rate.slice();
    damaged[12]! ^= 0x01;
    const r = deframePulses([], Uint8Array.from([...damaged, ...rate, ...encodePulseFrames(3)]));
    expect(r.chunks[0]!.length).toBe(1);
    expect(r.chunks.slice(-2).map(toHex)).toEqual([toHex(rate), '50000353']);
    expect(r.held).toEqual([]);
  });

  it('encodes a no-signal frame: the instant as binary64, MSB first, with the checksum of the nine bytes; decodes it; refuses a damaged one', () => {
    // 1 000 000 ms = 0x412E8480_00000000; 43 + 41 + 2e + 84 + 80 = 1b6
    const hex = '43' + '412e848000000000' + 'b6';
    expect(toHex(encodeCutFrame(1_000_000))).toBe(hex);
    expect(decodePulseFrame(fromHex(hex))).toEqual({ ok: true, count: 0, cut: 1_000_000 });
    expect(decodePulseFrame(fromHex('43' + '412e848000000000' + 'b7'))).toEqual({ ok: false, reason: 'no-signal frame checksum does not match', hex: '43412e848000000000b7' });
    expect(decodePulseFrame(fromHex('43412e84'))).toMatchObject({ ok: false, reason: 'a no-signal frame is 10 bytes, got 4' });
    // an instant no clock gives (NaN), the checksum adjusted to match
    expect(decodePulseFrame(fromHex('43' + '7ff8000000000000' + 'ba'))).toMatchObject({ ok: false, reason: 'no-signal frame holds no instant (NaN)' });
    expect(() => encodeCutFrame(Number.NaN)).toThrow(RangeError);
    // in a stream, between rate frames, whole
    const rate = encodeRateFrame({ at: 5_000, position: 20, pulsesPerSecond: 80 });
    const r = deframePulses([], Uint8Array.from([...rate, ...fromHex(hex), ...rate]));
    expect(r.chunks.map(toHex)).toEqual([toHex(rate), hex, toHex(rate)]);
  });

  it('counts floor(position + rate × (t − at)) on a rate frame, an exact integer not floored one below, never below its position', () => {
    const line = { at: 1_000, position: 20, pulsesPerSecond: 80 };
    expect([pulsesAt(line, 1_000), pulsesAt(line, 1_012), pulsesAt(line, 1_013), pulsesAt(line, 950)]).toEqual([20, 20, 21, 20]);
    expect(pulsesAt({ at: 0, position: 0.7, pulsesPerSecond: 0.3 }, 1000)).toBe(1); // 0.7 + 0.3 is 0.9999999999999999 in doubles
  });
});
