import { beforeAll, describe, expect, it } from 'vitest';
import { deviceKinds } from '../../devices/index.ts';
import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { loadRigFile } from '../../harness/rig/rig-loader.ts';
import { planFromRig } from '../../harness/rig/plan.ts';
import type { RigPlan } from '../../harness/rig/rig-runtime.ts';
import { scenario } from './builder.ts';
import { runScenario } from './runner.ts';

/**
 * A wait is measured on the scenario's plan, not from where the step before it ended: a check reads the VU
 * through its download line, which takes rig time the author did not write (on a bench, seconds of wall time
 * and a card read first). Found by the long bench run (issue 13): over-speeding's mid-run check carried 7.4 s
 * into a later window.
 */
let loopback: RigPlan;
beforeAll(async () => {
  const rig = await loadRigFile('rigs/loopback.yaml', new DeviceRegistry(deviceKinds));
  loopback = planFromRig(rig, rig.registry);
});

describe('steps on the plan', () => {
  it('ends a wait after a mid-run check where the plan puts it, though the check took rig time', async () => {
    const s = scenario('plan-time')
      .emulated('vu')
      .start('2026-03-02T08:00:00Z')
      .wait('1m')
      .check('mid-run', (e) => e.absent({ device: 'vu', kind: 'fault' }))
      .wait('10s')
      .wait('5s')
      .build();
    const { result } = await runScenario(s, loopback);
    expect(result.outcome).toBe('pass');
    const [, check, wait, last] = result.steps;
    // the check is a real App. 7 session on the download line: it takes rig time (control: a check that took
    // none would not test the plan)
    expect(Date.parse(check!.end!) - Date.parse(check!.start!)).toBeGreaterThan(100);
    expect(wait!.end).toBe('2026-03-02T08:01:10.000Z');
    expect(wait!.lateMs).toBeUndefined();
    expect(last!.end).toBe('2026-03-02T08:01:15.000Z');
    expect(result.end).toBe('2026-03-02T08:01:15.000Z');
  });

  it('runs a wait the check overran at once, and says how late', async () => {
    const s = scenario('plan-late')
      .emulated('vu')
      .start('2026-03-02T08:00:00Z')
      .wait('1m')
      .check('mid-run', (e) => e.absent({ device: 'vu', kind: 'fault' }))
      .wait('1ms')
      .wait('5s')
      .build();
    const { result } = await runScenario(s, loopback);
    expect(result.outcome).toBe('pass');
    const [, check, late, next] = result.steps;
    expect(late!.lateMs).toBe(Date.parse(check!.end!) - Date.parse('2026-03-02T08:01:00.001Z'));
    expect(late!.end).toBe(check!.end);
    expect(next!.end).toBe('2026-03-02T08:01:05.001Z');
    expect(result.measurements.find((m) => m.name === 'steps begun after their planned end')).toEqual({ name: 'steps begun after their planned end', value: 1, unit: 'count' });
  });
});
