import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex } from '../../crypto/bytes.ts';
import { NplDeframer } from './npl.ts';
import { SEED_EX1_HEX, SEED_EX2_HEX } from './seed-vectors.ts';

const ex1 = fromHex(SEED_EX1_HEX);
const ex2 = fromHex(SEED_EX2_HEX);

describe('NPL deframer', () => {
  it('cuts back-to-back frames delivered a byte at a time', () => {
    const d = new NplDeframer();
    const stream = concatBytes(ex1, ex2);
    const pieces = [...stream].flatMap((b) => d.push(Uint8Array.of(b)));
    expect(pieces.map((p) => [p.kind, p.bytes.length])).toEqual([
      ['frame', 81],
      ['frame', 163],
    ]);
    expect(d.pending).toBe(0);
  });

  it('resynchronises on garbage by scanning for 7E7E, reporting what it skipped', () => {
    const d = new NplDeframer();
    const pieces = d.push(concatBytes(fromHex('00 7E 11 22'), ex1, fromHex('7E 33'), ex2));
    expect(pieces.map((p) => [p.kind, p.bytes.length])).toEqual([
      ['garbage', 4],
      ['frame', 81],
      ['garbage', 2],
      ['frame', 163],
    ]);
  });

  it('reports a damaged frame as corrupt and still finds the next one; a size beyond the largest packet is garbage', () => {
    const damaged = ex1.slice();
    damaged[40] ^= 0x01;
    const bogus = fromHex('7E7E FFFF'); // 65535 bytes of data: no frame
    const d = new NplDeframer();
    const pieces = d.push(concatBytes(damaged, bogus, ex2));
    expect(pieces[0]).toMatchObject({ kind: 'corrupt' });
    expect(pieces[0]!.bytes.length).toBe(81);
    expect(pieces.filter((p) => p.kind === 'frame').map((p) => p.bytes.length)).toEqual([163]);
  });

  it('holds a frame cut short until the rest arrives', () => {
    const d = new NplDeframer();
    expect(d.push(ex2.subarray(0, 100))).toEqual([]);
    expect(d.pending).toBe(100);
    expect(d.push(ex2.subarray(100)).map((p) => p.kind)).toEqual(['frame']);
  });
});
