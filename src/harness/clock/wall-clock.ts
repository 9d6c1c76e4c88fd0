import { performance } from 'node:perf_hooks';
import type { ClockErrorListener, RigClock, Settler, TimerId } from './rig-clock.ts';

export interface WallClockOptions {
  /** Rig time at creation; defaults to the host's UTC time. A scenario may start the rig at a fixed date. */
  start?: number;
}

/**
 * Real time. Rig time runs at wall speed from `start`, measured on the monotonic clock so a host clock
 * step (NTP) does not make rig time jump. This file is the one place in the rig that uses real timers.
 */
export class WallClock implements RigClock {
  readonly mode = 'wall' as const;
  private readonly origin: number;
  private readonly startedAt = performance.now();
  private timers = new Map<TimerId, NodeJS.Timeout>();
  private nextId = 1;
  private errorListeners = new Set<ClockErrorListener>();
  private pendingErrors: unknown[] = [];

  constructor(options: WallClockOptions = {}) {
    this.origin = options.start ?? Date.now();
  }

  now(): number {
    return this.origin + (performance.now() - this.startedAt);
  }

  get pending(): number {
    return this.timers.size;
  }

  schedule(at: number, fn: () => void): TimerId {
    const id = this.nextId++;
    const handle = setTimeout(() => {
      this.timers.delete(id);
      try {
        fn();
      } catch (error) {
        if (this.errorListeners.size === 0) this.pendingErrors.push(error);
        for (const listener of this.errorListeners) listener(error);
      }
    }, Math.max(0, at - this.now()));
    this.timers.set(id, handle);
    return id;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    return this.schedule(this.now() + Math.max(0, ms), fn);
  }

  clearTimeout(id: TimerId): void {
    const handle = this.timers.get(id);
    if (handle) clearTimeout(handle);
    this.timers.delete(id);
  }

  advance(ms: number): Promise<void> {
    return this.runUntil(this.now() + ms);
  }

  async runUntil(t: number): Promise<void> {
    // Timers may fire a little late; wait again until the target instant has really passed.
    while (this.now() < t) {
      await new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(t - this.now()))));
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
}
