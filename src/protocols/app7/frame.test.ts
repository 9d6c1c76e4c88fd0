import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/index.ts';
import { deframe, EMPTY_DEFRAME_STATE } from './deframer.ts';
import { workOf } from '../fuzz/work-meter.ts';
import { App7FrameError, checksum, decodeFrame, encodeFrame } from './frame.ts';
import { app7PortCodec } from './port-codec.ts';

const h = (s: string) => fromHex(s.replace(/ /g, ''));

describe('frame codec (DDP_002)', () => {
  it('checksum is the byte sum mod 256', () => {
    expect(checksum(h('80 F0 EE 03 C1 EA 8F'))).toBe(0x9b);
    expect(checksum([0xff, 0xff, 0x03])).toBe(0x01);
  });
  it('decodes the FMT 81 form and the LEN form', () => {
    expect(decodeFrame(h('81 EE F0 81 E0'))).toEqual({ ok: true, frame: { fmt: 0x81, tgt: 0xee, src: 0xf0, data: Uint8Array.of(0x81) } });
    expect(decodeFrame(h('80 F0 EE 03 C1 EA 8F 9B'))).toEqual({ ok: true, frame: { fmt: 0x80, tgt: 0xf0, src: 0xee, data: h('C1 EA 8F') } });
  });
  it('refuses a bad checksum, a wrong byte count and a bad FMT (DDP_022)', () => {
    expect(decodeFrame(h('80 F0 EE 03 C1 EA 8F 9C'))).toEqual({ ok: false, error: { code: 'bad-checksum', message: 'checksum 9C, expected 9B' } });
    expect(decodeFrame(h('80 F0 EE 04 C1 EA 8F 9B'))).toMatchObject({ ok: false, error: { code: 'bad-length' } });
    expect(decodeFrame(h('00 F0 EE 03 C1 EA 8F 9B'))).toMatchObject({ ok: false, error: { code: 'bad-format' } });
    expect(decodeFrame(h('80 F0 EE'))).toMatchObject({ ok: false, error: { code: 'too-short' } });
  });
  it('encodes 255 data bytes and refuses 256', () => {
    const f = encodeFrame(0xf0, 0xee, new Uint8Array(255).fill(1));
    expect(f.length).toBe(260);
    expect(f[3]).toBe(0xff);
    expect(f[259]).toBe((0x80 + 0xf0 + 0xee + 0xff + 255) & 0xff);
    expect(() => encodeFrame(0xf0, 0xee, new Uint8Array(256))).toThrow(RangeError);
  });
});

