/**
 * The seal's power source (rig-defined model): a charge in percent that drains linearly with rig time and
 * by a fixed amount per uplink transmission. Plain data, so it lives in the machine's context.
 */
export interface BatteryState {
  /** Charge at `at`, percent. */
  percent: number;
  /** Rig time of `percent`. */
  at: number;
  drainPercentPerHour: number;
  drainPercentPerMessage: number;
}

export function chargeAt(b: BatteryState, t: number): number {
  return Math.max(0, b.percent - (b.drainPercentPerHour * Math.max(0, t - b.at)) / 3_600_000);
}

/** The battery after one transmission at t. */
export function afterTransmission(b: BatteryState, t: number): BatteryState {
  return { ...b, percent: Math.max(0, chargeAt(b, t) - b.drainPercentPerMessage), at: t };
}

/** As reported: percent truncated to 0.1, as a fuel gauge shows it (14.98 % is 14.9, never 15.0). */
export function reportedPercent(b: BatteryState, t: number): number {
  return Math.floor(chargeAt(b, t) * 10 + 1e-9) / 10;
}
