import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/index.ts';
import { rigFraming } from './framing.ts';

describe('rig framing of the motion sensor link', () => {
  it('encodes header, instruction, length, payload and the sum checksum', () => {
    expect(toHex(rigFraming.encode({ direction: 'request', instruction: 0x40, payload: new Uint8Array(0) }))).toBe('a54000e5');
    // a5 + 41 + 10 + sixteen 01 = 0xf6 + 0x10 = 0x106 → 06
    expect(toHex(rigFraming.encode({ direction: 'request', instruction: 0x41, payload: new Uint8Array(16).fill(1) }))).toBe(`a54110${'01'.repeat(16)}06`);
    // 5a + 7f + 02 + 41 + 03 = 0x11f → 1f
    expect(toHex(rigFraming.encode({ direction: 'reply', instruction: 0x7f, payload: fromHex('4103') }))).toBe('5a7f0241031f');
  });

  it('decodes what it encodes', () => {
    const frame = { direction: 'reply' as const, instruction: 0x40, payload: fromHex('0000303907260710') };
    expect(rigFraming.decode(rigFraming.encode(frame))).toEqual({ ok: true, frame });
  });

  it('reassembles frames split across chunks and separates frames that arrive together', () => {
    const a = rigFraming.encode({ direction: 'request', instruction: 0x40, payload: new Uint8Array(0) });
    const b = rigFraming.encode({ direction: 'reply', instruction: 0x40, payload: fromHex('0000303907260710') });
    const both = Uint8Array.from([...a, ...b]);
    let r = rigFraming.deframe([], both.subarray(0, 6));
    expect(r.chunks.map(toHex)).toEqual(['a54000e5']);
    expect(r.held).toEqual([0x5a, 0x40]);
    r = rigFraming.deframe(r.held, both.subarray(6));
    expect(r.chunks.map(toHex)).toEqual([toHex(b)]);
    expect(r.held).toEqual([]);
  });

  it('gives out bytes that cannot start a frame as one chunk, refused with a reason', () => {
    const r = rigFraming.deframe([], fromHex('0102a54000e5'));
    expect(r.chunks.map(toHex)).toEqual(['0102', 'a54000e5']);
    expect(rigFraming.decode(r.chunks[0]!)).toEqual({ ok: false, error: { code: 'bad-header', message: '2 byte(s) that do not start with a frame header (a5 or 5a)', hex: '0102' } });
  });

  it('refuses a bad checksum, an unknown instruction, a wrong length and a truncated frame', () => {
    expect(rigFraming.decode(fromHex('a54000e6'))).toEqual({ ok: false, error: { code: 'bad-checksum', message: 'checksum e6 but the bytes sum to e5', hex: 'a54000e6' } });
    expect(rigFraming.decode(fromHex('a59900' + '3e'))).toEqual({ ok: false, error: { code: 'unknown-instruction', message: 'no request instruction 99', hex: 'a599003e' } });
    // 0x80 (counter) is a reply, never a request
    expect(rigFraming.decode(fromHex('a58000' + '25')).ok).toBe(false);
    const short = rigFraming.encode({ direction: 'request', instruction: 0x41, payload: new Uint8Array(17) });
    expect(rigFraming.decode(short)).toEqual({ ok: false, error: { code: 'bad-length', message: 'request 41 carries 16 bytes, got 17', hex: toHex(short) } });
    expect(rigFraming.decode(fromHex('a54005e5'))).toEqual({ ok: false, error: { code: 'bad-length', message: 'length byte says 5 payload bytes but the frame carries 0', hex: 'a54005e5' } });
    expect(rigFraming.decode(fromHex('a540'))).toEqual({ ok: false, error: { code: 'truncated', message: 'a frame has at least 4 bytes, got 2', hex: 'a540' } });
  });
});
