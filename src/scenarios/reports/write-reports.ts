import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioResult } from '../engine/result.ts';
import { renderJUnit } from './junit.ts';
import type { RunSummary } from './html/input.ts';
import { loadReportInput } from './html/load.ts';
import { renderHtmlReport } from './html/render-html.ts';

/**
 * Writes every report rendered from the result records: one JSON record per scenario, all of them, JUnit, and
 * the HTML report (index.html) with the attachments the runs left in `dir`.
 */
export async function writeReports(results: readonly ScenarioResult[], dir: string, run: RunSummary = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ['results.json', JSON.stringify(results, null, 2) + '\n'],
    ['junit.xml', renderJUnit(results)],
    ['index.html', renderHtmlReport(await loadReportInput(results, dir, run))],
    ...results.map((r): [string, string] => [`${r.id}.result.json`, JSON.stringify(r, null, 2) + '\n']),
  ];
  for (const [name, content] of files) await writeFile(join(dir, name), content);
  return files.map(([name]) => join(dir, name));
}
