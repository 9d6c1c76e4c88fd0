import type { Scenario } from './schema.ts';
import { resolveInstant } from './expectations.ts';

/**
 * The order in which `rig run --jobs` hands scenarios to its workers: the longest first, so that no long
 * scenario starts last and runs alone while the other workers idle (on the library's scenarios in file order,
 * the 3-hour driving day came last). "Longest" is what the last run measured (`wallMs` in the report
 * directory's results.json); a scenario it does not know goes before all it knows (it may be long), ranked
 * by the rig time its steps plan. With no last run at all, every scenario is ranked by planned rig time:
 * a driving hour costs more than a parked minute, the rough order that matters. Ties keep the suite order.
 */
export function longestFirst(scenarios: readonly Scenario[], lastWallMs: ReadonlyMap<string, number> = new Map()): string[] {
  const ranked = scenarios.map((scenario, index) => {
    const last = lastWallMs.get(scenario.id);
    return { id: scenario.id, index, known: last !== undefined, cost: last ?? plannedRigMs(scenario) };
  });
  ranked.sort((a, b) => Number(a.known) - Number(b.known) || b.cost - a.cost || a.index - b.index);
  return ranked.map((r) => r.id);
}

/** The rig time from the start to the scenario's last planned instant, as the runner plans its waits. */
export function plannedRigMs(scenario: Scenario): number {
  const start = Date.parse(scenario.start);
  let planned = start;
  for (const step of scenario.steps) {
    if (step.do === 'wait') planned += step.for;
    if (step.do === 'until') planned = Math.max(planned, resolveInstant(step.at, start));
  }
  return planned - start;
}

/** The wall time of each scenario in a results.json (an array of result records); nothing from what is not one. */
export function wallTimesOf(results: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!Array.isArray(results)) return out;
  for (const r of results as { id?: unknown; wallMs?: unknown }[]) {
    if (typeof r?.id === 'string' && typeof r.wallMs === 'number' && Number.isFinite(r.wallMs)) out.set(r.id, r.wallMs);
  }
  return out;
}
