import { timeReal, vuTime } from '../time/vu-clock.ts';
import { closeSpan, openSpan } from './spans.ts';
import type { GnssRuleContext, GnssRuleResult, VuGnssState } from './state.ts';

/** GNS_28: more than 20 consecutive minutes without a response from the coupled EGF. */
export const COMMUNICATION_ERROR_AFTER_MS = 20 * 60_000;

/**
 * 0x0E communication error with the EGF (GNS_28), only when moving and not in calibration mode. `durationMs`
 * is how long requests have gone unanswered (the link's `gnss.noAnswer`). Choice: the span begins at the VU
 * time of the first unanswered request found *beyond* 20 minutes while moving outside calibration mode ("time-
 * stamped at occurrence"), and ends when the EGF answers again, whatever the vehicle does meanwhile.
 */
export function noteNoAnswer(state: VuGnssState, durationMs: number, ctx: GnssRuleContext): GnssRuleResult {
  const base = { ...state, available: false };
  if (state.communicationEvent !== null || durationMs <= COMMUNICATION_ERROR_AFTER_MS || !ctx.moving || ctx.calibrationMode) {
    return { state: base, events: ctx.events, adjustments: [] };
  }
  const opened = openSpan(ctx.events, null, 0x0e, timeReal(vuTime(ctx.clock, ctx.rigNow)), ctx.cards);
  return { state: { ...base, communicationEvent: opened.id }, events: opened.events, adjustments: [] };
}

/** The EGF answers again: the 0x0E span, if any, ends now. */
export function noteAnswering(state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult {
  const events = closeSpan(ctx.events, state.communicationEvent, timeReal(vuTime(ctx.clock, ctx.rigNow)), ctx.cards);
  return { state: { ...state, communicationEvent: null }, events, adjustments: [] };
}
