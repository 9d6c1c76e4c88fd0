import type { ActivityState } from '../activities/index.ts';
import { dailyActivityChanges } from '../activities/index.ts';

/**
 * Specific conditions (Annex IC 62, 130, 131): OUT OF SCOPE and FERRY / TRAIN CROSSING, each with a begin and
 * an end, entered by the driver through the VU's menu or closed by the VU itself, as the VU's data memory keeps
 * them (App. 1 2.152 SpecificConditionRecord: the time of entry and the 2.154 SpecificConditionType, generation 2
 * codes). Plain data, pure functions: the VU machine keeps a {@link SpecificConditionsState} in its context.
 *
 * Annex IC 62, as applied here:
 * - a FERRY / TRAIN CROSSING begin is refused while OUT OF SCOPE is open;
 * - an open OUT OF SCOPE is closed by the VU when a driver card is inserted or withdrawn (whatever the slot);
 * - an open FERRY / TRAIN CROSSING is closed by the VU when OUT OF SCOPE is opened, when the driver ejects his
 *   card, and when the driver activity is computed as DRIVING during a calendar minute (Annex IC §3.4);
 * - of several entries of the same type within one calendar minute only the last is kept.
 * - an open OUT OF SCOPE inhibits 0x04 driving without an appropriate card (cards/card-slots.ts); the warnings
 *   on continuous driving are not modelled by the rig.
 *
 * Choices where the Annex leaves one (README, Specific conditions):
 * - Entries need no card: "the driver" may drive out of scope without one (that is what the inhibition of 0x04 is
 *   for). An entry that contradicts the open conditions (a begin of a condition already open, an end of one not
 *   open, a ferry/train begin while out of scope) is refused: nothing is recorded and the refusal is kept as the
 *   VU's message to the driver, like a refused place entry.
 * - "The driver ejects his card": a valid driver card withdrawn from the driver slot (a card pulled during a supply
 *   cut counts when the VU finds the slot empty at power-up).
 * - The VU's closing of a crossing on a DRIVING minute is entered at the start of that minute (the first minute
 *   the activity function regards as DRIVING after the begin), so the crossing never overlaps the driving;
 *   the VU learns it when the minute is resolved (one to three minutes later, activities/driver-activities.ts).
 * - "Driver cannot enter the ferry begin but after selecting BREAK/REST" is the driver's duty (Annex IC 62), not
 *   checked by the VU.
 * - Capacity (Annex IC 131): 365 days of one condition opened and closed a day, 730 records; then the newest
 *   replaces the oldest.
 */

/** App. 1 2.154 SpecificConditionType, generation 2 values, by the name a scenario types. */
export const SPECIFIC_CONDITION_TYPE = {
  'out-of-scope-begin': 0x01,
  'out-of-scope-end': 0x02,
  'ferry-train-begin': 0x03,
  'ferry-train-end': 0x04,
} as const;

export type SpecificConditionName = keyof typeof SPECIFIC_CONDITION_TYPE;
export const SPECIFIC_CONDITION_NAMES = Object.keys(SPECIFIC_CONDITION_TYPE) as [SpecificConditionName, ...SpecificConditionName[]];

/** The §2.154 wording of each generation 2 value. */
export const SPECIFIC_CONDITION_LABEL: Readonly<Record<number, string>> = {
  0x01: 'Out of scope — Begin',
  0x02: 'Out of scope — End',
  0x03: 'Ferry / Train crossing — Begin',
  0x04: 'Ferry / Train crossing — End',
};

export function specificConditionName(type: number): SpecificConditionName | undefined {
  return SPECIFIC_CONDITION_NAMES.find((n) => SPECIFIC_CONDITION_TYPE[n] === type);
}

/** App. 1 2.152 SpecificConditionRecord as the VU keeps it: the entry time (VU time, ms, whole seconds) and its type. */
export interface VuSpecificCondition {
  entryTime: number;
  type: number;
}

export type SpecificConditionRefusalReason = 'already-open' | 'not-open' | 'out-of-scope-open';
export const SPECIFIC_CONDITION_REFUSAL_REASONS = ['already-open', 'not-open', 'out-of-scope-open'] as const satisfies readonly SpecificConditionRefusalReason[];

/** The VU's message to the driver when it refuses an entry (not an App. 1 record). */
export interface SpecificConditionRefusal {
  /** VU time, ms, whole seconds. */
  at: number;
  condition: SpecificConditionName;
  reason: SpecificConditionRefusalReason;
  detail: string;
}

export interface SpecificConditionsState {
  /** Oldest first. */
  records: VuSpecificCondition[];
  refusals: SpecificConditionRefusal[];
  /** OUT OF SCOPE is open (since its begin entry). */
  outOfScope: boolean;
  /** The open FERRY / TRAIN CROSSING: its begin (VU time, ms) and the accumulated DRIVING minutes then. */
  ferryTrain: { since: number; drivingMinutes: number } | null;
}

/** Annex IC 131: 365 days, one condition opened and closed a day. */
export const SPECIFIC_CONDITION_CAPACITY = 730;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export function createSpecificConditions(): SpecificConditionsState {
  return { records: [], refusals: [], outOfScope: false, ferryTrain: null };
}

/** Keeps one record (Annex IC 62: the last of a type within a calendar minute; 131: the oldest gives way). */
function keep(state: SpecificConditionsState, record: VuSpecificCondition): VuSpecificCondition[] {
  const minute = Math.floor(record.entryTime / MINUTE_MS);
  const kept = state.records.filter((r) => !(r.type === record.type && Math.floor(r.entryTime / MINUTE_MS) === minute));
  return [...kept, record].slice(-SPECIFIC_CONDITION_CAPACITY);
}

