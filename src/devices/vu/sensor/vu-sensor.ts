import type { SensorLinkCommand, SensorLinkReport } from '../sensor-link/types.ts';
import { calibrationAccess, workshopCardNumber, type CalibrationError } from '../calibration/calibration-access.ts';
import { currentMode, slotCards } from '../cards/card-slots.ts';
import { beginSpan, endSpan } from '../data-memory/event-store.ts';
import { timeReal, vuTime } from '../time/vu-clock.ts';
import type { VuContext } from '../vu-machine.ts';
import { sessionAfterEvents } from './link-input.ts';
import { watchPaired, watchSensor, type WatchContext } from './sensor-watch.ts';
import { sampleSpeedJump } from './speed-jump.ts';

/**
 * The VU's motion sensor function over its context: what a pairing command, a pairing, a failed pairing and
 * the child's other reports change in the data memory. Pure: the machine assigns what these return.
 */

function watchContext(context: VuContext, rigNow: number): WatchContext {
  return {
    at: timeReal(vuTime(context.clock, rigNow)),
    cards: slotCards(context.slots),
    calibrationMode: currentMode(context.slots) === 'calibration',
    pulses: context.motion.totalPulses,
    events: context.events,
  };
}

/** CSM_217 steps 1-2: a pairing needs calibration mode; the workshop card's KM-WC go to the child. */
export function pairingCommand(context: VuContext, rigNow: number): { ok: true; command: Extract<SensorLinkCommand, { type: 'sensor.pair' }> } | { ok: false; refused: Partial<VuContext> } {
  const access = calibrationAccess(context.slots);
  const at = timeReal(vuTime(context.clock, rigNow));
  if (!access.ok) {
    const error: CalibrationError = { at, function: 'pairing', reason: access.reason, detail: access.detail, workshopCard: null };
    return { ok: false, refused: { calibrationErrors: [...context.calibrationErrors, error] } };
  }
  const { card } = access;
  return { ok: true, command: { type: 'sensor.pair', workshopCard: { generation: card.generation, kmWc: card.kmwcKeys }, pairingDate: at } };
}

/** CSM_217 done: a VuSensorPairedRecord, the session kept for later, and the sensor conditions start afresh. */
export function keepPairing(context: VuContext, report: Extract<SensorLinkReport, { type: 'sensor.paired' }>, rigNow: number): Partial<VuContext> {
  const { watch, events } = watchPaired(context.sensorWatch, watchContext(context, rigNow));
  return { sensorPairings: [...context.sensorPairings, report.record], sensorSession: report.session, sensorWatch: watch, events };
}

/** CSM_217 step 2 (and later steps): the pairing is aborted with a message to the card holder. */
export function notePairingFailure(context: VuContext, report: Extract<SensorLinkReport, { type: 'sensor.pairingFailed' }>, rigNow: number): Partial<VuContext> {
  const access = calibrationAccess(context.slots);
  const error: CalibrationError = {
    at: timeReal(vuTime(context.clock, rigNow)),
    function: 'pairing',
    reason: report.reason,
    detail: report.detail,
    workshopCard: access.ok ? workshopCardNumber(access.card) : null,
  };
  return { calibrationErrors: [...context.calibrationErrors, error] };
}

/** The child's reports the watch turns into events and faults. */
export const WATCHED_REPORTS = ['sensor.authenticated', 'sensor.counter', 'sensor.authFailed', 'sensor.noAnswer', 'sensor.linkError', 'sensor.securityEvent'] as const;
export type WatchedReport = Extract<SensorLinkReport, { type: (typeof WATCHED_REPORTS)[number] }>;

export function isWatchedReport(event: { type: string }): event is WatchedReport {
  return (WATCHED_REPORTS as readonly string[]).includes(event.type);
}

/** Authentication, counter, silence, link errors and the sensor's own events: Annex IC §3.9. */
export function watchReport(context: VuContext, report: WatchedReport, rigNow: number): Partial<VuContext> {
  const policy = context.options.motionSensor;
  const { watch, events } = watchSensor(context.sensorWatch, report, watchContext(context, rigNow), policy);
  // The child moves its baseline of the sensor's event counts on; the kept session follows it.
  const session = report.type === 'sensor.securityEvent' && context.sensorSession ? sessionAfterEvents(context.sensorSession, report.code, report.occurrences) : context.sensorSession;
  return { sensorWatch: watch, events, sensorSession: session };
}

/**
 * Annex IC 83, second trigger of 0x09: after each one-second sample, the speed-jump rule (speed-jump.ts), on
 * a VU whose options ask for it (`motionSensor.speedJumpCheck`: the rig's world changes speed in steps, see
 * the README); not in calibration mode, judged when the jump is confirmed.
 */
export function watchSpeedJump(context: VuContext, rigNow: number): Partial<VuContext> {
  if (!context.options.motionSensor.speedJumpCheck) return {};
  const ctx = watchContext(context, rigNow);
  const { state, outcome } = sampleSpeedJump(context.sensorWatch.speedJump, context.motion.speedKmh, ctx.at);
  const sensorWatch = { ...context.sensorWatch, speedJump: state };
  if (outcome.kind !== 'jump' || ctx.calibrationMode) return { sensorWatch };
  const opened = beginSpan(ctx.events, { type: 0x09, at: outcome.begin, cards: ctx.cards, now: outcome.end });
  return { sensorWatch, events: endSpan(opened.memory, { id: opened.id, at: outcome.end, cards: ctx.cards }) };
}
