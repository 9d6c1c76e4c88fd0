import { timeReal, vuTime } from '../time/vu-clock.ts';
import { closeSpan, openSpan } from './spans.ts';
import type { GnssRuleContext, GnssRuleResult, VuGnssState } from './state.ts';

/** GNS_30, GNS_34: more than 3 consecutive hours without data from the receiver. */
export const NO_DATA_LIMIT_MS = 3 * 3_600_000;

/**
 * 0x0D absence of position information (GNS_30 for an EGF, GNS_34 for the internal receiver), recorded only
 * when the vehicle is moving and the VU is not in calibration mode. Choice: it is a span (the Annex IC 117
 * row keeps the longest per day): it begins with the first no-data report that finds the vehicle moving
 * outside calibration mode, and ends with the next valid position.
 */
export function noteNoData(state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult {
  const base = { ...state, available: false };
  if (state.absenceEvent !== null || !ctx.moving || ctx.calibrationMode) return { state: base, events: ctx.events, adjustments: [] };
  const opened = openSpan(ctx.events, null, 0x0d, timeReal(vuTime(ctx.clock, ctx.rigNow)), ctx.cards);
  return { state: { ...base, absenceEvent: opened.id }, events: opened.events, adjustments: [] };
}

/**
 * RMC status V. From the EGF, the EGF itself counts the 3 hours (GNS_30, record 01 as 12 × FF); from the
 * internal receiver the VU counts them (GNS_34), on its own clock. Choice: the 3 hours are elapsed time since
 * the first report without a fix, not accumulated driving.
 */
export function noteNoFix(state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult {
  const now = vuTime(ctx.clock, ctx.rigNow);
  const since = state.noFixSince ?? now;
  const base = { ...state, available: false, noFixSince: since };
  if (state.source === 'internal' && now - since > NO_DATA_LIMIT_MS) return noteNoData(base, ctx);
  return { state: base, events: ctx.events, adjustments: [] };
}

/** A valid position ends an absence (0x0D). */
export function endAbsence(state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult {
  const events = closeSpan(ctx.events, state.absenceEvent, timeReal(vuTime(ctx.clock, ctx.rigNow)), ctx.cards);
  return { state: { ...state, absenceEvent: null, noFixSince: null }, events, adjustments: [] };
}
