import { vuTime } from '../time/vu-clock.ts';
import type { GnssPosition } from '../gnss-link/types.ts';
import { endAbsence, noteNoData, noteNoFix } from './absence.ts';
import { noteAnswering, noteNoAnswer } from './communication.ts';
import { storedPosition } from './positions.ts';
import { noteAuthenticated, noteAuthFailure, noteCertificateExpired, noteReceiverFault, noteTamper } from './security-events.ts';
import type { GnssRuleContext, GnssRuleResult, VuGnssReport, VuGnssState } from './state.ts';
import { checkTime } from './time-sync.ts';

/**
 * One GNSS report (from the EGF link child or the internal receiver) applied to the VU's GNSS state and event
 * memory. Pure: the VU machine assigns `state`, `events`, `clock` (when given) and appends `adjustments`.
 */
export function onGnssReport(state: VuGnssState, report: VuGnssReport, ctx: GnssRuleContext): GnssRuleResult {
  switch (report.type) {
    case 'gnss.position':
      return onPosition(state, report.position, ctx);
    case 'gnss.noFix':
      return noteNoFix(state, ctx);
    case 'gnss.noData':
      return noteNoData(state, ctx);
    case 'gnss.noAnswer':
      return noteNoAnswer(state, report.durationMs, ctx);
    case 'gnss.answering':
      return noteAnswering(state, ctx);
    case 'gnss.tamper':
      return noteTamper(state, ctx);
    case 'gnss.authFailed':
      return noteAuthFailure(state, report.reason, ctx);
    case 'gnss.authenticated':
      return noteAuthenticated(state, ctx);
    case 'gnss.certificateExpired':
      return noteCertificateExpired(state, report.expiredAt, ctx);
    case 'gnss.receiverFault':
      return noteReceiverFault(state, report.on, ctx);
  }
}

/** A valid position (GNS_23 step 5): time check and adjustment first (they need the previous fix), then it ends an absence and is kept. */
function onPosition(state: VuGnssState, position: GnssPosition, ctx: GnssRuleContext): GnssRuleResult {
  // Record 01 keeps the receiver's last sentence until GNS_30's 3 hours are up: an RMC no newer than the last one
  // is the receiver repeating itself, not its time now. Judging the clock against it would raise a time
  // conflict (and set the clock back) while the receiver is silent; it is neither a fix nor a time source.
  if (state.lastPosition && position.time <= state.lastPosition.gnssTime) return { state, events: ctx.events, adjustments: [] };
  const timed = checkTime(state, position.time, ctx);
  const clock = timed.clock ?? ctx.clock;
  const after = { ...ctx, clock, events: timed.events };
  const ended = endAbsence(timed.state, after);
  const kept: VuGnssState = { ...ended.state, available: true, lastPosition: storedPosition(position, vuTime(clock, ctx.rigNow)) };
  return { state: kept, events: ended.events, ...(timed.clock ? { clock: timed.clock } : {}), adjustments: timed.adjustments };
}
