import { fullCardNumberOf, type VirtualCard } from '../../cards/card.ts';
import { cardIWRecordAtInsertion, closeCardIWRecord } from '../../cards/card-iw-record.ts';
import type { VuCardIWRecord } from '../../../protocols/app1/vu-card-iw-record.ts';
import type { CardSlot } from '../../../protocols/app1/card-type.ts';
import type { FullCardNumberAndGeneration, SlotCards } from '../../../protocols/app1/slot-cards.ts';
import { beginSpan, endSpan, recordInstant, type EventMemory } from '../data-memory/event-store.ts';
import { isCardConflict } from '../modes/card-conflict.ts';
import { isDrivingWithoutAppropriateCard } from '../modes/driving-without-card.ts';
import { checkCardInsertion, type NonValidReason, type VuCardContext } from '../modes/insertion-validity.ts';
import { modeOfOperation, type Mode } from '../modes/mode-of-operation.ts';
import type { SlotCard } from '../modes/slot-table.ts';
import type { Slots } from '../modes/access-rights.ts';
import type { CardHistory } from './card-session-records.ts';

/**
 * The VU's two card slots as plain data, and what insertion and withdrawal do to the data memory: the
 * insertion/withdrawal records (Annex IC 102), and the card events 0x01 non-valid card (Annex IC 72),
 * 0x02 card conflict (Annex IC 73), 0x04 driving without an appropriate card (Annex IC 75), 0x05 card
 * insertion while driving, 0x12 card authentication failure and 0x14 card data input integrity error (85). Times are VU time: ms for the records of cards, TimeReal for events.
 */
export type Slot = CardSlot;

export interface SlotState {
  card: VirtualCard;
  /** False for a non-valid card: physically in the slot, ignored by the VU (Annex IC 11). */
  valid: boolean;
  /** Index of its open VuCardIWRecord, for driver and workshop cards. */
  iw: number | null;
  /** What the VU read of a driver card at insertion, per application (card-writer.ts readCardHistory): the base of its updates. */
  cardHistory?: Record<'tachograph' | 'tachograph-g2', CardHistory>;
}

export interface CardSlotsState {
  driver: SlotState | null;
  'co-driver': SlotState | null;
  /** Insertion/withdrawal records, oldest first (Annex IC 102: at least 365 days; all are kept here). */
  iw: VuCardIWRecord[];
  /** Open event ids of the conditions that last: 0x02 and 0x04. */
  conflictEvent: number | null;
  noCardEvent: number | null;
}

export function createCardSlots(): CardSlotsState {
  return { driver: null, 'co-driver': null, iw: [], conflictEvent: null, noCardEvent: null };
}

/** The cards as the event records keep them (App. 1 FullCardNumberAndGeneration); non-valid cards count too. */
export function slotCards(state: CardSlotsState): SlotCards {
  return { driver: eventCard(state.driver), codriver: eventCard(state['co-driver']) };
}

function eventCard(slot: SlotState | null): FullCardNumberAndGeneration | null {
  return slot ? fullCardNumberOf(slot.card) : null;
}

/** The card types the mode and the conflict tables see: a non-valid card is an empty slot (Annex IC 11). */
function seen(slot: SlotState | null): SlotCard {
  return slot && slot.valid ? slot.card.type : null;
}

export function currentMode(state: CardSlotsState): Mode {
  return modeOfOperation(seen(state.driver), seen(state['co-driver'])).mode;
}

/** The valid cards as the access rules see them (Annex IC 11: a non-valid card is ignored). */
export function slotHolders(state: CardSlotsState): Slots {
  const holder = (slot: SlotState | null) => (slot && slot.valid ? { type: slot.card.type, cardNumber: slot.card.cardNumber } : null);
  return { driver: holder(state.driver), coDriver: holder(state['co-driver']) };
}

/**
 * The card whose holder the mode serves: the company card in company mode, the control card in control mode,
 * the workshop card in calibration mode; with two of them, the driver slot's (Annex IC 10 footnote (*1)).
 * Undefined in operational mode.
 */
