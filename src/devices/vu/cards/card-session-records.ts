import type { ActivityChangeInfo } from '../../../protocols/app1/activity-change-info.ts';
import type { FullCardNumberAndGeneration } from '../../../protocols/app1/slot-cards.ts';
import type { VuGnssAd, VuPlaceDailyWorkPeriod } from '../../../protocols/app7-records/records.ts';
import {
  CARD_EVENT_SETS,
  cardSetOf,
  CARD_FAULT_SETS,
  type CardActivityDay,
  type CardEventOrFault,
  type CardGnssAccumulatedDriving,
  type CardPlace,
  type CardVehicleUnit,
  type CardVehicleUse,
  type Generation,
  type Vehicle,
} from '../../../protocols/card-files/card-ef-update.ts';
import type { CardSpecificCondition } from '../../../protocols/card-files/card-ef-specific-conditions.ts';
import { fullCardNumberOf, type VirtualCard } from '../../cards/card.ts';
import { generation1Conditions } from '../specific-conditions/index.ts';
import type { CardBorderCrossing, CardLoadUnload } from '../../../protocols/card-files/card-v2-efs.ts';
import type { VuBorderCrossing, VuLoadUnload } from '../v2-records/v2-records.ts';
import { dailyActivityChanges, type ActivityState, type Slot } from '../activities/index.ts';
import type { EventMemory, StoredEvent } from '../data-memory/event-store.ts';

/**
 * What a VU stores on the driver card in a slot for the card's current session (Annex IC 146: "all necessary
 * data relevant to the period while the card is inserted and relevant to the card holder"), from the VU's own
 * data memory, as the records of card-ef-update.ts for one application (DF Tachograph: generation 1; DF
 * Tachograph_G2: generation 2). Pure: the VU machine gives it its context, the card writer (card-writer.ts)
 * puts the records on the card through APDUs.
 *
 * The session runs from the card's insertion (its open VuCardIWRecord) to `now`, the card's withdrawal or the
 * moment of an update while it is in (a card download). Every update recomputes the whole session, so storing
 * it again is harmless (card-ef-update.ts: idempotent).
 *
 * Choices (README, Tachograph cards):
 * - Activities: the VU's own ActivityChangeInfo of the card's slot (Annex IC 105), from the insertion minute,
 *   marked INSERTED; before the insertion, the day keeps what the card already held for it, or starts NOT
 *   INSERTED, activity unknown, at 00:00 (Annex IC 291: "a driver status at 00:00"); at the withdrawal a NOT
 *   INSERTED, unknown word. The day's distance adds the session's km that day to what the card held for the
 *   day at insertion.
 * - Vehicles used (Annex IC 294): a record per calendar day of the session, first use the insertion (or 00:00),
 *   last use the withdrawal (or 23:59:59 for a day the session runs past, or `now` while the card is in); a
 *   session in the vehicle of the card's newest record the same day continues that period of use (its first
 *   use and odometer kept). vuDataBlockCounter: the newest record's plus one, per session (App. 1 2.189).
 * - Events and faults (Annex IC 260-265, 285-290): the VU's stored ones of the card's types that overlap the
 *   session and name the card in a slot, begin and end clamped to the session; 0x05 and 0x06 only on the card
 *   they are about (begun at its insertion); 0x06 with the begin, end and vehicle of Annex IC 286's note.
 * - Specific conditions (Annex IC 276, 301): those entered while the card was inserted (whatever the slot), the
 *   insertion and `now` included (an OUT OF SCOPE the insertion or the withdrawal closed, Annex IC 62); in DF
 *   Tachograph without the crossings' ends (App. 1: generation 1 keeps only the begin, '03'H).
 */
export interface CardHistory {
  /** The card's newest day record at insertion (EF Driver_Activity_Data). */
  lastDay: { date: number; distanceKm: number } | null;
  /** The card's newest vehicle record at insertion (EF Vehicles_Used); `registration` hex of its VehicleRegistrationIdentification. */
  lastVehicle: { firstUse: number; lastUse: number; odometerBeginKm: number; registration: string; vuDataBlockCounter: number } | null;
}

