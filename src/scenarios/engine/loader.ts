import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  FileIssuesError,
  parseYamlFile,
  toFileIssues,
  zodIssuesToFileIssues,
  type FileIssue,
  type PathIssue,
} from '../../harness/rig/yaml-errors.ts';
import { scenarioSchema, type Scenario } from './schema.ts';

/** Scenario files: `*.scenario.yaml` (or `.yml`) and `*.scenario.ts`. */
export const SCENARIO_FILE = /\.scenario\.(ya?ml|ts)$/;

export interface LoadedScenario {
  scenario: Scenario;
  file: string;
  /** Maps a path in the scenario to a file position; YAML files have positions, TypeScript ones only paths. */
  locate(issues: readonly PathIssue[]): FileIssue[];
}

export class ScenarioFileError extends FileIssuesError {
  constructor(issues: readonly FileIssue[]) {
    super(issues);
    this.name = 'ScenarioFileError';
  }
}

/** Expands files and directories (recursively) into scenario files, sorted so runs are repeatable. */
export async function discoverScenarioFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new Error(`no such scenario file or directory: ${p}`);
    }
    if (info.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return [...new Set(out)].sort();
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...(await walk(full)));
    else if (entry.isFile() && SCENARIO_FILE.test(entry.name)) out.push(full);
  }
  return out;
}

/** Loads one scenario file; a file refused by the schema throws {@link ScenarioFileError} listing every issue. */
export async function loadScenarioFile(file: string): Promise<LoadedScenario[]> {
  return /\.ts$/.test(file) ? loadTypeScript(file) : loadYaml(file);
}

async function loadYaml(file: string): Promise<LoadedScenario[]> {
  const text = await readFile(file, 'utf8');
  return [parseScenarioYaml(text, file)];
}

export function parseScenarioYaml(text: string, file: string): LoadedScenario {
  const parsed = parseYamlFile(text, file);
  if (parsed.syntaxIssues.length) throw new ScenarioFileError(parsed.syntaxIssues);
  const result = scenarioSchema.safeParse(parsed.value);
  if (!result.success) {
    throw new ScenarioFileError(zodIssuesToFileIssues(parsed.doc, parsed.lineCounter, file, result.error.issues, { schema: scenarioSchema, input: parsed.value }));
  }
  return { scenario: result.data, file, locate: (issues) => toFileIssues(parsed.doc, parsed.lineCounter, file, issues) };
}

async function loadTypeScript(file: string): Promise<LoadedScenario[]> {
  let mod: { default?: unknown; scenarios?: unknown };
  try {
    mod = await import(pathToFileURL(resolve(file)).href);
  } catch (error) {
    throw new ScenarioFileError([{ file, line: 1, column: 1, path: [], message: `cannot load: ${(error as Error).message}` }]);
  }
  const exported = mod.scenarios ?? mod.default;
  const list = Array.isArray(exported) ? exported : exported === undefined ? [] : [exported];
  if (list.length === 0) {
    throw new ScenarioFileError([{ file, line: 1, column: 1, path: [], message: 'exports no scenario: export default scenario(...).build(), or export const scenarios = [...]' }]);
  }
  return list.map((value, index) => {
    const result = scenarioSchema.safeParse(value);
    const where = (issues: readonly PathIssue[]): FileIssue[] =>
      issues.map((i) => ({ file, line: 1, column: 1, path: list.length > 1 ? [index, ...i.path] : i.path, message: i.message }));
    if (!result.success) {
      throw new ScenarioFileError(where(result.error.issues.map((i) => ({ path: i.path as PathIssue['path'], message: i.message }))));
    }
    return { scenario: result.data, file, locate: where };
  });
}
