import { describe, expect, it } from 'vitest';
import { longestFirst, plannedRigMs, wallTimesOf } from './schedule.ts';
import { loadSuite } from './suite.ts';

const suite = () => loadSuite({ rigFile: 'test/rigs/beacon-logger.yaml', paths: ['test/scenarios'] });

describe('the order rig run --jobs hands out scenarios', () => {
  it('plans rig time as the runner does: waits add, an until is an instant from the start', async () => {
    const [cut, silence] = (await suite()).scenarios.map((s) => s.scenario);
    expect([cut!.id, plannedRigMs(cut!)]).toEqual(['cut-cable', 10_500]);
    expect([silence!.id, plannedRigMs(silence!)]).toEqual(['logger-notices-silence', 13_500]);
    const until = { ...silence!, steps: [{ do: 'until' as const, at: '2026-01-01T09:00:00Z' }, { do: 'wait' as const, for: 60_000 }, { do: 'until' as const, at: 60_000 }] };
    expect(plannedRigMs(until)).toBe(3_660_000);
  });

  it('puts the longest first: by the last run where it knows, the unknown before them, else by planned rig time', async () => {
    const scenarios = (await suite()).scenarios.map((s) => s.scenario);
    expect(longestFirst(scenarios)).toEqual(['logger-notices-silence', 'cut-cable']);
    expect(longestFirst(scenarios, new Map([['cut-cable', 900], ['logger-notices-silence', 300]]))).toEqual(['cut-cable', 'logger-notices-silence']);
    expect(longestFirst(scenarios, new Map([['logger-notices-silence', 5_000]]))).toEqual(['cut-cable', 'logger-notices-silence']);
    const equal = scenarios.map((s) => ({ ...s, steps: [] }));
    expect(longestFirst(equal)).toEqual(['cut-cable', 'logger-notices-silence']);
  });

  it("reads the wall times of a results.json, and nothing from what is not one", () => {
    expect([...wallTimesOf([{ id: 'a', wallMs: 12.5 }, { id: 'b' }, { id: 3, wallMs: 1 }, null, { id: 'c', wallMs: 'x' }])]).toEqual([['a', 12.5]]);
    expect(wallTimesOf({ results: [] }).size).toBe(0);
  });
});
