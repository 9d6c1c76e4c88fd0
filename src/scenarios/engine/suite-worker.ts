import type { FromWorker, ToWorker, WorkerSetup } from './parallel-suite.ts';
import { runScenario } from './runner.ts';
import { loadSuite, type Suite } from './suite.ts';

/**
 * A scenario worker of `rig run --jobs` (parallel-suite.ts): loads the suite it is told to, then runs each
 * scenario id it is sent on a fresh rig, answering with the progress and the result record; ends when the
 * parent disconnects.
 */
const send = (m: FromWorker) => process.send!(m);
let suite: Suite | undefined;
let setup: WorkerSetup | undefined;

process.on('message', (m: ToWorker) => {
  void handle(m).catch((error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
});
process.on('disconnect', () => process.exit(0));

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'setup') {
    setup = m.setup;
    suite = await loadSuite(m.setup.selection);
    send({ type: 'ready' });
    return;
  }
  const entry = suite!.scenarios.find((s) => s.scenario.id === m.id);
  if (!entry) throw new Error(`no scenario '${m.id}' in the suite this worker loaded`);
  const { result } = await runScenario(entry.scenario, suite!.plan, { ...setup!.options, file: entry.file, keepTrace: false, onProgress: (progress) => send({ type: 'progress', progress }) });
  send({ type: 'result', result });
}
