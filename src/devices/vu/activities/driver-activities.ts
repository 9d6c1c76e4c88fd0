import { countMinute, createAccumulatedDriving, type AccumulatedDriving } from './accumulated-driving.ts';
import {
  SLOTS,
  type Activity,
  type ActivityChangeInfo,
  type CardKind,
  type CardStatus,
  type DrivingStatus,
  type ManualActivity,
  type Slot,
} from './activity.ts';
import { longestActivity, MINUTE_MS, minuteActivity, piecesInMinute, type ActivitySpan } from './minute-rules.ts';

/**
 * The VU's driver-activity function (Annex IC §3.4, driving status §3.5) and the activity data it
 * records (Annex IC 105), as plain data and pure functions: the VU machine keeps an {@link ActivityState}
 * in its context and replaces it from its actions. Times are the VU's own time, ms since the epoch (UTC).
 *
 * Each slot's activity and card are kept at second resolution; a minute is resolved into the recorded
 * ActivityChangeInfo words once nothing can change it any more: its successor must be complete (Annex IC
 * 51 looks ahead one minute) and no BREAK/REST or AVAILABILITY selection may still be backdated into it
 * or its successor (Annex IC 49). So a minute is recorded between one and three minutes after it ends.
 */

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;
/** Annex IC 49 (as amended by Reg. (EU) 2018/502): the backdating window after the automatic WORK. */
const BACKDATE_WINDOW_MS = 120_000;

/** A stretch of one slot's history: the activity and the card in the slot from `from` on. */
export interface SlotSpan extends ActivitySpan {
  card: CardKind | null;
}

/** The status one ActivityChangeInfo word carries, without slot and time. */
export interface RecordedStatus {
  activity: Activity;
  cardStatus: CardStatus;
  drivingStatus: DrivingStatus;
}

export interface SlotActivity {
  /**
   * History from the first unresolved minute on, sorted by `from`; the first span starts at or before
   * that minute and the last one is in force now.
   */
  spans: SlotSpan[];
  /** Rule-52 activity of the last resolved minute: Annex IC 51 looks back at it. */
  previousLongest: Activity | null;
  /** The status of the last resolved minute, to record a word only on a change (Annex IC 105). */
  recorded: RecordedStatus | null;
}

/** The accumulated driving time reached a multiple of three hours (Annex IC 108). */
export interface AccumulatedDrivingMark {
  /** The accumulated DRIVING minutes reached: 180, 360, ... */
  minutes: number;
  /** The instant it was reached: the end of the minute that completed it. */
  at: number;
}

export interface ActivityState {
  /** The latest instant applied, whole seconds. */
  now: number;
  /** Annex IC 24, as the VU's motion function reports it. */
  moving: boolean;
  slots: Record<Slot, SlotActivity>;
  /** Start of the first minute not yet resolved. */
  nextMinute: number;
  /** Annex IC 49: when the vehicle stopped, while the first change after the automatic WORK may be backdated to it. */
  stoppedAt: number | null;
  accumulatedDriving: AccumulatedDriving;
  /** Multiples of three hours reached and not yet taken (see {@link takeAccumulatedDrivingMarks}). */
  marks: AccumulatedDrivingMark[];
  /**
   * Recorded ActivityChangeInfo words per UTC day (key `YYYY-MM-DD`), both slots, chronological, the
   * driver's word before the co-driver's within a minute. Each day starts with both slots' status at 00:00.
   */
  days: Record<string, ActivityChangeInfo[]>;
}

/**
 * The function as at activation, at `t`, vehicle stopped, both slots without a card in `activity`
 * (BREAK/REST unless told). It is taken to have been so since 00:00 of that day, so the day's record
 * starts at 00:00 as every day's does (App. 1 §2.171).
 */
export function createActivityState(t: number, options: { activity?: ManualActivity } = {}): ActivityState {
  const now = wholeSecond(t);
  const dayStart = floorTo(now, DAY_MS);
  const activity = options.activity ?? 'break-rest';
  const slot = (): SlotActivity => ({ spans: [{ from: dayStart, activity, card: null }], previousLongest: null, recorded: null });
  const state: ActivityState = {
    now,
    moving: false,
    slots: { driver: slot(), 'co-driver': slot() },
    nextMinute: dayStart,
    stoppedAt: null,
    accumulatedDriving: createAccumulatedDriving(),
    marks: [],
    days: {},
  };
  return resolveMinutes(state, now);
}

/** Time passes: resolves the minutes that can no longer change. Call it every second or so. */
export function tick(state: ActivityState, t: number): ActivityState {
  return advance(state, t);
}

/** The vehicle starts moving (Annex IC 24). */
export function vehicleMoving(state: ActivityState, t: number): ActivityState {
  let s = advance(state, t);
  if (s.moving) return s;
  // a move is a change of activity, so it ends the Annex IC 49 window unused
  s = { ...s, moving: true, stoppedAt: null };
  s = setActivity(s, 'driver', 'driving'); // Annex IC 47
  s = setActivity(s, 'co-driver', 'availability'); // Annex IC 47
  return resolveMinutes(s, s.now);
}

