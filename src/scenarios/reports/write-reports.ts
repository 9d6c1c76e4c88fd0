import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioResult } from '../engine/result.ts';
import { renderJUnit } from './junit.ts';

/** Writes every report rendered from the result records: one JSON record per scenario, all of them, JUnit. */
export async function writeReports(results: readonly ScenarioResult[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ['results.json', JSON.stringify(results, null, 2) + '\n'],
    ['junit.xml', renderJUnit(results)],
    ...results.map((r): [string, string] => [`${r.id}.result.json`, JSON.stringify(r, null, 2) + '\n']),
  ];
  for (const [name, content] of files) await writeFile(join(dir, name), content);
  return files.map(([name]) => join(dir, name));
}
