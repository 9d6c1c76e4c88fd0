import { basename, dirname } from 'node:path';
import { describeNearMiss } from '../engine/expectations.ts';
import type { ScenarioResult } from '../engine/result.ts';
import type { PortTiming } from '../../harness/links/index.ts';

/**
 * JUnit XML rendered from the result records, the shape CI servers read: one testsuite per rig, one
 * testcase per scenario; requirements, seed and measurements as properties; expectations in system-out.
 */
export function renderJUnit(results: readonly ScenarioResult[], suiteName = 'rig scenarios'): string {
  const byRig = new Map<string, ScenarioResult[]>();
  for (const r of results) byRig.set(r.rig, [...(byRig.get(r.rig) ?? []), r]);
  const total = count(results);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${esc(suiteName)}" tests="${results.length}" failures="${total.fail}" errors="${total.error}" skipped="${total.skipped}" time="${secs(results)}">`,
  ];
  for (const [rig, list] of byRig) {
    const c = count(list);
    lines.push(`  <testsuite name="${esc(rig)}" tests="${list.length}" failures="${c.fail}" errors="${c.error}" skipped="${c.skipped}" time="${secs(list)}">`);
    for (const r of list) lines.push(...testcase(r));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

/**
 * A CI server reads `classname` as a dotted package path: a file name (`over-speeding.scenario.yaml`) would
 * become packages `over-speeding`, `scenario`. The scenario's folder (`gnss`, `vu`) groups scenarios as the
 * library does, and the rig's name stands in for a scenario that came from no file.
 */
export function classnameOf(r: Pick<ScenarioResult, 'file' | 'rig'>): string {
  const folder = r.file ? basename(dirname(r.file)) : '';
  return (folder && folder !== '.' ? folder : r.rig).replace(/\./g, '_');
}

function testcase(r: ScenarioResult): string[] {
  const out = [`    <testcase classname="${esc(classnameOf(r))}" name="${esc(r.id)}" time="${(r.wallMs / 1000).toFixed(3)}">`];
  const props: [string, string][] = [
    ['title', r.title],
    ...(r.file ? [['file', r.file] as [string, string]] : []),
    ['seed', String(r.seed)],
    ['rig', r.rig],
    ['start', r.start],
    ['end', r.end],
    ...r.covers.map((c): [string, string] => ['covers', c]),
    ...r.tags.map((t): [string, string] => ['tag', t]),
    ...r.measurements.map((m): [string, string] => [`measurement.${m.name}`, `${m.value} ${m.unit}`]),
    ...r.attachments.filter((a) => a.path).map((a): [string, string] => [`attachment.${a.name}`, a.path!]),
    ...(r.portTiming?.links ?? []).flatMap(portTimingProperties),
  ];
  out.push('      <properties>');
  for (const [name, value] of props) out.push(`        <property name="${esc(name)}" value="${esc(value)}"/>`);
  out.push('      </properties>');
  if (r.outcome === 'skipped') out.push(`      <skipped message="${esc(r.reason ?? '')}"/>`);
  if (r.outcome === 'fail') out.push(`      <failure message="${esc(r.reason ?? 'failed')}" type="expectation">${esc(failureDetail(r))}</failure>`);
  if (r.outcome === 'error') out.push(`      <error message="${esc(r.reason ?? 'error')}" type="error">${esc(r.errors.map((e) => `${e.source}: ${e.message}`).join('\n'))}</error>`);
  out.push(`      <system-out>${esc(summary(r))}</system-out>`);
  out.push('    </testcase>');
  return out;
}

/**
 * One link direction's timing as properties named `portTiming.<link>.<asking port>.<figure>`: exchanges,
 * unanswered, answer p50/p99/max in ms (absent without an exchange) and the window held to.
 */
function portTimingProperties(t: PortTiming): [string, string][] {
  const key = `portTiming.${t.link}.${t.requester}`;
  return [
    [`${key}.answerer`, t.answerer],
    [`${key}.exchanges`, String(t.exchanges)],
    [`${key}.unanswered`, String(t.unanswered)],
    ...(t.answerMs ? ([['p50', t.answerMs.p50], ['p99', t.answerMs.p99], ['max', t.answerMs.max]] as const).map(([name, v]): [string, string] => [`${key}.answer.${name}`, `${v} ms`]) : []),
    ...(t.window ? [[`${key}.window`, `${t.window.name} (${t.window.of}) ${t.window.ms} ms`] as [string, string]] : []),
  ];
}

function failureDetail(r: ScenarioResult): string {
  return r.expectations
    .filter((e) => e.outcome === 'fail')
    .map((e) => {
      const lines = [`[${e.check} @ ${e.at}] ${e.name}: ${e.message}`, `  expected: ${JSON.stringify(e.expected)}`, `  seen: ${JSON.stringify(e.seen)}`];
      for (const n of e.nearMisses ?? []) lines.push(`  near miss (${n.met} of ${n.of} constraints met): ${describeNearMiss(n)}\n    ${JSON.stringify(n.record)}`);
      return lines.join('\n');
    })
    .join('\n');
}

function summary(r: ScenarioResult): string {
  const steps = r.steps.map((s) => `step ${s.index} ${s.outcome.padEnd(7)} ${s.start ?? ''} ${s.description}${s.error ? ` — ${s.error}` : ''}`);
  const checks = r.expectations.map((e) => `${e.outcome === 'pass' ? 'PASS' : 'FAIL'} [${e.check}] ${e.name}: ${e.message}`);
  return [...steps, ...checks].join('\n');
}

function count(list: readonly ScenarioResult[]) {
  return {
    fail: list.filter((r) => r.outcome === 'fail').length,
    error: list.filter((r) => r.outcome === 'error').length,
    skipped: list.filter((r) => r.outcome === 'skipped').length,
  };
}

function secs(list: readonly ScenarioResult[]): string {
  return (list.reduce((s, r) => s + r.wallMs, 0) / 1000).toFixed(3);
}

/** XML text and attribute escaping, dropping characters XML 1.0 cannot carry. */
export function esc(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
