/**
 * `npm run mutate:summary`: adds up the mutation reports in reports/mutation/*.json (one per `npm run mutate`,
 * whole or per folder) into a score per rule folder and in all, and lists the surviving mutants by file and line.
 * Where two reports hold the same file, the newer report counts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { mutants: Mutant[] }>;
}

const dir = process.argv[2] ?? 'reports/mutation';
const reports = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => join(dir, f))
  .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
if (reports.length === 0) {
  console.error(`no mutation reports in ${dir}: run \`npm run mutate\` first`);
  process.exit(1);
}
const files = new Map<string, Mutant[]>();
for (const path of reports) for (const [file, { mutants }] of Object.entries((JSON.parse(readFileSync(path, 'utf8')) as Report).files)) files.set(file, mutants);

// Stryker's mutation score: detected (killed or timed out) over every valid mutant, uncovered ones included
const tally = () => ({ detected: 0, survived: 0, noCoverage: 0 });
const byFolder = new Map<string, ReturnType<typeof tally>>();
const total = tally();
const survivors: string[] = [];
for (const [file, mutants] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
  const folder = /src\/devices\/vu\/([^/]+)\//.exec(file)?.[1] ?? file;
  const t = byFolder.get(folder) ?? tally();
  byFolder.set(folder, t);
  for (const m of mutants) {
    const key = m.status === 'Killed' || m.status === 'Timeout' ? 'detected' : m.status === 'Survived' ? 'survived' : m.status === 'NoCoverage' ? 'noCoverage' : undefined;
    if (!key) continue; // compile errors and ignored mutants are not valid mutants
    t[key]++;
    total[key]++;
    if (key !== 'detected') survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}${m.replacement ? ` → ${m.replacement.replace(/\s+/g, ' ').slice(0, 60)}` : ''}${key === 'noCoverage' ? ' (no test reaches it)' : ''}`);
  }
}
const score = (t: ReturnType<typeof tally>) => {
  const valid = t.detected + t.survived + t.noCoverage;
  return `${((100 * t.detected) / Math.max(1, valid)).toFixed(1)} % (${t.detected} of ${valid} detected, ${t.survived} survived, ${t.noCoverage} not covered)`;
};
if (process.argv.includes('--survivors')) for (const s of survivors) console.log(s);
console.log('| rule folder | mutation score |\n|---|---|');
for (const [folder, t] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) console.log(`| ${folder} | ${score(t)} |`);
console.log(`| **all** | ${score(total)} |`);
