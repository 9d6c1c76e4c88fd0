/**
 * How far the sensor believes the vehicle has gone: the world's exact distance, or a misreading of it (the
 * `speedFactor` stimulus: a manipulated gearbox pick-up, wrong wheel, a device that scales the signal). Both
 * the pulse line and the authenticated counter (instruction 80) are computed from this one distance, so they
 * agree with each other (no 0x09) while disagreeing with the GNSS (0x0A).
 *
 * Choice: a factor on speed rather than an offset in km/h. A factor keeps the sensed distance an exact
 * function of the world's distance, however its speed changes (the sensor cannot see the world's speed
 * segments, and an offset would need clamping at 0 km/h segment by segment); 0 is a sensor that sees a
 * moving vehicle stand still.
 */
export interface SensingState {
  /** Sensed speed over true speed since `anchorWorldM`: 1 measures truly. */
  factor: number;
  /** The world's distance (m) when the factor was last set. */
  anchorWorldM: number;
  /** The sensed distance (m) at that moment. */
  baseM: number;
}

/** A sensor measuring truly: the sensed distance is the world's, bit for bit. */
export function trueSensing(): SensingState {
  return { factor: 1, anchorWorldM: 0, baseM: 0 };
}

/**
 * The sensed distance (m) when the world's is `worldM`: base + factor × (world − anchor). Computed afresh from
 * the world's distance each time, never summed per frame, and non-decreasing in `worldM`, so the cumulative
 * pulse count never steps back.
 */
export function sensedDistance(state: SensingState, worldM: number): number {
  return state.baseM + state.factor * (worldM - state.anchorWorldM);
}

/** From the world's distance `worldM` on, the sensor reads `factor` times the true speed; continuous at the change. */
export function setSpeedFactor(state: SensingState, factor: number, worldM: number): SensingState {
  if (!(factor >= 0) || !Number.isFinite(factor)) throw new RangeError(`speed factor must be a non-negative number, got ${factor}`);
  return { factor, anchorWorldM: worldM, baseM: sensedDistance(state, worldM) };
}
