import { describe, expect, it } from 'vitest';
import { bytesAround, chunked, fc, FUZZ_SEED, fuzzDecoder, streamAround } from '../fuzz/fuzz.ts';
import { decodeBlock, describeBlock, encodeBlock, lrc } from './block.ts';
import { deframeT1 } from './deframer.ts';
import { createT1State, t1Receive } from './endpoint.ts';

const BLOCKS = [
  encodeBlock({ type: 'I', nad: 0, ns: 0, more: false, inf: Uint8Array.of(0x00, 0xb2, 0x01, 0x04, 0x55) }),
  encodeBlock({ type: 'I', nad: 0, ns: 1, more: true, inf: new Uint8Array(32).fill(0x42) }),
  encodeBlock({ type: 'R', nad: 0, nr: 1, error: 'edc' }),
  encodeBlock({ type: 'S', nad: 0, kind: 'ifs', response: false, inf: Uint8Array.of(0xfe) }),
  encodeBlock({ type: 'S', nad: 0, kind: 'resynch', response: true, inf: new Uint8Array(0) }),
];
/** ISO/IEC 7816-3 §11.4: the LRC is the last byte; recomputed, a damaged block reaches the PCB and LEN checks. */
const fixLrc = (b: Uint8Array) => {
  if (b.length < 2) return b;
  const out = Uint8Array.from(b);
  out[out.length - 1] = lrc(out.subarray(0, -1));
  return out;
};
const blocks = bytesAround({ valid: BLOCKS, fix: fixLrc });

describe('T=1 under fuzzing', () => {
  it('decodeBlock returns a verdict, and describeBlock a description, for any bytes', () => {
    fuzzDecoder(blocks, (b) => {
      const r = decodeBlock(b);
      return r.ok ? describeBlock(r.block) : r;
    }, null, { runs: 600 });
  });

  it('the endpoint takes any block: it answers, refuses with an R-block, or resynchronises, never throws', () => {
    fuzzDecoder(fc.array(blocks, { minLength: 1, maxLength: 8 }), (frames) => {
      let state = createT1State();
      for (const f of frames) state = t1Receive(state, f).state;
      return state;
    }, null, { runs: 300 });
  });

  it('the deframer keeps every byte: blocks then what is held', () => {
    fc.assert(
      fc.property(chunked(streamAround({ valid: BLOCKS, fix: fixLrc })), (chunks) => {
        let held: number[] = [];
        const out: number[] = [];
        for (const c of chunks) {
          const r = deframeT1(held, c);
          held = r.held;
          for (const f of r.frames) out.push(...f);
          // a block is at most LEN 255 + 4 bytes: nothing longer is held
          expect(held.length).toBeLessThan(259);
        }
        expect([...out, ...held]).toEqual(chunks.flatMap((c) => [...c]));
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
  });
});
