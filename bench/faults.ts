/**
 * Fault benchmark of the App. 7 download (issue 12 §2): full downloads through a noisy line, seeded, on the
 * virtual clock. The rig's IDE downloads the VU's download server (the test bench's data: an overview, three
 * days of which one has data, events and faults, detailed speed, technical data, 7.2 kB in 31 sub-messages)
 * over a paced 8E1 memory link at 9600 baud whose both directions lose bytes and flip bits at the rates of a
 * row. Each row: completed and failed downloads, the failure reasons tallied, retransmissions per download
 * and the time a download takes (rig and wall). Also the ceiling App. 7 itself sets: the chance that every
 * exchange of the clean download gets through in at most three transmissions (DDP_027), computed from its
 * frame sizes, next to what the client makes of three transmissions alone (`maxTransferStarts: 1`). Figures,
 * not assertions.
 *
 *   npm run bench -- faults                        100 downloads a row
 *   FAULT_DOWNLOADS=20 npm run bench -- faults     fewer
 */
import { performance } from 'node:perf_hooks';
import { DAY_WITH_DATA, DownloadBench } from '../src/devices/vu/download/server-bench.ts';
import { downloadVu, type DownloadOptions, type DownloadResult } from '../src/harness/download/index.ts';
import type { TransferRequest } from '../src/protocols/app7/index.ts';

const DAY = 86_400;
const TRANSFERS: TransferRequest[] = [{ trtp: 0x22, date: DAY_WITH_DATA - DAY }, { trtp: 0x22, date: DAY_WITH_DATA }, { trtp: 0x22, date: DAY_WITH_DATA + DAY }, { trtp: 0x23 }, { trtp: 0x24 }, { trtp: 0x25 }];
const BAUD = 9600;

interface Line {
  dropRate: number;
  bitFlipRate: number;
}

interface Outcome {
  result?: DownloadResult;
  error?: Error;
  rigMs: number;
  wallMs: number;
  frames: { from: 'ide' | 'vu'; bytes: number }[];
}

async function download(seed: number, line: Line, options: DownloadOptions = {}): Promise<Outcome> {
  const bench = await new DownloadBench({ seed, faults: line }).start();
  const frames: Outcome['frames'] = [];
  const t0 = bench.clock.now();
  const w0 = performance.now();
  let outcome: { result?: DownloadResult; error?: Error } | undefined;
  downloadVu(bench.ide, bench.clock, { baud: BAUD, transfers: TRANSFERS, ...options, onFrame: (f) => frames.push({ from: f.from, bytes: f.bytes.length }) }).then(
    (result) => (outcome = { result }),
    (error: Error) => (outcome = { error }),
  );
  while (!outcome) await bench.clock.advance(100);
  const wallMs = performance.now() - w0;
  bench.vu.stop();
  return { ...outcome, rigMs: bench.clock.now() - t0, wallMs, frames };
}

/**
 * DDP_027's ceiling for a download whose clean transcript is `frames`: each exchange (a request and the frame
 * answering it) gets through when none of its bytes is lost or flipped, and must within three transmissions.
 * Stop Communication is left out (an unanswered one leaves the data whole).
 */
function ceiling(frames: Outcome['frames'], line: Line): number {
  const byteOk = (1 - line.dropRate) * (1 - line.bitFlipRate) ** 8;
  let p = 1;
  for (let i = 0; i + 1 < frames.length - 2; i++) {
    if (frames[i]!.from !== 'ide' || frames[i + 1]!.from !== 'vu') continue;
    const fails = 1 - byteOk ** (frames[i]!.bytes + frames[i + 1]!.bytes);
    p *= 1 - fails ** 3;
  }
  return p;
}

/** A failure's kind: which request, how it ended, and what went wrong in its transmissions. */
function reasonOf(message: string): string {
  const head = message.replace(/ \(request \d\)/g, '').replace(/sub-message \d+/, 'sub-message n');
  const what = head.slice(0, head.indexOf(':'));
  const broke = /requested (\d) times \(DDP_003\)/.exec(message);
  const how = broke ? `message broke off ${broke[1]} times (DDP_003)` : /after \d transmissions/.test(message) ? 'no good answer in 3 transmissions' : message.slice(what.length + 2);
  const problems = ['cut short', 'checksum', 'no response', 'bad-format', 'timing', 'sequence error'].filter((p) => message.includes(p));
  return `${what}: ${how}${problems.length > 0 ? ` [${problems.join(', ')}]` : ''}`;
}

