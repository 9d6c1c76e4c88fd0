/**
 * The pulse output, as pure accounting. The sensor's cumulative pulse count at rig time t is
 * floor(distance_m(t) * k / 1000): computed afresh from the world's exact distance each time, never summed
 * from rounded steps, so no pulse is lost or invented however the frames fall.
 */

/**
 * floor(distance_m * k / 1000). Distance is a float integral of km/h over ms; a product that is an integer
 * in exact arithmetic can come out one ulp short, so a relative nudge of 1e-12 (a micrometre at 1 000 km)
 * keeps it from flooring to the pulse below.
 */
export function cumulativePulses(distanceM: number, k: number): number {
  const exact = (distanceM * k) / 1000;
  return Math.floor(exact + Math.abs(exact) * 1e-12 + 1e-9);
}

/** A tampered pulse line (the `pulseTamper` stimulus): the authenticated counter is never affected. */
export type PulseTamper =
  | { mode: 'none' }
  /** Adds pulsesPerSecond on the line from `since` (rig ms); `injected` so far. */
  | { mode: 'inject'; pulsesPerSecond: number; since: number; injected: number }
  /** Withholds this fraction (0..1] of true pulses counted from `fromTrue`; `suppressed` so far. */
  | { mode: 'suppress'; fraction: number; fromTrue: number; suppressed: number };

export interface PulseLineState {
  /** True pulses accounted for in frames so far. */
  trueSent: number;
  /** Pulses put on the line so far (true ± tampering). */
  lineSent: number;
  tamper: PulseTamper;
}

export function initialPulseLine(trueAtStart: number): PulseLineState {
  return { trueSent: trueAtStart, lineSent: 0, tamper: { mode: 'none' } };
}

/** Pulses to put on the line now, given the true cumulative count now. */
export function pulseStep(state: PulseLineState, trueTotal: number, now: number): { state: PulseLineState; count: number } {
  const trueDelta = Math.max(0, trueTotal - state.trueSent);
  let count = trueDelta;
  let tamper = state.tamper;
  if (tamper.mode === 'inject') {
    const due = Math.floor((tamper.pulsesPerSecond * Math.max(0, now - tamper.since)) / 1000);
    count += due - tamper.injected;
    tamper = { ...tamper, injected: due };
  } else if (tamper.mode === 'suppress') {
    const due = Math.floor((trueTotal - tamper.fromTrue) * tamper.fraction);
    count -= due - tamper.suppressed;
    tamper = { ...tamper, suppressed: due };
  }
  count = Math.max(0, count);
  return { state: { trueSent: state.trueSent + trueDelta, lineSent: state.lineSent + count, tamper }, count };
}

/** Starts, changes or ends tampering at rig time `now`, with the true count so far. */
export function setTamper(
  state: PulseLineState,
  change: { mode: 'none' } | { mode: 'inject'; pulsesPerSecond: number } | { mode: 'suppress'; fraction: number },
  now: number,
): PulseLineState {
  switch (change.mode) {
    case 'none':
      return { ...state, tamper: { mode: 'none' } };
    case 'inject':
      return { ...state, tamper: { mode: 'inject', pulsesPerSecond: change.pulsesPerSecond, since: now, injected: 0 } };
    case 'suppress':
      return { ...state, tamper: { mode: 'suppress', fraction: change.fraction, fromTrue: state.trueSent, suppressed: 0 } };
  }
}
