import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rigRun, startStandIn, type StandIn } from './stand-in.ts';

/**
 * The bench path, proved without hardware (issue 13): `rig run --rig rigs/bench-vu.yaml --hardware-map M` against
 * `rig serve --rig rigs/stand-in-vu.yaml --write-map M`, two processes on the wall clock joined by pty pairs,
 * exactly the commands a bench runs with USB-serial adapters in the map. Wall-clock minutes: this file is run
 * by `npm run test:hil` (and by the README's CI command), not by `npm test`.
 */
const dir = mkdtempSync(join(tmpdir(), 'hil-'));
const standIns: StandIn[] = [];
afterAll(async () => {
  for (const s of standIns) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Result {
  id: string;
  outcome: string;
  reason?: string;
  startFrom: string;
  timeScale?: number;
  start: string;
  end: string;
  wallMs: number;
  expectations: { name: string; outcome: string }[];
}

function results(report: string): Result[] {
  return JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as Result[];
}

describe('the bench path against the stand-in VU in another process, over pty pairs, on the wall clock', () => {
  it('runs the hil-quick scenarios with rigs/bench-vu.yaml, actuator steps included, and they pass', async () => {
    const standIn = await startStandIn(join(dir, 'quick-map.yaml'));
    standIns.push(standIn);
    const report = join(dir, 'quick');
    const run = await rigRun(['--tag', 'hil-quick', '--rig', 'rigs/bench-vu.yaml', '--hardware-map', standIn.map, '--report', report]);
    const all = results(report);
    // the selection is the one the README lists: a scenario dropped from it would pass unseen
    expect(all.map((r) => r.id).sort()).toEqual(['card-conflict', 'driving-without-card']);
    expect(all.map((r) => [r.id, r.outcome, r.reason ?? ''])).toEqual(all.map((r) => [r.id, 'pass', '']));
    expect(all.every((r) => r.startFrom === 'wall-clock')).toBe(true);
    expect(all.flatMap((r) => r.expectations).length).toBeGreaterThanOrEqual(6);
    expect(run.code, run.out).toBe(0);
  }, 15 * 60_000);

  it('fails a scenario whose expectation the device under test does not meet, over the same path', async () => {
    const standIn = await startStandIn(join(dir, 'wrong-map.yaml'));
    standIns.push(standIn);
    const report = join(dir, 'wrong');
    const run = await rigRun(['test/bench/fixtures/wrong-count.scenario.yaml', '--rig', 'rigs/bench-vu.yaml', '--hardware-map', standIn.map, '--report', report]);
    const [result] = results(report);
    expect(result!.outcome).toBe('fail');
    // the one expectation the stand-in cannot meet fails, the true ones pass: the verdict is the DUT's, not the path's
    expect(result!.expectations.map((e) => [e.name, e.outcome])).toEqual([
      ['the true count', 'pass'],
      ['a count the VU does not meet', 'fail'],
    ]);
    expect(run.code).not.toBe(0);
  }, 5 * 60_000);

  // README "Scaled time": the stand-in 4× faster than the wall, the rig following the time base of its map
  it('runs card-conflict on a stand-in served 4× faster than the wall, in a quarter of its rig time', async () => {
    const standIn = await startStandIn(join(dir, 'scaled-map.yaml'), undefined, { timeScale: 4 });
    standIns.push(standIn);
    expect(readFileSync(standIn.map, 'utf8')).toMatch(/timeBase:\n {2}scale: 4\n {2}anchor: \d+\n/);
    const report = join(dir, 'scaled');
    const run = await rigRun(['src/scenarios/vu/card-conflict.scenario.yaml', '--rig', 'rigs/bench-vu.yaml', '--hardware-map', standIn.map, '--report', report]);
    const [result] = results(report);
    expect([result!.id, result!.outcome, result!.reason ?? '', result!.timeScale]).toEqual(['card-conflict', 'pass', '', 4]);
    const rigMs = Date.parse(result!.end) - Date.parse(result!.start);
    // 4 min of rig time; the wall time is about a quarter of it (the run's own set-up and checks add some)
    expect(rigMs).toBeGreaterThanOrEqual(240_000);
    expect(result!.wallMs).toBeLessThan(rigMs / 2);
    expect(run.code, run.out).toBe(0);
  }, 5 * 60_000);
});