export function modeCard(state: CardSlotsState): VirtualCard | undefined {
  const type = ({ company: 'company', control: 'control', calibration: 'workshop' } as const)[currentMode(state) as 'company' | 'control' | 'calibration'];
  if (!type) return undefined;
  return [state.driver, state['co-driver']].find((s): s is SlotState => !!s && s.valid && s.card.type === type)?.card;
}

export interface CardChange {
  /** VU time, ms. */
  at: number;
  moving: boolean;
  odometerKm: number;
  events: EventMemory;
  /** Annex IC 62: an open OUT OF SCOPE condition inhibits 0x04 driving without an appropriate card. */
  outOfScope?: boolean;
}

/**
 * A card offered to a slot that holds one. Annex IC 19: cards are locked in position once inserted, and 20:
 * withdrawal takes a positive action by the user; so a second card cannot go in, and the VU sees nothing of
 * it: its memory stays as it was. The rig reports the attempt (a stimulus that cannot happen) with this.
 */
export class SlotOccupiedError extends Error {}

/** Throws SlotOccupiedError, naming the card there, unless `slot` is empty. */
export function checkSlotFree(state: CardSlotsState, slot: Slot, offered: VirtualCard): void {
  const held = state[slot];
  if (!held) return;
  const same = held.card.cardNumber === offered.cardNumber && held.card.type === offered.type;
  throw new SlotOccupiedError(
    `the ${slot} slot already holds ${same ? 'that very card' : 'a card'}, ${held.card.type} card ${held.card.cardNumber}${held.valid ? '' : ' (non-valid)'}: ` +
      'a slot takes one card and holds it until it is withdrawn (Annex IC 19, 20), so nothing was inserted; withdraw it first',
  );
}

/** App. 1 EventFaultType for a card the VU could not trust (Annex IC 85, §3.9.14 security breach attempt). */
const SECURITY_EVENT: Partial<Record<NonValidReason, number>> = {
  'authentication-failed': 0x12, // tachograph card authentication failure
  'data-integrity': 0x14, // card data input integrity error
};

/**
 * `vu`: what the VU knows of the card beyond its options, above all what its authentication found
 * (card-authentication.ts). A card that fails authentication or whose secured read fails is non-valid (0x01,
 * Annex IC 72: "a card ... which authentication failed", definition ee) and a security breach attempt of its
 * type (0x12 or 0x14, Annex IC 85: not in calibration mode, judged by the cards already in the slots). Any card
 * inserted while moving, valid or not, is a card insertion while driving (0x05, Annex IC 76).
 */
export function insertCard(state: CardSlotsState, slot: Slot, card: VirtualCard, change: CardChange, vu: VuCardContext = {}): { slots: CardSlotsState; events: EventMemory } {
  checkSlotFree(state, slot, card);
  const t = Math.floor(change.at / 1000);
  let events = change.events;
  const calibrationMode = currentMode(state) === 'calibration';
  const check = checkCardInsertion(card, change.at, vu);
  let iw = state.iw;
  let iwIndex: number | null = null;
  if (check.valid && (card.type === 'driver' || card.type === 'workshop')) {
    iw = [...iw, cardIWRecordAtInsertion(card, { slot, at: change.at, odometerKm: Math.floor(change.odometerKm) })];
    iwIndex = iw.length - 1;
  }
  let slots: CardSlotsState = { ...state, iw, [slot]: { card, valid: check.valid, iw: iwIndex } };
  const cards = slotCards(slots);
  if (!check.valid) events = recordInstant(events, { type: 0x01, at: t, cards }); // Annex IC 72
  const breach = check.valid ? undefined : SECURITY_EVENT[check.reason];
  if (breach !== undefined && !calibrationMode) events = recordInstant(events, { type: breach, at: t, cards }); // Annex IC 85
  // Annex IC 149, 87: a card that could not be written is declared faulty: a card fault
  if (!check.valid && check.reason === 'write-failed') events = recordCardFault(events, t, cards);
  // Annex IC 76: "a tachograph card" inserted while DRIVING, valid or not (73 and 75 say "valid" where they mean it)
  if (change.moving) events = recordInstant(events, { type: 0x05, at: t, cards });
  // Annex IC 77: a driver or workshop card whose previous session was not closed (its card session data still set)
  const last = vu.authentication?.ok ? vu.authentication.lastSession : undefined;
  if (last && check.valid && (card.type === 'driver' || card.type === 'workshop')) {
    events = recordInstant(events, {
      type: 0x06,
      at: t,
      cards,
      data: {
        lastSessionInsertion: Math.floor(last.insertion / 1000),
        lastVehicleRegistrationNation: last.vehicleRegistrationNation,
        lastVehicleRegistrationNumber: last.vehicleRegistrationNumber,
        lastVuGeneration: last.vuGeneration,
      },
    });
  }
  ({ slots, events } = updateConditions(slots, { ...change, events }));
  return { slots, events };
}

