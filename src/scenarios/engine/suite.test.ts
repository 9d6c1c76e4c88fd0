import { describe, expect, it } from 'vitest';
import { jobsFor, mustRunAlone, runSuiteInWorkers } from './parallel-suite.ts';
import type { ScenarioResult } from './result.ts';
import { loadSuite, runSuite, selected } from './suite.ts';

const SELECTION = { rigFile: 'test/rigs/beacon-logger.yaml', paths: ['test/scenarios'] };
const ids = async (more: Parameters<typeof loadSuite>[0]) => (await loadSuite({ ...SELECTION, ...more })).scenarios.map((s) => s.scenario.id);

describe('choosing scenarios (rig run --grep, --covers, --failed)', () => {
  it('keeps those whose id or title holds the text, in any case', async () => {
    expect(await ids({ grep: 'CABLE' })).toEqual(['cut-cable']);
    expect(await ids({ grep: 'records SILENCE' })).toEqual(['logger-notices-silence']);
    expect(await ids({ grep: 'logger' })).toEqual(['cut-cable', 'logger-notices-silence']);
    expect(await ids({ grep: 'nothing like it' })).toEqual([]);
  });

  it('keeps those covering a requirement, however either side spells it', async () => {
    expect(await ids({ covers: ['backbone link faults'] })).toEqual(['cut-cable']);
    expect(await ids({ covers: ['backbone clock', 'backbone link faults'] })).toEqual(['cut-cable', 'logger-notices-silence']);
    const s = { id: 'x', title: 'x', covers: ['Annex IC 3.9 over speeding', 'App. 7 DDP_018'] };
    expect(selected(s, { covers: ['EventFaultType 0x07'] })).toBe(true);
    expect(selected(s, { covers: ['DDP_018'] })).toBe(true);
    expect(selected(s, { covers: ['Annex IC 79'] })).toBe(false);
  });

  it('keeps the ids given (the failed of the last run)', async () => {
    expect(await ids({ ids: ['logger-notices-silence'] })).toEqual(['logger-notices-silence']);
    expect(await ids({ ids: [] })).toEqual([]);
  });
});

describe('rig run --bail', () => {
  it('stops after the first scenario that fails', async () => {
    const suite = await loadSuite(SELECTION);
    // the first scenario made to fail: its rig lacks the logger's silence a scenario expects
    const failing = { ...suite, plan: { ...suite.plan, devices: suite.plan.devices.map((d) => (d.name === 'logger' ? { ...d, options: { silenceMs: 60_000 } } : d)) } };
    const all = await runSuite(failing);
    expect(all.map((r) => [r.id, r.outcome])).toEqual([
      ['cut-cable', 'fail'],
      ['logger-notices-silence', 'fail'],
    ]);
    expect((await runSuite(failing, { bail: true })).map((r) => [r.id, r.outcome])).toEqual([['cut-cable', 'fail']]);
    expect((await runSuite(suite, { bail: true })).map((r) => r.outcome)).toEqual(['pass', 'pass']);
  });
});

describe('rig run --jobs: scenarios side by side in worker processes', () => {
  /** A result without what the wall clock measured: that is all two runs of one scenario may differ in. */
  const rigFacts = (r: ScenarioResult) => ({ ...r, wallMs: 0, measurements: r.measurements.filter((m) => m.name !== 'wall time' && m.name !== 'speed-up') });

  it('gives the result records, in the suite order, that one at a time gives', async () => {
    const suite = await loadSuite(SELECTION);
    const progress: string[] = [];
    // workers alone (each scenario in a process of its own), then this process beside one worker, handed out in reverse
    const inWorkers = await runSuiteInWorkers(suite, SELECTION, { onProgress: (p) => p.state !== 'running' && progress.push(`${p.scenario} ${p.state}`) }, { jobs: 2, parentRuns: false });
    const mixed = await runSuiteInWorkers(suite, SELECTION, {}, { jobs: 2, order: ['logger-notices-silence', 'cut-cable'] });
    const alone = await runSuite(suite);
    expect(inWorkers.map((r) => r.id)).toEqual(['cut-cable', 'logger-notices-silence']);
    expect(inWorkers.map(rigFacts)).toEqual(alone.map(rigFacts));
    expect(mixed.map(rigFacts)).toEqual(alone.map(rigFacts));
    expect(progress.sort()).toEqual(['cut-cable pass', 'logger-notices-silence pass']);
  }, 60_000);

  it('uses the cores unless told, never more workers than scenarios', () => {
    expect([jobsFor(undefined, 2, 33), jobsFor(undefined, 8, 3), jobsFor(undefined, 2, 1), jobsFor(undefined, 2, 0), jobsFor(1, 2, 33), jobsFor(4, 2, 3)]).toEqual([2, 3, 1, 1, 1, 4]);
  });

  it('runs one at a time on a rig with hardware of its own', async () => {
    const suite = await loadSuite(SELECTION);
    expect(mustRunAlone(suite, {}, SELECTION)).toBeUndefined();
    const bench = { ...suite, plan: { ...suite.plan, devices: suite.plan.devices.map((d) => (d.name === 'logger' ? { ...d, mode: 'external' as const } : d)) } };
    expect(mustRunAlone(bench, {}, SELECTION)).toBe("device 'logger' is external on rig beacon-logger: one rig at a time can use it");
  });
});
