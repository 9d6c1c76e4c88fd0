import { describe, expect, it } from 'vitest';
import { encodeBlock } from '../../../protocols/t1/index.ts';
import { EgfBench } from './egf-bench.ts';

describe('VU - EGF link: an EGF under test cannot stop the link', () => {
  it('an answer of one byte (no SW1-SW2) is taken as no answer, not an error that stops the gnss link; the link recovers at BWT', async () => {
    const bench = new EgfBench();
    await bench.start();
    const errors: unknown[] = [];
    bench.vu.subscribe({ error: (e) => errors.push(e) });
    let replaced = false;
    // the EGF's first I-block answer becomes a one-byte APDU ('90'), its LRC right
    bench.mutateEgf = (b) => {
      if (replaced || b[1]! & 0x80) return b;
      replaced = true;
      return encodeBlock({ type: 'I', nad: 0, ns: ((b[1]! >> 6) & 1) as 0 | 1, more: false, inf: Uint8Array.of(0x90) });
    };
    bench.couple();
    await bench.clock.advance(5_000);
    expect(replaced).toBe(true);
    expect(errors).toEqual([]);
    const types = bench.reports.map((r) => r.report.type);
    // was: xstate.error.actor.gnssLink (ApduError: a response APDU has at least SW1-SW2, got 1 byte(s))
    expect(types.filter((t) => t.startsWith('xstate.error'))).toEqual([]);
    // issue 12: at the block waiting time the VU resynchronises and sends SELECT MF again (recovery.ts); the
    // coupling goes on
    expect(bench.blocks.slice(0, 5).map((b) => `${b.t} ${b.from} ${b.hex}`)).toEqual(['0 vu 00000700a4000c023f0092', expect.stringMatching(/^[\d.]+ egf 0000019091$/), '1000 vu 00c000c0', expect.stringMatching(/ egf 00e000e0$/), expect.stringMatching(/ vu 00000700a4000c023f0092$/)]);
    expect(types).toEqual(['gnss.coupled', 'gnss.authenticated', 'gnss.position']);
  });
});
