/**
 * Soak benchmark of the bench path (issue 12 §1): `rig serve` runs an emulated VU on the wall clock with its
 * download line on a pty, in a process of its own, as for outside download equipment; this process opens
 * the other end as a serial port and runs consecutive App. 7 downloads through it with the rig's client,
 * at 9600 and at 115200 baud (link control), while every core is kept busy by spinning child processes.
 * It counts failed downloads and prints the distribution of the VU's answer times as the IDE sees them
 * (from the end of a request to the end of the answer). A figure, not a test: nothing here is asserted.
 *
 *   npm run bench -- soak                          200 downloads per speed, machine loaded
 *   SOAK_DOWNLOADS=20 SOAK_LOAD=0 npm run bench -- soak   20 per speed on an idle machine
 *   SOAK_TRACE=/tmp/serve.jsonl ...                the server's trace, to see why a download failed
 *   SOAK_BAUDS=115200 ...                          one speed only
 *   SOAK_CLIENT=python ...                         test/fixtures/app7-ide.py instead of the rig's client
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WallClock } from '../src/harness/clock/index.ts';
import { downloadVu, DownloadError } from '../src/harness/download/index.ts';
import { NO_FAULTS, SerialLink } from '../src/harness/links/index.ts';
import { createRng } from '../src/crypto/random.ts';

export interface SoakOptions {
  downloads: number;
  bauds: number[];
  /** Busy loops on this many cores (0: none). */
  loadProcesses: number;
  /** Streams the server's trace to this file. */
  trace?: string;
  /** The rig's download client, or the Python one written apart from the rig. */
  client: 'rig' | 'python';
  log?: (line: string) => void;
}

export interface SoakResult {
  baud: number;
  client: 'rig' | 'python';
  downloads: number;
  failures: { index: number; message: string }[];
  /** Answer times, ms: end of request to end of answer. */
  answers: number[];
  /** Transmissions the client's own host sent late (bytes more than P4 max apart): sent again, not counted. */
  lateRequests: number;
  /** Answers that needed more than one transmission of their request. */
  retransmissions: number;
  wallMs: number;
}

/** Percentile by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** One spinning child process per core asked for; returns their stop. */
function startLoad(processes: number): () => Promise<void> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < processes; i++) children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return async () => {
    await Promise.all(
      children.map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        const exited = once(c, 'exit');
        c.kill('SIGKILL');
        await exited;
      }),
    );
  };
}

/** Starts `rig serve` and resolves with it and the pty path it serves the VU's download line on. */
async function startServer(trace?: string): Promise<{ server: ChildProcess; path: string }> {
  const args = ['bin/rig.js', 'serve', '--rig', 'rigs/serve-vu.yaml', ...(trace ? ['--trace', trace] : [])];
  const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of server.stdout!) {
    out += String(chunk);
    const path = /listens for ide\.vu on (\S+)/.exec(out)?.[1];
    if (path && out.includes('serving')) {
      server.stdout!.resume();
      return { server, path };
    }
  }
  throw new Error(`rig serve ended without a path: ${out}`);
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGINT');
  await exited;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function soak(options: SoakOptions): Promise<SoakResult[]> {
  const log = options.log ?? (() => {});
  const stopLoad = startLoad(options.loadProcesses);
  const { server, path } = await startServer(options.trace);
  const results: SoakResult[] = [];
  try {
    for (const baud of options.bauds) {
      const client = options.client === 'python' ? pythonClient(path) : await rigClient(path);
      const result: SoakResult = { baud, client: options.client, downloads: options.downloads, failures: [], answers: [], lateRequests: 0, retransmissions: 0, wallMs: 0 };
      const started = performance.now();
      try {
        for (let i = 0; i < options.downloads; i++) {
          try {
            await client.download(baud, result);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            result.failures.push({ index: i, message });
            log(`  ${baud} baud, download ${i + 1}: ${message}`);
            // The VU ends a session left open after P3 max (5 s) and goes back to 9600 baud.
            await wait(5_500);
          }
          if ((i + 1) % 20 === 0) log(`  ${baud} baud: ${i + 1} downloads, ${result.failures.length} failed`);
        }
      } finally {
        result.wallMs = performance.now() - started;
        await client.close();
      }
      results.push(result);
    }
  } finally {
    await stopServer(server);
    await stopLoad();
  }
  return results;
}

