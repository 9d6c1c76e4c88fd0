/**
 * A time base shared by two processes whose rig time runs faster than the wall: a stand-in DUT served with
 * `rig serve --time-scale K` and the `rig run` that tests it through the hardware map the server wrote. Both
 * read rig time as
 *
 *     rig time = anchor + (UTC now − anchor) × scale
 *
 * so they agree on the instant without talking to each other, as two wall-clock processes agree through the
 * host's UTC. `scale: 1` is the plain wall clock. A real device under test has no such base: its clock is
 * the wall, and a hardware map of real adapters carries none.
 */
export interface TimeBase {
  /** Rig ms per wall ms. */
  scale: number;
  /** The UTC instant (ms since the epoch) at which rig time equals the wall's. */
  anchor: number;
}

/**
 * The largest factor offered. Past it, a pty's delivery (0.1-1 ms of wall time on an idle host, tens when
 * loaded) becomes a large part of the tachograph protocols' windows (App. 7 P1/P4 20 ms, the answer
 * timeouts 1 s): see README "Scaled time".
 */
export const MAX_TIME_SCALE = 100;

export function checkTimeScale(scale: number): number {
  if (!Number.isFinite(scale) || scale < 1 || scale > MAX_TIME_SCALE) {
    throw new RangeError(`time scale must be a number from 1 to ${MAX_TIME_SCALE}, got ${scale}`);
  }
  return scale;
}

/** Rig time on the base at the UTC instant `utc` (default: now). */
export function rigTimeOn(base: TimeBase, utc: number = Date.now()): number {
  return base.anchor + (utc - base.anchor) * base.scale;
}
