import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, setup, type AnyActorRef } from 'xstate';
import { Rig, type RigPlan } from '../harness/rig/rig-runtime.ts';
import { TestMsca } from '../crypto/index.ts';
import { gnssKind } from './gnss/index.ts';
import { motionSensorKind } from './motion-sensor/index.ts';
import { quickSteps, withQuickSteps } from './quick-steps.ts';
import { vuKind } from './vu/index.ts';
import type { VuContext } from './vu/vu-machine.ts';
import { TEST_DRIVER_CARD, testMemoryLink, testWorkshopCard } from './vu/vu-test-rig.ts';
import { contextOf, steppedRun } from '../harness/rig/stepped-run.ts';

/**
 * Issue 18: the line events the machines take as quick steps (quick-steps.ts: the motion sensor's requests, the
 * VU's sensor-link and gnss-link children, the EGF's commands) leave every machine and every line as XState
 * taking each of them does. The oracle is the same run with quick steps off; the drive has pairing and
 * coupling, driving, the sensor's garbled and noisy answers, bit flips and drops on both lines, a cut, a supply
 * cut inside exchanges, and a sensor state file written as it goes.
 */
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const msca = new TestMsca();
const cards = { wendy: testWorkshopCard(msca), anna: TEST_DRIVER_CARD };
const link = (a: string, b: string, baud: number, deliveryQuantumMs: number) => testMemoryLink(a, b, { baud, deliveryQuantumMs });

function plan(dir: string): RigPlan {
  return {
    name: 'quick-steps',
    clock: 'virtual',
    seed: 7,
    devices: [
      {
        name: 'vu',
        kind: vuKind,
        mode: 'emulated',
        options: vuKind.options.parse({ identification: { serialNumber: { serialNumber: 2001, monthYear: '0126', manufacturerCode: 0x40 } }, gnss: { receiver: 'external' }, cards }),
      },
      { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({ serialNumber: { serialNumber: 2001, monthYear: '0126' }, stateFile: join(dir, 'sensor.json') }) },
      { name: 'egf', kind: gnssKind, mode: 'emulated', options: gnssKind.options.parse({ testPki: {}, stateFile: join(dir, 'egf.json') }) },
    ],
    // as the rig files have them (rigs/loopback.yaml)
    links: [link('sensor.pulses', 'vu.pulses', 9600, 10), link('sensor.vu', 'vu.sensor', 9600, 10), link('egf.vu', 'vu.gnss', 115200, 5)],
  };
}


interface Run {
  /** After every step: the VU's, its two children's, the sensor's and the EGF's contexts and state values, and their state files. */
  states: unknown[];
  /** Every frame of the trace, with its instant. */
  frames: string[];
  taken: number;
}

