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
import { resolveRequirement } from '../requirements/catalogue.ts';

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
  /** Keep scenarios whose id or title holds this text, in any case (`rig run --grep`). */
  grep?: string;
  /** Keep scenarios covering one of these requirements (catalogue ids, `rig run --covers`; resolveRequirement). */
  covers?: readonly string[];
  /** Keep only the scenarios with these ids (`rig run --failed`: those that failed last time). */
  ids?: readonly string[];
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
      if (!selected(scenario, selection)) continue;
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

/** Whether a scenario passes the selection's grep, covers and ids (tags are chosen before). */
export function selected(scenario: { id: string; title: string; covers: readonly string[] }, selection: Pick<SuiteSelection, 'grep' | 'covers' | 'ids'>): boolean {
  if (selection.grep !== undefined) {
    const text = selection.grep.toLowerCase();
    if (!scenario.id.toLowerCase().includes(text) && !scenario.title.toLowerCase().includes(text)) return false;
  }
  if (selection.covers?.length) {
    const wanted = new Set(selection.covers.flatMap(requirementIds));
    if (!scenario.covers.some((c) => requirementIds(c).some((id) => wanted.has(id)))) return false;
  }
  if (selection.ids && !selection.ids.includes(scenario.id)) return false;
  return true;
}

/** The catalogue ids a covers entry or a `--covers` argument names, or the text itself where it names none. */
function requirementIds(text: string): string[] {
  const found = resolveRequirement(text);
  return 'error' in found ? [text] : found.requirements.map((r) => r.id);
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
  /** Stop after the first scenario that fails or errs (`rig run --bail`): the rest are not run, nor reported. */
  bail?: boolean;
}

/** Runs the suite's scenarios one after another on fresh rigs; each gets its own result record. */
export async function runSuite(suite: Suite, options: SuiteRunOptions = {}): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  const total = suite.scenarios.length;
  let wallSoFar = 0;
  for (const [index, { scenario, file }] of suite.scenarios.entries()) {
    // the estimate: the scenarios done so far took this long on average (none done: no estimate)
    const remainingMs = index > 0 ? (wallSoFar / index) * (total - index) : undefined;
    const onProgress = options.onProgress && ((p: Progress) => options.onProgress!({ ...p, suite: { index, total, ...(remainingMs !== undefined ? { remainingMs } : {}) } }));
    const { result } = await runScenario(scenario, suite.plan, { ...options, file, keepTrace: false, ...(onProgress ? { onProgress } : {}) });
    wallSoFar += result.wallMs;
    results.push(result);
    if (options.bail && (result.outcome === 'fail' || result.outcome === 'error')) break;
  }
  return results;
}
