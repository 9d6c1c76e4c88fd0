/**
 * Speed and distance from the motion sensor's pulses (Annex IC §3.5, §3.6): the VU counts pulses on its
 * pulse input and, once a second, turns the count into the speed of that second and the distance so far,
 * using the calibrated characteristic coefficient k (pulses per km). Plain data.
 */
export interface MotionState {
  /** Pulses counted since activation: the odometer is pulses / k. */
  totalPulses: number;
  /** Pulses counted since the last one-second sample. */
  pulsesThisSecond: number;
  /** Speed of the last completed second, km/h. */
  speedKmh: number;
  /** Odometer at activation (a VU fitted to a used vehicle), or at the last calibration, km. */
  odometerOffsetKm: number;
  /** totalPulses when odometerOffsetKm was set: a calibration re-anchors the odometer under its new k. */
  anchorPulses?: number;
}

export function createMotionState(odometerOffsetKm = 0): MotionState {
  return { totalPulses: 0, pulsesThisSecond: 0, speedKmh: 0, odometerOffsetKm };
}

export function countPulses(state: MotionState, pulses: number): MotionState {
  return { ...state, pulsesThisSecond: state.pulsesThisSecond + pulses, totalPulses: state.totalPulses + pulses };
}

/**
 * Closes a one-second sample. Speed is pulses per second over k, in km/h, rounded to the nearest integer
 * as the App. 1 `Speed` type holds whole km/h (a choice: the Annex fixes the range and resolution, 1 km/h,
 * not the rounding).
 */
export function closeSecond(state: MotionState, k: number): MotionState {
  return { ...state, speedKmh: Math.round((state.pulsesThisSecond * 3600) / k), pulsesThisSecond: 0 };
}

/**
 * Annex IC 29: the VU measures distance from 0 to 9 999 999,9 km, and App. 1 §2.113 OdometerShort holds 0 to
 * 9 999 999 km. Past that the odometer rolls over to 0, as an odometer does, so every record keeps a value its
 * type holds (a tampered pulse line can add any distance: a download refused "OdometerShort out of range").
 */
export const ODOMETER_RANGE_KM = 10_000_000;

/** Odometer, km with decimals, 0 up to ODOMETER_RANGE_KM (excluded); the App. 1 `OdometerShort` is its whole part. */
export function odometerKm(state: MotionState, k: number): number {
  return (state.odometerOffsetKm + (state.totalPulses - (state.anchorPulses ?? 0)) / k) % ODOMETER_RANGE_KM;
}

/** The odometer reads `km` from now on, counting on under the k in force from then. */
export function anchorOdometer(state: MotionState, km: number): MotionState {
  return { ...state, odometerOffsetKm: km, anchorPulses: state.totalPulses };
}

export function moving(state: MotionState): boolean {
  return state.speedKmh > 0;
}
