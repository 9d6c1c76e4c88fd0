import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
// socat runs in real time whatever the rig clock is: its start-up and shutdown are waited for with real timers.
import { setTimeout as sleep } from 'node:timers/promises';

/** Thrown when the `socat` executable cannot be started because it is not installed (or not on PATH). */
export class SocatMissingError extends Error {
  constructor(command: string, options?: { cause?: unknown }) {
    super(
      command === 'socat'
        ? 'socat not found: the pty transport needs it (Debian/Ubuntu: apt-get install socat)'
        : `socat not found (tried "${command}"): the pty transport needs it (Debian/Ubuntu: apt-get install socat)`,
      options,
    );
    this.name = 'SocatMissingError';
  }
}

/** socat started but did not produce its two pty links (bad directory, socat error, too slow). */
export class PtyPairStartError extends Error {
  constructor(message: string, readonly stderr: string) {
    super(message);
    this.name = 'PtyPairStartError';
  }
}

export interface PtyPairOptions {
  /** Directory for the two symlinks. Default: a fresh temp dir (mkdtemp in os.tmpdir()), removed by dispose(). */
  dir?: string;
  /** Symlink file names inside `dir`. Default ['a', 'b']. */
  names?: [string, string];
  /**
   * Full symlink paths, instead of `dir` + `names` (a rig file naming where a download tool should look).
   * Their directories must exist; nothing is removed but the links.
   */
  paths?: [string, string];
  /** The socat executable. Default 'socat' (looked up on the PATH of `env`). */
  command?: string;
  /** Environment for socat, e.g. a PATH. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Real-time bound for socat to create both links. Default 5000 ms. */
  startTimeoutMs?: number;
  /** Real-time bound for socat to exit on SIGTERM before it gets SIGKILL. Default 2000 ms. */
  stopTimeoutMs?: number;
}

export interface PtyPairExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the exit was asked for by stop()/dispose(). */
  expected: boolean;
}

const STDERR_KEEP = 8192;
const POLL_MS = 5;

// Characters that socat's address parser would take as syntax inside `link=<path>`.
const SOCAT_UNSAFE = /[,:!"'\\\s()[\]{}]/;

/** socat processes alive in this Node process; killed if Node exits without stopping them. */
const alive = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  alive.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of alive) c.kill('SIGTERM');
  });
}

/**
 * A pseudo-terminal pair made by socat: bytes written to one pty come out of the other. Both ptys are
 * reached through symlinks at known paths (`paths`), created before socat starts so a link can name its
 * ends up front. `start()` spawns socat and waits until both symlinks resolve; `stop()` ends socat
 * (SIGTERM, then SIGKILL) and may be followed by another `start()` at the same paths; `dispose()` also
 * removes the temp dir.
 *
 * socat's own stderr (it runs with `-d -d`) is kept, the last 8 KiB, for error messages.
 */
export class PtyPair {
  readonly dir: string;
  readonly paths: [string, string];
  private readonly ownsDir: boolean;
  private readonly command: string;
  private readonly env: NodeJS.ProcessEnv | undefined;
  private readonly startTimeoutMs: number;
  private readonly stopTimeoutMs: number;
  private child: ChildProcess | undefined;
  private exitPromise: Promise<PtyPairExit> | undefined;
  private stopping = false;
  private stderrText = '';
  private exitListeners = new Set<(exit: PtyPairExit) => void>();

  /** Allocates the directory and paths; does not start socat. */
  constructor(options: PtyPairOptions = {}) {
    if (options.paths) {
      const [pathA, pathB] = options.paths.map((p) => resolve(p)) as [string, string];
      if (pathA === pathB) throw new RangeError(`pty pair needs two different link paths, got "${pathA}" twice`);
      this.ownsDir = false;
      this.dir = dirname(pathA);
      this.paths = [pathA, pathB];
    } else {
      this.ownsDir = options.dir === undefined;
      this.dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tacho-rig-pty-'));
      const [nameA, nameB] = options.names ?? ['a', 'b'];
      if (nameA === nameB) throw new RangeError(`pty pair needs two different link names, got "${nameA}" twice`);
      this.paths = [join(this.dir, nameA), join(this.dir, nameB)];
    }
    for (const p of this.paths) {
      if (SOCAT_UNSAFE.test(p)) {
        throw new RangeError(`pty link path ${JSON.stringify(p)} has characters socat would parse as syntax`);
      }
    }
    this.command = options.command ?? 'socat';
    this.env = options.env;
    this.startTimeoutMs = options.startTimeoutMs ?? 5000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 2000;
  }

