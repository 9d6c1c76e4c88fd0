import { describe, expect, test } from 'vitest';
import { formatIssues } from '../../harness/rig/yaml-errors.ts';
import { describeNearMiss } from './expectations.ts';
import type { ScenarioResult } from './result.ts';
import { runScenario } from './runner.ts';
import { loadSuite, type SuiteSelection } from './suite.ts';

/** A long scenario (a day of driving on a pty rig) may take minutes of wall time; vitest's default is far less. */
const SCENARIO_TIMEOUT_MS = 600_000;

/**
 * Makes every scenario of a suite a vitest test, so CI gets vitest's filtering, parallel files and JUnit
 * for free (labgrid's lesson: reuse the test framework people have). The runner is the same library
 * `rig run` uses. Call it at the top level of a test file:
 *
 *   await scenarioTests({ rigFile: 'rigs/loopback.yaml', paths: ['src/scenarios'] });
 */
export async function scenarioTests(selection: SuiteSelection, options: { seed?: number; reportDir?: string } = {}): Promise<void> {
  const suite = await loadSuite(selection);
  describe(`scenarios on ${suite.plan.name} (${suite.rig.file})`, () => {
    test('every scenario file is accepted by the schema and the rig', () => {
      expect(formatIssues(suite.issues)).toBe('');
    });
    for (const { scenario, file } of suite.scenarios) {
      test(`${scenario.id}: ${scenario.title}`, async (context) => {
        const { result } = await runScenario(scenario, suite.plan, { file, keepTrace: false, ...options });
        for (const requirement of result.covers) await context.annotate(requirement, 'covers');
        await context.annotate(`rig ${result.start} → ${result.end}, seed ${result.seed}`, 'run');
        // Not a way to hide a failure: the rig cannot run this scenario (it does not emulate a device the
        // scenario acts on, e.g. a bench where that device is the real DUT), and vitest reports it with the reason.
        if (result.outcome === 'skipped') context.skip(result.reason);
        expect(result.outcome, explain(result)).toBe('pass');
      }, SCENARIO_TIMEOUT_MS);
    }
  });
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
