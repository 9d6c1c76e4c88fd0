import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult } from './result.ts';
import type { Progress } from './runner.ts';
import type { Suite, SuiteRunOptions, SuiteSelection } from './suite.ts';

/** What a worker is told: the suite to load (as the parent did) and how to run its scenarios. */
export interface WorkerSetup {
  selection: Omit<SuiteSelection, 'registry'>;
  options: Omit<SuiteRunOptions, 'onProgress' | 'operator' | 'bail'>;
}

export type ToWorker = { type: 'setup'; setup: WorkerSetup } | { type: 'run'; id: string };
export type FromWorker = { type: 'ready' } | { type: 'progress'; progress: Progress } | { type: 'result'; result: ScenarioResult } | { type: 'failed'; message: string };

/**
 * Why the suite's scenarios must run one at a time, or undefined when they may run side by side: a device
 * outside the rig (a bench's VU, an actuator) or a serial port is one piece of hardware that two rigs would
 * share; operator prompts ask one person one thing at a time; a device kind given in code (not by the rig
 * file's modules) cannot be handed to another process.
 */
/**
 * How many workers `rig run` uses (issue 17): what `--jobs` asked, else the cores, never more than the scenarios
 * (one scenario runs in the command's own process: a worker costs seconds to start).
 */
export function jobsFor(requested: number | undefined, cores: number, scenarios: number): number {
  return requested ?? Math.max(1, Math.min(cores, scenarios));
}

export function mustRunAlone(suite: Suite, options: SuiteRunOptions, selection: SuiteSelection): string | undefined {
  const external = suite.plan.devices.find((d) => d.mode === 'external');
  if (external) return `device '${external.name}' is external on rig ${suite.plan.name}: one rig at a time can use it`;
  if (suite.rig.links.some((l) => l.transport === 'serial')) return `rig ${suite.plan.name} has serial ports: one rig at a time can use them`;
  if (options.operator) return 'operator prompts ask one thing at a time';
  if (selection.registry) return 'the device kinds were given in code, which another process cannot load';
  return undefined;
}

/**
 * Runs the suite's scenarios in `jobs` worker processes, each scenario on its own rig in one of them (each
 * loads the suite as the parent did and runs the ids it is sent, the next as soon as it is free). The results
 * come back in the suite's order, as `runSuite` gives them. `bail` stops sending scenarios after the first
 * that fails or errs; those already running finish and are reported.
 */
export async function runSuiteInWorkers(suite: Suite, selection: SuiteSelection, options: SuiteRunOptions, jobs: number): Promise<ScenarioResult[]> {
  const order = suite.scenarios.map((s) => s.scenario.id);
  const queue = [...order];
  const results = new Map<string, ScenarioResult>();
  const total = order.length;
  let wallDone = 0;
  let stop = false;
  const { registry: _registry, ...plainSelection } = selection;
  const { onProgress, operator: _operator, bail, ...plainOptions } = options;
  const setup: WorkerSetup = { selection: plainSelection, options: plainOptions };
  const workerFile = fileURLToPath(new URL('./suite-worker.ts', import.meta.url));

  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const child: ChildProcess = fork(workerFile, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let current: string | undefined;
      const next = () => {
        const id = stop ? undefined : queue.shift();
        current = id;
        if (id === undefined) child.disconnect();
        else child.send({ type: 'run', id } satisfies ToWorker);
      };
      child.on('message', (m: FromWorker) => {
        if (m.type === 'ready') next();
        else if (m.type === 'progress') {
          const done = results.size;
          const remainingMs = done > 0 ? ((wallDone / done) * (total - done)) / jobs : undefined;
          onProgress?.({ ...m.progress, suite: { index: done, total, ...(remainingMs !== undefined ? { remainingMs } : {}) } });
        } else if (m.type === 'result') {
          results.set(m.result.id, m.result);
          wallDone += m.result.wallMs;
          if (bail && (m.result.outcome === 'fail' || m.result.outcome === 'error')) stop = true;
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

  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, total)) }, runWorker));
  return order.flatMap((id) => (results.has(id) ? [results.get(id)!] : []));
}
