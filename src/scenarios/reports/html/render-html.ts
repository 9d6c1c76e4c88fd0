import { describeShown } from '../../engine/expectations.ts';
import { formatDuration } from '../../engine/duration.ts';
import type { CheckedExpectation, ScenarioResult } from '../../engine/result.ts';
import { lastRecords, renderActivityBars, renderEventSpans, renderPulseLineChart, renderSpeedChart } from './charts.ts';
import { renderGnssTrack } from './gnss-track.ts';
import type { ReportInput, ScenarioReport } from './input.ts';
import { STYLE } from './style.ts';
import { esc } from './svg.ts';
import { traceabilityMatrix } from '../../requirements/matrix.ts';
import { expectationId, renderTimeline } from './timeline.ts';
import { frameLists } from './conversation.ts';

/**
 * The run as one self-contained HTML page (no script, no request: it opens from a file on a bench PC): a
 * summary, the failures' near misses first, then per scenario its timeline over rig time and the charts of
 * what the devices recorded. Pure: the same input gives the same page.
 */
export function renderHtmlReport(input: ReportInput): string {
  const results = input.scenarios.map((s) => s.result);
  const failed = input.scenarios.map((s, i) => ({ s, i })).filter(({ s }) => s.result.outcome === 'fail' || s.result.outcome === 'error');
  const body = [
    `<header><h1>Scenario report</h1>${summary(input, results)}</header>`,
    failed.length ? `<section class="failures"><h2>Failures</h2>${failed.map(({ s, i }) => failure(s.result, i)).join('')}</section>` : '',
    `<nav><h2>Scenarios</h2>${index(results)}</nav>`,
    ...input.scenarios.map((s, i) => scenario(s, i)),
    traceability(results),
  ];
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title(results))}</title><style>${STYLE}</style></head><body>${body.join('\n')}</body></html>\n`;
}

function title(results: readonly ScenarioResult[]): string {
  const c = counts(results);
  return `rig report: ${c.pass} passed, ${c.fail} failed, ${c.error} errors, ${c.skipped} skipped`;
}

function counts(results: readonly ScenarioResult[]) {
  const of = (o: string) => results.filter((r) => r.outcome === o).length;
  return { pass: of('pass'), fail: of('fail'), error: of('error'), skipped: of('skipped') };
}

function summary(input: ReportInput, results: readonly ScenarioResult[]): string {
  const c = counts(results);
  const wall = input.run.wallMs ?? results.reduce((s, r) => s + r.wallMs, 0);
  const rigs = [...new Set(results.map((r) => r.rig))];
  const seeds = [...new Set(results.map((r) => r.seed))];
  const rows: [string, string][] = [
    ['scenarios', `<span class="count pass">${c.pass} passed</span> <span class="count fail">${c.fail} failed</span> <span class="count error">${c.error} errors</span> <span class="count skipped">${c.skipped} skipped</span> of ${results.length}`],
    ['wall time', esc(formatDuration(Math.round(wall)))],
    ['rig', esc(`${rigs.join(', ')}${input.run.rigFile ? ` (${input.run.rigFile})` : ''}`)],
    ['seed', esc(seeds.join(', '))],
    ['git commit', esc(input.run.gitCommit ?? 'unknown')],
    ...(input.run.dut ?? []).map((d): [string, string] => [`device under test: ${esc(d.device)}`, `${esc(d.kind)}${d.identity ? ` — ${esc(identityLine(d.identity))}` : ' (not read)'}`]),
  ];
  return `<table class="summary">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function identityLine(identity: Record<string, unknown>): string {
  return Object.entries(identity)
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join('; ');
}

function index(results: readonly ScenarioResult[]): string {
  const rows = results.map((r, i) => `<tr class="${r.outcome}"><td><span class="badge ${r.outcome}">${r.outcome}</span></td><td><a href="#s${i}">${esc(r.id)}</a></td><td>${esc(r.title)}</td><td class="num">${esc(formatDuration(Math.round(r.wallMs)))}</td></tr>`);
  return `<table class="index"><tr><th>outcome</th><th>scenario</th><th>title</th><th>wall</th></tr>${rows.join('')}</table>`;
}

/** A failed scenario's near misses (or an errored one's reason), each linking to its place on the timeline. */
function failure(r: ScenarioResult, i: number): string {
  const head = `<h3><span class="badge ${r.outcome}">${r.outcome}</span> <a href="#s${i}">${esc(r.id)}</a> ${esc(r.title)}</h3>`;
  if (r.outcome === 'error') return `<div class="failure error">${head}<p class="reason">${esc(r.reason ?? '')}</p>${r.errors.length ? `<ul>${r.errors.map((e) => `<li>${esc(`${e.source}: ${e.message}`)}</li>`).join('')}</ul>` : ''}</div>`;
  const misses = r.expectations.map((e, j) => ({ e, j })).filter(({ e }) => e.outcome === 'fail');
  return `<div class="failure">${head}${misses.map(({ e, j }) => nearMiss(e, i, j)).join('')}</div>`;
}

