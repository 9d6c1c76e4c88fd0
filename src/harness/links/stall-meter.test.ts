import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { ReadStamper, StallMeter } from './stall-meter.ts';

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

describe('StallMeter', () => {
  it('notices the process held up, and for how long', async () => {
    const meter = StallMeter.acquire();
    try {
      await new Promise((r) => setTimeout(r, 20));
      const until = performance.now() + 60;
      while (performance.now() < until) {
        // the process cannot run anything else
      }
      await nextTurn(); // the heartbeat comes first, as it does before a read
      expect(meter.heldUpFor()).toBeGreaterThanOrEqual(60);
      expect(meter.longestStallWithin(1000)).toBeGreaterThanOrEqual(60);
    } finally {
      StallMeter.release();
    }
  });
});

describe('ReadStamper', () => {
  const setUp = () => {
    const clock = new VirtualClock({ start: T0 });
    const meter = { heldUp: 0, heldUpFor() { return this.heldUp; } };
    return { clock, meter, stamper: new ReadStamper(clock, meter) };
  };

  it('stamps a read at the time it is made while the process runs freely', async () => {
    const { clock, stamper } = setUp();
    expect(stamper.stamp()).toBe(T0);
    await clock.advance(30);
    expect(stamper.stamp()).toBe(T0 + 30);
  });

  it('after a stall, stamps a read at its start: the bytes may have waited through it, never before the previous read', async () => {
    const { clock, meter, stamper } = setUp();
    stamper.stamp();
    await clock.advance(50);
    meter.heldUp = 40; // held up for the last 40 ms
    expect(stamper.stamp()).toBe(T0 + 10);
    await clock.advance(10);
    meter.heldUp = 100; // a stall longer than the time since the previous read
    expect(stamper.stamp()).toBe(T0 + 50);
  });

  it('on a scaled time base, takes a stall of wall ms as that many times more rig ms', async () => {
    const base = new VirtualClock({ start: T0 });
    const clock = Object.assign(Object.create(base) as VirtualClock, { scale: 10, now: () => base.now() });
    const meter = { heldUp: 0, heldUpFor() { return this.heldUp; } };
    const stamper = new ReadStamper(clock, meter);
    stamper.stamp();
    await base.advance(500);
    meter.heldUp = 20; // 20 ms of wall time held up: 200 ms of rig time at 10×
    expect(stamper.stamp()).toBe(T0 + 300);
  });

  it('stamps the read time without a meter (a virtual clock: reads are exact)', async () => {
    const clock = new VirtualClock({ start: T0 });
    const stamper = new ReadStamper(clock, undefined);
    stamper.stamp();
    await clock.advance(25);
    expect(stamper.stamp()).toBe(T0 + 25);
  });
});