describe('deframer', () => {
  it('splits a stream cut anywhere into frames', () => {
    const stream = h('81 EE F0 81 E0 80 EE F0 02 10 81 F1 80 EE F0 0A 35 00 00 00 00 00 FF FF FF FF 99');
    for (let cut = 0; cut <= stream.length; cut++) {
      const a = deframe(EMPTY_DEFRAME_STATE, stream.subarray(0, cut));
      const b = deframe(a.state, stream.subarray(cut));
      expect([...a.frames, ...b.frames].map((f) => f.length)).toEqual([5, 7, 15]);
    }
  });
  it('drops a stray byte and resynchronises', () => {
    const r = deframe(EMPTY_DEFRAME_STATE, h('00 81 EE F0 81 E0'));
    expect(r.discarded).toEqual([{ reason: 'bad-format', bytes: Uint8Array.of(0) }]);
    expect(r.frames).toEqual([h('81 EE F0 81 E0')]);
  });
  it('discards a partial frame after an inter-byte gap longer than the limit (P4 max)', () => {
    const a = deframe(EMPTY_DEFRAME_STATE, h('80 EE F0 02'), 1000, 20);
    const late = deframe(a.state, h('10 81 F1'), 1021, 20);
    // The stale header goes, with the gap that broke it (21 ms > 20); the late tail cannot start a frame either (10 is no FMT; 81 waits for more).
    expect(late.discarded[0]).toEqual({ reason: 'timing', bytes: h('80 EE F0 02'), gapMs: 21 });
    expect(late.discarded[1]).toEqual({ reason: 'bad-format', bytes: h('10') });
    expect(late.frames).toEqual([]);
    const inTime = deframe(a.state, h('10 81 F1'), 1020, 20);
    expect(inTime.frames).toEqual([h('80 EE F0 02 10 81 F1')]);
  });
  it('port codec describes frames for the trace', () => {
    expect(app7PortCodec.describe(h('80 F0 EE 03 7F 36 FA 10'))).toEqual({
      direction: 'vu->ide', sid: '7F', service: 'Negative Response', length: 3, request: '36', nrc: 'FA', reason: 'data not available',
    });
    expect(app7PortCodec.describe(h('80 EE F0 02 36 21 B7'))).toEqual({ direction: 'ide->vu', sid: '36', service: 'Transfer Data Request', length: 2, trtp: '21' });
    expect(() => app7PortCodec.describe(h('80 EE F0 02 36 21 B8'))).toThrow('bad-checksum');
  });
  it('refuses, with its own error, a whole frame too short for its service (81 85 BB 76 37: SID 76 alone)', () => {
    expect(decodeFrame(h('81 85 BB 76 37')).ok).toBe(true);
    expect(() => app7PortCodec.describe(h('81 85 BB 76 37'))).toThrow(new App7FrameError('Positive Response Transfer Data of 1 byte(s): SID and TRTP or TREP (DDP_011, DDP_012) expected'));
    expect(() => app7PortCodec.describe(h('80 F0 EE 02 7F 36 15'))).toThrow(new App7FrameError('Negative Response of 2 byte(s): SID 7F, the request SID and the NRC (DDP_018) expected'));
    expect(() => app7PortCodec.describe(h('80 EE F0 02 36 21 B8'))).toThrow(App7FrameError);
  });
});

describe('deframer work is linear in its input', () => {
  // DDP_002 frames of 6 bytes (80 F0 EE 01 76 CS) and noise that cannot start one (00)
  const frames = (n: number) => Uint8Array.from({ length: n }, (_, i) => [0x80, 0xf0, 0xee, 0x01, 0x76, 0xd5][i % 6]!);
  const noise = (n: number) => new Uint8Array(n);

  it('a 20 kB chunk of noise: each byte discarded once, not the rest re-sliced after each (was 2 × 10^8 elements copied)', () => {
    const r = deframe(EMPTY_DEFRAME_STATE, noise(20_000));
    expect(r.discarded).toHaveLength(20_000);
    expect(workOf(() => deframe(EMPTY_DEFRAME_STATE, noise(20_000)))).toBeLessThan(5 * 20_000);
  });

  it('a 20 kB chunk of frames, and the same bytes pushed 7 at a time', () => {
    expect(deframe(EMPTY_DEFRAME_STATE, frames(20_004)).frames).toHaveLength(3334);
    expect(workOf(() => deframe(EMPTY_DEFRAME_STATE, frames(20_004)))).toBeLessThan(5 * 20_004);
    const bytes = frames(20_004);
    const work = workOf(() => {
      let state = EMPTY_DEFRAME_STATE;
      for (let at = 0; at < bytes.length; at += 7) state = deframe(state, bytes.subarray(at, at + 7)).state;
    });
    expect(work).toBeLessThan(10 * 20_004);
  });

  it('holds at most one incomplete frame between chunks (259 bytes)', () => {
    const r = deframe(EMPTY_DEFRAME_STATE, Uint8Array.of(0x80, 0xf0, 0xee, 0xff, ...new Uint8Array(255)));
    expect(r.state.held).toHaveLength(259);
    expect(deframe(r.state, Uint8Array.of(0x00)).frames).toHaveLength(1);
  });
});
