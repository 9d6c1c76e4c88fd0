import { performance } from 'node:perf_hooks';
import type { ClockErrorListener, RigClock, Settler, TimerId } from './rig-clock.ts';
import { checkTimeScale } from './time-base.ts';
import { TimerQueue } from './timer-queue.ts';

export interface WallClockOptions {
  /** Rig time at creation; defaults to the host's UTC time. A scenario may start the rig at a fixed date. */
  start?: number;
  /**
   * Rig ms per wall ms (default 1). A stand-in DUT and the rig testing it may both run faster than the wall,
   * on one time base (time-base.ts); every timer and every reading of the clock follows the factor.
   */
  scale?: number;
}

/**
 * Real time. Rig time runs at wall speed from `start`, measured on the monotonic clock so a host clock
 * step (NTP) does not make rig time jump. This file is the one place in the rig that uses real timers.
 *
 * Scheduled work sits in one {@link TimerQueue} behind a single Node timer armed for the earliest instant,
 * and runs as on the {@link VirtualClock}: in time order, ties in scheduling order, each callback seeing
 * `now()` at the instant it was due. Node's own timers would not do: they keep one list per whole-ms delay
 * and, once several are overdue (a busy host, a GC pause), run them list by list, not in due order (a byte
 * group due at +61 ms ran before one due at +52 ms after a 100 ms stall).
 *
 * Time inside a callback is its due instant, not the moment a busy host got round to it, so a device
 * judges its peer by when bytes were due on the line (App. 7 inter-byte times) and times what it does next
 * from there: after a stall the rig catches up (overdue work runs at once, in order) instead of shifting
 * everything by the stall. `now()` never goes backwards: a callback's instant is raised to the latest time
 * already read, and outside callbacks (I/O, promise continuations) it is the real time.
 */
export class WallClock implements RigClock {
  readonly mode = 'wall' as const;
  readonly scale: number;
  private readonly origin: number;
  private readonly startedAt = performance.now();
  private queue = new TimerQueue();
  private nextId = 1;
  private nextSeq = 0;
  private errorListeners = new Set<ClockErrorListener>();
  private pendingErrors: unknown[] = [];
  /** The due instant of the callback running, if one is. */
  private current: number | undefined;
  /** The latest time `now()` returned. */
  private latest = -Infinity;
  /** The Node timer (or immediate) that will drain the queue, and the instant it is armed for. */
  private armed: { at: number; handle: NodeJS.Timeout | NodeJS.Immediate; immediate: boolean } | undefined;
  private draining = false;

  constructor(options: WallClockOptions = {}) {
    this.origin = options.start ?? Date.now();
    this.scale = checkTimeScale(options.scale ?? 1);
  }

  now(): number {
    const t = this.current ?? this.real();
    if (t > this.latest) this.latest = t;
    return this.latest;
  }

  get pending(): number {
    return this.queue.size;
  }

  schedule(at: number, fn: () => void): TimerId {
    if (Number.isNaN(at)) throw new RangeError('cannot schedule at NaN');
    const id = this.nextId++;
    // Work for a past instant runs now, after what is already due (as on the virtual clock).
    this.queue.push({ id, at: Math.max(at, this.now()), seq: this.nextSeq++, fn });
    if (!this.draining) this.arm();
    return id;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    return this.schedule(this.now() + Math.max(0, ms), fn);
  }

  clearTimeout(id: TimerId): void {
    this.queue.cancel(id);
    if (this.queue.size === 0) this.disarm();
  }

  advance(ms: number): Promise<void> {
    return this.runUntil(this.now() + ms);
  }

  async runUntil(t: number): Promise<void> {
    // Timers may fire a little late; wait again until the target instant has really passed.
    while (this.real() < t) {
      await new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, Math.ceil((t - this.real()) / this.scale))));
    }
    const error = this.pendingErrors.shift();
    if (error !== undefined) throw error;
  }

  addSettler(_settler: Settler): () => void {
    return () => {};
  }

  onError(listener: ClockErrorListener): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  private real(): number {
    return this.origin + (performance.now() - this.startedAt) * this.scale;
  }

  /**
   * Runs what was queued and due when it began, in order. Work scheduled meanwhile, or falling due while
   * this runs (a slow callback), waits for the next turn of the event loop: I/O is read in between, and a
   * callback that schedules itself for its own instant cannot hold the process.
   */
  private drain(): void {
    this.armed = undefined;
    const horizon = this.real();
    const scheduledBefore = this.nextSeq;
    this.draining = true;
    try {
      for (let timer = this.queue.peek(); timer && timer.at <= horizon && timer.seq < scheduledBefore; timer = this.queue.peek()) {
        this.queue.pop();
        this.current = Math.max(timer.at, this.latest);
        try {
          timer.fn();
        } catch (error) {
          if (this.errorListeners.size === 0) this.pendingErrors.push(error);
          for (const listener of this.errorListeners) listener(error);
        } finally {
          this.current = undefined;
        }
      }
    } finally {
      this.draining = false;
      this.arm();
    }
  }

  /** Arms the one Node timer for the earliest queued instant (an immediate when it is already due). */
  private arm(): void {
    const next = this.queue.peek();
    if (!next) return this.disarm();
    if (this.armed && this.armed.at <= next.at) return;
    this.disarm();
    const delay = (next.at - this.real()) / this.scale;
    if (delay <= 0) {
      this.armed = { at: next.at, handle: setImmediate(() => this.drain()), immediate: true };
    } else {
      // Node rounds to whole ms and may fire a little early: a drain that finds nothing due re-arms.
      this.armed = { at: next.at, handle: setTimeout(() => this.drain(), Math.ceil(delay)), immediate: false };
    }
  }

  private disarm(): void {
    if (!this.armed) return;
    if (this.armed.immediate) clearImmediate(this.armed.handle as NodeJS.Immediate);
    else clearTimeout(this.armed.handle as NodeJS.Timeout);
    this.armed = undefined;
  }
}
