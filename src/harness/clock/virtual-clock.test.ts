import { performance } from 'node:perf_hooks';
import { createActor, setup } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import { ClockReentryError } from './rig-clock.ts';
import { VirtualClock } from './virtual-clock.ts';

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

describe('VirtualClock', () => {
  it('runs scheduled work in time order, ties in scheduling order', async () => {
    const clock = new VirtualClock({ start: T0 });
    const seen: string[] = [];
    clock.schedule(T0 + 30, () => seen.push(`c@${clock.now() - T0}`));
    clock.schedule(T0 + 10, () => seen.push(`a1@${clock.now() - T0}`));
    clock.schedule(T0 + 10, () => seen.push(`a2@${clock.now() - T0}`));
    clock.setTimeout(() => seen.push(`b@${clock.now() - T0}`), 20);
    await clock.advance(25);
    expect(seen).toEqual(['a1@10', 'a2@10', 'b@20']);
    expect(clock.now()).toBe(T0 + 25);
    await clock.runUntil(T0 + 30);
    expect(seen).toEqual(['a1@10', 'a2@10', 'b@20', 'c@30']);
    expect(clock.pending).toBe(0);
  });

  it('runs work scheduled for the current instant in the same advance, after what was already due', async () => {
    const clock = new VirtualClock({ start: T0 });
    const seen: string[] = [];
    clock.schedule(T0 + 5, () => {
      seen.push('first');
      clock.schedule(T0, () => seen.push('clamped-to-now')); // in the past: runs now, not before
    });
    clock.schedule(T0 + 5, () => seen.push('second'));
    await clock.advance(5);
    expect(seen).toEqual(['first', 'second', 'clamped-to-now']);
  });

  it('cancels timers', async () => {
    const clock = new VirtualClock({ start: T0 });
    const seen: number[] = [];
    const id = clock.setTimeout(() => seen.push(1), 10);
    clock.setTimeout(() => seen.push(2), 10);
    clock.clearTimeout(id);
    expect(clock.pending).toBe(1);
    await clock.advance(10);
    expect(seen).toEqual([2]);
  });

  it('advances a year of rig time at once', async () => {
    const clock = new VirtualClock({ start: T0 });
    const yearMs = 365 * 24 * 3600 * 1000;
    let fired = 0;
    const tick = () => {
      fired++;
      clock.setTimeout(tick, 3600_000);
    };
    clock.setTimeout(tick, 3600_000);
    // Real timers frozen: a clock that waited for real time would never get there (speed is a benchmark's job).
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
    try {
      await clock.advance(yearMs);
    } finally {
      vi.useRealTimers();
    }
    expect(fired).toBe(365 * 24);
    expect(clock.now()).toBe(T0 + yearMs);
  });

  it('reports a throwing callback to the error listeners and keeps running', async () => {
    const clock = new VirtualClock({ start: T0 });
    const errors: unknown[] = [];
    clock.onError((e) => errors.push(e));
    const seen: number[] = [];
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 1);
    clock.setTimeout(() => seen.push(2), 2);
    await clock.advance(3);
    expect((errors[0] as Error).message).toBe('boom');
    expect(seen).toEqual([2]);
  });

  it('rejects the advance with a throwing callback when nobody listens', async () => {
    const clock = new VirtualClock({ start: T0 });
    clock.setTimeout(() => {
      throw new Error('unheard');
    }, 1);
    await expect(clock.advance(5)).rejects.toThrow('unheard');
    expect(clock.now()).toBe(T0 + 1);
  });

  it('refuses re-entry from a callback', async () => {
    const clock = new VirtualClock({ start: T0 });
    let inner: unknown;
    clock.setTimeout(() => {
      clock.advance(1).catch((e) => (inner = e));
    }, 1);
    await clock.advance(2);
    expect(inner).toBeInstanceOf(ClockReentryError);
  });

  it('awaits settlers before moving time on', async () => {
    const clock = new VirtualClock({ start: T0 });
    let inFlight = false;
    const arrivals: number[] = [];
    clock.addSettler(() =>
      inFlight
        ? new Promise<void>((resolve) =>
            setTimeout(() => {
              inFlight = false;
              arrivals.push(clock.now() - T0);
              resolve();
            }, 5),
          )
        : undefined,
    );
    clock.setTimeout(() => (inFlight = true), 10);
    await clock.advance(1000);
    expect(arrivals).toEqual([10]);
  });

  it('tells its idle listeners, at the last instant it ran, each time an advance has run its span', async () => {
    const clock = new VirtualClock({ start: T0 });
    const idle: number[] = [];
    const stop = clock.onIdle(() => idle.push(clock.now() - T0));
    clock.schedule(T0 + 700, () => {});
    await clock.advance(1000);
    await clock.advance(500);
    stop();
    await clock.advance(500);
    expect(idle).toEqual([700, 1000]);
  });

  it('drives XState delayed transitions', async () => {
    const clock = new VirtualClock({ start: T0 });
    const machine = setup({ delays: { T: 120_000 } }).createMachine({
      initial: 'idle',
      states: { idle: { after: { T: 'done' } }, done: {} },
    });
    const actor = createActor(machine, { clock }).start();
    await clock.advance(119_999);
    expect(actor.getSnapshot().value).toBe('idle');
    await clock.advance(1);
    expect(actor.getSnapshot().value).toBe('done');
  });

  describe('hold (issue 18: work held back at an instant, done before anything else)', () => {
    it('is released before any callback but its owner\'s next one, at the instant of the last callback run', async () => {
      const clock = new VirtualClock({ start: T0 });
      const seen: string[] = [];
      const owner = {};
      let ring2 = 0;
      clock.schedule(T0 + 10, () => {
        seen.push('ring1');
        clock.hold(owner, () => seen.push(`release@${clock.now() - T0}`), ring2);
      });
      ring2 = clock.schedule(T0 + 20, () => {
        seen.push('ring2');
        clock.hold(owner, () => seen.push(`release2@${clock.now() - T0}`), undefined);
      });
      clock.schedule(T0 + 25, () => seen.push('other@25'));
      await clock.advance(30);
      // ring2 was the owner's own next: the hold passed to it; the other callback released the second hold first
      expect(seen).toEqual(['ring1', 'ring2', 'release2@20', 'other@25']);
    });

    it('is released before another callback, even one due at the same instant', async () => {
      const clock = new VirtualClock({ start: T0 });
      const seen: string[] = [];
      const owner = {};
      const mine = clock.schedule(T0 + 20, () => seen.push('mine'));
      clock.schedule(T0 + 10, () => {
        seen.push('ring');
        clock.hold(owner, () => seen.push(`release@${clock.now() - T0}`), mine);
      });
      clock.schedule(T0 + 10, () => seen.push('other@10'));
      await clock.advance(30);
      expect(seen).toEqual(['ring', 'release@10', 'other@10', 'mine']);
    });

    it('is released when the clock goes idle, before the idle listeners, and when a settler is busy', async () => {
      const clock = new VirtualClock({ start: T0 });
      const seen: string[] = [];
      clock.onIdle(() => seen.push('idle'));
      const owner = {};
      const later = clock.schedule(T0 + 100, () => seen.push('later'));
      clock.schedule(T0 + 10, () => clock.hold(owner, () => seen.push(`release@${clock.now() - T0}`), later));
      await clock.advance(50);
      expect(seen).toEqual(['release@10', 'idle']);
      expect(clock.now()).toBe(T0 + 50);

      let busy: Promise<void> | undefined;
      clock.addSettler(() => busy);
      clock.schedule(T0 + 60, () => {
        clock.hold(owner, () => seen.push(`release@${clock.now() - T0}`), later);
        busy = Promise.resolve().then(() => {
          seen.push('settled');
          busy = undefined;
        });
      });
      await clock.advance(20);
      expect(seen).toEqual(['release@10', 'idle', 'release@60', 'settled', 'idle']);
    });

    it('is replaced by a new hold of the same owner, and released once', async () => {
      const clock = new VirtualClock({ start: T0 });
      const seen: string[] = [];
      const owner = {};
      clock.schedule(T0 + 10, () => {
        clock.hold(owner, () => seen.push('first'));
        clock.hold(owner, () => seen.push('second'));
      });
      clock.schedule(T0 + 20, () => seen.push('other'));
      await clock.advance(30);
      expect(seen).toEqual(['second', 'other']);
    });
  });
});
