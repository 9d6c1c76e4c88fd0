import { recordInstant } from '../data-memory/event-store.ts';
import type { AuthFailureReason } from '../gnss-link/types.ts';
import { timeReal, vuTime } from '../time/vu-clock.ts';
import type { GnssRuleContext, GnssRuleResult, VuGnssState } from './state.ts';

/**
 * The EGF's security breach attempts (App. 1 '1x'H: 0x19, 0x1A, 0x1B). Annex IC 85: a security breach attempt
 * is triggered "while not in calibration mode" only; GNS_29 and GNS_31 record theirs "as defined in
 * requirement 85". None is recorded in calibration mode, and a condition that lasts past the mode (a breached
 * EGF, a run of failed authentications, an expired certificate) is recorded when the VU next finds it outside.
 */
const nowReal = (ctx: GnssRuleContext) => timeReal(vuTime(ctx.clock, ctx.rigNow));
const unchanged = (state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult => ({ state, events: ctx.events, adjustments: [] });

/**
 * 0x19 tamper detection of GNSS (GNS_29): every request a breached EGF answers '6690' finds it (the link
 * reports each). Choice: one event per episode, which an EGF answering otherwise ends (`endTamperEpisode`);
 * a breached EGF erased its keys for good, so one record, not one per request every T.
 */
export function noteTamper(state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult {
  const base = { ...state, available: false };
  if (ctx.calibrationMode || state.tamperRecorded) return unchanged(base, ctx); // Annex IC 85
  const events = recordInstant(ctx.events, { type: 0x19, at: nowReal(ctx), cards: ctx.cards });
  return { state: { ...base, tamperRecorded: true }, events, adjustments: [] };
}

/** An answer other than '6690' from the EGF ends a tamper episode: the next '6690' is a new one. */
export function endTamperEpisode(state: VuGnssState): VuGnssState {
  return state.tamperRecorded ? { ...state, tamperRecorded: false } : state;
}

/**
 * 0x1A EGF authentication failure (CSM_205..215). Choice: one event per run of failures, until an
 * authentication succeeds (an uncoupled or replaced EGF fails every T; ten such records would push out every
 * other). Choice: a coupling refused because the VU is not in calibration mode (CSM_202) is the VU's own
 * refusal, no failure of the EGF: not recorded. Annex IC 85: nothing in calibration mode, where every
 * coupling takes place (CSM_202), so a coupling that fails (an EGF certified under another root) records
 * nothing; a run that goes on after the mode is left is recorded at its first failure outside it.
 */
export function noteAuthFailure(state: VuGnssState, reason: AuthFailureReason, ctx: GnssRuleContext): GnssRuleResult {
  if (reason === 'not-in-calibration' || ctx.calibrationMode || state.authFailureRecorded) return unchanged(state, ctx);
  const events = recordInstant(ctx.events, { type: 0x1a, at: nowReal(ctx), cards: ctx.cards });
  return { state: { ...state, authFailureRecorded: true }, events, adjustments: [] };
}

export function noteAuthenticated(state: VuGnssState, ctx: GnssRuleContext): GnssRuleResult {
  return unchanged({ ...state, authFailureRecorded: false }, ctx);
}

/**
 * 0x1B EGF certificate expired (GNS_31, CSM_212); positions are still used. Choice: once per certificate
 * (by its expiry date): the link finds it expired at every authentication. Annex IC 85 (GNS_31 records it
 * "as defined in requirement 85"): not in calibration mode; the next authentication outside records it.
 */
export function noteCertificateExpired(state: VuGnssState, expiredAt: number, ctx: GnssRuleContext): GnssRuleResult {
  if (ctx.calibrationMode || state.expiredCertificateRecorded === expiredAt) return unchanged(state, ctx);
  const events = recordInstant(ctx.events, { type: 0x1b, at: nowReal(ctx), cards: ctx.cards });
  return { state: { ...state, expiredCertificateRecorded: expiredAt }, events, adjustments: [] };
}
