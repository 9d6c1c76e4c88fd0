import { describe, expect, it } from 'vitest';
import type { TimerId } from './rig-clock.ts';
import { everyPeriod } from './periodic.ts';
import { VirtualClock } from './virtual-clock.ts';

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

/** A clock whose timers fire `lateBy(at)` ms after their instant, as a loaded host's do; fired by hand. */
function lateClock(lateBy: (at: number) => number) {
  let now = T0;
  const timers = new Map<TimerId, { at: number; fn: () => void }>();
  let id = 0;
  return {
    now: () => now,
    schedule(at: number, fn: () => void): TimerId {
      timers.set(++id, { at, fn });
      return id;
    },
    clearTimeout: (t: TimerId) => void timers.delete(t),
    /** Fires the earliest timer at its instant plus its lateness. */
    fireNext(): number {
      const [key, t] = [...timers].sort((a, b) => a[1].at - b[1].at)[0]!;
      timers.delete(key);
      now = t.at + lateBy(t.at);
      t.fn();
      return now;
    },
    get pending() {
      return timers.size;
    },
  };
}

describe('everyPeriod', () => {
  it('keeps whole periods from its start though each firing comes late (wall clock under load)', () => {
    const clock = lateClock(() => 7);
    const ticks: number[] = [];
    everyPeriod(clock, 1000, () => ticks.push(clock.now() - T0));
    for (let i = 0; i < 5; i++) clock.fireNext();
    // re-arming 1000 ms after each late firing would give 1007, 2014, 3021, 4028, 5035
    expect(ticks).toEqual([1007, 2007, 3007, 4007, 5007]);
  });

  it('skips the periods a stall missed instead of firing them in a burst', () => {
    const clock = lateClock((at) => (at === T0 + 2000 ? 2500 : 0));
    const ticks: number[] = [];
    everyPeriod(clock, 1000, () => ticks.push(clock.now() - T0));
    for (let i = 0; i < 4; i++) clock.fireNext();
    expect(ticks).toEqual([1000, 4500, 5000, 6000]);
  });

  it('on a virtual clock, ticks exactly every period, and stops', async () => {
    const clock = new VirtualClock({ start: T0 });
    const ticks: number[] = [];
    const stop = everyPeriod(clock, 1000, () => ticks.push(clock.now() - T0));
    await clock.advance(3500);
    stop();
    await clock.advance(5000);
    expect(ticks).toEqual([1000, 2000, 3000]);
    expect(clock.pending).toBe(0);
  });

  it('refuses a period that is not more than 0', () => {
    expect(() => everyPeriod(lateClock(() => 0), 0, () => {})).toThrow('a period is more than 0 ms, not 0');
  });
});
