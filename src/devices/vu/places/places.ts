import type { GnssPlace, VuPlaceDailyWorkPeriod } from '../../../protocols/app7-records/records.ts';
import { fullCardNumberOf } from '../../cards/card.ts';
import type { Slot, SlotState } from '../cards/card-slots.ts';
import type { FullCardNumberAndGeneration } from '../../../protocols/app1/slot-cards.ts';
import { ENTRY_TYPE, entryKindOf } from './entry-type.ts';
import type { PlaceEntry } from './place-entry.ts';

/**
 * Places where daily work periods begin and end (Annex IC 56-60, 108-112), as the VU's data memory keeps
 * them: App. 1 VuPlaceDailyWorkPeriodRecord (gen2 v1) contents, oldest first, plain data.
 *
 * Choices where the Annex leaves one:
 * - Every entry is a real-time entry with the time of entry (Annex IC 60), entry type 0 (begin) or 1 (end):
 *   the rig's VU has no card-insertion dialog for manual entries (Annex IC 61), for activities neither. A
 *   begin entered as the card goes in, or an end entered just before it comes out (the withdrawal prompt,
 *   Annex IC 58), so carries the insertion or withdrawal instant, which types 0 and 1 name as well.
 * - Entries are taken whether or not the vehicle moves (Annex IC 60 does not restrict the menus); manual
 *   entries at insertion stop with movement (61), but none are modelled.
 * - Only the holder of a valid driver or workshop card enters places (Annex IC 56, 58: "driver (or workshop)
 *   card"); the record names that card. An empty slot, a non-valid card (the VU ignores it, Annex IC 11) or a
 *   control or company card is refused: nothing is recorded and the refusal is kept as the VU's message to
 *   the card holder, like the calibration errors.
 * - The entry time is VU time in whole seconds (TimeReal). "Within one calendar minute" (Annex IC 60) is per
 *   card: a second begin (or end) by the same card in the same UTC minute replaces the first.
 * - The position is the latest valid one, however old (Annex IC 109), with its own time stamp; the odometer
 *   is the VU's, in whole km.
 */
export type VuPlace = VuPlaceDailyWorkPeriod;

export type PlaceRefusalReason = 'no-card' | 'non-valid-card' | 'not-a-driver-or-workshop-card';

/** The VU's message to the card holder when it refuses a place entry (not an App. 1 record). */
export interface PlaceRefusal {
  /** VU time, ms, whole seconds. */
  at: number;
  slot: Slot;
  reason: PlaceRefusalReason;
  detail: string;
}

export interface PlacesState {
  /** Oldest first. */
  records: VuPlace[];
  refusals: PlaceRefusal[];
}

/**
 * Annex IC 111, 112 and §3.12: the memory holds "365 days" of places, defined as 6 begin and 6 end entries
 * a day (4 380); beyond that the newest replaces the oldest.
 */
export const PLACE_CAPACITY = 4_380;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export function createPlaces(): PlacesState {
  return { records: [], refusals: [] };
}

/** What the VU knows at the moment of the entry. */
export interface PlaceMoment {
  /** The slot's state, null when empty. */
  held: SlotState | null;
  /** VU time, ms. */
  vuNow: number;
  /** The odometer, km (any fraction). */
  odometerKm: number;
  /** Annex IC 109: the latest valid position (gnss/positions.ts `gnssPlace`). */
  gnss: GnssPlace;
}

/** The card holder in `slot` enters a place (Annex IC 56, 60); a record (Annex IC 108, 110), or a refusal. */
export function enterPlace(state: PlacesState, slot: Slot, entry: PlaceEntry, moment: PlaceMoment): PlacesState {
  const at = Math.floor(moment.vuNow / 1000) * 1000;
  const refused = refusal(slot, moment.held);
  if (refused) return { ...state, refusals: [...state.refusals, { at, slot, ...refused }] };
  const record: VuPlace = {
    card: fullCardNumberOf(moment.held!.card),
    entryTime: at,
    entryType: entry.type === 'begin' ? ENTRY_TYPE.begin : ENTRY_TYPE.end,
    country: entry.country,
    region: entry.region,
    odometerKm: Math.floor(moment.odometerKm),
    place: { ...moment.gnss },
  };
  // Annex IC 60: of several inputs within one calendar minute only the last begin and the last end are kept
  const kept = state.records.filter((r) => !(sameCard(r.card, record.card) && entryKindOf(r.entryType) === entry.type && minuteOf(r.entryTime) === minuteOf(at)));
  // Annex IC 112: when the memory is full, new data replace the oldest
  return { ...state, records: [...kept, record].slice(-PLACE_CAPACITY) };
}

function refusal(slot: Slot, held: SlotState | null): { reason: PlaceRefusalReason; detail: string } | undefined {
  if (!held) return { reason: 'no-card', detail: `no card in the ${slot} slot` };
  if (!held.valid) return { reason: 'non-valid-card', detail: `the card in the ${slot} slot is not valid: the VU ignores it (Annex IC 11)` };
  if (held.card.type !== 'driver' && held.card.type !== 'workshop') {
    return { reason: 'not-a-driver-or-workshop-card', detail: `a ${held.card.type} card holder has no daily work period to enter (Annex IC 56)` };
  }
  return undefined;
}

/** The places entered in the UTC day starting at `day` (VU time, ms), chronological: TREP 22's array. */
export function placesOfDay(state: PlacesState, day: number): VuPlace[] {
  return state.records.filter((r) => r.entryTime >= day && r.entryTime < day + DAY_MS).sort((a, b) => a.entryTime - b.entryTime);
}

function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS);
}

function sameCard(a: FullCardNumberAndGeneration, b: FullCardNumberAndGeneration): boolean {
  return a.cardType === b.cardType && a.issuingMemberState === b.issuingMemberState && a.cardNumber === b.cardNumber && a.generation === b.generation;
}
