import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { goldenDifference, renderGoldenRecords } from './golden-records.ts';
import { formatIssues } from '../../harness/rig/yaml-errors.ts';
import { describeNearMiss } from './expectations.ts';
import type { ScenarioResult } from './result.ts';
import { runScenario } from './runner.ts';
import { loadSuite, type SuiteSelection } from './suite.ts';

/** A long scenario (a day of driving on a pty rig) may take minutes of wall time; vitest's default is far less. */
const SCENARIO_TIMEOUT_MS = 600_000;
/** A `long` scenario (a year of rig time: 3.5 min of CPU, over 10 min of wall time on a shared 2-core machine): a bound against a hang, not a speed check. */
const LONG_SCENARIO_TIMEOUT_MS = 1_800_000;

/**
 * Makes every scenario of a suite a vitest test, so CI gets vitest's filtering, parallel files and JUnit
 * for free (labgrid's lesson: reuse the test framework people have). The runner is the same library
 * `rig run` uses. Call it at the top level of a test file:
 *
 *   await scenarioTests({ rigFile: 'rigs/loopback.yaml', paths: ['src/scenarios'] });
 */
export async function scenarioTests(selection: SuiteSelection, options: { seed?: number; reportDir?: string; golden?: GoldenRecords } = {}): Promise<void> {
  const { golden, ...runOptions } = options;
  const suite = await loadSuite(selection);
  describe(`scenarios on ${suite.plan.name} (${suite.rig.file})`, () => {
    test('every scenario file is accepted by the schema and the rig', () => {
      expect(formatIssues(suite.issues)).toBe('');
    });
    for (const { scenario, file } of suite.scenarios) {
      test(`${scenario.id}: ${scenario.title}`, async (context) => {
        const { result, reads } = await runScenario(scenario, suite.plan, { file, keepTrace: false, ...runOptions, collectReads: golden !== undefined });
        for (const requirement of result.covers) await context.annotate(requirement, 'covers');
        await context.annotate(`rig ${result.start} → ${result.end}, seed ${result.seed}`, 'run');
        // Not a way to hide a failure: the rig cannot run this scenario (it does not emulate a device the
        // scenario acts on, e.g. a bench where that device is the real DUT), and vitest reports it with the reason.
        if (result.outcome === 'skipped') context.skip(result.reason);
        const differs = golden && (await compareGolden(golden, scenario.id, renderGoldenRecords(scenario.id, reads ?? [])));
        expect(result.outcome, explain(result)).toBe('pass');
        expect(differs).toBeFalsy();
      }, scenario.tags.includes('long') ? LONG_SCENARIO_TIMEOUT_MS : SCENARIO_TIMEOUT_MS);
    }
  });
}

/**
 * The determinism oracle (golden-records.ts): each scenario's reads against `<dir>/<id>.records.json`, or
 * written there with `update` (`npm run golden:update`). A scenario without a golden file fails: a new
 * scenario's records are added by an update, on purpose.
 */
export interface GoldenRecords {
  dir: string;
  update?: boolean;
}

/** Where a scenario whose records differ from the golden ones leaves today's (reports/ is not versioned). */
const GOLDEN_NOW_DIR = 'reports/golden-now';

async function compareGolden(golden: GoldenRecords, id: string, rendered: string): Promise<string | undefined> {
  const file = join(golden.dir, `${id}.records.json`);
  if (golden.update) {
    await mkdir(golden.dir, { recursive: true });
    await writeFile(file, rendered);
    return undefined;
  }
  let kept: string;
  try {
    kept = await readFile(file, 'utf8');
  } catch {
    return `no golden records in ${file}: run \`npm run golden:update\` to keep this scenario's`;
  }
  const difference = goldenDifference(kept, rendered);
  if (!difference) return undefined;
  // today's records beside the golden ones, for a diff: `diff test/golden/records reports/golden-now`
  await mkdir(GOLDEN_NOW_DIR, { recursive: true });
  await writeFile(join(GOLDEN_NOW_DIR, `${id}.records.json`), rendered);
  return `${file}: ${difference}\n(today's records: ${join(GOLDEN_NOW_DIR, `${id}.records.json`)})`;
}

function explain(result: ScenarioResult): string {
  const lines = [result.reason ?? ''];
  for (const e of result.expectations.filter((x) => x.outcome === 'fail')) {
    lines.push(`[${e.check} @ ${e.at}] ${e.name}: ${e.message}; seen ${JSON.stringify(e.seen.slice(0, 5))}`);
    for (const n of (e.nearMisses ?? []).slice(1)) lines.push(`  also close: ${describeNearMiss(n)}`);
  }
  for (const s of result.steps.filter((x) => x.outcome === 'error')) lines.push(`step ${s.index} ${s.description}: ${s.error}`);
  return lines.filter(Boolean).join('\n');
}