/** The vehicle stops (Annex IC 24). */
export function vehicleStopped(state: ActivityState, t: number): ActivityState {
  let s = advance(state, t);
  if (!s.moving) return s;
  s = setActivity({ ...s, moving: false }, 'driver', 'work'); // Annex IC 48
  return { ...s, stoppedAt: s.now }; // Annex IC 49: the window opens
}

/**
 * A driver selects an activity by hand (Annex IC 46). While the vehicle moves the driver slot's
 * selection is refused (Annex IC 47 keeps it DRIVING); the co-driver's is taken.
 */
export function selectActivity(state: ActivityState, slot: Slot, activity: ManualActivity, t: number): ActivityState {
  if ((activity as Activity) === 'driving') throw new RangeError('DRIVING cannot be selected by hand (Annex IC 46)');
  let s = advance(state, t);
  if (slot === 'driver' && s.moving) return s;
  if (currentActivity(s, slot) === activity) return s;
  if (slot === 'driver' && s.stoppedAt !== null) {
    const stoppedAt = s.stoppedAt;
    s = { ...s, stoppedAt: null }; // only the first change after the automatic WORK qualifies
    // Annex IC 49: a first change to BREAK/REST or AVAILABILITY within 120 s counts from the stop
    if (activity === 'break-rest' || activity === 'availability') s = backdate(s, 'driver', stoppedAt, activity);
    else s = setActivity(s, slot, activity);
  } else {
    s = setActivity(s, slot, activity);
  }
  return resolveMinutes(s, s.now);
}

/** A valid driver or workshop card is inserted in `slot` (Annex IC 105: card status INSERTED). */
export function cardInserted(state: ActivityState, slot: Slot, t: number, kind: CardKind = 'driver'): ActivityState {
  const s = advance(state, t);
  return setCard(s, slot, kind);
}

/** The card in `slot` is withdrawn (Annex IC 105: card status NOT INSERTED). */
export function cardWithdrawn(state: ActivityState, slot: Slot, t: number): ActivityState {
  const s = advance(state, t);
  return setCard(s, slot, null);
}

export function currentActivity(state: ActivityState, slot: Slot): Activity {
  return lastSpan(state.slots[slot]).activity;
}

export function currentCard(state: ActivityState, slot: Slot): CardKind | null {
  return lastSpan(state.slots[slot]).card;
}

/** Annex IC 55: CREW when two driver cards are inserted, SINGLE in any other case. */
export function drivingStatus(state: ActivityState): DrivingStatus {
  return crewOf(currentCard(state, 'driver'), currentCard(state, 'co-driver'));
}

/** The recorded ActivityChangeInfo words of the UTC day containing `day` (ms); empty for a day without records. */
export function dailyActivityChanges(state: ActivityState, day: number): ActivityChangeInfo[] {
  return state.days[dayKey(floorTo(day, DAY_MS))] ?? [];
}

/**
 * The state as it would be if nothing changed from `t` on, with every minute up to the one containing
 * `t` resolved (an open Annex IC 49 window taken as unused). For reading, e.g. a download at `t`; keep
 * the original state, not this one.
 */
export function settled(state: ActivityState, t: number): ActivityState {
  const s = advance(state, t);
  return resolveMinutes({ ...s, stoppedAt: null }, floorTo(s.now, MINUTE_MS) + 2 * MINUTE_MS);
}

/** Hands out the multiples of three hours reached since the last call, and forgets them. */
export function takeAccumulatedDrivingMarks(state: ActivityState): { state: ActivityState; marks: AccumulatedDrivingMark[] } {
  if (state.marks.length === 0) return { state, marks: [] };
  return { state: { ...state, marks: [] }, marks: state.marks };
}

/**
 * Moves time to `t` (whole seconds: the function's resolution). An instant before the latest one is
 * taken as the latest: a VU clock set back does not rewrite the activity history.
 */
function advance(state: ActivityState, t: number): ActivityState {
  const now = Math.max(wholeSecond(t), state.now);
  let s = now === state.now ? state : { ...state, now };
  if (s.stoppedAt !== null && now - s.stoppedAt >= BACKDATE_WINDOW_MS) s = { ...s, stoppedAt: null }; // Annex IC 49
  return resolveMinutes(s, now);
}

/** Whether minute `m` can be resolved once time has reached `limit`. */
function resolvable(state: ActivityState, m: number, limit: number): boolean {
  const after = m + 2 * MINUTE_MS; // Annex IC 51 needs the whole next minute
  return limit >= after && (state.stoppedAt === null || state.stoppedAt >= after);
}

