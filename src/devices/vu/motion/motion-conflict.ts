import { checkGnssDistance, createGnssDistance, type DistanceCheck, type DistanceCheckInput, type GnssDistanceState } from './gnss-distance.ts';

/**
 * Vehicle motion conflict (event 0x0A: Annex IC 26 and 84, App. 12 §8 GNS_42): the speed the VU measures from
 * the motion sensor's pulses, contradicted by the speed of the GNSS receiver (internal or external). A pure
 * rule over plain data: the VU feeds one comparison at a time and records what comes out.
 *
 * Trigger condition 1 (GNS_42): every 10 s at most, |GNSS speed − sensor speed|; over the values of the last
 * 5 minutes of vehicle movement, the trimmed mean (the highest fifth eliminated, the other 80 % averaged); the
 * event when that mean stays above 10 km/h for five uninterrupted minutes of vehicle movement.
 * Trigger condition 3 (GNS_42): the sensor shows no movement while the GNSS shows movement, for a period the
 * manufacturer sets, at most 3 hours.
 * Trigger condition 2 (GNS_42): the distance between two positions 15 minutes apart against the odometer's,
 * allowing for the ferry/train crossings between (gnss-distance.ts); it holds from check to check, so it joins
 * the span here.
 *
 * Choices where the text leaves them open:
 * - Time: durations are the VU's monotonic time (`at`, ms; the machine gives rig time), not its settable clock,
 *   so an automatic time adjustment neither shortens nor stretches them; `stamp` (TimeReal of the VU clock) is
 *   only written into the event record.
 * - "Five uninterrupted minutes" (GNS_42): the trimmed mean is above 10 km/h at every comparison for 5 minutes
 *   of compared movement, i.e. at the first comparison and at one made at least 5 minutes of movement later
 *   (at 10 s comparisons: 31 comparisons in a row). Not the naive "5 minutes after the speeds part": with a
 *   full window of agreement, a difference of d km/h lifts the mean over 10 km/h only once more than
 *   6 + 240 / d of the 30 values show it (the 19th at d = 20: 3 min 10 s), and it stays over it until 12
 *   agreeing values have come in again, so a 20 km/h misreading must last about 6 min 20 s to give the event.
 * - The movement of a comparison (GNS_42): at least one of the two speeds is not zero. A comparison with both
 *   at zero is a stop: it interrupts both triggers and adds no value to the window; the window itself keeps
 *   the last 5 minutes of movement across stops, as the text says ("the last 5 minutes of vehicle movement").
 * - A comparison the VU cannot make (no fresh GNSS speed: "when the position information from the GNSS
 *   receiver is available"; or no supply, "ignition switched on") neither counts nor interrupts: the window and
 *   the runs are measured in compared movement, each comparison counting the time since the previous one, at
 *   most the 10 s period.
 * - Trimming: of n values, floor(n / 5) highest are dropped (30 values at 10 s: the 6 highest), so at least one
 *   is kept. Differences are whole tenths of km/h (the GNSS speed has one decimal, the sensor's is whole km/h),
 *   so the comparison with 10 km/h is exact.
 * - Trigger 3: a comparison where the sensor speed is 0 and the GNSS speed at least 5 km/h (well above the
 *   speed a parked receiver reports from noise) is a discrepancy; 10 minutes of compared movement of it in a
 *   row give the event. (At higher GNSS speeds trigger 1 fires first.)
 * - Span (the Annex IC 117 row "Vehicle motion conflict" keeps the longest per day, with begin and end): it
 *   begins at the stamp of the first comparison of the run that fired (backdated, as trigger 2's text does for
 *   its own), and ends at the first comparison where no trigger holds: the mean at or below 10 km/h and
 *   no standstill discrepancy, or a stop, or calibration mode. Trigger 2 begins at its previous position and
 *   ends at the check where its condition is false again (GNS_42), or at a comparison in calibration mode or
 *   during a crossing; a stop does not end it (its condition is over 15 minutes, not a speed). One 0x0A at a
 *   time, whichever triggers hold: its begin the earliest of theirs. Once a 0x0A ends, trigger 2's next
 *   interval starts at the next position: the discrepancy up to the end is recorded, and a check over an
 *   interval reaching back before it would record it again, backdated over the span that did.
 * - Annex IC 84: none in calibration mode: such a comparison interrupts both triggers and ends an on-going
 *   conflict. So does an open ferry/train crossing (Annex IC 84: "shall not be triggered during a ferry/train
 *   crossing"; motion-conflict-vu.ts).
 */

