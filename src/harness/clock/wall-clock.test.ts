import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { WallClock } from './wall-clock.ts';

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

/** Holds the event loop, as a busy host or a GC pause does. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('WallClock', () => {
  // Issue 12: Node keeps one timer list per whole-ms delay and runs overdue lists one after the other, so
  // after a stall a timer due at +61 ms ran before one due at +52 ms, and a link delivered bytes out of order.
  it('runs overdue work in due order after a stall, each callback at its due instant', async () => {
    const clock = new WallClock({ start: T0 });
    const seen: { name: string; due: number; at: number }[] = [];
    const at = (name: string, ms: number) => {
      const due = clock.now() + ms;
      clock.schedule(due, () => seen.push({ name, due, at: clock.now() }));
    };
    at('a', 10);
    at('b', 52);
    stall(51);
    at('c', 10); // due at about +61: the same delay as a, a later instant than b
    at('d', 5); // due at about +56
    const lastRead = clock.now();
    stall(100);
    // A real timer, not the clock: reading the clock now would raise its time (see the next test).
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen.map((s) => s.name)).toEqual(['a', 'b', 'd', 'c']);
    // Each at its due instant; one due before the clock was last read, at that reading (time never goes back).
    for (const s of seen) expect(s.at).toBe(Math.max(s.due, lastRead));
    expect(seen.filter((s) => s.due > lastRead).length).toBeGreaterThanOrEqual(2);
  });

  it('runs work due at the same instant in scheduling order, then what callbacks schedule for that instant', async () => {
    const clock = new WallClock({ start: T0 });
    const due = clock.now() + 5;
    const seen: string[] = [];
    clock.schedule(due, () => {
      seen.push('first');
      clock.schedule(due - 3, () => seen.push('scheduled in the past: runs next, at the instant it was asked from'));
    });
    clock.schedule(due, () => seen.push('second'));
    // Real time: a loaded host may run the queue's next turn later than 20 ms; the order is what is checked
    for (let i = 0; i < 100 && seen.length < 3; i++) await clock.advance(20);
    expect(seen).toEqual(['first', 'second', 'scheduled in the past: runs next, at the instant it was asked from']);
  });

  it('never lets now() go backwards, inside or outside callbacks', async () => {
    const clock = new WallClock({ start: T0 });
    const readings: number[] = [];
    const due = clock.now() + 5;
    clock.schedule(due, () => readings.push(clock.now()));
    stall(20);
    readings.push(clock.now()); // real time, later than the overdue callback's instant
    await clock.advance(1);
    // The callback ran after the reading: its instant is raised to it rather than going back.
    expect(readings[0]).toBeGreaterThan(due + 15);
    expect(readings[1]).toBeGreaterThanOrEqual(readings[0]!);
  });

  it('cancels timers and counts what is pending', async () => {
    const clock = new WallClock({ start: T0 });
    const seen: number[] = [];
    const id = clock.setTimeout(() => seen.push(1), 5);
    clock.setTimeout(() => seen.push(2), 5);
    expect(clock.pending).toBe(2);
    clock.clearTimeout(id);
    expect(clock.pending).toBe(1);
    await clock.advance(15);
    expect(seen).toEqual([2]);
    expect(clock.pending).toBe(0);
  });

  it('lets I/O run between callbacks that keep scheduling themselves for their own instant', async () => {
    const clock = new WallClock({ start: T0 });
    let turns = 0;
    let stop = false;
    const again = () => {
      turns++;
      if (!stop) clock.setTimeout(again, 0);
    };
    clock.setTimeout(again, 0);
    await nextTurn(); // would never resolve if the clock ran the chain in one go
    await new Promise((resolve) => setTimeout(resolve, 5));
    stop = true;
    expect(turns).toBeGreaterThan(0);
    await clock.advance(5);
  });

  it('reports a throwing callback to the error listeners and keeps running; without listeners, advance rejects', async () => {
    const clock = new WallClock({ start: T0 });
    const errors: string[] = [];
    const off = clock.onError((e) => errors.push((e as Error).message));
    const seen: number[] = [];
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 1);
    clock.setTimeout(() => seen.push(2), 2);
    await clock.advance(10);
    expect(errors).toEqual(['boom']);
    expect(seen).toEqual([2]);
    off();
    clock.setTimeout(() => {
      throw new Error('unheard');
    }, 1);
    await expect(clock.advance(10)).rejects.toThrow('unheard');
  });

  // A stand-in DUT and the rig testing it on one scaled time base (time-base.ts): rig time runs K× the wall,
  // and so does every timer, or 20 minutes of EGF silence would still take 20 minutes.
  it('runs rig time and its timers K times faster than the wall on a scaled clock', async () => {
    const wall0 = performance.now();
    const clock = new WallClock({ start: T0, scale: 20 });
    expect(clock.scale).toBe(20);
    let fired: { at: number; wall: number } | undefined;
    clock.setTimeout(() => (fired = { at: clock.now(), wall: performance.now() - wall0 }), 2000); // 100 ms of wall time
    await clock.advance(2400);
    const rig = clock.now() - T0;
    const wall = performance.now() - wall0;
    // rig time is 20× the wall time elapsed, however loaded the host (both are read off the same counter)
    expect(rig / wall).toBeGreaterThan(19);
    expect(rig / wall).toBeLessThanOrEqual(20);
    expect(rig).toBeGreaterThanOrEqual(2400);
    // the timer ran at its rig instant, which came after 1/20 of its delay in wall time, not before
    expect(fired!.at - T0).toBeGreaterThanOrEqual(2000);
    expect(fired!.wall).toBeGreaterThanOrEqual(2000 / 20 - 1);
  });

  it('refuses a scale it cannot keep: below 1 or above the largest offered', () => {
    expect(() => new WallClock({ start: T0, scale: 0.5 })).toThrow('time scale must be a number from 1 to 100, got 0.5');
    expect(() => new WallClock({ start: T0, scale: 101 })).toThrow('got 101');
    expect(new WallClock({ start: T0 }).scale).toBe(1);
  });
});
