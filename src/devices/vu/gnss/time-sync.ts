import { recordInstant } from '../data-memory/event-store.ts';
import type { TimeAdjustmentRecord } from '../time/time-adjustment.ts';
import { setVuTime, timeReal, vuTime } from '../time/vu-clock.ts';
import type { GnssRuleContext, GnssRuleResult, VuGnssState } from './state.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Annex IC 86, App. 12 §6: a discrepancy of more than one minute, in whole seconds (TimeReal). */
export const TIME_CONFLICT_THRESHOLD_S = 60;
/** App. 12 §6: no further time conflict for 12 hours after one. */
export const TIME_CONFLICT_LOCKOUT_MS = 12 * HOUR_MS;
/** App. 12 §6: no time conflict when no valid GNSS signal was detectable in the last 30 days. */
export const GNSS_SEEN_WITHIN_MS = 30 * DAY_MS;
/** req. 211 as amended: the VU clock is readjusted automatically every 12 hours. */
export const AUTOMATIC_ADJUSTMENT_PERIOD_MS = 12 * HOUR_MS;
/**
 * Choice: a periodic (or GNSS-is-back) adjustment moves the clock only when VU and GNSS time differ by at least
 * 2 s. RMC time is whole seconds and up to a receiver period plus a read old when the VU gets it, so a clock
 * that agrees with GNSS reads up to about 1.3 s ahead; setting it on that noise would log an adjustment every
 * 12 hours and at every return of the signal, and move the clock back and forth.
 */
export const ADJUSTMENT_TOLERANCE_MS = 2_000;

/**
 * A valid GNSS time at VU time `vuNow`: the time conflict check (Annex IC 86 as amended, App. 12 §6) and the
 * automatic time adjustment (req. 211 as amended). Called with the state *before* the position is stored:
 * the 30-day rule looks at the fix before this one.
 *
 * - Outside calibration mode, |VU − GNSS| > 60 s (TimeReal) gives one 0x0B with VU time and GNSS time,
 *   with an automatic adjustment; then none for 12 h of GNSS time; none at all if the previous valid fix is
 *   more than 30 days older than this one (or there was none).
 * - Otherwise the clock is readjusted every 12 h from the last check, and at once when valid GNSS time comes
 *   back after it was unavailable (or for the first fix).
 * Choice: in calibration mode there is no automatic adjustment either (the workshop sets the time); the
 * adjustment due is made on the first fix after the mode is left. Choice: the 12-hour periods run on GNSS
 * time, which the adjustments themselves do not move.
 */
export function checkTime(state: VuGnssState, gnssTime: number, ctx: GnssRuleContext): GnssRuleResult {
  if (ctx.calibrationMode) return { state, events: ctx.events, adjustments: [] };
  const vuNow = vuTime(ctx.clock, ctx.rigNow);
  const vuReal = timeReal(vuNow);
  const gnssReal = timeReal(gnssTime);
  const previous = state.lastPosition?.gnssTime ?? null;
  const seenRecently = previous !== null && gnssTime - previous <= GNSS_SEEN_WITHIN_MS;
  const locked = state.conflictLockUntil !== null && gnssTime < state.conflictLockUntil;

  // Annex IC 86, App. 12 §6.
  if (Math.abs(vuReal - gnssReal) > TIME_CONFLICT_THRESHOLD_S && seenRecently && !locked) {
    const events = recordInstant(ctx.events, { type: 0x0b, at: vuReal, cards: ctx.cards, data: { gnssTime: gnssReal } });
    return {
      state: { ...state, conflictLockUntil: gnssTime + TIME_CONFLICT_LOCKOUT_MS, lastAutomaticCheck: gnssTime },
      events,
      clock: setVuTime(ctx.clock, ctx.rigNow, gnssTime),
      adjustments: [automatic(vuReal, gnssReal)],
    };
  }

  // req. 211 as amended.
  const due = !state.available || state.lastAutomaticCheck === null || gnssTime - state.lastAutomaticCheck >= AUTOMATIC_ADJUSTMENT_PERIOD_MS;
  if (!due) return { state, events: ctx.events, adjustments: [] };
  const checked = { ...state, lastAutomaticCheck: gnssTime };
  if (Math.abs(vuNow - gnssTime) < ADJUSTMENT_TOLERANCE_MS) return { state: checked, events: ctx.events, adjustments: [] };
  return { state: checked, events: ctx.events, clock: setVuTime(ctx.clock, ctx.rigNow, gnssTime), adjustments: [automatic(vuReal, gnssReal)] };
}

function automatic(oldTime: number, newTime: number): TimeAdjustmentRecord {
  return { oldTime, newTime, kind: 'automatic' };
}
