import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/index.ts';
import { decodePulseFrame, deframePulses, encodePulseFrames } from './pulse-frame.ts';

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
});
