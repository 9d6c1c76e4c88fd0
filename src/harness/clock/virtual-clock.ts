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
    try {
      await this.settle();
      for (;;) {
        const next = this.queue.peek();
        if (!next || next.at > t) break;
        this.current = next.at;
        // Run everything due at this instant, including work it schedules for the same instant.
        for (let timer = this.queue.peek(); timer && timer.at === this.current; timer = this.queue.peek()) {
          this.queue.pop();
          try {
            timer.fn();
          } catch (error) {
            if (this.errorListeners.size === 0) firstError ??= error;
            for (const listener of this.errorListeners) listener(error);
          }
        }
        if (firstError !== undefined) break;
        await this.settle();
        if (performance.now() - lastYield > YIELD_EVERY_WALL_MS) {
          await yieldToEventLoop();
          await this.settle();
          lastYield = performance.now();
        }
      }
      // Lazy devices catch up at the last instant run, before anyone looks (rig-clock.ts onIdle)
      if (firstError === undefined && this.idleListeners.size > 0) {
        for (const listener of this.idleListeners) {
          try {
            listener();
          } catch (error) {
            if (this.errorListeners.size === 0) firstError ??= error;
            for (const errorListener of this.errorListeners) errorListener(error);
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

  /** Awaits every settler that reports work in flight, until all are idle. Synchronous when all are idle. */
  private async settle(): Promise<void> {
    for (;;) {
      const busy: Promise<void>[] = [];
      for (const settler of this.settlers) {
        const p = settler();
        if (p) busy.push(p);
      }
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }
}
