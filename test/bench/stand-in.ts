import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * The device under test for CI: `rig serve --rig rigs/stand-in-vu.yaml --write-map FILE` in a process of its
 * own, an emulated VU whose ports are pty pairs, as a bench's real VU is on USB-serial adapters.
 */
export interface StandIn {
  /** The hardware map it wrote: a bench rig file's adapter: paths resolve through it. */
  map: string;
  /** What it printed. */
  output(): string;
  /** Ctrl-C, and its exit code. */
  stop(): Promise<number | null>;
}

export async function startStandIn(map: string, rig = 'rigs/stand-in-vu.yaml', options: { timeScale?: number } = {}): Promise<StandIn> {
  const scale = options.timeScale === undefined ? [] : ['--time-scale', String(options.timeScale)];
  const child: ChildProcess = spawn(process.execPath, ['bin/rig.js', 'serve', '--rig', rig, '--write-map', map, ...scale], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (chunk) => (out += String(chunk)));
  const stop = async () => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    return code as number | null;
  };
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (out.includes('serving')) {
      // keep draining its output, so a chatty server never blocks on a full pipe
      child.stdout!.on('data', (c) => (out += String(c)));
      if (!out.includes(`hardware map: ${map}`)) throw new Error(`rig serve wrote no hardware map: ${out}`);
      return { map, output: () => out, stop };
    }
  }
  throw new Error(`rig serve ended before serving: ${out}`);
}

/** `rig run` as a bench team types it, in a process of its own; its exit code and output. */
export async function rigRun(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['bin/rig.js', 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (out += String(c)));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, out };
}
