import type { CardSlotsState } from '../cards/card-slots.ts';
import { currentMode, slotCards } from '../cards/card-slots.ts';
import type { EventMemory } from '../data-memory/event-store.ts';
import { closeSpan, openSpan } from '../gnss/spans.ts';
import { timeReal, vuTime, type VuClock } from '../time/vu-clock.ts';
import { ferryTrainMsBetween } from '../specific-conditions/crossing-time.ts';
import type { SpecificConditionsState } from '../specific-conditions/specific-conditions.ts';
import { comparePositions, comparisonDue, compareMotion, freshGnssSpeed, type MotionConflictOutcome, type MotionConflictState } from './motion-conflict.ts';
import { odometerKm, type MotionState } from './motion-state.ts';

/**
 * Choice: a GNSS speed is fresh (GNS_42's "position information from the GNSS receiver is available") while
 * it is at most one request period T (GNS_23, GNS_32) plus this margin old, by the time it arrived: one read
 * may come late by the EGF link's answer time (1 s) and the receiver's 1 s sentence cadence, not go missing.
 */
export const GNSS_SPEED_MARGIN_MS = 2_000;

/** What the VU's motion conflict check reads and writes of its context. */
export interface MotionConflictVu {
  motionConflict: MotionConflictState;
  /** The 0x0A on-going in the event memory, by id. */
  motionConflictEvent: number | null;
  motion: MotionState;
  clock: VuClock;
  slots: CardSlotsState;
  events: EventMemory;
  options: { gnss: { requestPeriodMs: number } };
  /** Annex IC 62: the open FERRY / TRAIN CROSSING, if any, and the crossings' flags (specific-conditions/). */
  specificConditions?: Pick<SpecificConditionsState, 'ferryTrain' | 'records'>;
}

/**
 * Annex IC 84, GNS_42: once a comparison is due (every 10 s), the speed of the last second measured from the
 * pulses against the latest fresh GNSS speed; a 0x0A span begins or ends as motion-conflict.ts says. `rigNow`
 * is the VU's monotonic time; the records carry its clock's time.
 */
export function checkMotionConflict(context: MotionConflictVu, rigNow: number): Partial<Pick<MotionConflictVu, 'motionConflict' | 'motionConflictEvent' | 'events'>> {
  if (!comparisonDue(context.motionConflict, rigNow)) return {};
  const stamp = timeReal(vuTime(context.clock, rigNow));
  const { state, outcome } = compareMotion(context.motionConflict, {
    at: rigNow,
    stamp,
    sensorKmh: context.motion.speedKmh,
    gnssKmh: freshGnssSpeed(context.motionConflict, rigNow, context.options.gnss.requestPeriodMs + GNSS_SPEED_MARGIN_MS),
    // Annex IC 84: none in calibration mode, none "during a ferry/train crossing": both interrupt the triggers
    calibrationMode: currentMode(context.slots) === 'calibration' || !!context.specificConditions?.ferryTrain,
  });
  return recordOutcome(context, state, outcome);
}

/**
 * GNS_42 trigger 2: each position the VU accepts (GeoCoordinates) with the odometer of that moment; every
 * 15 minutes the distance since the previous check against the odometer's (gnss-distance.ts).
 */
export function checkGnssDistanceAt(
  context: MotionConflictVu & { calibration: { k: number } },
  position: { latitude: number; longitude: number },
  rigNow: number,
): Partial<Pick<MotionConflictVu, 'motionConflict' | 'motionConflictEvent' | 'events'>> {
  const conditions = context.specificConditions;
  const { state, outcome } = comparePositions(context.motionConflict, {
    at: rigNow,
    stamp: timeReal(vuTime(context.clock, rigNow)),
    latitude: position.latitude,
    longitude: position.longitude,
    odometerKm: odometerKm(context.motion, context.calibration.k),
    calibrationMode: currentMode(context.slots) === 'calibration',
    crossingOpen: !!conditions?.ferryTrain,
    ferryTrainMs: (from, to) => (conditions ? ferryTrainMsBetween(conditions.records, conditions.ferryTrain?.since ?? null, from * 1000, to * 1000) : 0),
  });
  return recordOutcome(context, state, outcome);
}

/** A 0x0A span opened or closed in the event memory, as the outcome says. */
function recordOutcome(context: MotionConflictVu, state: MotionConflictState, outcome: MotionConflictOutcome): Partial<Pick<MotionConflictVu, 'motionConflict' | 'motionConflictEvent' | 'events'>> {
  const cards = slotCards(context.slots);
  if (outcome.kind === 'began') {
    const opened = openSpan(context.events, context.motionConflictEvent, 0x0a, outcome.begin, cards);
    return { motionConflict: state, motionConflictEvent: opened.id, events: opened.events };
  }
  if (outcome.kind === 'ended') {
    return { motionConflict: state, motionConflictEvent: null, events: closeSpan(context.events, context.motionConflictEvent, outcome.end, cards) };
  }
  return { motionConflict: state };
}