/** GNS_42: the speeds are compared every 10 seconds at most. */
export const COMPARISON_PERIOD_MS = 10_000;
/** GNS_42: the window holds the values of the last 5 minutes of vehicle movement. */
export const WINDOW_MOVEMENT_MS = 5 * 60_000;
/** GNS_42: the trimmed mean must be above 10 km/h ... */
export const CONFLICT_THRESHOLD_KMH = 10;
/** ... for five uninterrupted minutes of vehicle movement. */
export const CONFLICT_DURATION_MS = 5 * 60_000;
/** GNS_42 trigger 3 (manufacturer's choice): the GNSS shows movement from this speed on. */
export const STANDSTILL_GNSS_MIN_KMH = 5;
/** GNS_42 trigger 3 (manufacturer's choice, at most 3 h): how long the discrepancy lasts before the event. */
export const STANDSTILL_DURATION_MS = 10 * 60_000;

export type ConflictTrigger = 'speed-difference' | 'sensor-standstill' | 'gnss-distance';

/** Since when a trigger's condition has held: compared movement (ms) and the stamp of that comparison. */
export interface RunStart {
  movementMs: number;
  stamp: number;
}

export interface MotionConflictState {
  /** The latest valid GNSS speed and when it arrived (monotonic ms). */
  gnss: { kmh: number; at: number } | null;
  /** Monotonic time of the last comparison (made or not): the next is due a period later. */
  lastComparisonAt: number | null;
  /** Compared movement so far, ms: the time axis of the window and of the runs. */
  movementMs: number;
  /** |GNSS − sensor| of each compared movement in the last 5 minutes of it, tenths of km/h, oldest first. */
  window: { movementMs: number; diffTenths: number }[];
  /** Trigger 1: the trimmed mean has been above 10 km/h at every comparison since. */
  meanAbove: RunStart | null;
  /** Trigger 3: the sensor has shown standstill while the GNSS showed movement at every comparison since. */
  standstill: RunStart | null;
  /** The conflict on-going (an open 0x0A): its begin stamp and what fired it. */
  conflict: { begin: number; trigger: ConflictTrigger } | null;
  /** Trigger 2: the interval's start position, and whether its last check held (gnss-distance.ts). */
  distance: GnssDistanceState;
}

/** One comparison, due every COMPARISON_PERIOD_MS. */
export interface MotionComparison {
  /** Monotonic time, ms: durations are measured on it. */
  at: number;
  /** What the event record says for this instant (TimeReal of the VU clock). */
  stamp: number;
  /** Speed from the motion sensor's pulses, km/h. */
  sensorKmh: number;
  /** Speed from the GNSS, km/h; null when no fresh position is available (see freshGnssSpeed). */
  gnssKmh: number | null;
  /** Annex IC 84: not in calibration mode. */
  calibrationMode: boolean;
}

export type MotionConflictOutcome =
  | { kind: 'none' }
  | { kind: 'began'; begin: number; trigger: ConflictTrigger }
  | { kind: 'ended'; end: number };

export function createMotionConflict(): MotionConflictState {
  return { gnss: null, lastComparisonAt: null, movementMs: 0, window: [], meanAbove: null, standstill: null, conflict: null, distance: createGnssDistance() };
}

/** Keeps the speed of a valid GNSS position as it arrives. */
export function noteGnssSpeed(state: MotionConflictState, kmh: number, at: number): MotionConflictState {
  return { ...state, gnss: { kmh, at } };
}

/** The latest GNSS speed if it arrived at most `maxAgeMs` before `at`, else null (no position information). */
export function freshGnssSpeed(state: MotionConflictState, at: number, maxAgeMs: number): number | null {
  const g = state.gnss;
  return g && at - g.at >= 0 && at - g.at <= maxAgeMs ? g.kmh : null;
}

/**
 * A comparison is due: none yet, or a period since the last. A monotonic time before the last is a restarted
 * timer (a data memory restored into a rig that starts earlier): due at once rather than never.
 */
export function comparisonDue(state: MotionConflictState, at: number): boolean {
  const last = state.lastComparisonAt;
  return last === null || at < last || at - last >= COMPARISON_PERIOD_MS;
}

/** GNS_42: the values left once the highest fifth (floor(n / 5) values) is eliminated, lowest first. */
export function trimmedValues(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b).slice(0, values.length - Math.floor(values.length / 5));
}

