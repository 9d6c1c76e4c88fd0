import { describe, expect, it } from 'vitest';
import { parseScenarioYaml } from './loader.ts';
import { ScenarioFileError } from './loader.ts';

const HEAD = 'id: s\ntitle: t\nstart: 2026-03-02T08:00:00Z\nsteps:\n';

function refusals(steps: string): string {
  try {
    parseScenarioYaml(HEAD + steps, 's.yaml');
    return '';
  } catch (error) {
    if (error instanceof ScenarioFileError) return error.message;
    throw error;
  }
}

describe('waits a run could never finish are refused when the file is read (issue 12: they ran until killed)', () => {
  it('a wait of 100 years, of 1e300 ms, an until in the year 9999', () => {
    expect(refusals('  - { do: wait, for: 36500d }\n')).toBe('s.yaml:5:22: steps[0].for: a wait of 36500d (100 years) takes the run to +36500d (100 years); a scenario may run at most 5844d (16 years)');
    expect(refusals('  - { do: wait, for: 1e300 }\n')).toBe('s.yaml:5:22: steps[0].for: a wait of 1.00e+300 ms takes the run to +1.00e+300 ms; a scenario may run at most 5844d (16 years)');
    expect(refusals('  - { do: until, at: 9999-12-31T00:00:00Z }\n')).toBe(
      's.yaml:5:22: steps[0].at: until 9999-12-31T00:00:00Z is +2912381d16h (7974 years) from the start; a scenario may run at most 5844d (16 years)',
    );
  });

  it('the waits add up: two of 10 years are refused at the second; an until behind the run is refused', () => {
    expect(refusals('  - { do: wait, for: 3650d }\n  - { do: wait, for: 3650d }\n')).toBe('s.yaml:6:22: steps[1].for: a wait of 3650d (10 years) takes the run to +7300d (20 years); a scenario may run at most 5844d (16 years)');
    expect(refusals('  - { do: wait, for: 5m }\n  - { do: until, at: 1m }\n')).toBe('s.yaml:6:22: steps[1].at: until +1m is in the past: the steps before it already reach +5m');
  });

  it('takes a year of driving, and 16 years exactly (the positive control)', () => {
    expect(refusals('  - { do: wait, for: 365d }\n  - { do: until, at: 2027-03-02T08:00:00Z }\n')).toBe('');
    expect(refusals('  - { do: until, at: 5844d }\n')).toBe('');
  });
});
