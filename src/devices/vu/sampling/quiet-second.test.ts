import { describe, expect, it } from 'vitest';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import { vuKind } from '../index.ts';
import { sampleSeconds, type VuContext } from '../vu-machine.ts';
import { quietSecond } from './quiet-second.ts';

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
    let quiet = 0;
    let minutes = 0;
    const declined: number[] = [];
    for (let at = T0 + 4_000; at <= T0 + 4_000 + 8 * 60_000; at += 1000) {
      const full = sampleSeconds(c, [at]);
      const patch = quietSecond(c, at);
      if (patch) {
        expect({ ...c, ...patch }).toEqual(full);
        quiet++;
        if (patch.detailedSpeed) minutes++;
      } else declined.push((at - T0) / 1000);
      c = full;
    }
    // 481 seconds: declined are those with a motion comparison due (every 10 s), an activity minute to resolve
    // (each minute) and the first of the new day (the midnight odometer)
    expect(quiet).toBeGreaterThan(380);
    expect(minutes).toBeGreaterThanOrEqual(6);
    expect(declined).toContain((Date.UTC(2026, 2, 3) - T0) / 1000); // 00:00:00.25 VU time (0.25 s ahead): the day's first sample
    expect(c.midnightOdometers.at(-1)!.day).toBe(Date.UTC(2026, 2, 3));
  });
});