const whole = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * The driver enters `condition` at VU time `vuNow` (Annex IC 62); `drivingMinutes` is the activity function's
 * accumulated DRIVING count now (to end a crossing on the next DRIVING minute).
 */
export function enterSpecificCondition(state: SpecificConditionsState, condition: SpecificConditionName, vuNow: number, drivingMinutes: number): SpecificConditionsState {
  const at = whole(vuNow);
  const refuse = (reason: SpecificConditionRefusalReason, detail: string): SpecificConditionsState => ({ ...state, refusals: [...state.refusals, { at, condition, reason, detail }] });
  switch (condition) {
    case 'out-of-scope-begin': {
      if (state.outOfScope) return refuse('already-open', 'OUT OF SCOPE is open already');
      // Annex IC 62: opening OUT OF SCOPE ends an open FERRY / TRAIN CROSSING
      const closed = state.ferryTrain ? closeFerryTrain(state, at) : state;
      return { ...closed, outOfScope: true, records: keep(closed, { entryTime: at, type: SPECIFIC_CONDITION_TYPE[condition] }) };
    }
    case 'out-of-scope-end':
      if (!state.outOfScope) return refuse('not-open', 'OUT OF SCOPE is not open');
      return { ...state, outOfScope: false, records: keep(state, { entryTime: at, type: SPECIFIC_CONDITION_TYPE[condition] }) };
    case 'ferry-train-begin':
      // Annex IC 62: "If an 'OUT OF SCOPE' condition is opened, the recording equipment shall not allow users to enter a 'FERRY / TRAIN CROSSING' begin flag"
      if (state.outOfScope) return refuse('out-of-scope-open', 'a FERRY / TRAIN CROSSING cannot begin while OUT OF SCOPE is open (Annex IC 62)');
      if (state.ferryTrain) return refuse('already-open', 'a FERRY / TRAIN CROSSING is open already');
      return { ...state, ferryTrain: { since: at, drivingMinutes }, records: keep(state, { entryTime: at, type: SPECIFIC_CONDITION_TYPE[condition] }) };
    case 'ferry-train-end':
      if (!state.ferryTrain) return refuse('not-open', 'no FERRY / TRAIN CROSSING is open');
      return closeFerryTrain(state, at);
  }
}

function closeFerryTrain(state: SpecificConditionsState, at: number): SpecificConditionsState {
  return { ...state, ferryTrain: null, records: keep(state, { entryTime: at, type: SPECIFIC_CONDITION_TYPE['ferry-train-end'] }) };
}

/**
 * A card goes in or out at VU time `vuNow` (Annex IC 62): a driver card closes OUT OF SCOPE, either way and in
 * either slot; a driver card ejected from the driver slot ends a FERRY / TRAIN CROSSING.
 */
export function onDriverCard(state: SpecificConditionsState, change: { withdrawal: boolean; slot: 'driver' | 'co-driver' }, vuNow: number): SpecificConditionsState {
  const at = whole(vuNow);
  let s = state;
  if (s.outOfScope) s = { ...s, outOfScope: false, records: keep(s, { entryTime: at, type: SPECIFIC_CONDITION_TYPE['out-of-scope-end'] }) };
  if (change.withdrawal && change.slot === 'driver' && s.ferryTrain) s = closeFerryTrain(s, at);
  return s;
}

/**
 * Annex IC 62: an open crossing ends once the driver activity is computed as DRIVING during a calendar minute:
 * when the accumulated DRIVING count passed the one at the begin, at the start of the first DRIVING minute of
 * the driver slot since (the activity function's recorded words), else at `vuNow`.
 */
export function afterDrivingMinutes(state: SpecificConditionsState, activities: ActivityState, vuNow: number): SpecificConditionsState {
  const open = state.ferryTrain;
  if (!open || activities.accumulatedDriving.minutes <= open.drivingMinutes) return state;
  const fromMinute = Math.floor(open.since / MINUTE_MS) * MINUTE_MS;
  let at: number | undefined;
  for (let day = Math.floor(open.since / DAY_MS) * DAY_MS; day <= vuNow && at === undefined; day += DAY_MS) {
    const word = dailyActivityChanges(activities, day).find((w) => w.slot === 'driver' && w.activity === 'driving' && day + w.minute * MINUTE_MS >= fromMinute);
    if (word) at = day + word.minute * MINUTE_MS;
  }
  return closeFerryTrain(state, Math.max(open.since, at ?? whole(vuNow)));
}

/** The conditions entered in the UTC day starting at `day` (VU time, ms), chronological: TREP 22's array. */
export function specificConditionsOfDay(state: SpecificConditionsState, day: number): VuSpecificCondition[] {
  return state.records.filter((r) => r.entryTime >= day && r.entryTime < day + DAY_MS).sort((a, b) => a.entryTime - b.entryTime);
}

/**
 * What a first generation application keeps (App. 1 2.154 generation 1, and App. 1's preamble: "Only the
 * 'FERRY / TRAIN CROSSING begin' ... is stored in Generation 1 application of Generation 2 cards"): out of
 * scope begin and end as they are, a crossing's begin as '03'H ferry/train crossing, its end not at all.
 */
export function generation1Conditions<T extends { type: number }>(records: readonly T[]): T[] {
  return records.filter((r) => r.type !== SPECIFIC_CONDITION_TYPE['ferry-train-end']);
}
