import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { loadRigFile, type LoadedRig } from '../../harness/rig/rig-loader.ts';
import { planFromRig } from '../../harness/rig/plan.ts';
import type { RigPlan } from '../../harness/rig/rig-runtime.ts';
import { FileIssuesError, type FileIssue } from '../../harness/rig/yaml-errors.ts';
import { deviceKinds } from '../../devices/index.ts';
import { discoverScenarioFiles, loadScenarioFile, type LoadedScenario } from './loader.ts';
import type { ScenarioResult } from './result.ts';
import { runScenario, type Progress, type RunOptions } from './runner.ts';
import { checkScenarioAgainstRig } from './validate.ts';

export const DEFAULT_RIG = 'rigs/loopback.yaml';
export const DEFAULT_SCENARIO_DIRS = ['src/scenarios'];

export interface Suite {
  rig: LoadedRig;
  plan: RigPlan;
  /** Scenarios that passed every check, in file order. */
  scenarios: LoadedScenario[];
  /** Everything refused: files the schema rejects, scenarios the rig cannot make sense of, duplicate ids. */
  issues: FileIssue[];
  /** How many files or scenarios were refused (a file the schema rejects counts once, however many issues). */
  refused: number;
  /** Scenarios found in the paths before the tags chose: tells "no file" from "no scenario matched". */
  found: number;
}

export interface SuiteSelection {
  rigFile?: string;
  paths?: readonly string[];
  /** Keep scenarios carrying at least one of these tags. */
  tags?: readonly string[];
  /** Leave out scenarios carrying any of these tags (e.g. `long`), after `tags` chose. */
  skipTags?: readonly string[];
  /** Device kinds beyond the product's (a bench's own). */
  registry?: DeviceRegistry;
  /** The hardware map for the rig's `adapter:` paths (`--hardware-map`), instead of the rig file's. */
  hardwareMap?: string;
}

/** Loads the rig and the scenarios, and checks each scenario against the rig. Never runs anything. */
export async function loadSuite(selection: SuiteSelection = {}): Promise<Suite> {
  const registry = selection.registry ?? new DeviceRegistry(deviceKinds);
  const rig = await loadRigFile(selection.rigFile ?? DEFAULT_RIG, registry, { hardwareMap: selection.hardwareMap });
  const plan = planFromRig(rig, rig.registry);
  const issues: FileIssue[] = [];
  const scenarios: LoadedScenario[] = [];
  const seen = new Map<string, string>();
  let refused = 0;
  let found = 0;
  for (const file of await discoverScenarioFiles(selection.paths ?? DEFAULT_SCENARIO_DIRS)) {
    let loaded: LoadedScenario[];
    try {
      loaded = await loadScenarioFile(file);
    } catch (error) {
      if (error instanceof FileIssuesError) issues.push(...error.issues);
      else issues.push({ file, line: 1, column: 1, path: [], message: (error as Error).message });
      refused++;
      continue;
    }
    for (const entry of loaded) {
      const { scenario } = entry;
      found++;
      if (selection.tags?.length && !scenario.tags.some((t) => selection.tags!.includes(t))) continue;
      if (selection.skipTags?.length && scenario.tags.some((t) => selection.skipTags!.includes(t))) continue;
      const other = seen.get(scenario.id);
      if (other) {
        issues.push(...entry.locate([{ path: ['id'], message: `scenario id '${scenario.id}' is also used in ${other}` }]));
        refused++;
        continue;
      }
      seen.set(scenario.id, file);
      const problems = checkScenarioAgainstRig(scenario, plan);
      if (problems.length) {
        issues.push(...entry.locate(problems));
        refused++;
      } else scenarios.push(entry);
    }
  }
  return { rig, plan, scenarios, issues, refused, found };
}

export interface SuiteRunOptions {
  seed?: number;
  reportDir?: string;
  onProgress?: (progress: Progress) => void;
  /** See RunOptions.wholeRig. */
  wholeRig?: boolean;
  /** See RunOptions.timeoutMs: each scenario's wall-clock limit. */
  timeoutMs?: number;
  /** See RunOptions.record: a recording per scenario run. */
  record?: RunOptions['record'];
  /** See RunOptions.operator: the operator prompt (`rig run --prompt`, `--yes`). */
  operator?: RunOptions['operator'];
}

/** Runs the suite's scenarios one after another on fresh rigs; each gets its own result record. */
export async function runSuite(suite: Suite, options: SuiteRunOptions = {}): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const { scenario, file } of suite.scenarios) {
    const { result } = await runScenario(scenario, suite.plan, { ...options, file, keepTrace: false });
    results.push(result);
  }
  return results;
}