const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export async function faultsBench(report: (name: string, value: string, command: string) => void): Promise<void> {
  const n = Number(process.env.FAULT_DOWNLOADS ?? 100);
  const cmd = 'npm run bench -- faults';
  const clean = await download(0, { dropRate: 0, bitFlipRate: 0 });
  if (clean.error) throw clean.error;
  const bytes = clean.result!.transfers.reduce((sum, t) => sum + (t.ok ? t.message.length : 0), 0);
  const subMessages = clean.result!.transfers.reduce((sum, t) => sum + (t.ok ? Math.max(1, t.subMessages) : 1), 0);
  const exchanges = clean.frames.filter((f) => f.from === 'vu').length;
  report(`fault bench: ${n} downloads a row, ${(bytes / 1000).toFixed(1)} kB in ${subMessages} frames of messages, ${exchanges} exchanges`, `${BAUD} baud 8E1`, cmd);
  report('  a clean download: rig time', `${(clean.rigMs / 1000).toFixed(1)} s`, cmd);
  const lines: (Line & { label: string; strict: boolean })[] = [
    { label: 'loss 0.1 %, bit flips 0.01 %', dropRate: 0.001, bitFlipRate: 0.0001, strict: true },
    { label: 'loss 0.1 %, no bit flips', dropRate: 0.001, bitFlipRate: 0, strict: true },
    { label: 'loss 1 %, bit flips 0.1 %', dropRate: 0.01, bitFlipRate: 0.001, strict: false },
    { label: 'loss 0.01 %, bit flips 0.001 %', dropRate: 0.0001, bitFlipRate: 0.00001, strict: false },
  ];
  for (const line of lines) {
    const outcomes: Outcome[] = [];
    for (let seed = 1; seed <= n; seed++) outcomes.push(await download(seed, line));
    const done = outcomes.filter((o) => o.result);
    const reasons = new Map<string, number>();
    for (const o of outcomes) if (o.error) reasons.set(reasonOf(o.error.message), (reasons.get(reasonOf(o.error.message)) ?? 0) + 1);
    const retx = done.map((o) => o.result!.retransmissions);
    report(`${line.label}: completed / failed`, `${done.length} / ${outcomes.length - done.length}`, cmd);
    report('  App. 7 ceiling: every exchange within 3 transmissions (DDP_027)', pct(ceiling(clean.frames, line)), cmd);
    if (line.strict) {
      let strict = 0;
      let oneSession = 0;
      for (let seed = 1; seed <= n; seed++) if ((await download(seed, line, { maxTransferStarts: 1, maxSessions: 1 })).result) strict++;
      for (let seed = 1; seed <= n; seed++) if ((await download(seed, line, { maxSessions: 1 })).result) oneSession++;
      report('  completed in one session with no transfer requested again (maxTransferStarts 1, maxSessions 1)', `${strict} / ${n}`, cmd);
      report('  completed in one session (maxSessions 1)', `${oneSession} / ${n}`, cmd);
    }
    for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1])) report(`  failed: ${reason}`, String(count), cmd);
    if (done.length > 0) {
      report('  retransmissions per completed download, mean / max', `${mean(retx).toFixed(1)} / ${Math.max(...retx)}`, cmd);
      const restarts = done.map((o) => o.result!.restartedTransfers);
      const stale = done.map((o) => o.result!.staleAnswers);
      report('  transfers requested again (DDP_003), late copies dropped: mean', `${mean(restarts).toFixed(2)}, ${mean(stale).toFixed(2)}`, cmd);
      const sessions = done.map((o) => o.result!.sessions);
      report('  sessions per completed download, mean / max', `${mean(sessions).toFixed(2)} / ${Math.max(...sessions)}`, cmd);
      report('  rig time per completed download, mean / max', `${(mean(done.map((o) => o.rigMs)) / 1000).toFixed(1)} / ${(Math.max(...done.map((o) => o.rigMs)) / 1000).toFixed(1)} s`, cmd);
    }
    const failed = outcomes.filter((o) => o.error);
    if (failed.length > 0) report('  rig time to a failure, mean', `${(mean(failed.map((o) => o.rigMs)) / 1000).toFixed(1)} s`, cmd);
    report('  wall time per download, mean', `${mean(outcomes.map((o) => o.wallMs)).toFixed(0)} ms`, cmd);
  }
}
