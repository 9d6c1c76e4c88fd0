import { describe, expect, it } from 'vitest';
import { createActor, setup, sendParent, type AnyStateMachine } from 'xstate';
import { Rig, type RigPlan } from '../../harness/rig/rig-runtime.ts';
import { TestMsca } from '../../crypto/index.ts';
import { gnssKind } from '../gnss/index.ts';
import { motionSensorKind } from '../motion-sensor/index.ts';
import { routedChildLines, withoutChildLines } from './child-lines.ts';
import { vuKind } from './index.ts';
import type { VuContext } from './vu-machine.ts';
import { TEST_DRIVER_CARD, testMemoryLink, testWorkshopCard } from './vu-test-rig.ts';
import { steppedRun } from '../../harness/rig/stepped-run.ts';

/**
 * Issue 18: the sensor and EGF lines' bytes routed around the VU's own steps (child-lines.ts) give the same
 * run as the machine taking each of them: the same data memory after every step and the same frames on every
 * line, at the same instants. The oracle is the same VU machine without its routes.
 */
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const msca = new TestMsca();
const cards = { wendy: testWorkshopCard(msca), anna: TEST_DRIVER_CARD };
const link = (a: string, b: string, baud: number) => testMemoryLink(a, b, { baud });

function plan(routed: boolean): RigPlan {
  const vu = routed ? vuKind : { ...vuKind, machine: (d: Parameters<typeof vuKind.machine>[0]) => ({ machine: withoutChildLines(vuKind.machine(d).machine) }) };
  return {
    name: 'child-lines',
    clock: 'virtual',
    seed: 5,
    devices: [
      {
        name: 'vu',
        kind: vu,
        mode: 'emulated',
        options: vuKind.options.parse({ identification: { serialNumber: { serialNumber: 2001, monthYear: '0126', manufacturerCode: 0x40 } }, gnss: { receiver: 'external' }, cards }),
      },
      { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({ serialNumber: { serialNumber: 2001, monthYear: '0126' } }) },
      { name: 'egf', kind: gnssKind, mode: 'emulated', options: gnssKind.options.parse({ testPki: {} }) },
    ],
    links: [link('sensor.pulses', 'vu.pulses', 9600), link('sensor.vu', 'vu.sensor', 9600), link('egf.vu', 'vu.gnss', 115200)],
  };
}

/** The VU's context after every step (pairing, coupling, driving, a garbling sensor, a supply cut inside exchanges) and every frame of the trace. */
async function run(routed: boolean): Promise<{ contexts: VuContext[]; frames: string[] }> {
  const rig = await Rig.start(plan(routed), { start: T0 });
  const { states: contexts, step } = steppedRun(rig, () => (rig.actor('vu')!.getSnapshot() as { context: VuContext }).context, 3);
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
    await step(45_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'garble' }));
    await step(45_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'none' }));
    // 10 s after the last counter check went out: the cut falls inside the next exchanges
    await step(20_010, () => rig.host.stimulate('vu', 'supply', { on: false }));
    await step(30_000, () => rig.host.stimulate('vu', 'supply', { on: true }));
    await step(120_000, () => rig.world.vehicle.setSpeed(0));
    expect(rig.host.errors).toEqual([]);
    const frames = rig.trace.entries.filter((e) => e.kind === 'frame').map((e) => JSON.stringify(e));
    return { contexts, frames };
  } finally {
    await rig.close();
  }
}

describe('the sensor and EGF lines routed around the VU machine (issue 18)', () => {
  it('leave the VU and every line as the machine taking each byte event does', async () => {
    const routed = await run(true);
    const machine = await run(false);
    const last = routed.contexts.at(-1)!;
    // positive controls: paired, coupled, the garbled answers seen, the supply cut recorded, frames on both lines
    expect(last.sensorPairings).toHaveLength(1);
    expect(last.gnssCouplings).toHaveLength(1);
    expect(last.events.records.map((r) => r.type)).toEqual([0x11, 0x08]); // the garbled answers (sensor authentication failure), the supply cut
    expect(routed.frames.length).toBeGreaterThan(500);
    expect(routed.frames.filter((f) => f.includes('"link":"egf.vu~vu.gnss"')).length).toBeGreaterThan(100);
    expect(routed.contexts).toEqual(machine.contexts);
    expect(routed.frames).toEqual(machine.frames);
  }, 120_000);

  it('hands a routed line to the child without a step of the parent, and leaves the parent its other events', () => {
    const child = setup({ types: { events: {} as { type: 'x.rx'; bytes: Uint8Array } } }).createMachine({
      on: { 'x.rx': { actions: sendParent(({ event }) => ({ type: 'x.tx', bytes: Uint8Array.from(event.bytes, (b) => b + 1) })) } },
    });
    let steps = 0;
    const parent = setup({ actors: { child } }).createMachine({
      context: { steps: 0 },
      initial: 'on',
      states: {
        on: { invoke: { id: 'x', src: 'child' }, on: { off: 'off' } },
        off: {},
      },
      on: { '*': { actions: () => steps++ } },
    }) as AnyStateMachine;
    const actor = createActor(routedChildLines(parent, [{ port: 'p', child: 'x', rx: 'x.rx', tx: 'x.tx' }])).start();
    const sent: number[][] = [];
    actor.on('port.tx', (e: { port: string; bytes: Uint8Array }) => sent.push([...e.bytes]));
    steps = 0;
    actor.send({ type: 'port.rx', port: 'p', bytes: Uint8Array.of(1, 2) });
    expect([sent, steps]).toEqual([[[2, 3]], 0]);
    actor.send({ type: 'port.rx', port: 'q', bytes: Uint8Array.of(1) }); // another port: the machine's
    expect(steps).toBe(1);
    actor.send({ type: 'off' });
    actor.send({ type: 'port.rx', port: 'p', bytes: Uint8Array.of(1) }); // the child stopped: the machine's
    expect([sent.length, steps]).toEqual([1, 2]);
  });
});