/** Resolves every minute that is final by `limit` into recorded words (copy on write). */
function resolveMinutes(state: ActivityState, limit: number): ActivityState {
  if (!resolvable(state, state.nextMinute, limit)) return state;
  const slots = { driver: copySlot(state.slots.driver), 'co-driver': copySlot(state.slots['co-driver']) };
  const days = { ...state.days };
  const copiedDays = new Set<string>();
  const marks = [...state.marks];
  let accumulated = state.accumulatedDriving;
  let m = state.nextMinute;
  for (; resolvable(state, m, limit); m += MINUTE_MS) {
    const dayStart = floorTo(m, DAY_MS);
    const key = dayKey(dayStart);
    const end = m + MINUTE_MS;
    // card and driving status of a minute: as at its end, so a change is dated to the minute it happened in
    const crew = crewOf(spanAt(slots.driver.spans, end).card, spanAt(slots['co-driver'].spans, end).card);
    for (const slot of SLOTS) {
      const s = slots[slot];
      const own = longestActivity(piecesInMinute(s.spans, m));
      const activity = minuteActivity(s.previousLongest, own, longestActivity(piecesInMinute(s.spans, end)));
      const status: RecordedStatus = { activity, cardStatus: spanAt(s.spans, end).card ? 'inserted' : 'not-inserted', drivingStatus: crew };
      // Annex IC 105: a word on every change; App. 1 §2.171: both slots' status at 00:00 every day
      if (m === dayStart || !sameStatus(s.recorded, status)) {
        if (!copiedDays.has(key)) {
          days[key] = [...(days[key] ?? [])];
          copiedDays.add(key);
        }
        days[key]!.push({ slot, ...status, minute: (m - dayStart) / MINUTE_MS });
      }
      s.previousLongest = own;
      s.recorded = status;
      if (slot === 'driver') {
        const counted = countMinute(accumulated, activity === 'driving'); // definition fff
        accumulated = counted.acc;
        if (counted.reached !== null) marks.push({ minutes: counted.reached, at: end });
      }
      while (s.spans.length > 1 && s.spans[1]!.from <= end) s.spans.shift();
    }
  }
  return { ...state, slots, days, marks, accumulatedDriving: accumulated, nextMinute: m };
}

function setActivity(state: ActivityState, slot: Slot, activity: Activity): ActivityState {
  const last = lastSpan(state.slots[slot]);
  return withSpans(state, slot, appendSpan(state.slots[slot].spans, { from: state.now, activity, card: last.card }));
}

function setCard(state: ActivityState, slot: Slot, card: CardKind | null): ActivityState {
  const last = lastSpan(state.slots[slot]);
  return withSpans(state, slot, appendSpan(state.slots[slot].spans, { from: state.now, activity: last.activity, card }));
}

/** Annex IC 49: the slot's activity is `activity` from `from` on, cards untouched. */
function backdate(state: ActivityState, slot: Slot, from: number, activity: Activity): ActivityState {
  const spans: SlotSpan[] = [];
  for (const span of state.slots[slot].spans) {
    const next = span.from >= from ? { ...span, activity } : span;
    const previous = spans[spans.length - 1];
    if (previous && previous.activity === next.activity && previous.card === next.card) continue;
    spans.push(next);
  }
  return withSpans(state, slot, spans);
}

/** Adds a span at the end; a span at the same instant as the last replaces it; an unchanged one is dropped. */
function appendSpan(spans: readonly SlotSpan[], span: SlotSpan): SlotSpan[] {
  const last = spans[spans.length - 1]!;
  if (last.activity === span.activity && last.card === span.card) return spans as SlotSpan[];
  const out = spans.slice();
  if (last.from === span.from) {
    if (out.length === 1) return [span];
    out.pop();
    const previous = out[out.length - 1]!;
    if (previous.activity === span.activity && previous.card === span.card) return out;
  }
  out.push(span);
  return out;
}

function withSpans(state: ActivityState, slot: Slot, spans: SlotSpan[]): ActivityState {
  if (spans === state.slots[slot].spans) return state;
  return { ...state, slots: { ...state.slots, [slot]: { ...state.slots[slot], spans } } };
}

function copySlot(slot: SlotActivity): SlotActivity {
  return { spans: slot.spans.slice(), previousLongest: slot.previousLongest, recorded: slot.recorded };
}

function lastSpan(slot: SlotActivity): SlotSpan {
  return slot.spans[slot.spans.length - 1]!;
}

/** The span in force just before `t`. */
function spanAt(spans: readonly SlotSpan[], t: number): SlotSpan {
  let found = spans[0]!;
  for (const span of spans) {
    if (span.from >= t) break;
    found = span;
  }
  return found;
}

function crewOf(driverCard: CardKind | null, coDriverCard: CardKind | null): DrivingStatus {
  return driverCard === 'driver' && coDriverCard === 'driver' ? 'crew' : 'single'; // Annex IC 55
}

function sameStatus(a: RecordedStatus | null, b: RecordedStatus): boolean {
  return a !== null && a.activity === b.activity && a.cardStatus === b.cardStatus && a.drivingStatus === b.drivingStatus;
}

function wholeSecond(t: number): number {
  return floorTo(t, SECOND_MS);
}

function floorTo(t: number, unit: number): number {
  return Math.floor(t / unit) * unit;
}

function dayKey(dayStart: number): string {
  return new Date(dayStart).toISOString().slice(0, 10);
}
