import { describe, expect, it } from 'vitest';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import { vuKind } from '../index.ts';
import { sampleSeconds, type VuContext, type VuEvent } from '../vu-machine.ts';
import { quietRun, quietSecond } from './quiet-second.ts';
import type { Latched } from './latched-seconds.ts';

/** Issue 18: the closed form of a parked second against the full one-second sample, second by second. */
// the comparisons every 10 s fall at :06, :16, ... (from the first sample at T0 + 1 s), not on a minute's first second
const T0 = Date.UTC(2026, 2, 2, 23, 57, 15);
const DRIVER = { type: 'driver', issuingMemberState: 'B', cardNumber: 'B000000012345601', holder: { surname: 'PEETERS', firstNames: 'Anna' }, validity: { begin: '2025-01-01', expiry: '2030-12-31' } };
const plan: RigPlan = {
  name: 'quiet-second',
  clock: 'virtual',
  seed: 1,
  devices: [{ name: 'vu', kind: vuKind, mode: 'emulated', options: vuKind.options.parse({ cards: { anna: DRIVER }, cardsAtStart: { driver: 'anna' }, clock: { offsetMs: 250 } }) }],
  links: [],
};

describe('a quiet second (issue 18)', () => {
  it('gives the parked VU what the full sample gives, at every second across minutes and midnight, and declines the seconds that change more', async () => {
    const rig = await Rig.start(plan, { start: T0 });
    let c: VuContext;
    try {
      await rig.clock.advance(3_000);
      c = (rig.actor('vu')!.getSnapshot() as { context: VuContext }).context;
    } finally {
      await rig.close();
    }
    const start = c;
    const instants: number[] = [];
    let quiet = 0;
    let minutes = 0;
    let comparisons = 0;
    const declined: number[] = [];
    for (let at = T0 + 4_000; at <= T0 + 4_000 + 8 * 60_000; at += 1000) {
      instants.push(at);
      const full = sampleSeconds(c, [at]);
      const patch = quietSecond(c, at);
      if (patch) {
        expect({ ...c, ...patch }).toEqual(full);
        quiet++;
        if (patch.detailedSpeed) minutes++;
        if (patch.motionConflict) comparisons++;
      } else declined.push((at - T0) / 1000);
      c = full;
    }
    // 481 seconds: declined are those with an activity minute to resolve (each minute) and the first of the new
    // day (the midnight odometer); the motion comparison due every 10 s is made in the quiet second
    expect(quiet).toBeGreaterThan(465);
    expect(minutes).toBeGreaterThanOrEqual(6);
    expect(comparisons).toBeGreaterThanOrEqual(46);
    expect(declined).toContain((Date.UTC(2026, 2, 3) - T0) / 1000); // 00:00:00.25 VU time (0.25 s ahead): the day's first sample
    expect(c.midnightOdometers.at(-1)!.day).toBe(Date.UTC(2026, 2, 3));
    // the same seconds latched together: runs of quiet seconds taken whole (quietRun), the rest one by one
    expect(quietRun({ ...start }, instants, 1, () => ({})).end).toBeGreaterThan(2);
    expect(sampleSeconds(start, instants)).toEqual(c);
  });

  it('takes a run of quiet seconds with the events latched in it as each second and event one by one', async () => {
    const rig = await Rig.start(plan, { start: T0 });
    let start: VuContext;
    try {
      await rig.clock.advance(3_000);
      start = (rig.actor('vu')!.getSnapshot() as { context: VuContext }).context;
    } finally {
      await rig.close();
    }
    // a counter report 400 ms after each tenth second, a read of the internal receiver (no fix) 700 ms after
    // each twentieth, and one with a fix whose time sets the VU's clock 90 s back (Annex IC 211)
    const latched: Latched[] = [];
    const latch = (at: number, event: VuEvent): Latched => ({ at, event });
    for (let at = T0 + 4_000; at <= T0 + 4_000 + 8 * 60_000; at += 1000) {
      latched.push(at);
      const s = (at - T0) / 1000;
      if (s % 10 === 0) latched.push(latch(at + 400, { type: 'sensor.counter', value: s * 8 }));
      if (s % 20 === 0) latched.push(latch(at + 700, { type: 'vu.gnssRead', reading: { type: 'gnss.noFix', time: at } }));
      if (s === 300) latched.push(latch(at + 700, { type: 'vu.gnssRead', reading: { type: 'gnss.position', position: { time: at - 90_000, latitude: 50510, longitude: 4211, speedKmh: 0, hdop: 0.9 } } }));
    }
    const chain = [start];
    for (const item of latched) chain.push(sampleSeconds(chain.at(-1)!, [item]));
    // positive controls: the reports and reads were taken, the clock was set
    const c = chain.at(-1)!;
    expect(c.sensorWatch.last?.counter).toBe(480 * 8);
    expect(c.timeAdjustments.length).toBe(1);
    // batches ending anywhere: every 7th item, and right after the read that set the clock
    const set = latched.findIndex((item) => typeof item !== 'number' && (item.event as VuEvent & { reading?: { type: string } }).reading?.type === 'gnss.position') + 1;
    const ends = [...Array.from({ length: Math.floor(latched.length / 7) }, (_, k) => 7 * (k + 1)), set, latched.length];
    for (const end of ends) expect([end, sampleSeconds(start, latched.slice(0, end))]).toEqual([end, chain[end]]);
  });
});