async function run(quick: boolean): Promise<Run> {
  quickSteps.enabled = quick;
  const taken = quickSteps.taken;
  // one path for both runs: the EGF's options, in its context, name the file
  const dir = join(tmpdir(), `quick-steps-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const rig = await Rig.start(plan(dir), { start: T0 });
  const file = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : null);
  const vu = rig.actor('vu')!;
  const { states, step } = steppedRun(rig, () => {
    const children = (vu.getSnapshot() as { children: Record<string, AnyActorRef | undefined> }).children;
    return {
      vu: (vu.getSnapshot() as { context: VuContext }).context,
      sensorLink: [contextOf(children.sensorLink), children.sensorLink?.getSnapshot().value ?? null],
      gnssLink: [contextOf(children.gnssLink), children.gnssLink?.getSnapshot().value ?? null],
      sensor: [contextOf(rig.actor('sensor')), rig.actor('sensor')!.getSnapshot().value],
      egf: [contextOf(rig.actor('egf')), rig.actor('egf')!.getSnapshot().value],
      files: [file('sensor.json'), file('egf.json')],
    };
  }, 3.3);
  const sensorLine = rig.link({ link: 'sensor.vu~vu.sensor' });
  const egfLine = rig.link({ link: 'egf.vu~vu.gnss' });
  try {
    await step(2_000, () => {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
      rig.host.stimulate('vu', 'coupleGnss', {});
      rig.host.stimulate('vu', 'pairSensor', {});
    });
    await step(60_000);
    await step(2_000, () => rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' }));
    await step(2_000, () => rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' }));
    await step(120_000, () => rig.world.vehicle.setSpeed(60));
    await step(45_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'noise' }));
    await step(45_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'garble' }));
    await step(45_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'none' }));
    await step(90_000, () => {
      sensorLine.faults.set({ bitFlipRate: 0.002, dropRate: 0.002 });
      egfLine.faults.set({ bitFlipRate: 0.0005, dropRate: 0.0005 });
    });
    await step(60_000, () => {
      sensorLine.faults.set({ bitFlipRate: 0, dropRate: 0 });
      egfLine.faults.set({ bitFlipRate: 0, dropRate: 0 });
    });
    await step(60_000, () => egfLine.faults.disconnect());
    await step(60_000, () => egfLine.faults.reconnect());
    // 10 s after the last counter check went out: the cut falls inside the next exchanges
    await step(20_010, () => rig.host.stimulate('vu', 'supply', { on: false }));
    await step(30_000, () => rig.host.stimulate('vu', 'supply', { on: true }));
    await step(120_000, () => rig.world.vehicle.setSpeed(0));
    await step(60_000);
    expect(rig.host.errors).toEqual([]);
    const frames = rig.trace.entries.filter((e) => e.kind === 'frame').map((e) => JSON.stringify(e));
    return { states, frames, taken: quickSteps.taken - taken };
  } finally {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('quick steps (issue 18)', () => {
  afterEach(() => {
    quickSteps.enabled = true;
  });

  it('leave the VU, its children, the sensor, the EGF and both lines as XState taking each event does', async () => {
    const machine = await run(false);
    const quick = await run(true);
    // positive controls: paired, coupled, the garbled answers recorded, frames on both lines, quick steps taken
    const last = quick.states.at(-1) as { vu: VuContext };
    expect(last.vu.sensorPairings).toHaveLength(1);
    expect((last as unknown as { files: (string | null)[] }).files.every((f) => f !== null)).toBe(true);
    expect(last.vu.gnssCouplings).toHaveLength(1);
    expect(last.vu.events.records.map((r) => r.type)).toContain(0x11);
    expect(quick.frames.filter((f) => f.includes('"link":"egf.vu~vu.gnss"')).length).toBeGreaterThan(300);
    expect(quick.frames.filter((f) => f.includes('"link":"sensor.vu~vu.sensor"')).length).toBeGreaterThan(300);
    expect(machine.taken).toBe(0);
    expect(quick.taken).toBeGreaterThan(500);
    expect(quick.states).toEqual(machine.states);
    expect(quick.frames).toEqual(machine.frames);
  }, 180_000);

  it('takes a step that applies without the machine, and leaves it the rest', () => {
    let steps = 0;
    const machine = setup({ types: { context: {} as { n: number }, events: {} as { type: 'inc' } | { type: 'other' } } }).createMachine({
      context: { n: 0 },
      on: { inc: { actions: () => void steps++ }, other: { actions: () => void steps++ } },
    });
    const emitted: number[] = [];
    const actor = createActor(withQuickSteps(machine, { inc: (context: { n: number }, _e, out) => (context.n < 2 ? (out.emit({ type: 'out', n: context.n }), { n: context.n + 1 }) : undefined) })).start();
    actor.on('out', (e) => void emitted.push((e as unknown as { n: number }).n));
    actor.send({ type: 'inc' });
    actor.send({ type: 'inc' });
    expect([actor.getSnapshot().context.n, emitted, steps]).toEqual([2, [0, 1], 0]);
    actor.send({ type: 'inc' }); // the step does not apply: the machine's
    actor.send({ type: 'other' });
    expect([actor.getSnapshot().context.n, steps]).toEqual([2, 2]);
  });
});
