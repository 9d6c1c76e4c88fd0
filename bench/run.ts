/**
 * `npm run bench [-- clock|memory|pty]`: throughput figures of the rig's backbone. Each figure is the
 * median of several runs and is printed with the command that reproduces it. Figures, not assertions:
 * tests never time anything.
 */
import { performance } from 'node:perf_hooks';
import { VirtualClock, WallClock, type RigClock } from '../src/harness/clock/index.ts';
import { FRAMING_8N1, MemoryLink, NO_FAULTS, PtyLink, type Link, type LinkOptions } from '../src/harness/links/index.ts';
import { createRng } from '../src/harness/random.ts';

const only = process.argv[2];
const RUNS = 5;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
}

function report(name: string, value: string, command: string): void {
  console.log(`${name.padEnd(58)} ${value.padStart(22)}   (${command})`);
}

async function measure(run: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  return median(samples);
}

async function clockBench(): Promise<void> {
  const events = 1_000_000;
  const wallMs = await measure(async () => {
    const clock = new VirtualClock({ start: 0 });
    let left = events;
    const tick = () => {
      if (--left > 0) clock.setTimeout(tick, 1000);
    };
    // 100 interleaved chains, as many timers as a busy rig keeps pending
    for (let i = 0; i < 100; i++) clock.setTimeout(tick, i);
    const t = performance.now();
    await clock.advance(events * 1000);
    return performance.now() - t;
  });
  report('virtual clock: scheduled events run', `${fmt((events / wallMs) * 1000)} events/s`, 'npm run bench -- clock');
}

function linkOptions(baud: number, pacing: boolean): LinkOptions {
  return { id: 'bench', ends: ['a.p', 'b.p'], baud, framing: FRAMING_8N1, pacing, faults: NO_FAULTS };
}

/** Sends `bytes` a→b and returns the wall ms until all arrived and the rig ms it took. */
async function pump(link: Link, clock: RigClock, bytes: number): Promise<{ wallMs: number; rigMs: number }> {
  let got = 0;
  let lastAt = 0;
  const done = new Promise<void>((resolve) =>
    link.b.onData((b) => {
      got += b.length;
      lastAt = clock.now();
      if (got >= bytes) resolve();
    }),
  );
  const payload = createRng(1).bytes(bytes);
  const t0 = clock.now();
  const w0 = performance.now();
  for (let i = 0; i < bytes; i += 4096) link.a.write(payload.subarray(i, i + 4096));
  if (clock.mode === 'virtual') await clock.runUntil(t0 + (bytes * 10 * 1000) / link.a.baud + 1000);
  await done;
  return { wallMs: performance.now() - w0, rigMs: lastAt - t0 };
}

async function memoryBench(): Promise<void> {
  const bytes = 1 << 20;
  for (const [label, baud, pacing] of [
    ['pacing off', 115200, false],
    ['paced at 115200 baud 8N1, byte by byte', 115200, true],
  ] as const) {
    let rigMs = 0;
    const wallMs = await measure(async () => {
      const clock = new VirtualClock({ start: 0 });
      const link = new MemoryLink(linkOptions(baud, pacing), { clock, rng: createRng(1) });
      await link.open();
      const r = await pump(link, clock, bytes);
      rigMs = r.rigMs;
      return r.wallMs;
    });
    report(`memory link, 1 MiB, ${label}`, `${fmt((bytes / wallMs) * 1000)}B/s`, 'npm run bench -- memory');
    if (pacing) report(`  rig time / wall time`, `${(rigMs / wallMs).toFixed(0)}×`, 'npm run bench -- memory');
  }
}

async function ptyBench(): Promise<void> {
  const bytes = 1 << 20;
  const wallMs = await measure(async () => {
    const clock = new WallClock();
    const link = new PtyLink(linkOptions(115200, false), { clock, rng: createRng(1) });
    await link.open();
    try {
      return (await pump(link, clock, bytes)).wallMs;
    } finally {
      await link.close();
    }
  });
  report('pty link (socat + serialport), 1 MiB, pacing off', `${fmt((bytes / wallMs) * 1000)}B/s`, 'npm run bench -- pty');

  const paced = 115200 / 10; // one second of line time
  let rigMs = 0;
  const pacedWall = await measure(async () => {
    const clock = new VirtualClock({ start: 0 });
    const link = new PtyLink(linkOptions(115200, true), { clock, rng: createRng(1) });
    await link.open();
    try {
      const r = await pump(link, clock, paced);
      rigMs = r.rigMs;
      return r.wallMs;
    } finally {
      await link.close();
    }
  });
  report('pty link, 11520 B paced at 115200 baud on the virtual clock', `${fmt((paced / pacedWall) * 1000)}B/s`, 'npm run bench -- pty');
  report('  rig time / wall time', `${(rigMs / pacedWall).toFixed(1)}×`, 'npm run bench -- pty');
}

console.log(`Node ${process.version}, ${RUNS} runs each, median\n`);
if (!only || only === 'clock') await clockBench();
if (!only || only === 'memory') await memoryBench();
if (!only || only === 'pty') await ptyBench();
