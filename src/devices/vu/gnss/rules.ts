import { vuTime } from '../time/vu-clock.ts';
import type { GnssPosition } from '../gnss-link/types.ts';
import { endAbsence, noteNoData, noteNoFix } from './absence.ts';
import { noteAnswering, noteNoAnswer } from './communication.ts';
import { storedPosition } from './positions.ts';
import { endFaults, noteFacilityFault, noteReceiverFault } from './faults.ts';
import { endTamperEpisode, noteAuthenticated, noteAuthFailure, noteCertificateExpired, noteTamper } from './security-events.ts';
import type { GnssRuleContext, GnssRuleResult, VuGnssReport, VuGnssState } from './state.ts';
import { checkTime } from './time-sync.ts';

/**
 * One GNSS report (from the EGF link child or the internal receiver) applied to the VU's GNSS state and event
 * memory. Pure: the VU machine assigns `state`, `events`, `clock` (when given) and appends `adjustments`.
 */
export function onGnssReport(state: VuGnssState, report: VuGnssReport, ctx: GnssRuleContext): GnssRuleResult {
  // An answer from the EGF other than '6690' ends a tamper episode (0x19); silence and '6690' itself do not.
  const s = answeredOtherwise(report) ? endTamperEpisode(state) : state;
  switch (report.type) {
    case 'gnss.position':
      return afterProperAnswer(s, ctx, (t, c) => onPosition(t, report.position, c));
    case 'gnss.noFix':
      return afterProperAnswer(s, ctx, noteNoFix);
    case 'gnss.noData':
      return afterProperAnswer(s, ctx, noteNoData);
    case 'gnss.noAnswer':
      return noteNoAnswer(s, report.durationMs, ctx);
    case 'gnss.answering':
      return noteAnswering(s, ctx);
    case 'gnss.tamper':
      return noteTamper(s, ctx);
    case 'gnss.authFailed':
      return noteAuthFailure(s, report.reason, ctx);
    case 'gnss.authenticated':
      return noteAuthenticated(s, ctx);
    case 'gnss.certificateExpired':
      return noteCertificateExpired(s, report.expiredAt, ctx);
    case 'gnss.facilityFault':
      return noteFacilityFault(s, report.sw, ctx);
    case 'gnss.receiverFault':
      return noteReceiverFault(s, ctx);
  }
}

function answeredOtherwise(report: VuGnssReport): boolean {
  switch (report.type) {
    case 'gnss.tamper':
    case 'gnss.noAnswer':
    case 'gnss.answering':
    case 'gnss.receiverFault':
      return false;
    case 'gnss.authFailed':
      // the VU's own refusal to couple outside calibration mode sends nothing to the EGF
      return report.reason !== 'not-in-calibration';
    default:
      return true;
  }
}

/** A proper answer (the receiver's or the EGF's records read): open 0x36 / 0x37 spans end first (faults.ts). */
function afterProperAnswer(state: VuGnssState, ctx: GnssRuleContext, then: (state: VuGnssState, ctx: GnssRuleContext) => GnssRuleResult): GnssRuleResult {
  const ended = endFaults(state, ctx);
  return then(ended.state, { ...ctx, events: ended.events });
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
