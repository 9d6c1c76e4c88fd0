import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ClockReentryError, type ClockErrorListener, type RigClock, type Settler, type TimerId } from './rig-clock.ts';
import { TimerQueue } from './timer-queue.ts';

export interface VirtualClockOptions {
  /** Rig time at creation, ms since the Unix epoch (UTC). */
  start: number;
}

/** Wall time between two yields to Node's event loop during a long advance, so I/O and progress output run. */
const YIELD_EVERY_WALL_MS = 25;

/**
 * Discrete-event clock: `advance` runs every scheduled callback due in the span, in time order (ties in
 * scheduling order), setting `now()` to each callback's instant, and returns without waiting in wall time.
 */
export class VirtualClock implements RigClock {
  readonly mode = 'virtual' as const;
  readonly scale = 1;
  private current: number;
  private queue = new TimerQueue();
  private nextId = 1;
  private nextSeq = 0;
  private settlers = new Set<Settler>();
  private errorListeners = new Set<ClockErrorListener>();
  private idleListeners = new Set<() => void>();
  private running = false;
  private holds = new Map<object, { release: () => void; next: TimerId | undefined }>();

  constructor(options: VirtualClockOptions) {
    if (!Number.isFinite(options.start)) throw new RangeError(`clock start must be a finite time, got ${options.start}`);
    this.current = options.start;
  }

  now(): number {
    return this.current;
  }

  get pending(): number {
    return this.queue.size;
  }

  schedule(at: number, fn: () => void): TimerId {
    if (Number.isNaN(at)) throw new RangeError('cannot schedule at NaN');
    const id = this.nextId++;
    this.queue.push({ id, at: Math.max(at, this.current), seq: this.nextSeq++, fn });
    return id;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    return this.schedule(this.current + Math.max(0, ms), fn);
  }

  clearTimeout(id: TimerId): void {
    this.queue.cancel(id);
  }

  advance(ms: number): Promise<void> {
    if (!(ms >= 0)) return Promise.reject(new RangeError(`advance needs a non-negative span, got ${ms}`));
    return this.runUntil(this.current + ms);
  }

  async runUntil(t: number): Promise<void> {
    if (this.running) throw new ClockReentryError();
    this.running = true;
    let firstError: unknown;
    let lastYield = performance.now();
    const failed = (error: unknown) => {
      if (this.errorListeners.size === 0) firstError ??= error;
      for (const listener of this.errorListeners) listener(error);
    };
    try {
      await this.settle();
      // One callback a turn, in (instant, scheduling) order; everything due at an instant, including work it
      // schedules for the same instant, runs before the clock settles and moves on.
      let inInstant = false;
      for (;;) {
        let next = this.queue.peek();
        // Held work is done before anything but its owner's own next callback (rig-clock.ts hold)
        if (this.holds.size > 0) {
          this.releaseHolds(next !== undefined && next.at <= t ? next.id : undefined, failed);
          next = this.queue.peek();
        }
        if (inInstant && (next === undefined || next.at !== this.current)) {
          inInstant = false;
          if (firstError !== undefined) break;
          await this.settle(failed);
          if (performance.now() - lastYield > YIELD_EVERY_WALL_MS) {
            if (this.holds.size > 0) this.releaseHolds(undefined, failed);
            await yieldToEventLoop();
            await this.settle(failed);
            lastYield = performance.now();
          }
          continue;
        }
        if (!next || next.at > t) break;
        this.current = next.at;
        inInstant = true;
        this.queue.pop();
        if (this.holds.size > 0) this.holds.forEach((hold, owner) => hold.next === next.id && this.holds.delete(owner));
        try {
          next.fn();
        } catch (error) {
          failed(error);
        }
      }
      // Lazy devices catch up at the last instant run, before anyone looks (rig-clock.ts onIdle)
      if (this.holds.size > 0) this.releaseHolds(undefined, failed);
      if (firstError === undefined && this.idleListeners.size > 0) {
        for (const listener of this.idleListeners) {
          try {
            listener();
          } catch (error) {
            failed(error);
          }
        }
        if (firstError === undefined) await this.settle();
      }
      if (firstError === undefined && t > this.current) this.current = t;
    } finally {
      this.running = false;
    }
    if (firstError !== undefined) throw firstError;
  }

  hold(owner: object, release: () => void, next?: TimerId): void {
    this.holds.set(owner, { release, next });
  }

  /** Runs the holds whose owner's next callback is not `next`, each once (a release that holds again waits for the next turn). */
  private releaseHolds(next: TimerId | undefined, failed: (error: unknown) => void): void {
    for (const [owner, hold] of [...this.holds]) {
      if (next !== undefined && hold.next === next) continue;
      if (this.holds.get(owner) !== hold) continue;
      this.holds.delete(owner);
      try {
        hold.release();
      } catch (error) {
        failed(error);
      }
    }
  }

  onIdle(listener: () => void): () => void {
    this.idleListeners.add(listener);
    return () => this.idleListeners.delete(listener);
  }

  addSettler(settler: Settler): () => void {
    this.settlers.add(settler);
    return () => this.settlers.delete(settler);
  }

  onError(listener: ClockErrorListener): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /**
   * Awaits every settler that reports work in flight, until all are idle. Synchronous when all are idle.
   * Held work is done first when one is busy: what comes back from outside may reach the holder's device.
   */
  private async settle(failed?: (error: unknown) => void): Promise<void> {
    for (;;) {
      const busy: Promise<void>[] = [];
      for (const settler of this.settlers) {
        const p = settler();
        if (p) busy.push(p);
      }
      if (busy.length === 0) return;
      if (this.holds.size > 0) this.releaseHolds(undefined, failed ?? (() => {}));
      await Promise.all(busy);
    }
  }
}