/** App. 1 EventFaultType '40'H card fault, no further details (Annex IC 87, 118 row "Card fault"). */
export const CARD_FAULT = 0x40;

/**
 * Annex IC 87: "a tachograph card failure occurs during operation". Choice: the fault is the failed write, so
 * it begins and ends at it (TimeReal `t`); what lasts is the card's non-validity (Annex IC 149).
 */
function recordCardFault(events: EventMemory, t: number, cards: SlotCards): EventMemory {
  const begun = beginSpan(events, { type: CARD_FAULT, at: t, cards });
  return endSpan(begun.memory, { id: begun.id, at: t, cards });
}

/**
 * Annex IC 149: a write to the card in `slot` still refused after three retries while the card is in: the VU
 * declares the card faulty and non-valid (ignored from now on, Annex IC 11; the mode and the conditions judged
 * again) and records a card fault ('40'H, Annex IC 87). Nothing changes for an empty slot or a card already
 * non-valid.
 */
export function cardWriteFailed(state: CardSlotsState, slot: Slot, change: CardChange): { slots: CardSlotsState; events: EventMemory } {
  const held = state[slot];
  if (!held || !held.valid) return { slots: state, events: change.events };
  const events = recordCardFault(change.events, Math.floor(change.at / 1000), slotCards(state));
  return updateConditions({ ...state, [slot]: { ...held, valid: false } }, { ...change, events });
}

/** Annex IC 149 at the withdrawal: the card goes out, its card fault ('40'H) recorded with the cards as they were. */
export function cardFaultAtWithdrawal(state: CardSlotsState, change: CardChange): EventMemory {
  return recordCardFault(change.events, Math.floor(change.at / 1000), slotCards(state));
}

export function withdrawCard(state: CardSlotsState, slot: Slot, change: CardChange): { slots: CardSlotsState; events: EventMemory } {
  const current = state[slot];
  if (!current) return { slots: state, events: change.events };
  const iw = state.iw.slice();
  if (current.iw !== null) iw[current.iw] = closeCardIWRecord(iw[current.iw]!, { at: change.at, odometerKm: Math.floor(change.odometerKm) });
  return updateConditions({ ...state, iw, [slot]: null }, change);
}

/**
 * Re-evaluates the conditions that last while they hold: card conflict (0x02) whenever the slots change,
 * driving without an appropriate card (0x04) while moving. Called on each card change and each second.
 */
export function updateConditions(state: CardSlotsState, change: CardChange): { slots: CardSlotsState; events: EventMemory } {
  const t = Math.floor(change.at / 1000);
  const cards = slotCards(state);
  let events = change.events;
  let { conflictEvent, noCardEvent } = state;
  const conflict = isCardConflict(seen(state.driver), seen(state['co-driver'])); // Annex IC 73
  if (conflict && conflictEvent === null) ({ memory: events, id: conflictEvent } = beginSpan(events, { type: 0x02, at: t, cards }));
  else if (!conflict && conflictEvent !== null) {
    events = endSpan(events, { id: conflictEvent, at: t, cards });
    conflictEvent = null;
  }
  // Annex IC 75; Annex IC 62: not while OUT OF SCOPE is open
  const noCard = change.moving && !change.outOfScope && isDrivingWithoutAppropriateCard(seen(state.driver), seen(state['co-driver']));
  if (noCard && noCardEvent === null) ({ memory: events, id: noCardEvent } = beginSpan(events, { type: 0x04, at: t, cards }));
  else if (!noCard && noCardEvent !== null) {
    events = endSpan(events, { id: noCardEvent, at: t, cards });
    noCardEvent = null;
  }
  return { slots: { ...state, conflictEvent, noCardEvent }, events };
}
