import type { Outcome } from '../engine/result.ts';
import { REQUIREMENTS, resolveRequirement, type Requirement } from './catalogue.ts';

/** One requirement's row of the traceability matrix: the scenarios covering it and their last outcome. */
export interface TraceRow {
  requirement: Requirement;
  /** In the order given; `outcome` from the last run's results where the scenario ran in it. */
  scenarios: { id: string; outcome?: Outcome }[];
}

export interface TraceMatrix {
  rows: TraceRow[];
  /** Requirements with at least one scenario. */
  covered: number;
  /** Requirements whose scenarios all ran and passed in the last run. */
  passing: number;
}

/**
 * Requirement × scenarios × last outcome, for every requirement of the catalogue in its order (those with
 * no scenario included). `covers` entries resolve through the catalogue (a scenario naming one requirement
 * twice, in two spellings, counts once); an entry that resolves to nothing is left out (validation refuses it).
 */
export function traceabilityMatrix(scenarios: readonly { id: string; covers: readonly string[] }[], outcomes: ReadonlyMap<string, Outcome> = new Map()): TraceMatrix {
  const byId = new Map(REQUIREMENTS.map((r): [string, TraceRow] => [r.id, { requirement: r, scenarios: [] }]));
  for (const s of scenarios) {
    for (const text of s.covers) {
      const found = resolveRequirement(text);
      if ('error' in found) continue;
      for (const requirement of found.requirements) {
        const row = byId.get(requirement.id)!;
        if (row.scenarios.some((x) => x.id === s.id)) continue;
        const outcome = outcomes.get(s.id);
        row.scenarios.push({ id: s.id, ...(outcome ? { outcome } : {}) });
      }
    }
  }
  const rows = [...byId.values()];
  const covered = rows.filter((r) => r.scenarios.length > 0);
  return { rows, covered: covered.length, passing: covered.filter((r) => r.scenarios.every((s) => s.outcome === 'pass')).length };
}

/** A line per requirement: id, its scenarios with their last outcome (`-` for none), its title; then the totals. */
export function renderTraceability(m: TraceMatrix, options: { coveredOnly?: boolean } = {}): string {
  const rows = options.coveredOnly ? m.rows.filter((r) => r.scenarios.length > 0) : m.rows;
  const lines = rows.map((r) => `${r.requirement.id}\t${r.scenarios.map((s) => `${s.id} (${s.outcome ?? 'not run'})`).join(', ') || '-'}\t${r.requirement.title}`);
  lines.push(`${m.covered} of ${m.rows.length} requirements have a scenario; ${m.passing} of them passed in the last run`);
  return lines.join('\n');
}
