import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { BENCH_T0, DownloadBench } from '../../devices/vu/download/server-bench.ts';
import { WallClock } from '../clock/index.ts';
import type { LinkEnd } from '../links/index.ts';
import { downloadVu, type DownloadResult } from './client.ts';

// On the wall clock: listed with the real-time tests (vitest.config.ts), which run one file at a time.

function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a busy host
  }
}

describe('download client on the wall clock', () => {
  // Issue 12: on a busy host the IDE's own process can be held up between two bytes of a request; the VU
  // then ignores it (DDP_023) through no error of its own. Such a transmission is sent again after P2 max
  // without using up DDP_027's transmissions.
  it('sends again a request its own host sent late, without counting it (wall clock)', async () => {
    const bench = await new DownloadBench({ clock: new WallClock({ start: BENCH_T0 }) }).start();
    const ide = bench.ide;
    const written: number[] = [];
    let stalled = false;
    const slow: LinkEnd = {
      name: ide.name,
      local: true,
      get baud() {
        return ide.baud;
      },
      get connected() {
        return ide.connected;
      },
      get timingToleranceMs() {
        return ide.timingToleranceMs;
      },
      onData: (listener) => ide.onData(listener),
      setBaud: (baud) => ide.setBaud(baud),
      write: (bytes) => {
        // Before the LEN byte of Start Diagnostic Session (80 EE F0 02 10 81 F1), 35 ms in which the
        // process cannot run.
        written.push(...bytes);
        if (!stalled && written.slice(-4).join() === [0x80, 0xee, 0xf0, 0x02].join()) {
          stalled = true;
          stall(35);
        }
        ide.write(bytes);
      },
    };
    let outcome: { result?: DownloadResult; error?: unknown } | undefined;
    downloadVu(slow, bench.clock, { maxTransmissions: 1 }).then(
      (result) => (outcome = { result }),
      (error) => (outcome = { error }),
    );
    while (!outcome) await new Promise((r) => setTimeout(r, 20));
    expect(outcome.error).toBeUndefined();
    expect(outcome.result!.lateRequests).toBeGreaterThanOrEqual(1);
    expect(outcome.result!.transfers.map((t) => [t.trtp, t.ok])).toEqual([[0x21, true]]);
    // The VU saw the late request for what it was. (A fresh process is often slow on its first request too:
    // that one is sent again the same way.)
    const refused = bench.of('download.frameError').filter((e) => e.code === 'timing' && e.detail.endsWith(': 80eef0'));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(Number.parseFloat(refused[0]!.detail)).toBeGreaterThanOrEqual(30);
  });
});
