import { storedSpeed } from './stored-speed.ts';

/**
 * Over speeding (Annex IC definition and §3.9: event 0x07): the measured speed above the authorised speed
 * set at calibration for more than 60 seconds. Fed once a second with that second's speed; opens the
 * event on the 61st second above the limit, backdated to the first, and closes it on the first second at or
 * below the limit. Keeps the maximum and average speed of the period (VuOverSpeedingEventRecord), each as
 * the App. 1 Speed octet holds it (stored-speed.ts: 255 for 255 km/h or more).
 */
export interface OverSpeedingState {
  /** Start of the first second above the limit in the current run, ms; undefined when not above. */
  aboveSince?: number;
  seconds: number;
  maxKmh: number;
  sumKmh: number;
  /** True once the run has lasted more than 60 s: the event is on. */
  open: boolean;
}

export const OVER_SPEEDING_MIN_SECONDS = 61; // "more than 60 seconds"

export interface OverSpeedingPeriod {
  begin: number;
  end: number;
  maxKmh: number;
  averageKmh: number;
}

export type OverSpeedingOutcome =
  | { kind: 'none' }
  | { kind: 'began'; begin: number }
  | { kind: 'ended'; period: OverSpeedingPeriod };

export function createOverSpeeding(): OverSpeedingState {
  return { seconds: 0, maxKmh: 0, sumKmh: 0, open: false };
}

/** One second of speed ending at `secondEnd` (ms). */
export function sampleSpeed(state: OverSpeedingState, speedKmh: number, limitKmh: number, secondEnd: number): [OverSpeedingState, OverSpeedingOutcome] {
  if (speedKmh > limitKmh) {
    const next: OverSpeedingState = {
      aboveSince: state.aboveSince ?? secondEnd - 1000,
      seconds: state.seconds + 1,
      maxKmh: Math.max(state.maxKmh, speedKmh),
      sumKmh: state.sumKmh + speedKmh,
      open: state.open,
    };
    if (!next.open && next.seconds >= OVER_SPEEDING_MIN_SECONDS) {
      next.open = true;
      return [next, { kind: 'began', begin: next.aboveSince! }];
    }
    return [next, { kind: 'none' }];
  }
  if (state.open) {
    const period = { begin: state.aboveSince!, end: secondEnd - 1000, maxKmh: storedSpeed(state.maxKmh), averageKmh: storedSpeed(state.sumKmh / state.seconds) };
    return [createOverSpeeding(), { kind: 'ended', period }];
  }
  return [createOverSpeeding(), { kind: 'none' }];
}
