import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../harness/clock/index.ts';
import { Rig, type RigPlan } from '../../harness/rig/rig-runtime.ts';
import { TestMsca } from '../../crypto/index.ts';
import { motionSensorKind } from '../motion-sensor/index.ts';
import { vuKind } from '../vu/index.ts';
import type { VuContext } from '../vu/vu-machine.ts';
import type { EgfContext } from './machine.ts';
import { gnssKind } from './index.ts';
import { ReceiverLatch } from './receiver-latch.ts';
import { TEST_DRIVER_CARD, testMemoryLink, testWorkshopCard } from '../vu/vu-test-rig.ts';
import { steppedRun } from '../../harness/rig/stepped-run.ts';

/**
 * Issue 18: the EGF's receiver readings latched and the latest taken before each event give the EGF (and the
 * VU reading it) the same state as one event a second did. The oracle is the EGF of before: on a clock without
 * `onIdle` every reading is taken as it rings (receiver-latch.ts).
 */
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const msca = new TestMsca();
const cards = { wendy: testWorkshopCard(msca), anna: TEST_DRIVER_CARD };
const link = (a: string, b: string, baud: number) => testMemoryLink(a, b, { baud });
const plan: RigPlan = {
  name: 'receiver-latch',
  clock: 'virtual',
  seed: 7,
  devices: [
    { name: 'vu', kind: vuKind, mode: 'emulated', options: vuKind.options.parse({ identification: { serialNumber: { serialNumber: 2001, monthYear: '0126', manufacturerCode: 0x40 } }, gnss: { receiver: 'external' }, cards }) },
    { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({ serialNumber: { serialNumber: 2001, monthYear: '0126' } }) },
    { name: 'egf', kind: gnssKind, mode: 'emulated', options: gnssKind.options.parse({ testPki: {} }) },
  ],
  links: [link('sensor.pulses', 'vu.pulses', 9600), link('sensor.vu', 'vu.sensor', 9600), link('egf.vu', 'vu.gnss', 115200)],
};

type Seen = { egf: EgfContext; vu: VuContext };

/** Both contexts after every step: coupling, driving, an outage (readings without a fix), the receiver off and on, the sky's time offset. */
async function run(): Promise<{ seen: Seen[]; frames: string[]; samples: number }> {
  const rig = await Rig.start(plan, { start: T0 });
  const egf = rig.actor('egf')!;
  let samples = 0;
  egf.system.inspect((e: { type: string; event?: { type: string }; actorRef?: unknown }) => {
    if (e.type === '@xstate.event' && e.event?.type === 'receiver.sample' && e.actorRef === egf) samples++;
  });
  const { states: seen, step } = steppedRun(rig, () => ({ egf: (egf.getSnapshot() as { context: EgfContext }).context, vu: (rig.actor('vu')!.getSnapshot() as { context: VuContext }).context }) as Seen, 7);
  try {
    await step(2_000, () => {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
      rig.host.stimulate('vu', 'coupleGnss', {});
    });
    await step(60_000);
    await step(2_000, () => rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' }));
    await step(2_000, () => rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' }));
    await step(300_000, () => rig.world.vehicle.setSpeed(70));
    await step(600_000, () => rig.world.gnss.setAvailable(false));
    await step(300_000, () => rig.world.vehicle.setSpeed(0));
    await step(120_000, () => rig.world.gnss.setAvailable(true));
    await step(300_000, () => rig.host.stimulate('egf', 'receiver', { on: false }));
    await step(100_000, () => rig.host.stimulate('egf', 'receiver', { on: true }));
    await step(200_000, () => rig.world.gnss.setTimeOffset(30_000));
    expect(rig.host.errors).toEqual([]);
    return { seen, frames: rig.trace.entries.filter((e) => e.kind === 'frame').map((e) => JSON.stringify(e)), samples };
  } finally {
    await rig.close();
  }
}

describe("the EGF's receiver readings latched (issue 18)", () => {
  const onIdle = VirtualClock.prototype.onIdle;
  afterEach(() => {
    VirtualClock.prototype.onIdle = onIdle;
  });

  it('leave the EGF and the VU as one event a second did, with far fewer events', async () => {
    const lazy = await run();
    (VirtualClock.prototype as { onIdle?: unknown }).onIdle = undefined;
    const eager = await run();
    const last = lazy.seen.at(-1)!;
    // positive controls: coupled, the line busy, the outage's readings without a fix seen by the EGF
    expect(last.vu.gnssCouplings).toHaveLength(1);
    expect(lazy.seen[6]!.egf.lastReceiverData).toBeLessThan(T0 + 966_000 - 250_000);
    expect(lazy.frames.filter((f) => f.includes('"link":"egf.vu~vu.gnss"')).length).toBeGreaterThan(1000);
    expect(eager.samples).toBeGreaterThan(1_500);
    expect(lazy.samples).toBeLessThan(eager.samples / 5);
    expect(lazy.seen).toEqual(eager.seen);
    expect(lazy.frames).toEqual(eager.frames);
  }, 120_000);

  it('keeps the latest reading and the latest with a fix, and gives back what a failed step took', () => {
    const latch = new ReceiverLatch();
    const reading = (at: number, fix: boolean) => ({ at, fix, sentences: { at, rmc: `r${at}`, gsa: [] } });
    latch.ring(reading(1000, true));
    latch.ring(reading(2000, false));
    const taken = latch.take()!;
    expect([taken.reading.at, taken.lastFix, latch.pending]).toEqual([2000, 1000, false]);
    latch.ring(reading(3000, false));
    latch.putBack(taken); // a newer reading rang: it stands
    expect(latch.take()).toEqual({ reading: reading(3000, false), lastFix: null });
    latch.putBack(taken);
    expect(latch.take()).toEqual(taken);
  });
});
