import { describe, expect, it } from 'vitest';
import type { LinkEvent } from '../../../harness/links/index.ts';
import { decodeBlock, encodeBlock } from '../../../protocols/t1/index.ts';
import { EgfBench } from './egf-bench.ts';

/**
 * Issue 12: the EGF link on a line that loses and damages bytes. ISO/IEC 7816-3 T=1 recovers a lost or damaged
 * block (R-blocks, retransmission at the block waiting time, resynchronisation); only authentication failing
 * five times in a row is an authentication failure (0x1A); a response whose damage the LRC misses fails its
 * MAC once, and the VU opens a new session (CSM_195, CSM_215).
 */

/** Drops byte 5 of the first block `match` accepts, once. */
function dropOnce(match: (block: Uint8Array) => boolean): (bytes: Uint8Array) => Uint8Array {
  let done = false;
  return (bytes) => {
    if (done || !match(bytes)) return bytes;
    done = true;
    return Uint8Array.from([...bytes.subarray(0, 5), ...bytes.subarray(6)]);
  };
}

/** An I-block opening a chain (M = 1): a certificate going out or coming back. */
const chainStart = (bytes: Uint8Array) => {
  const d = decodeBlock(bytes);
  return d.ok && d.block.type === 'I' && d.block.more;
};

/** An I-block carrying (the start of) a response under secure messaging: DO '81' data or DO '99' status. */
const smResponse = (bytes: Uint8Array) => {
  const d = decodeBlock(bytes);
  return d.ok && d.block.type === 'I' && (d.block.inf[0] === 0x81 || d.block.inf[0] === 0x99);
};

/** Flips bit 6 of two INF bytes: the LRC (an exclusive-or) does not change, so only the MAC can tell. */
function lrcBlindDamage(bytes: Uint8Array): Uint8Array {
  const d = decodeBlock(bytes);
  if (!d.ok || d.block.type !== 'I') return bytes;
  const inf = Uint8Array.from(d.block.inf);
  inf[inf.length - 3]! ^= 0x40;
  inf[inf.length - 4]! ^= 0x40;
  const out = encodeBlock({ ...d.block, inf });
  expect(out[out.length - 1]).toBe(bytes[bytes.length - 1]);
  return out;
}

async function coupled(options: ConstructorParameters<typeof EgfBench>[0] = {}) {
  const bench = new EgfBench(options);
  await bench.start();
  bench.couple();
  await bench.clock.advance(5_000);
  return bench;
}

describe('EGF coupling on a noisy line (issue 12)', () => {
  it('a block of the VU losing a byte: the EGF drops it at CWT, the VU sends it again at BWT, and the coupling completes', async () => {
    const bench = new EgfBench();
    bench.mutateVu = dropOnce(chainStart);
    await bench.start();
    bench.couple();
    await bench.clock.advance(5_000);
    expect(bench.of('gnss.authFailed')).toEqual([]);
    expect(bench.of('gnss.coupled')).toHaveLength(1);
    expect(bench.of('gnss.authenticated')).toHaveLength(1);
    expect(bench.of('gnss.position')).toHaveLength(1);
    // the damaged block and the same block again, 1 s (BWT) later
    const i = bench.blocks.findIndex((b) => !decodeBlock(Uint8Array.from(Buffer.from(b.hex, 'hex'))).ok);
    const [short, again] = [bench.blocks[i]!, bench.blocks[i + 1]!];
    expect([short.from, again.from, again.hex.length - short.hex.length, again.t - short.t]).toEqual(['vu', 'vu', 2, 1_000]);
  });

  it("a block of the EGF's certificate losing a byte: the VU asks for it again at BWT, and the coupling completes", async () => {
    const bench = new EgfBench();
    bench.mutateEgf = dropOnce(chainStart);
    await bench.start();
    bench.couple();
    await bench.clock.advance(5_000);
    expect(bench.of('gnss.authFailed')).toEqual([]);
    expect(bench.of('gnss.coupled')).toHaveLength(1);
    expect(bench.of('gnss.position')).toHaveLength(1);
  });

  it('gives up after the T=1 recovery on a silent EGF, with the reason (no answer)', async () => {
    const bench = new EgfBench();
    await bench.start();
    bench.egf.send({ type: 'silence', on: true });
    bench.couple();
    await bench.clock.advance(20_000);
    expect(bench.of('gnss.couplingFailed')).toEqual([
      { reason: 'no-answer', detail: 'the EGF did not answer SELECT MF (3 sendings, 3 resynchronisations)', workshop: { calibrationMode: true, workshopCardNumber: 'W000000000000100' } },
    ]);
    expect(bench.of('gnss.coupled')).toEqual([]);
    // the block three times, then three resynchronisations of three S(RESYNCH) each, a second apart
    expect(bench.blocks.map((b) => b.hex.slice(0, 8))).toEqual([...Array(3).fill('00000700'), ...Array(9).fill('00c000c0')]);
  });
});