export interface CardSessionInput {
  card: VirtualCard;
  slot: Slot;
  /** VU time, ms: the card's insertion, and now (the withdrawal when `withdrawal`). */
  insertion: number;
  now: number;
  withdrawal: boolean;
  odometerAtInsertionKm: number;
  odometerNowKm: number;
  /** App. 1 OdometerValueMidnight of each day (00:00 UTC, ms). */
  midnightOdometers: readonly { day: number; km: number }[];
  vehicle: Vehicle;
  /** The registration as the card keeps it (hex of VehicleRegistrationIdentification), to compare with `history`. */
  registrationHex: string;
  vin: string;
  /** The activity state settled at `now` (activities/driver-activities.ts `settled`). */
  activities: ActivityState;
  events: EventMemory;
  places: readonly VuPlaceDailyWorkPeriod[];
  gnssAd: readonly VuGnssAd[];
  /** The VU's specific conditions (App. 1 2.152, generation 2 types), oldest first. */
  specificConditions: readonly CardSpecificCondition[];
  /** Gen2 v2 (v2-records/): written on a version 2 card only. */
  loadUnloads?: readonly VuLoadUnload[];
  borderCrossings?: readonly VuBorderCrossing[];
  vu: { manufacturerCode: number; deviceId: number; softwareVersion: string };
  /** What the card held at insertion, per application. */
  history: CardHistory;
}