/** The trimmed mean of the window, km/h (NaN for an empty window). */
export function trimmedMeanKmh(state: MotionConflictState): number {
  const kept = trimmedValues(state.window.map((v) => v.diffTenths));
  return kept.reduce((a, b) => a + b, 0) / kept.length / 10;
}

/** Feeds one comparison; gives the new state and whether a 0x0A begins or ends at it. */
export function compareMotion(state: MotionConflictState, c: MotionComparison): { state: MotionConflictState; outcome: MotionConflictOutcome } {
  const step = state.lastComparisonAt === null ? COMPARISON_PERIOD_MS : Math.min(Math.max(0, c.at - state.lastComparisonAt), COMPARISON_PERIOD_MS);
  const base = { ...state, lastComparisonAt: c.at };
  // Annex IC 84: not in calibration mode (nor during a crossing): every trigger interrupted
  if (c.calibrationMode) return settle({ ...base, meanAbove: null, standstill: null, distance: { ...state.distance, holds: null } }, c.stamp);
  // GNS_42: a stop interrupts "uninterrupted minutes of vehicle movement"
  if (c.gnssKmh !== null && c.sensorKmh === 0 && c.gnssKmh === 0) return settle({ ...base, meanAbove: null, standstill: null }, c.stamp);
  // GNS_42: compared only when GNSS position information is available; the gap neither counts nor interrupts
  if (c.gnssKmh === null) return { state: base, outcome: { kind: 'none' } };

  const movementMs = state.movementMs + step;
  const diffTenths = Math.round(Math.abs(c.gnssKmh * 10 - c.sensorKmh * 10));
  const window = [...state.window, { movementMs, diffTenths }].filter((v) => v.movementMs > movementMs - WINDOW_MOVEMENT_MS);
  const kept = trimmedValues(window.map((v) => v.diffTenths));
  const above = kept.reduce((a, b) => a + b, 0) > CONFLICT_THRESHOLD_KMH * 10 * kept.length;
  const discrepancy = c.sensorKmh === 0 && c.gnssKmh >= STANDSTILL_GNSS_MIN_KMH;
  return settle(
    {
      ...base,
      movementMs,
      window,
      meanAbove: above ? (state.meanAbove ?? { movementMs, stamp: c.stamp }) : null,
      standstill: discrepancy ? (state.standstill ?? { movementMs, stamp: c.stamp }) : null,
    },
    c.stamp,
  );
}

/**
 * Feeds one position the VU accepted to trigger 2: where a check was due, the 0x0A begins (at the previous
 * position's stamp) or ends (at this one's) as motion-conflict.ts's span says; elsewhere only the interval moves
 * on (a calibration mode or crossing ends a conflict at the next comparison, as for the other triggers).
 */
export function comparePositions(state: MotionConflictState, p: DistanceCheckInput): { state: MotionConflictState; outcome: MotionConflictOutcome; check: DistanceCheck } {
  const check = checkGnssDistance(state.distance, p);
  const next = { ...state, distance: check.state };
  if (!check.checked) return { state: next, outcome: { kind: 'none' }, check };
  const settled = settle(next, p.stamp);
  // an end at this check starts the next interval here, as any check does
  return { state: { ...settled.state, distance: check.state }, outcome: settled.outcome, check };
}

/** Opens the conflict when a trigger's run has lasted long enough, closes it when none holds. */
function settle(state: MotionConflictState, stamp: number): { state: MotionConflictState; outcome: MotionConflictOutcome } {
  const fired: { begin: number; trigger: ConflictTrigger }[] = [];
  if (state.distance.holds) fired.push({ begin: state.distance.holds.begin, trigger: 'gnss-distance' });
  if (state.meanAbove && state.movementMs - state.meanAbove.movementMs >= CONFLICT_DURATION_MS) fired.push({ begin: state.meanAbove.stamp, trigger: 'speed-difference' });
  if (state.standstill && state.movementMs - state.standstill.movementMs >= STANDSTILL_DURATION_MS) fired.push({ begin: state.standstill.stamp, trigger: 'sensor-standstill' });
  if (!state.conflict && fired.length > 0) {
    const first = fired.reduce((a, b) => (b.begin < a.begin ? b : a));
    return { state: { ...state, conflict: first }, outcome: { kind: 'began', ...first } };
  }
  // the discrepancy up to here is recorded: trigger 2's next interval starts at the next position, so it does
  // not record it again, backdated over this span
  if (state.conflict && fired.length === 0) return { state: { ...state, conflict: null, distance: { reference: null, holds: null } }, outcome: { kind: 'ended', end: stamp } };
  return { state, outcome: { kind: 'none' } };
}
