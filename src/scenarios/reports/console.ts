import pc from 'picocolors';
import { formatDuration } from '../engine/duration.ts';
import type { Outcome, ScenarioResult } from '../engine/result.ts';
import type { Progress } from '../engine/runner.ts';
import type { PortTiming } from '../../harness/links/index.ts';
import { describeNearMiss } from '../engine/expectations.ts';

const MARK: Record<Outcome | 'running', string> = {
  pass: pc.green('PASS'),
  fail: pc.red('FAIL'),
  error: pc.red('ERROR'),
  skipped: pc.yellow('SKIP'),
  running: pc.cyan('RUN '),
};

/** One progress line per running scenario: its name, the rig time it reached, and how it ended. */
export function progressLine(p: Progress): string {
  const line = `${MARK[p.state]} ${p.scenario}  rig +${formatDuration(Math.max(0, Math.floor(p.elapsed)))}  ${new Date(Math.floor(p.rigTime)).toISOString()}`;
  if (!p.suite) return line;
  // in a suite: done/total before, and while the suite runs the wall time the rest may take, at the pace so far
  const done = p.suite.index + (p.state === 'running' ? 0 : 1);
  const left = p.suite.remainingMs !== undefined && done < p.suite.total ? `  ~${formatDuration(Math.round(p.suite.remainingMs / 1000) * 1000)} left` : '';
  return `[${done}/${p.suite.total}] ${line}${left}`;
}

/**
 * The closing summary: every scenario not passed, with why, then the counts. `refused` counts the files
 * and scenarios refused before running (their issues were printed then): they are part of the run's total.
 */
export function renderSummary(results: readonly ScenarioResult[], refused = 0): string {
  const lines: string[] = [''];
  for (const r of results) {
    const scaled = r.timeScale ? ` (rig time ${r.timeScale}× the wall)` : '';
    lines.push(`${MARK[r.outcome]} ${r.id}  ${pc.dim(`${(r.wallMs / 1000).toFixed(2)} s wall${scaled}, rig ${r.start} → ${r.end}`)}`);
    // On a wall clock the answer times are a real device's (or a stand-in's): how close it runs to its windows.
    if (r.portTiming?.clock === 'wall') lines.push(...r.portTiming.links.map((t) => `     ${pc.dim(describePortTiming(t))}`));
    if (r.outcome === 'pass') continue;
    if (r.reason) lines.push(`     ${r.reason}`);
    for (const e of r.expectations.filter((x) => x.outcome === 'fail')) {
      lines.push(`     ✗ [${e.check}] ${e.name}: ${e.message}`);
      // the closest is in the message; the next closest below it
      for (const n of (e.nearMisses ?? []).slice(1)) lines.push(`       also close: ${describeNearMiss(n)}`);
    }
    for (const s of r.steps.filter((x) => x.outcome === 'error')) lines.push(`     ✗ step ${s.index} ${s.description}: ${s.error}`);
    // A device's own error (a replay's divergence) is often the cause of the step that failed after it.
    for (const e of r.errors) if (!r.reason?.endsWith(e.message)) lines.push(`     ✗ ${e.source}: ${e.message}`);
  }
  const n = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  lines.push('', `${results.length + refused} scenarios: ${n('pass')} passed, ${n('fail')} failed, ${n('error')} errors, ${n('skipped')} skipped, ${refused} refused`);
  return lines.join('\n');
}

/**
 * One link direction's answer times in a line: `download ide.vu → vu.download: 57 exchanges, answers p50 21.1
 * ms, p99 21.2 ms, max 21.3 ms; P2 max (ide) 1000 ms, max at 2 %`, to a tenth of a ms.
 */
export function describePortTiming(t: PortTiming): string {
  const head = `${t.link} ${t.requester} → ${t.answerer}: ${t.exchanges} ${t.exchanges === 1 ? 'exchange' : 'exchanges'}`;
  const unanswered = t.unanswered > 0 ? `, ${t.unanswered} unanswered` : '';
  const a = t.answerMs;
  const times = a ? `, answers p50 ${ms(a.p50)}, p99 ${ms(a.p99)}, max ${ms(a.max)}` : '';
  const w = t.window;
  const window = w ? `; ${w.name} (${w.of}) ${ms(w.ms)}${a ? `, max at ${Math.round((a.max / w.ms) * 100)} %` : ''}` : '';
  return head + unanswered + times + window;
}

const ms = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)} ms`;
