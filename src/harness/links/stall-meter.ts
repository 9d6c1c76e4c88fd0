import { performance } from 'node:perf_hooks';
// Real time by nature: it measures how late this process gets to run, which rig time cannot see.
import { clearInterval as clearRealInterval, setInterval as setRealInterval } from 'node:timers';
import type { RigClock } from '../clock/index.ts';

/** The window of stalls an OS link's timing tolerance is taken from (LinkEnd.timingToleranceMs), real ms. */
export const TOLERANCE_WINDOW_MS = 2_000;
/** A link's timing allowance (LinkOptions.timingAllowanceMs), or the transport's default; refused when negative. */
export function checkedAllowance(options: { id: string; timingAllowanceMs?: number }, fallback: number): number {
  const ms = options.timingAllowanceMs ?? fallback;
  if (!(ms >= 0)) throw new RangeError(`link ${options.id}: timingAllowanceMs must be >= 0, got ${ms}`);
  return ms;
}

/** Heartbeat period, real ms: a stall is known to this precision. */
export const STALL_METER_PERIOD_MS = 5;
/** A heartbeat later than this counts as a stall; below it the host is taken as responsive. */
const STALL_THRESHOLD_MS = 2;
/** How far back stalls are remembered, real ms. */
const MEMORY_MS = 2_000;
/**
 * A read this soon after a stall ended may be of bytes that waited through it: the heartbeat notes the stall
 * as soon as the process runs again, the read of what waited (a thread-pool round trip) can come a few
 * turns of the event loop later on a loaded host.
 */
const RECENT_MS = 50;

/**
 * How long this process was recently unable to run (a busy host, another process on the core, a GC pause),
 * measured by a heartbeat that notes how late each beat comes. One per process, running while an OS-backed
 * link on the wall clock needs it (`acquire`/`release`).
 *
 * Why: bytes from an OS port are stamped when the process reads them. A read held up by a stall makes a
 * gap on the line look longer than it was, and a receiver judging App. 7 inter-byte times (P1, P4: 20 ms)
 * would refuse a complete frame because of its own host. See {@link ReadStamper}.
 */
export class StallMeter {
  private static shared: StallMeter | undefined;
  private static users = 0;

  /** Stalls, oldest first: the process could not run during [end - length, end] (real ms). */
  private stalls: { end: number; length: number }[] = [];
  private expected = performance.now() + STALL_METER_PERIOD_MS;
  private readonly timer: NodeJS.Timeout;

  private constructor() {
    this.timer = setRealInterval(() => this.beat(), STALL_METER_PERIOD_MS);
    this.timer.unref();
  }

  static acquire(): StallMeter {
    StallMeter.users++;
    return (StallMeter.shared ??= new StallMeter());
  }

  static release(): void {
    if (StallMeter.users === 0) return;
    if (--StallMeter.users === 0) {
      clearRealInterval(StallMeter.shared!.timer);
      StallMeter.shared = undefined;
    }
  }

  /**
   * How long ago (real ms) the process began to be held up, if a stall ended within the last `recentMs`:
   * bytes read now may have been waiting since then. 0 when the process has been running freely.
   */
  heldUpFor(recentMs = RECENT_MS): number {
    const now = performance.now();
    let start = now - this.overdue(now);
    for (let i = this.stalls.length - 1; i >= 0 && this.stalls[i]!.end > now - recentMs; i--) start = Math.min(start, this.stalls[i]!.end - this.stalls[i]!.length);
    return now - start;
  }

  /** The longest stall that ended within the last `windowMs` (real ms); 0 for none. */
  longestStallWithin(windowMs: number): number {
    const now = performance.now();
    const since = now - windowMs;
    let longest = this.overdue(now);
    for (let i = this.stalls.length - 1; i >= 0 && this.stalls[i]!.end > since; i--) longest = Math.max(longest, this.stalls[i]!.length);
    return longest;
  }

  /**
   * A stall still going on as far as the heartbeat knows: its beat is overdue. A read can be handled before
   * the late beat (I/O comes before timers in some turns of the event loop), so it is counted here too.
   */
  private overdue(now: number): number {
    const late = now - this.expected;
    return late > STALL_THRESHOLD_MS ? late + STALL_METER_PERIOD_MS : 0;
  }

  private beat(): void {
    const now = performance.now();
    const late = now - this.expected;
    this.expected = now + STALL_METER_PERIOD_MS;
    // A beat `late` ms late means the process could not run for up to late + one period.
    if (late > STALL_THRESHOLD_MS) this.stalls.push({ end: now, length: late + STALL_METER_PERIOD_MS });
    while (this.stalls.length > 0 && this.stalls[0]!.end < now - MEMORY_MS) this.stalls.shift();
  }
}

/**
 * Stamps what one OS port reads with the earliest rig time it may have arrived: on a wall clock, when the
 * process was held up since the previous read, bytes waiting in the kernel may have come at any moment of
 * the stall, so they are stamped at its start (never before the previous read). A gap the process was awake
 * to see stays a gap: inter-byte checks are exact on a responsive host and lose only what the host's own
 * measured stalls hide. On a virtual clock reads are exact already (settlers hold time): the read time.
 */
export class ReadStamper {
  private lastRead = -Infinity;

  constructor(
    private readonly clock: RigClock,
    private readonly meter: Pick<StallMeter, 'heldUpFor'> | undefined,
  ) {}

  stamp(): number {
    const now = this.clock.now();
    let at = now;
    if (this.meter && this.lastRead > -Infinity) {
      const heldUp = this.meter.heldUpFor();
      // heldUp is wall ms: rig ms on a scaled time base
      if (heldUp > 0) at = Math.max(this.lastRead, now - heldUp * this.clock.scale);
    }
    this.lastRead = now;
    return at;
  }
}
