import { recordInstant } from '../data-memory/event-store.ts';
import type { AuthFailureReason } from '../gnss-link/types.ts';
import { timeReal, vuTime } from '../time/vu-clock.ts';
import { closeSpan, openSpan } from './spans.ts';
import type { GnssRuleContext, GnssRuleResult, VuGnssState } from './state.ts';

const nowReal = (ctx: GnssRuleContext) => timeReal(vuTime(ctx.clock, ctx.rigNow));

/** 0x19 tamper detection of GNSS (GNS_29): the link reports '6690' once per episode; each report is one event. */
export function noteTamper(state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult {
  const events = recordInstant(ctx.events, { type: 0x19, at: nowReal(ctx), cards: ctx.cards });
  return { state: { ...state, available: false }, events, adjustments: [] };
}

/**
 * 0x1A EGF authentication failure (CSM_206..215). Choice: one event per run of failures, until an
 * authentication succeeds (an uncoupled EGF fails every T; ten such records would push out every other).
 * Choice: a coupling refused because the VU is not in calibration mode (CSM_202) is the VU's own refusal, no
 * failure of the EGF: not recorded.
 */
export function noteAuthFailure(state: VuGnssState, reason: AuthFailureReason, ctx: GnssRuleContext): GnssRuleResult {
  if (reason === 'not-in-calibration' || state.authFailureRecorded) return { state, events: ctx.events, adjustments: [] };
  const events = recordInstant(ctx.events, { type: 0x1a, at: nowReal(ctx), cards: ctx.cards });
  return { state: { ...state, authFailureRecorded: true }, events, adjustments: [] };
}

export function noteAuthenticated(state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult {
  return { state: { ...state, authFailureRecorded: false }, events: ctx.events, adjustments: [] };
}

/**
 * 0x1B EGF certificate expired (GNS_31, CSM_212); positions are still used. Choice: once per certificate
 * (by its expiry date): the link finds it expired at every authentication.
 */
export function noteCertificateExpired(state: VuGnssState, expiredAt: number, ctx: GnssRuleContext): GnssRuleResult {
  if (state.expiredCertificateRecorded === expiredAt) return { state, events: ctx.events, adjustments: [] };
  const events = recordInstant(ctx.events, { type: 0x1b, at: nowReal(ctx), cards: ctx.cards });
  return { state: { ...state, expiredCertificateRecorded: expiredAt }, events, adjustments: [] };
}

/** 0x36 internal GNSS receiver fault (Annex IC 118, GNS_34): a span while the receiver reports it. */
export function noteReceiverFault(state: VuGnssState, on: boolean, ctx: GnssRuleContext): GnssRuleResult {
  if (on) {
    const opened = openSpan(ctx.events, state.receiverFaultEvent, 0x36, nowReal(ctx), ctx.cards);
    return { state: { ...state, receiverFaultEvent: opened.id, available: false }, events: opened.events, adjustments: [] };
  }
  const events = closeSpan(ctx.events, state.receiverFaultEvent, nowReal(ctx), ctx.cards);
  return { state: { ...state, receiverFaultEvent: null }, events, adjustments: [] };
}
