import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult } from './result.ts';
import { runScenario, type Progress } from './runner.ts';
import { longestFirst } from './schedule.ts';
import type { Suite, SuiteRunOptions, SuiteSelection } from './suite.ts';

/** What a worker is told: the suite to load (as the parent did) and how to run its scenarios. */
export interface WorkerSetup {
  selection: Omit<SuiteSelection, 'registry'>;
  options: Omit<SuiteRunOptions, 'onProgress' | 'operator' | 'bail'>;
}

export type ToWorker = { type: 'setup'; setup: WorkerSetup } | { type: 'run'; id: string };
export type FromWorker = { type: 'ready' } | { type: 'progress'; progress: Progress } | { type: 'result'; result: ScenarioResult } | { type: 'failed'; message: string };

/**
 * How many workers `rig run` uses (issue 17): what `--jobs` asked, else the cores, never more than the scenarios
 * (one scenario runs in the command's own process: a worker costs seconds to start).
 */
export function jobsFor(requested: number | undefined, cores: number, scenarios: number): number {
  return requested ?? Math.max(1, Math.min(cores, scenarios));
}

/**
 * Why the suite's scenarios must run one at a time, or undefined when they may run side by side: a device
 * outside the rig (a bench's VU, an actuator) or a serial port is one piece of hardware that two rigs would
 * share; operator prompts ask one person one thing at a time; a device kind given in code (not by the rig
 * file's modules) cannot be handed to another process.
 */
export function mustRunAlone(suite: Suite, options: SuiteRunOptions, selection: SuiteSelection): string | undefined {
  const external = suite.plan.devices.find((d) => d.mode === 'external');
  if (external) return `device '${external.name}' is external on rig ${suite.plan.name}: one rig at a time can use it`;
  if (suite.rig.links.some((l) => l.transport === 'serial')) return `rig ${suite.plan.name} has serial ports: one rig at a time can use them`;
  if (options.operator) return 'operator prompts ask one thing at a time';
  if (selection.registry) return 'the device kinds were given in code, which another process cannot load';
  return undefined;
}

/**
 * Runs the suite's scenarios in `jobs` lanes, each scenario on its own rig: this process is one lane and
 * `jobs - 1` worker processes the others (each loads the suite as the parent did and runs the ids it is sent,
 * the next as soon as it is free). The parent runs scenarios too because a worker costs seconds to start (the
 * modules load again, the JIT warms again: on the 2-core machine two workers beside an idle parent were barely
 * faster than one process); the virtual clock yields to the event loop, so the parent still answers its workers
 * while it runs one. Scenarios are handed out longest first (`order`, schedule.ts). The results come back in the
 * suite's order, as `runSuite` gives them. `bail` stops handing out scenarios after the first that fails or
 * errs; those already running finish and are reported.
 */
export interface Lanes {
  /** How many scenarios run at once (`--jobs`). */
  jobs: number;
  /** The order they are handed out (default: longest first by planned rig time). */
  order?: readonly string[];
  /** Whether this process is one of the lanes (default); false: `jobs` workers, this process only waits. */
  parentRuns?: boolean;
}

export async function runSuiteInWorkers(suite: Suite, selection: SuiteSelection, options: SuiteRunOptions, lanesAsked: Lanes): Promise<ScenarioResult[]> {
  const { jobs, order = longestFirst(suite.scenarios.map((s) => s.scenario)), parentRuns = true } = lanesAsked;
  const suiteOrder = suite.scenarios.map((s) => s.scenario.id);
  const queue = [...order];
  const results = new Map<string, ScenarioResult>();
  const total = suiteOrder.length;
  let wallDone = 0;
  let stop = false;
  const { registry: _registry, ...plainSelection } = selection;
  const { onProgress, operator: _operator, bail, ...plainOptions } = options;
  const setup: WorkerSetup = { selection: plainSelection, options: plainOptions };
  const workerFile = fileURLToPath(new URL('./suite-worker.ts', import.meta.url));
  const lanes = Math.max(1, Math.min(jobs, total));

  const take = (): string | undefined => (stop ? undefined : queue.shift());
  const progress = (p: Progress) => {
    const done = results.size;
    const remainingMs = done > 0 ? ((wallDone / done) * (total - done)) / lanes : undefined;
    onProgress?.({ ...p, suite: { index: done, total, ...(remainingMs !== undefined ? { remainingMs } : {}) } });
  };
  const finished = (result: ScenarioResult) => {
    results.set(result.id, result);
    wallDone += result.wallMs;
    if (bail && (result.outcome === 'fail' || result.outcome === 'error')) stop = true;
  };

  const runHere = async (): Promise<void> => {
    for (let id = take(); id !== undefined; id = take()) {
      const entry = suite.scenarios.find((s) => s.scenario.id === id)!;
      const { result } = await runScenario(entry.scenario, suite.plan, { ...plainOptions, file: entry.file, keepTrace: false, onProgress: progress });
      finished(result);
    }
  };

  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const child: ChildProcess = fork(workerFile, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let current: string | undefined;
      const next = () => {
        const id = take();
        current = id;
        if (id === undefined) child.disconnect();
        else child.send({ type: 'run', id } satisfies ToWorker);
      };
      child.on('message', (m: FromWorker) => {
        if (m.type === 'ready') next();
        else if (m.type === 'progress') progress(m.progress);
        else if (m.type === 'result') {
          finished(m.result);
          next();
        } else if (m.type === 'failed') reject(new Error(`a scenario worker failed: ${m.message}`));
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        if (current !== undefined) reject(new Error(`the scenario worker running '${current}' exited (code ${code})`));
        else resolve();
      });
      child.send({ type: 'setup', setup } satisfies ToWorker);
    });

  await Promise.all([...(parentRuns ? [runHere()] : []), ...Array.from({ length: parentRuns ? lanes - 1 : lanes }, runWorker)]);
  return suiteOrder.flatMap((id) => (results.has(id) ? [results.get(id)!] : []));
}