  /** Allocates a pair and starts socat. */
  static async start(options: PtyPairOptions = {}): Promise<PtyPair> {
    const pair = new PtyPair(options);
    try {
      await pair.start();
    } catch (error) {
      await pair.dispose();
      throw error;
    }
    return pair;
  }

  /** socat's process id while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last few KiB socat wrote to stderr. */
  get stderr(): string {
    return this.stderrText;
  }

  /** Called when socat exits, expectedly (stop) or not (killed, crashed). */
  onExit(listener: (exit: PtyPairExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (this.ownsDir) mkdirSync(this.dir, { recursive: true, mode: 0o700 }); // again, after a dispose()
    this.removeStaleLinks();
    this.stopping = false;
    this.stderrText = '';
    const args = ['-d', '-d', ...this.paths.map((p) => `pty,rawer,echo=0,link=${p}`)];
    const child = spawn(this.command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: this.env });
    this.child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderrText = (this.stderrText + text).slice(-STDERR_KEEP);
    });
    let spawnError: (Error & { code?: string }) | undefined;
    child.on('error', (error: Error & { code?: string }) => {
      spawnError ??= error; // kept so an 'error' after start never goes unhandled
    });
    this.exitPromise = new Promise<PtyPairExit>((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        alive.delete(child);
        const exit = { code, signal, expected: this.stopping };
        resolve(exit);
        if (this.child === child) for (const listener of this.exitListeners) listener(exit);
      };
      // 'close' (not 'exit'): after stderr is drained, so error messages are complete. A spawn failure
      // emits 'error' and 'close' without 'exit'.
      child.on('close', done);
    });
    track(child);

    const deadline = performance.now() + this.startTimeoutMs;
    for (;;) {
      if (spawnError) {
        this.child = undefined;
        if (spawnError.code === 'ENOENT') throw new SocatMissingError(this.command, { cause: spawnError });
        throw new PtyPairStartError(`cannot start ${this.command}: ${spawnError.message}`, this.stderrText);
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        await this.exitPromise;
        this.child = undefined;
        throw new PtyPairStartError(
          `socat exited (code ${child.exitCode}, signal ${child.signalCode}) before creating ${this.paths.join(' and ')}; ` +
            `socat stderr:\n${this.stderrText.trim()}`,
          this.stderrText,
        );
      }
      if (this.paths.every((p) => existsSync(p))) return; // existsSync follows the link: the pty is there
      if (performance.now() > deadline) {
        await this.stop();
        throw new PtyPairStartError(
          `socat did not create ${this.paths.join(' and ')} within ${this.startTimeoutMs} ms; socat stderr:\n${this.stderrText.trim()}`,
          this.stderrText,
        );
      }
      await sleep(POLL_MS);
    }
  }

  /** Ends socat: SIGTERM, await its exit (SIGKILL after stopTimeoutMs). Keeps the directory for a restart. */
  async stop(): Promise<void> {
    const child = this.child;
    const exited = this.exitPromise;
    if (!child || !exited) return;
    this.stopping = true;
    if (this.running) {
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(this.stopTimeoutMs).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
      }
    }
    await exited;
    this.child = undefined;
    this.removeStaleLinks();
  }

  /** stop(), then removes the temp dir if this pair made it. */
  async dispose(): Promise<void> {
    await this.stop();
    this.removeStaleLinks();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Removes our symlinks left behind by a socat that could not clean up (SIGKILL). */
  private removeStaleLinks(): void {
    for (const p of this.paths) {
      try {
        if (lstatSync(p).isSymbolicLink()) unlinkSync(p);
      } catch {
        // not there
      }
    }
  }
}
