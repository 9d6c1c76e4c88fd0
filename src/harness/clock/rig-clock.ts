/**
 * The rig clock: the only source of device time in the rig.
 *
 * Rig time is milliseconds since the Unix epoch, UTC. It may carry a fraction of a millisecond, because
 * byte pacing on a link computes arrival times exactly from bit counts (10 bits at 9600 baud is 1.0417 ms).
 *
 * Two implementations: {@link VirtualClock} (a discrete-event queue that jumps from event to event) and
 * {@link WallClock} (real timers). Devices, links, scenario steps and retention windows take a RigClock and
 * never read `Date.now()` or call `setTimeout` themselves, so the same code runs in CI and on a bench.
 *
 * The interface is a superset of XState's `Clock`, so `createActor(machine, { clock })` runs an actor on it.
 */
export type TimerId = number;

/**
 * A settler tells the virtual clock that work outside the clock (bytes in a pty, a broker round trip) is
 * still in flight at the current instant. The clock awaits the returned promise before it moves time on,
 * so real I/O is observed at the rig time it was started. Return undefined when idle.
 */
export type Settler = () => Promise<void> | undefined;

export type ClockErrorListener = (error: unknown) => void;

export interface RigClock {
  readonly mode: 'virtual' | 'wall';
  /**
   * Rig ms per wall ms on a wall clock: 1, unless the rig runs on a scaled time base (time-base.ts). Wall
   * durations measured outside the clock (this process's stalls, an OS port's latency) are rig durations
   * times this. 1 on the virtual clock, where wall time does not enter rig time at all.
   */
  readonly scale: number;
  /** Rig time now, ms since the Unix epoch (UTC). */
  now(): number;
  /** Runs `fn` at rig time `at` (at once, in order, if `at` is not in the future). */
  schedule(at: number, fn: () => void): TimerId;
  /** XState's Clock: runs `fn` after `ms` of rig time. */
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
  /** Lets `ms` of rig time pass. Virtual: returns as soon as the events in that span have run. */
  advance(ms: number): Promise<void>;
  /** Lets rig time reach `t`. */
  runUntil(t: number): Promise<void>;
  /** Registers a settler (see {@link Settler}); returns its removal. A wall clock ignores settlers. */
  addSettler(settler: Settler): () => void;
  /**
   * Errors thrown by scheduled work are caught so one failing callback does not stop the rig; they go to
   * these listeners. With no listener, `advance`/`runUntil` rejects with the first such error.
   */
  onError(listener: ClockErrorListener): () => void;
  /**
   * Virtual clock only: `listener` runs each time `advance`/`runUntil` has run everything due in its span,
   * before it returns, so a device that takes its periodic work lazily (the VU's latched seconds, issue 18)
   * brings its state up to date for whoever looks next. Returns its removal.
   */
  onIdle?(listener: () => void): () => void;
  /**
   * Virtual clock only: work `owner` holds back at the current instant (bytes a link has not yet handed to
   * their receiver, links/whole-frames.ts) and must do before anything else happens. `release` runs before the
   * next scheduled callback other than `next` (the owner's own next one: it takes the hold over when it runs),
   * and before the clock awaits a busy settler, yields to Node's event loop or goes idle, always at the instant
   * of the last callback run. One hold per owner; a new one replaces it.
   */
  hold?(owner: object, release: () => void, next?: TimerId): void;
  /** Number of scheduled callbacks not yet run. */
  readonly pending: number;
}

export class ClockReentryError extends Error {
  constructor() {
    super('advance()/runUntil() called from inside a scheduled callback; schedule the work instead');
    this.name = 'ClockReentryError';
  }
}