function nearMiss(e: CheckedExpectation, i: number, j: number): string {
  const rows = (e.nearMisses ?? []).map(
    (m) =>
      `<tr><td>${esc(describeShown(m.record))}</td><td class="num">${m.met} of ${m.of}</td><td>${m.differences.map((d) => `<div><b>${esc(d.constraint)}</b>: expected <code>${esc(JSON.stringify(d.expected))}</code>, was <code>${esc(JSON.stringify(d.actual))}</code></div>`).join('')}</td></tr>`,
  );
  const closest = rows.length ? `<table class="near"><tr><th>closest record</th><th>constraints met</th><th>differing fields</th></tr>${rows.join('')}</table>` : '<p>no record of that device and kind came close</p>';
  const seen = e.seen.length ? `<details><summary>${e.seen.length} record(s) seen</summary><pre>${esc(e.seen.map((s) => JSON.stringify(s)).join('\n'))}</pre></details>` : '';
  return `<div class="near-miss"><a class="goto" href="#${expectationId(i, j)}">${esc(e.name)}</a> <span class="where">check ${esc(e.check)} at ${esc(e.at)}</span><p>${esc(e.message)}</p><pre class="expected">${esc(JSON.stringify(e.expected))}</pre>${closest}${seen}</div>`;
}

function scenario(s: ScenarioReport, i: number): string {
  const r = s.result;
  const facts: [string, string][] = [
    ['file', r.file ?? '-'],
    ['rig', r.rig],
    ['seed', String(r.seed)],
    ['rig time', `${r.start} to ${r.end} (${formatDuration(Date.parse(r.end) - Date.parse(r.start))}, start from ${r.startFrom})`],
    ['wall time', formatDuration(Math.round(r.wallMs))],
    ['covers', r.covers.join(', ') || '-'],
    ['tags', r.tags.join(', ') || '-'],
  ];
  const parts = [
    `<h2><span class="badge ${r.outcome}">${r.outcome}</span> ${esc(r.id)}</h2><p class="title">${esc(r.title)}</p>`,
    r.reason && r.outcome !== 'pass' ? `<p class="reason">${esc(r.reason)}</p>` : '',
    `<table class="facts">${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`,
  ];
  if (r.outcome !== 'skipped') {
    const story = s.story ?? [];
    const last = lastRecords(s.reads ?? []);
    parts.push(`<figure><figcaption>Timeline over rig time</figcaption>${renderTimeline(r, story, i, s.conversation)}</figure>`);
    if (s.conversation) parts.push(frameLists(s.conversation, Date.parse(r.start)));
    const speed = renderSpeedChart(r, story, last);
    if (speed) parts.push(speed);
    const pulses = renderPulseLineChart(r, s.conversation?.pulseLines ?? []);
    if (pulses) parts.push(pulses);
    for (const [device, records] of last) {
      parts.push(renderActivityBars(r, records, device) ?? '', renderEventSpans(r, records, device) ?? '', renderGnssTrack(records, device) ?? '');
    }
    if (!s.reads) parts.push('<p class="note">no records attached (run with --report to attach what the checks read)</p>');
    parts.push(expectationTable(r, i));
  }
  return `<section id="s${i}" class="scenario ${r.outcome}">${parts.join('')}</section>`;
}

function expectationTable(r: ScenarioResult, i: number): string {
  if (r.expectations.length === 0) return '';
  const rows = r.expectations.map(
    (e, j) => `<tr class="${e.outcome}"><td><span class="badge ${e.outcome}">${e.outcome}</span></td><td><a href="#${expectationId(i, j)}">${esc(e.name)}</a></td><td>${esc(e.check)}</td><td>${esc(e.message)}</td></tr>`,
  );
  return `<details class="expectations"${r.outcome === 'fail' ? ' open' : ''}><summary>${r.expectations.length} expectations</summary><table><tr><th>outcome</th><th>expectation</th><th>check</th><th>what it saw</th></tr>${rows.join('')}</table></details>`;
}

/**
 * Requirement × scenarios × outcome for this run: each requirement of the catalogue its scenarios cover, with
 * their outcome, then (folded) the requirements none of them covers.
 */
function traceability(results: readonly ScenarioResult[]): string {
  const m = traceabilityMatrix(results, new Map(results.map((r) => [r.id, r.outcome])));
  const position = new Map(results.map((r, i) => [r.id, i]));
  const covered = m.rows.filter((r) => r.scenarios.length > 0);
  const rows = covered.map(
    (r) =>
      `<tr><td>${esc(r.requirement.id)}</td><td>${r.scenarios.map((s) => `<a class="badge ${s.outcome ?? 'skipped'}" href="#s${position.get(s.id)}">${esc(s.id)}</a>`).join(' ')}</td><td>${esc(r.requirement.title)}</td></tr>`,
  );
  const none = m.rows.filter((r) => r.scenarios.length === 0).map((r) => esc(r.requirement.id));
  return `<section class="traceability"><h2>Requirements</h2><p>${m.covered} of ${m.rows.length} requirements of the catalogue are covered by this run's scenarios; ${m.passing} of them passed.</p><table class="trace"><tr><th>requirement</th><th>scenarios</th><th>text</th></tr>${rows.join('')}</table><details><summary>${none.length} requirements no scenario of this run covers</summary><p>${none.join(', ')}</p></details></section>`;
}
