import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/index.ts';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import { TestMsca } from '../../../crypto/index.ts';
import { motionSensorKind } from '../../motion-sensor/index.ts';
import { vuKind } from '../index.ts';
import type { VuContext } from '../vu-machine.ts';
import { MAX_LATCHED_SECONDS, SecondLatch } from './latched-seconds.ts';
import { TEST_DRIVER_CARD, testMemoryLink, testWorkshopCard } from '../vu-test-rig.ts';
import { steppedRun } from '../../../harness/rig/stepped-run.ts';

/**
 * Issue 18: the VU's seconds latched and sampled in one event give the VU the same data memory, second for
 * second, as one event a second did. The oracle is the VU of before: on a clock without `onIdle` the second
 * timer sends each second as it rings (latched-seconds.ts), so the same run is made both ways and compared.
 */
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const msca = new TestMsca();
const WORKSHOP = testWorkshopCard(msca);
const DRIVER = TEST_DRIVER_CARD;
const link = (a: string, b: string) => testMemoryLink(a, b);
const plan: RigPlan = {
  name: 'latched-seconds',
  clock: 'virtual',
  seed: 3,
  devices: [
    { name: 'vu', kind: vuKind, mode: 'emulated', options: vuKind.options.parse({ cards: { wendy: WORKSHOP, anna: DRIVER } }) },
    { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({}) },
  ],
  links: [link('sensor.pulses', 'vu.pulses'), link('sensor.vu', 'vu.sensor')],
};

/** The VU's context after every step of a drive (stops, over speeding, cards, a selection, a supply cut), and the `vu.second` events it took. */
async function drive(): Promise<{ contexts: VuContext[]; seconds: number }> {
  const rig = await Rig.start(plan, { start: T0 });
  let seconds = 0;
  const vu = rig.actor('vu')!;
  vu.system.inspect((e: { type: string; event?: { type: string }; actorRef?: unknown }) => {
    if (e.type === '@xstate.event' && e.event?.type === 'vu.second' && e.actorRef === vu) seconds++;
  });
  const { states: contexts, step } = steppedRun(rig, () => (vu.getSnapshot() as { context: VuContext }).context, 250);
  try {
    await step(2_000, () => {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
      rig.host.stimulate('vu', 'pairSensor', {});
    });
    await step(60_000, () => rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' }));
    await step(1_500, () => rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' }));
    await step(30_250, () => rig.world.vehicle.setSpeed(50));
    await step(95_700, () => rig.world.vehicle.setSpeed(120)); // above the authorised 90 km/h for 70 s: a 0x07
    await step(70_000, () => rig.world.vehicle.setSpeed(0));
    await step(45_300, () => rig.host.stimulate('vu', 'selectActivity', { slot: 'driver', activity: 'break-rest' })); // Annex IC 49: within 120 s
    await step(150_000, () => rig.world.vehicle.setSpeed(33));
    await step(120_000, () => rig.host.stimulate('vu', 'supply', { on: false }));
    await step(30_000, () => rig.host.stimulate('vu', 'supply', { on: true }));
    await step(300_000, () => rig.world.vehicle.setSpeed(0));
    await step(200_000);
    expect(rig.host.errors).toEqual([]);
  } finally {
    await rig.close();
  }
  return { contexts, seconds };
}

describe('the VU seconds latched and sampled together (issue 18)', () => {
  const onIdle = VirtualClock.prototype.onIdle;
  afterEach(() => {
    VirtualClock.prototype.onIdle = onIdle;
  });

  it('leave the VU in the same state after every step as one event a second, with far fewer events', async () => {
    const lazy = await drive();
    // the VU of before: no onIdle, each second an event as it rings
    (VirtualClock.prototype as { onIdle?: unknown }).onIdle = undefined;
    const eager = await drive();
    const rigSeconds = (2_000 + 60_000 + 1_500 + 30_250 + 95_700 + 70_000 + 45_300 + 150_000 + 120_000 + 30_000 + 300_000 + 200_000) / 1000;
    expect(eager.seconds).toBeGreaterThan(rigSeconds - 90); // the 75 s without supply have no seconds
    expect(lazy.seconds).toBeLessThan(eager.seconds / 5);
    expect(lazy.contexts.map((c) => c.events.records.map((r) => r.type))).toContainEqual(expect.arrayContaining([0x07]));
    expect(lazy.contexts).toEqual(eager.contexts);
  });

  it('hands the instants out in order, once, and takes back those of a failed step before the ones rung since', () => {
    const latch = new SecondLatch();
    [1000, 2000, 3000].forEach((t) => latch.ring(t));
    const taken = latch.take();
    expect([taken, latch.size]).toEqual([[1000, 2000, 3000], 0]);
    latch.ring(4000);
    latch.putBack(taken);
    expect(latch.take()).toEqual([1000, 2000, 3000, 4000]);
    expect(MAX_LATCHED_SECONDS).toBe(3600);
  });
});
