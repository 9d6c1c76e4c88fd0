/**
 * The VU's time-measurement function (Annex IC §3.3): its own clock, which runs off the rig's time with an
 * offset and a drift, as a real VU's quartz runs off true time. Stimuli skew it (a time-conflict scenario)
 * or make it drift; adjustments (automatic from GNSS, req. 211 as amended, or by a workshop in calibration
 * mode) set it. Plain data so it persists with the data memory.
 */
export interface VuClock {
  /** Rig time at which the clock was last set. */
  anchorRig: number;
  /** VU time at that instant, ms since the epoch (UTC). */
  anchorVu: number;
  /** Rate error, parts per million: +10 gains 0.864 s a day. */
  driftPpm: number;
}

export function createVuClock(rigNow: number, offsetMs = 0, driftPpm = 0): VuClock {
  return { anchorRig: rigNow, anchorVu: rigNow + offsetMs, driftPpm };
}

/** The VU's time now, ms since the epoch. */
export function vuTime(clock: VuClock, rigNow: number): number {
  return clock.anchorVu + (rigNow - clock.anchorRig) * (1 + clock.driftPpm / 1e6);
}

/** Sets the VU's time to `newVuTime` at rig instant `rigNow` (an adjustment), keeping the drift. */
export function setVuTime(clock: VuClock, rigNow: number, newVuTime: number): VuClock {
  return { anchorRig: rigNow, anchorVu: newVuTime, driftPpm: clock.driftPpm };
}

/** Changes the rate from now on without a jump. */
export function setDrift(clock: VuClock, rigNow: number, driftPpm: number): VuClock {
  return { anchorRig: rigNow, anchorVu: vuTime(clock, rigNow), driftPpm };
}

/** TimeReal (App. 1 §2.162): whole seconds since 1970-01-01 00:00:00 UTC. */
export function timeReal(ms: number): number {
  return Math.floor(ms / 1000);
}
