import { describe, expect, it } from 'vitest';
import { T1Deframer, decodeBlock, deframeT1, describeBlock, encodeBlock, lrc } from './index.ts';

const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/ /g, ''), 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

// Vectors: blocks as PC/SC readers put them on the wire (the Linux CCID driver opens every T=1 card with
// S(IFS request) '00 C1 01 FE 3E'; its answer is '00 E1 01 FE 1E'), and the PCB values ISO/IEC 7816-3 §11.3.2.2
// tabulates: R-blocks 80/90 (+1 EDC error, +2 other error), S-blocks C0..C3 requests, E0..E4 responses.
describe('T=1 block codec', () => {
  it('computes the LRC as the XOR of NAD..INF', () => {
    expect(lrc(h('00C101FE'))).toBe(0x3e);
    expect(lrc(h('0000050084000008'))).toBe(0x89);
  });

  it('encodes the S-blocks of IFS negotiation and resynchronisation', () => {
    expect(x(encodeBlock({ type: 'S', nad: 0, kind: 'ifs', response: false, inf: Uint8Array.of(0xfe) }))).toBe('00C101FE3E');
    expect(x(encodeBlock({ type: 'S', nad: 0, kind: 'ifs', response: true, inf: Uint8Array.of(0xfe) }))).toBe('00E101FE1E');
    expect(x(encodeBlock({ type: 'S', nad: 0, kind: 'resynch', response: false, inf: new Uint8Array(0) }))).toBe('00C000C0');
    expect(x(encodeBlock({ type: 'S', nad: 0, kind: 'resynch', response: true, inf: new Uint8Array(0) }))).toBe('00E000E0');
    expect(x(encodeBlock({ type: 'S', nad: 0, kind: 'wtx', response: false, inf: Uint8Array.of(0x02) }))).toBe('00C30102C0');
  });

  it('encodes R-blocks with N(R) in b5 and the error code in b1-b4', () => {
    expect(x(encodeBlock({ type: 'R', nad: 0, nr: 0, error: 'none' }))).toBe('00800080');
    expect(x(encodeBlock({ type: 'R', nad: 0, nr: 1, error: 'none' }))).toBe('00900090');
    expect(x(encodeBlock({ type: 'R', nad: 0, nr: 1, error: 'edc' }))).toBe('00910091');
    expect(x(encodeBlock({ type: 'R', nad: 0, nr: 0, error: 'other' }))).toBe('00820082');
  });

  it('encodes I-blocks with N(S) in b7 and M in b6', () => {
    // GET CHALLENGE (00 84 00 00 08) in the first I-block.
    expect(x(encodeBlock({ type: 'I', nad: 0, ns: 0, more: false, inf: h('0084000008') }))).toBe('0000050084000008' + '89');
    expect(x(encodeBlock({ type: 'I', nad: 0, ns: 1, more: true, inf: h('AB') }))).toBe('006001AB' + 'CA');
  });

  it('decodes what it encodes and names every refusal', () => {
    expect(decodeBlock(h('0040020102' + '41'))).toEqual({ ok: true, block: { type: 'I', nad: 0, ns: 1, more: false, inf: h('0102') } });
    expect(decodeBlock(h('00910091'))).toEqual({ ok: true, block: { type: 'R', nad: 0, nr: 1, error: 'edc' } });
    expect(decodeBlock(h('00C101FE3F'))).toEqual({ ok: false, error: 'edc', reason: 'LRC 3F should be 3E' });
    expect(decodeBlock(h('00C00000'))).toMatchObject({ ok: false, error: 'edc' });
    expect(decodeBlock(h('008401' + '00' + '85'))).toEqual({ ok: false, error: 'other', reason: 'R-block PCB 84 is not defined' });
    expect(decodeBlock(h('00800100' + '81'))).toEqual({ ok: false, error: 'other', reason: 'an R-block has no INF, got LEN 1' });
    expect(decodeBlock(h('00C10100C0'))).toEqual({ ok: false, error: 'other', reason: 'IFS 0 is outside 1..254' });
    expect(decodeBlock(h('00C400C4'))).toEqual({ ok: false, error: 'other', reason: 'S-block PCB C4 is not defined' });
    expect(decodeBlock(h('000101'))).toEqual({ ok: false, error: 'other', reason: 'a T=1 block is at least 4 bytes, got 3' });
    expect(() => encodeBlock({ type: 'I', nad: 0, ns: 0, more: false, inf: new Uint8Array(255) })).toThrow('at most 254');
  });

  it('describes blocks for the trace', () => {
    const r = decodeBlock(h('00E101FE1E'));
    expect(r.ok && describeBlock(r.block)).toEqual({ block: 'S', nad: 0, kind: 'ifs', response: true, inf: 'FE' });
  });

  it('deframes a stream by LEN, across chunk boundaries', () => {
    const d = new T1Deframer();
    expect(d.push(h('00C101'))).toEqual([]);
    expect(d.push(h('FE3E0080'))).toEqual([h('00C101FE3E')]);
    expect(d.push(h('0080' + '000005008400000889'))).toEqual([h('00800080'), h('000005008400000889')]);
    expect(deframeT1([0x00, 0x90], h('0090' + '00'))).toEqual({ frames: [h('00900090')], held: [0] });
  });
});