describe('EGF normal operation on a noisy line (issue 12)', () => {
  it('a response whose damage the LRC misses fails its MAC once: a new session at once, no authentication failure', async () => {
    const bench = await coupled({ timing: { requestPeriodMs: 10_000 } });
    let armed = true;
    bench.mutateEgf = (bytes) => {
      if (!armed || !smResponse(bytes)) return bytes;
      armed = false;
      return lrcBlindDamage(bytes);
    };
    await bench.clock.advance(10_000);
    expect(bench.of('gnss.authFailed')).toEqual([]);
    expect(bench.of('gnss.authRetry')).toEqual([{ reason: 'secure-messaging', detail: expect.stringMatching(/MAC/), consecutive: 1 }]);
    expect(bench.of('gnss.authenticated')).toHaveLength(2);
    expect(bench.of('gnss.position')).toHaveLength(2);
  });

  it('authentication failing five times in a row is the authentication failure (positive control)', async () => {
    const bench = await coupled({ timing: { requestPeriodMs: 10_000 } });
    bench.mutateEgf = (bytes) => (smResponse(bytes) ? lrcBlindDamage(bytes) : bytes);
    await bench.clock.advance(10_000);
    expect(bench.of('gnss.authRetry').map((r) => r.consecutive)).toEqual([1, 2, 3, 4]);
    expect(bench.of('gnss.authFailed')).toEqual([{ reason: 'secure-messaging', detail: expect.stringMatching(/MAC.*\(5 in a row\)$/) }]);
    expect(bench.of('gnss.position')).toHaveLength(1);
  });

  // Twenty minutes (60 cycles of six records read under SM, some 45 000 bytes; the EGF samples the world every
  // second) keep the test within seconds: on this line the LRC misses some damage every few cycles.
  it('twenty minutes at 0.1 % of bytes lost and 0.1 % of bits flipped, coupled on that line: a position every cycle, no authentication failure', { timeout: 60_000 }, async () => {
    const bench = new EgfBench({ faults: { dropRate: 0.001, bitFlipRate: 0.001 }, seed: 12 });
    const seen: Record<string, number> = {};
    bench.link.onEvent((e: LinkEvent) => (seen[e.type] = (seen[e.type] ?? 0) + 1));
    await bench.start();
    bench.couple();
    await bench.clock.advance(1_200_000);
    expect(bench.of('gnss.coupled')).toHaveLength(1);
    expect(seen['dropped']).toBeGreaterThan(20);
    expect(seen['corrupted']).toBeGreaterThan(200);
    // damage the LRC missed, found by the MAC and healed by a new session
    expect(bench.of('gnss.authRetry').length).toBeGreaterThan(0);
    expect(bench.of('gnss.authFailed')).toEqual([]);
    expect(bench.of('gnss.couplingFailed')).toEqual([]);
    // a read every 20 s: 60 cycles
    expect(bench.of('gnss.position')).toHaveLength(60);
  });
});
