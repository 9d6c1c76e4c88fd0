import type { RigPlan } from '../../harness/rig/rig-runtime.ts';
import { sameCode, showCode } from '../../harness/devices/record-kinds.ts';
import { APPLICABLE_EVENT_FAULT_CODES, CARD_ONLY_CODES } from '../../devices/vu/data-memory/applicable-codes.ts';
import { EVENT_FAULT_TYPES } from '../../devices/vu/data-memory/event-fault-types.ts';
import type { Expectation, Scenario } from '../engine/schema.ts';

/** Which scenarios check one EventFaultType code. */
export interface CodeCoverage {
  code: string;
  name: string;
  category: 'event' | 'fault';
  /** In issue 11 §3's set (APPLICABLE_EVENT_FAULT_CODES). */
  applicable: boolean;
  /** Ids of the scenarios that require at least one record of this code from a VU, in file order. */
  scenarios: string[];
}

export interface EventFaultCoverage {
  codes: CodeCoverage[];
  applicable: number;
  covered: number;
}

/**
 * For each of the VU's EventFaultType codes, the scenarios that trigger and check it: a `records`
 * expectation (in a check step or at the end) on a device of kind `vu` in the rig, with that code, whose
 * count requires at least one record. A passing run of such a scenario has seen the code through the
 * VU's record source (the App. 7 download on the default rig). Absences and `count: 0` prove nothing here.
 */
export function eventFaultCoverage(scenarios: readonly Scenario[], plan: RigPlan): EventFaultCoverage {
  const vus = new Set(plan.devices.filter((d) => d.kind.kind === 'vu').map((d) => d.name));
  const rows = new Map<number, CodeCoverage>();
  for (const t of EVENT_FAULT_TYPES) rows.set(t.code, { code: showCode(t.code), name: t.name, category: t.category, applicable: false, scenarios: [] });
  for (const [code, name] of Object.entries(CARD_ONLY_CODES)) rows.set(Number(code), { code: showCode(Number(code)), name, category: 'event', applicable: false, scenarios: [] });
  for (const code of APPLICABLE_EVENT_FAULT_CODES) rows.get(code)!.applicable = true;
  for (const scenario of scenarios) {
    for (const e of expectationsOf(scenario)) {
      if (!('records' in e) || !vus.has(e.records.device) || e.records.code === undefined || !requiresOne(e.records.count)) continue;
      for (const [code, row] of rows) {
        if (row.category === e.records.kind && sameCode(code, e.records.code) && !row.scenarios.includes(scenario.id)) row.scenarios.push(scenario.id);
      }
    }
  }
  const codes = [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
  const applicable = codes.filter((c) => c.applicable);
  return { codes, applicable: applicable.length, covered: applicable.filter((c) => c.scenarios.length > 0).length };
}

function expectationsOf(scenario: Scenario): Expectation[] {
  return [...scenario.steps.flatMap((s) => (s.do === 'check' ? s.expect : [])), ...scenario.expect];
}

function requiresOne(count: number | { min?: number; max?: number } | undefined): boolean {
  if (count === undefined) return true;
  return typeof count === 'number' ? count >= 1 : (count.min ?? 0) >= 1;
}

/** One line per code (code, category, applicable or not, name, scenarios), then the total. */
export function renderCoverage(c: EventFaultCoverage): string {
  const lines = c.codes.map((row) => `${row.code}\t${row.category}\t${row.applicable ? 'applicable' : 'not applicable'}\t${row.name}\t${row.scenarios.join(', ') || '-'}`);
  lines.push(`${c.covered} of ${c.applicable} applicable codes covered`);
  return lines.join('\n');
}

/** The README's table (`rig list --covers --markdown`): applicable codes only, a row each, then the total. */
export function renderCoverageMarkdown(c: EventFaultCoverage): string {
  const lines = ['| code | event or fault | shipped scenarios that trigger it and read it through the download |', '|---|---|---|'];
  for (const row of c.codes.filter((r) => r.applicable)) {
    lines.push(`| ${row.code} | ${row.name} | ${row.scenarios.map((s) => `\`${s}\``).join(', ') || 'none yet'} |`);
  }
  lines.push('', `${c.covered} of ${c.applicable} applicable codes covered.`);
  return lines.join('\n');
}
