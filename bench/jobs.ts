/**
 * `npm run bench -- jobs`: the VU and motion-sensor library, every shipped scenario but the long set, then all
 * of them, through `rig run` at `--jobs 1` and at `--jobs N` (N: the cores), wall time of each and the ratio,
 * and whether the result records are the same (but for their wall-clock measurements), as a parallel run must
 * give (issue 17: at least 1.6× on 2 cores; issue 18: the library under 30 s at --jobs 2). One run each, fresh
 * report directories (so no last run orders the scenarios: longest first by planned rig time): the whole
 * library takes minutes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

type Report = (name: string, value: string, command: string) => void;

// The whole library without the long set too: the month- and year-long scenarios run in one lane each, so with
// them the figure is theirs (issue 18's year of events alone is most of it).
const LIBRARIES = [['src/scenarios/vu', 'src/scenarios/motion-sensor'], ['src/scenarios', '--skip-tag', 'long'], ['src/scenarios']];

/** A result record without what the wall clock decides: its wall time and the measurements made of it. */
function rigFacts(file: string): unknown {
  const r = JSON.parse(readFileSync(file, 'utf8')) as { wallMs?: number; measurements?: { name: string }[] };
  return { ...r, wallMs: 0, measurements: (r.measurements ?? []).filter((m) => m.name !== 'wall time' && m.name !== 'speed-up') };
}

function run(library: string[], jobs: number, dir: string): { seconds: number; code: number | null; results: Map<string, unknown> } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/rig.js', 'run', ...library, '--jobs', String(jobs), '--report', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = (performance.now() - t) / 1000;
  const results = new Map<string, unknown>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.result.json')).sort()) results.set(f, rigFacts(join(dir, f)));
  return { seconds, code: r.status, results };
}

export async function jobsBench(report: Report): Promise<void> {
  const cores = availableParallelism();
  const jobs = Math.max(2, cores);
  const root = mkdtempSync(join(tmpdir(), 'rig-bench-jobs-'));
  try {
    for (const [i, library] of LIBRARIES.entries()) {
      const one = run(library, 1, join(root, `one-${i}`));
      const many = run(library, jobs, join(root, `many-${i}`));
      const cmd = 'npm run bench -- jobs';
      const what = `rig run ${library.join(' ')} (${one.results.size} scenarios)`;
      report(`${what}, --jobs 1`, `${one.seconds.toFixed(0)} s, exit ${one.code}`, cmd);
      report(`the same, --jobs ${jobs} on ${cores} cores`, `${many.seconds.toFixed(0)} s, exit ${many.code}`, cmd);
      report(`--jobs ${jobs} against --jobs 1`, `${(one.seconds / many.seconds).toFixed(2)}× faster`, cmd);
      const differing = [...one.results.keys()].filter((k) => JSON.stringify(one.results.get(k)) !== JSON.stringify(many.results.get(k)));
      const missing = many.results.size !== one.results.size;
      report('result records equal (but wall-clock measurements)', differing.length === 0 && !missing ? 'yes' : `NO: ${differing.join(', ')}${missing ? ' (counts differ)' : ''}`, cmd);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
