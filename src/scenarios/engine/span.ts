import { formatDuration } from './duration.ts';

const DAY_MS = 86_400_000;

/**
 * The longest run a scenario may ask for: 16 years of rig time, a VU's whole working life with margin (Annex IC
 * 13: 15 years of normal operation, then 3 months for downloading). Beyond it a wait is a typo (100y, 1e300 ms,
 * `until: 9999-12-31`) that would run until killed.
 */
export const MAX_SCENARIO_SPAN_MS = 16 * 365 * DAY_MS + 4 * DAY_MS;

interface TimedStep {
  do: string;
  for?: number;
  at?: number | string;
}

/**
 * Where a scenario's waits would take it past the longest run, or back in time: walks the steps as the
 * runner will (a wait adds, an until moves to its target) from the start. Paths point at the offending step.
 */
export function spanIssues(start: string, steps: readonly TimedStep[]): { path: (string | number)[]; message: string }[] {
  const begin = Date.parse(start);
  if (Number.isNaN(begin)) return [];
  const issues: { path: (string | number)[]; message: string }[] = [];
  let offset = 0;
  // once a step is refused the run's later instants are unknown: an until after it is not judged
  let lost = false;
  steps.forEach((step, i) => {
    if (step.do === 'wait' && typeof step.for === 'number') {
      if (offset + step.for > MAX_SCENARIO_SPAN_MS) {
        issues.push({ path: ['steps', i, 'for'], message: `a wait of ${describe(step.for)} takes the run to +${describe(offset + step.for)}; a scenario may run at most ${describe(MAX_SCENARIO_SPAN_MS)}` });
        lost = true;
      } else offset += step.for;
    }
    if (step.do === 'until' && step.at !== undefined) {
      const target = typeof step.at === 'number' ? step.at : Date.parse(step.at) - begin;
      if (target > MAX_SCENARIO_SPAN_MS) {
        issues.push({ path: ['steps', i, 'at'], message: `until ${typeof step.at === 'number' ? `+${describe(step.at)}` : step.at} is +${describe(target)} from the start; a scenario may run at most ${describe(MAX_SCENARIO_SPAN_MS)}` });
        lost = true;
      } else if (target < offset && !lost) {
        issues.push({ path: ['steps', i, 'at'], message: `until ${typeof step.at === 'number' ? `+${describe(step.at)}` : step.at} is in the past: the steps before it already reach +${describe(offset)}` });
      } else offset = target;
    }
  });
  return issues;
}

/** `5m`, `3d`; a span of years also in years (`36500d, 100 years`), an absurd one in ms. */
function describe(ms: number): string {
  const years = ms / (365.25 * DAY_MS);
  if (years >= 10_000) return `${ms.toExponential(2)} ms`;
  return years >= 1 ? `${formatDuration(ms)} (${Math.round(years)} years)` : formatDuration(ms);
}
