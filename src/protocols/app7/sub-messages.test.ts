import { describe, expect, it } from 'vitest';
import { joinChunks, readTransferDataField, segmentMessage } from './sub-messages.ts';

const msg = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

describe('sub-messages (DDP_003, DDP_004)', () => {
  it('sends up to 252 bytes whole', () => {
    const f = segmentMessage(0x21, msg(252));
    expect(f).toHaveLength(1);
    expect(f[0]!.length).toBe(254);
    expect([...f[0]!.subarray(0, 3)]).toEqual([0x76, 0x21, 0]);
  });
  it('splits 253 bytes (a whole 255-byte field would read as a sub-message) into 251 + 2', () => {
    const f = segmentMessage(0x21, msg(253));
    expect(f.map((x) => x.length)).toEqual([255, 6]);
    expect([...f[1]!]).toEqual([0x76, 0x21, 0x00, 0x02, 251 & 0xff, 252 & 0xff]);
  });
  it('appends an empty sub-message when the last one is full', () => {
    const f = segmentMessage(0x22, msg(502));
    expect(f.map((x) => x.length)).toEqual([255, 255, 4]);
    expect([...f[2]!]).toEqual([0x76, 0x22, 0x00, 0x03]);
  });
  it('reassembles what it split', () => {
    for (const n of [0, 1, 252, 253, 502, 503, 1000, 5021]) {
      const fields = segmentMessage(0x23, msg(n));
      const chunks = fields.map((f, i) => readTransferDataField(f, i > 0)!);
      if (fields.length > 1) expect(chunks.map((c) => c.counter)).toEqual(fields.map((_, i) => i + 1));
      expect(chunks.at(-1)!.more).toBe(false);
      expect(joinChunks(chunks.map((c) => c.chunk))).toEqual(msg(n));
    }
  });
});