interface SoakClient {
  /** One whole download (overview and technical data); throws with the reason on failure. */
  download(baud: number, into: SoakResult): Promise<void>;
  close(): Promise<void>;
}

/** The rig's own download client, on this process's wall clock, through the pty opened as a serial port. */
async function rigClient(path: string): Promise<SoakClient> {
  const clock = new WallClock();
  const link = new SerialLink(
    { id: 'soak', ends: ['ide.vu', 'vu.download'], baud: 9600, framing: { dataBits: 8, parity: 'even', stopBits: 1 }, pacing: false, faults: NO_FAULTS },
    { clock, rng: createRng(1) },
    { paths: [path, undefined] },
  );
  await link.open();
  return {
    async download(baud, into) {
      const r = await downloadVu(link.a, clock, {
        baud,
        transfers: [{ trtp: 0x25 }],
        onAnswer: (a) => {
          into.answers.push(a.answerEndAt - a.requestEndAt);
          if (a.transmission > 1) into.retransmissions++;
        },
      });
      into.lateRequests += r.lateRequests;
      const refused = r.transfers.filter((t) => !t.ok);
      if (refused.length) throw new DownloadError(`refused: TRTP ${refused.map((t) => t.trtp.toString(16)).join(', ')}`);
    },
    close: () => link.close(),
  };
}

/** The App. 7 client written apart from the rig (test/fixtures/app7-ide.py), one process per download. */
function pythonClient(path: string): SoakClient {
  const out = join(mkdtempSync(join(tmpdir(), 'soak-')), 'vu.esm');
  return {
    async download(baud, into) {
      const child = spawn('python3', ['test/fixtures/app7-ide.py', path, out, String(baud)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (c) => (stdout += String(c)));
      child.stderr!.on('data', (c) => (stderr += String(c)));
      const [code] = await once(child, 'exit');
      if (code !== 0) throw new Error(stderr.trim() || `app7-ide.py exited with ${code}`);
      const times = /^answer-ms (.*)$/m.exec(stdout)?.[1];
      for (const ms of times?.split(' ') ?? []) into.answers.push(Number(ms));
    },
    async close() {
      rmSync(dirname(out), { recursive: true, force: true });
    },
  };
}

/** `npm run bench -- soak`: the options from the environment, then the figures. */
export async function soakBench(report: (name: string, value: string, command: string) => void): Promise<void> {
  const downloads = Number(process.env.SOAK_DOWNLOADS ?? 200);
  const loadProcesses = process.env.SOAK_LOAD === '0' ? 0 : Number(process.env.SOAK_LOAD ?? availableParallelism());
  const bauds = (process.env.SOAK_BAUDS ?? '9600,115200').split(',').map(Number);
  const client = process.env.SOAK_CLIENT === 'python' ? 'python' : 'rig';
  const results = await soak({ downloads, bauds, client, loadProcesses, trace: process.env.SOAK_TRACE, log: (line) => console.error(line) });
  const command = `${client === 'python' ? 'SOAK_CLIENT=python ' : ''}npm run bench -- soak`;
  for (const r of results) {
    report(`soak: ${r.downloads} downloads at ${r.baud} baud over a pty, ${r.client === 'rig' ? "the rig's client" : 'the Python client'}, ${loadProcesses} cores spinning`, `${r.failures.length} failed`, command);
    report(`  answer time p50 / p99 / max (end of request to end of answer)`, `${percentile(r.answers, 50).toFixed(1)} / ${percentile(r.answers, 99).toFixed(1)} / ${Math.max(...r.answers).toFixed(1)} ms`, command);
    if (r.client === 'rig') report(`  answers; of them to a repeated request; requests sent late by this host`, `${r.answers.length}; ${r.retransmissions}; ${r.lateRequests}`, command);
    else report(`  answers`, `${r.answers.length}`, command);
    report(`  wall time`, `${(r.wallMs / 1000).toFixed(0)} s`, command);
  }
}
