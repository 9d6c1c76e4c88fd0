import { timeReal, vuTime } from '../time/vu-clock.ts';
import { noteNoFix } from './absence.ts';
import { closeSpan, openSpan } from './spans.ts';
import type { GnssRuleContext, GnssRuleResult, VuGnssState } from './state.ts';

/**
 * Recording equipment faults of the GNSS function (App. 1 '3x'H): 0x36 internal GNSS receiver, 0x37 external
 * GNSS facility. Annex IC 88 ("GNSS receiver or external GNSS facility fault", "while not in calibration
 * mode"), found by the self-test of Annex IC 89 ("GNSS facility: proper operation"), which the VU runs at each
 * request for a position (GNS_23: every T). Each is a span: it begins at the first request that finds the
 * fault outside calibration mode and ends at the first proper answer (`endFaults`). A span open when the
 * VU enters calibration mode stays open: the fault is still there.
 */
const nowReal = (ctx: GnssRuleContext) => timeReal(vuTime(ctx.clock, ctx.rigNow));

/**
 * 0x36: the receiver inside the VU failed its self-test at this read. It gives no data either, which counts
 * toward GNS_34's 3 hours without data (0x0D) like a read without a fix.
 */
export function noteReceiverFault(state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult {
  const counted = noteNoFix(state, ctx);
  if (ctx.calibrationMode || state.receiverFaultEvent !== null) return counted; // Annex IC 88
  const opened = openSpan(counted.events, null, 0x36, nowReal(ctx), ctx.cards);
  return { ...counted, state: { ...counted.state, receiverFaultEvent: opened.id }, events: opened.events };
}

/**
 * 0x37: the EGF answered a request with a processing error (`sw`: '6400' or '6500', App. 2 TCS_38/TCS_41/
 * TCS_43 via GNS_21 and GNS_27: a file found corrupted), i.e. it does not operate properly (Annex IC 89).
 */
export function noteFacilityFault(state: VuGnssState, _sw: number, ctx: GnssRuleContext): GnssRuleResult {
  const base = { ...state, available: false };
  if (ctx.calibrationMode || state.facilityFaultEvent !== null) return { state: base, events: ctx.events, adjustments: [] }; // Annex IC 88
  const opened = openSpan(ctx.events, null, 0x37, nowReal(ctx), ctx.cards);
  return { state: { ...base, facilityFaultEvent: opened.id }, events: opened.events, adjustments: [] };
}

/** A proper answer from the receiver or the EGF (a position, no fix, no data): the self-test passes, open faults end now. */
export function endFaults(state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult {
  if (state.receiverFaultEvent === null && state.facilityFaultEvent === null) return { state, events: ctx.events, adjustments: [] };
  const at = nowReal(ctx);
  const events = closeSpan(closeSpan(ctx.events, state.receiverFaultEvent, at, ctx.cards), state.facilityFaultEvent, at, ctx.cards);
  return { state: { ...state, receiverFaultEvent: null, facilityFaultEvent: null }, events, adjustments: [] };
}