export interface CardSessionRecords {
  days: CardActivityDay[];
  /** The first day's words before the session are the card's own: the writer keeps them (minute < this). */
  firstDayFromMinute: number;
  events: CardEventOrFault[];
  faults: CardEventOrFault[];
  vehicles: CardVehicleUse[];
  places: CardPlace[];
  /** Gen2 only. */
  vehicleUnit: CardVehicleUnit | null;
  gnssAd: CardGnssAccumulatedDriving[];
  specificConditions: CardSpecificCondition[];
  /** DF Tachograph_G2 of a version 2 card only (card-v2-efs.ts): the operations and crossings with the card in a slot. */
  loadUnloads: CardLoadUnload[];
  borderCrossings: CardBorderCrossing[];
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const floorDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

const sameCard = (a: FullCardNumberAndGeneration | null | undefined, card: VirtualCard) => {
  const b = fullCardNumberOf(card);
  return !!a && a.cardType === b.cardType && a.issuingMemberState === b.issuingMemberState && a.cardNumber === b.cardNumber;
};

/** A NOT INSERTED word, activity unknown (App. 1 2.1 driver card meaning: 'c' 0 = unknown). */
export function notInserted(slot: Slot, minute: number): ActivityChangeInfo {
  return { slot, drivingStatus: 'single', cardStatus: 'not-inserted', activity: 'break-rest', minute };
}

export function cardSessionRecords(input: CardSessionInput, generation: Generation): CardSessionRecords {
  const { insertion, now, slot } = input;
  const firstDay = floorDay(insertion);
  const lastDay = floorDay(now);
  const fromMinute = Math.floor((insertion - firstDay) / MINUTE_MS);
  const odometerAt = (t: number): number => {
    if (t <= insertion) return input.odometerAtInsertionKm;
    if (t >= now) return input.odometerNowKm;
    return input.midnightOdometers.find((m) => m.day === t)?.km ?? input.odometerAtInsertionKm;
  };
  const continues = input.history.lastVehicle !== null && input.history.lastVehicle.registration === input.registrationHex && floorDay(input.history.lastVehicle.firstUse) === firstDay;
  const counter = ((input.history.lastVehicle?.vuDataBlockCounter ?? 0) + 1) % 10_000;
  const days: CardActivityDay[] = [];
  const vehicles: CardVehicleUse[] = [];
  for (let d = firstDay; d <= lastDay; d += DAY_MS) {
    const from = d === firstDay ? fromMinute : 0;
    const until = d === lastDay && input.withdrawal ? Math.floor((now - d) / MINUTE_MS) : 1440;
    const own = dailyActivityChanges(input.activities, d).filter((c) => c.slot === slot);
    const atFrom = [...own].reverse().find((c) => c.minute <= from);
    const words: ActivityChangeInfo[] = [];
    const push = (c: ActivityChangeInfo) => {
      const last = words[words.length - 1];
      if (last && last.activity === c.activity && last.cardStatus === c.cardStatus && last.drivingStatus === c.drivingStatus) return;
      if (last && last.minute === c.minute) words.pop();
      words.push(c);
    };
    if (atFrom) push({ ...atFrom, cardStatus: 'inserted', minute: from });
    for (const c of own) if (c.minute > from && c.minute < until) push({ ...c, cardStatus: 'inserted' });
    if (d === lastDay && input.withdrawal) push(notInserted(slot, Math.min(1439, until)));
    const base = d === firstDay && input.history.lastDay?.date === d ? input.history.lastDay.distanceKm : 0;
    const begin = Math.max(d, insertion);
    const end = Math.min(d + DAY_MS, now);
    const distanceKm = base + Math.max(0, Math.floor(odometerAt(end)) - Math.floor(odometerAt(begin)));
    days.push({ date: d, distanceKm, changes: words });
    const first = d === firstDay && continues ? input.history.lastVehicle!.firstUse : begin;
    vehicles.push({
      odometerBeginKm: d === firstDay && continues ? input.history.lastVehicle!.odometerBeginKm : Math.floor(odometerAt(begin)),
      odometerEndKm: Math.floor(odometerAt(end)),
      firstUse: first,
      lastUse: end === d + DAY_MS ? d + DAY_MS - 1000 : end,
      vehicle: input.vehicle,
      vuDataBlockCounter: counter,
      vin: input.vin,
    });
  }
  const session = (e: StoredEvent) => {
    const begin = e.begin * 1000;
    const end = e.end === null ? now : e.end * 1000;
    const named = sameCard(e.cardsAtBegin.driver, input.card) || sameCard(e.cardsAtBegin.codriver, input.card) || sameCard(e.cardsAtEnd?.driver, input.card) || sameCard(e.cardsAtEnd?.codriver, input.card);
    return named && end >= Math.floor(insertion / 1000) * 1000 && begin <= now;
  };
  const events: CardEventOrFault[] = [];
  const faults: CardEventOrFault[] = [];
  const insertedAt = Math.floor(insertion / 1000) * 1000;
  for (const e of input.events.records) {
    if (!session(e)) continue;
    const begin = Math.max(e.begin * 1000, insertedAt);
    const end = Math.min(e.end === null ? now : e.end * 1000, now);
    if (cardSetOf(CARD_FAULT_SETS, e.type) >= 0) faults.push({ type: e.type, begin, end, vehicle: input.vehicle });
    if (cardSetOf(CARD_EVENT_SETS[generation], e.type) < 0) continue;
    // Annex IC 285: card insertion while driving and last card session not correctly closed "where this card is the subject"
    if ((e.type === 0x05 || e.type === 0x06) && e.begin * 1000 !== insertedAt) continue;
    if (e.type === 0x06) {
      // Annex IC 286 note: begin the unclosed session's insertion, end this insertion, the vehicle of the unclosed session
      events.push({ type: 0x06, begin: Number(e.data.lastSessionInsertion) * 1000, end: insertedAt, vehicle: { nation: Number(e.data.lastVehicleRegistrationNation), number: String(e.data.lastVehicleRegistrationNumber) } });
      continue;
    }
    events.push({ type: e.type, begin, end, vehicle: input.vehicle });
  }
  const inSession = (t: number) => t >= insertedAt && t <= now;
  const places = input.places
    .filter((p) => sameCard(p.card, input.card) && inSession(p.entryTime))
    .map((p) => ({ entryTime: p.entryTime, entryType: p.entryType, country: p.country, region: p.region, odometerKm: p.odometerKm, place: p.place }));
  const gnssAd =
    generation === 2
      ? input.gnssAd.filter((g) => (sameCard(g.driverCard, input.card) || sameCard(g.codriverCard, input.card)) && inSession(g.timeStamp)).map((g) => ({ timeStamp: g.timeStamp, place: g.place, odometerKm: g.odometerKm }))
      : [];
  const vehicleUnit = generation === 2 ? { timeStamp: continues ? input.history.lastVehicle!.firstUse : insertedAt, ...input.vu } : null;
  // Annex IC 276: entered while the card was inserted; App. 1: a generation 1 application keeps no crossing end
  const entered = input.specificConditions.filter((c) => inSession(c.entryTime)).map((c) => ({ entryTime: c.entryTime, type: c.type }));
  const specificConditions = generation === 2 ? entered : generation1Conditions(entered);
  // Annex IC 62a, 133a (4.5.3.2.19-20): the operations and crossings with this card in either slot, during the session
  const withCard = (r: { driverCard: FullCardNumberAndGeneration | null; codriverCard: FullCardNumberAndGeneration | null }) => sameCard(r.driverCard, input.card) || sameCard(r.codriverCard, input.card);
  const loadUnloads = generation === 2 ? (input.loadUnloads ?? []).filter((r) => withCard(r) && inSession(r.timeStamp)).map((r) => ({ timeStamp: r.timeStamp, operationType: r.operationType, place: r.place, odometerKm: r.odometerKm })) : [];
  const borderCrossings = generation === 2 ? (input.borderCrossings ?? []).filter((r) => withCard(r) && inSession(r.at)).map((r) => ({ countryLeft: r.countryLeft, countryEntered: r.countryEntered, place: r.place, odometerKm: r.odometerKm })) : [];
  return { days, firstDayFromMinute: fromMinute, events, faults, vehicles, places, vehicleUnit, gnssAd, specificConditions, loadUnloads, borderCrossings };
}
