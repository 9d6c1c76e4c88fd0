import { afterEach, describe, expect, it } from 'vitest';
import { Rig, type RigPlan } from '../../harness/rig/rig-runtime.ts';
import { TestMsca } from '../../crypto/index.ts';
import { motionSensorKind } from '../motion-sensor/index.ts';
import { vuKind } from './index.ts';
import type { VuContext } from './vu-machine.ts';
import { TEST_DRIVER_CARD, testMemoryLink, testWorkshopCard } from './vu-test-rig.ts';
import { steppedRun } from '../../harness/rig/stepped-run.ts';

/**
 * Issue 18: a frame of the sensor link handed over in one `port.rx` (PortSpec.takesFrames, links/whole-frames.ts)
 * leaves the VU and the sensor as one per delivery quantum did. The oracle is the same run with the ports'
 * flag off; the drive has what can come between a frame's groups: the VU's seconds, stimuli, the sensor's
 * noisy and garbled answers, bit flips and drops on the line, a cut, a supply cut.
 */
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const msca = new TestMsca();
const WORKSHOP = testWorkshopCard(msca);
const DRIVER = TEST_DRIVER_CARD;
// as the rig files have them: bytes due within 10 ms delivered together
const link = (a: string, b: string) => testMemoryLink(a, b, { deliveryQuantumMs: 10 });
const plan: RigPlan = {
  name: 'whole-frames',
  clock: 'virtual',
  seed: 5,
  devices: [
    { name: 'vu', kind: vuKind, mode: 'emulated', options: vuKind.options.parse({ cards: { wendy: WORKSHOP, anna: DRIVER } }) },
    { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({}) },
  ],
  links: [link('sensor.pulses', 'vu.pulses'), link('sensor.vu', 'vu.sensor')],
};

/** The VU's and the sensor's contexts after every step, and the `port.rx` events each took on the sensor link. */
async function drive(): Promise<{ contexts: unknown[]; rx: { vu: number; sensor: number } }> {
  const rig = await Rig.start(plan, { start: T0 });
  const rx = { vu: 0, sensor: 0 };
  const vu = rig.actor('vu')!;
  const sensor = rig.actor('sensor')!;
  vu.system.inspect((e: { type: string; event?: { type: string; port?: string }; actorRef?: unknown }) => {
    if (e.type !== '@xstate.event' || e.event?.type !== 'port.rx') return;
    if (e.actorRef === vu && e.event.port === 'sensor') rx.vu++;
  });
  sensor.system.inspect((e: { type: string; event?: { type: string; port?: string }; actorRef?: unknown }) => {
    if (e.type === '@xstate.event' && e.event?.type === 'port.rx' && e.actorRef === sensor && e.event.port === 'vu') rx.sensor++;
  });
  const line = rig.link({ link: 'sensor.vu~vu.sensor' });
  // each act in the middle of its step, where frames are on the line
  const { states: contexts, step } = steppedRun(rig, () => [(vu.getSnapshot() as { context: VuContext }).context, sensor.getSnapshot().context], 3.7);
  try {
    await step(2_000, () => {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
      rig.host.stimulate('vu', 'pairSensor', {});
    });
    await step(60_000, () => rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' }));
    await step(1_500, () => rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' }));
    await step(30_250, () => rig.world.vehicle.setSpeed(50));
    await step(120_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'noise' }));
    await step(60_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'garble' }));
    await step(60_000, () => rig.host.stimulate('sensor', 'fault', { mode: 'none' }));
    await step(90_000, () => line.faults.set({ bitFlipRate: 0.002, dropRate: 0.002 }));
    await step(60_000, () => line.faults.set({ bitFlipRate: 0, dropRate: 0 }));
    await step(120_000, () => line.faults.disconnect());
    await step(30_000, () => line.faults.reconnect());
    await step(120_000, () => rig.host.stimulate('vu', 'supply', { on: false }));
    await step(30_000, () => rig.host.stimulate('vu', 'supply', { on: true }));
    await step(300_000, () => rig.world.vehicle.setSpeed(0));
    await step(200_000);
    expect(rig.host.errors).toEqual([]);
  } finally {
    await rig.close();
  }
  return { contexts, rx };
}

describe('the sensor link, a frame in one delivery (issue 18)', () => {
  const vuFlag = vuKind.ports.sensor!.takesFrames;
  const sensorFlag = motionSensorKind.ports.vu!.takesFrames;
  afterEach(() => {
    vuKind.ports.sensor!.takesFrames = vuFlag;
    motionSensorKind.ports.vu!.takesFrames = sensorFlag;
  });

  it('leaves the VU and the sensor as they were, with fewer events', async () => {
    vuKind.ports.sensor!.takesFrames = false;
    motionSensorKind.ports.vu!.takesFrames = false;
    const oracle = await drive();
    // the VU's port as shipped, and the sensor's as its contract allows (its buffer is the link's deframer,
    // dropped when the VU's next bytes come too late: motion-sensor/machine.ts answerRequests)
    vuKind.ports.sensor!.takesFrames = true;
    motionSensorKind.ports.vu!.takesFrames = true;
    const frames = await drive();
    expect(frames.contexts).toEqual(oracle.contexts);
    // positive control: both took fewer port.rx events, a frame's two or three quanta in one
    expect(oracle.rx.vu).toBeGreaterThan(400);
    expect(frames.rx.vu).toBeLessThan(oracle.rx.vu * 0.6);
    expect(frames.rx.sensor).toBeLessThan(oracle.rx.sensor * 0.6);
  });
});
