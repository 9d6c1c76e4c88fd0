import { describe, expect, it } from 'vitest';
import { fullCardNumberOf, type VirtualCard } from '../../cards/card.ts';
import { driverCardSchema, workshopCardSchema } from '../../cards/card-schema.ts';
import { acme, anna, bolt, carla, max, wendy } from '../../cards/test-cards.ts';
import { createEventMemory, type EventMemory } from '../data-memory/event-store.ts';
import {
  checkSlotFree,
  createCardSlots,
  currentMode,
  insertCard,
  modeCard,
  slotHolders,
  SlotOccupiedError,
  updateConditions,
  withdrawCard,
  type CardSlotsState,
  type Slot,
} from './card-slots.ts';

const T = Date.UTC(2026, 2, 2, 8, 0, 0); // VU time, ms
const S = T / 1000; // the same as TimeReal
const expired = driverCardSchema.parse({ ...anna, cardNumber: 'B000000054321001', validity: { begin: '2020-01-01', expiry: '2025-12-31' } });
/** Annex IC 18: a first generation workshop card is non-valid in a second generation VU. */
const gen1Workshop = workshopCardSchema.parse({ ...wendy, generation: 1 });

interface Step {
  slots: CardSlotsState;
  events: EventMemory;
}
const start = (): Step => ({ slots: createCardSlots(), events: createEventMemory() });
const change = (s: Step, at: number, moving = false, odometerKm = 1234.9) => ({ at, moving, odometerKm, events: s.events });
const put = (s: Step, slot: Slot, card: VirtualCard, at = T, moving = false): Step => insertCard(s.slots, slot, card, change(s, at, moving));
const pull = (s: Step, slot: Slot, at = T, moving = false): Step => withdrawCard(s.slots, slot, change(s, at, moving));
const tick = (s: Step, at: number, moving: boolean): Step => updateConditions(s.slots, change(s, at, moving));
/** The slots with these cards in (driver slot first), inserted at T while parked. */
const holding = (driver: VirtualCard | null, coDriver: VirtualCard | null = null): CardSlotsState => {
  let s = start();
  if (driver) s = put(s, 'driver', driver);
  if (coDriver) s = put(s, 'co-driver', coDriver);
  return s.slots;
};
/** The stored events: type, begin, end, and the card numbers in the driver and co-driver slots at begin and at end. */
const stored = (events: EventMemory) =>
  events.records.map((r) => [
    r.type,
    r.begin,
    r.end,
    [r.cardsAtBegin.driver?.cardNumber ?? null, r.cardsAtBegin.codriver?.cardNumber ?? null],
    r.cardsAtEnd && [r.cardsAtEnd.driver?.cardNumber ?? null, r.cardsAtEnd.codriver?.cardNumber ?? null],
  ]);

describe('insertion and withdrawal records (Annex IC 102)', () => {
  it('opens a record for a valid driver or workshop card, with its slot, the time and the odometer in whole km', () => {
    let s = put(start(), 'driver', anna);
    s = put(s, 'co-driver', wendy, T + 5000);
    expect(s.slots.driver).toEqual({ card: anna, valid: true, iw: 0 });
    expect(s.slots['co-driver']).toEqual({ card: wendy, valid: true, iw: 1 });
    expect(s.slots.iw.map((r) => [r.fullCardNumberAndGeneration, r.cardSlotNumber, r.cardInsertionTime, r.vehicleOdometerValueAtInsertion, r.cardWithdrawalTime])).toEqual([
      [fullCardNumberOf(anna), 'driver', T, 1234, null],
      [fullCardNumberOf(wendy), 'co-driver', T + 5000, 1234, null],
    ]);
  });

  it('opens none for a company or control card, nor for a non-valid card', () => {
    expect(holding(acme, carla).iw).toEqual([]);
    const s = holding(expired);
    expect(s.iw).toEqual([]);
    expect(s.driver).toEqual({ card: expired, valid: false, iw: null });
  });

  it('closes the card\'s own record at withdrawal, leaving the other slot\'s open and the earlier state as it was', () => {
    const both = put(put(start(), 'driver', anna), 'co-driver', max);
    const before = structuredClone(both.slots);
    const out = withdrawCard(both.slots, 'co-driver', { ...change(both, T + 3_600_000), odometerKm: 1301.7 });
    expect(out.slots['co-driver']).toBe(null);
    expect(out.slots.driver).toEqual({ card: anna, valid: true, iw: 0 });
    expect(out.slots.iw.map((r) => [r.fullCardNumberAndGeneration.cardNumber, r.cardWithdrawalTime, r.vehicleOdometerValueAtWithdrawal])).toEqual([
      ['B000000012345601', null, null],
      ['DF00001234567801', T + 3_600_000, 1301],
    ]);
    expect(both.slots).toEqual(before); // copy on write: the VU machine's earlier context is untouched
  });

  it('closes no record when a company card is withdrawn', () => {
    const s = put(put(start(), 'driver', anna), 'co-driver', acme);
    const out = pull(s, 'co-driver', T + 60_000);
    expect(out.slots.iw).toEqual(s.slots.iw);
    expect(out.slots['co-driver']).toBe(null);
  });

  it('changes nothing when the slot is empty', () => {
    const s = put(start(), 'driver', anna);
    const out = pull(s, 'co-driver', T + 60_000);
    expect(out.slots).toBe(s.slots);
    expect(out.events).toBe(s.events);
  });
});

describe('events at insertion (Annex IC 72, 76)', () => {
  it('records a card insertion while driving (0x05) with the cards of both slots, and none while parked', () => {
    const parked = put(put(start(), 'co-driver', max), 'driver', anna, T + 10_000);
    expect(stored(parked.events)).toEqual([]);
    const driving = put(put(start(), 'co-driver', max), 'driver', anna, T + 10_000, true);
    expect(stored(driving.events)).toEqual([[0x05, S + 10, S + 10, ['B000000012345601', 'DF00001234567801'], ['B000000012345601', 'DF00001234567801']]]);
  });

  it('records a non-valid card (0x01) with that card in the event, and otherwise ignores it (Annex IC 11)', () => {
    const s = put(put(start(), 'driver', anna), 'co-driver', expired, T + 2500);
    expect(stored(s.events)).toEqual([[0x01, S + 2, S + 2, ['B000000012345601', 'B000000054321001'], ['B000000012345601', 'B000000054321001']]]);
    expect(s.slots['co-driver']).toEqual({ card: expired, valid: false, iw: null });
    expect(slotHolders(s.slots)).toEqual({ driver: { type: 'driver', cardNumber: 'B000000012345601' }, coDriver: null });
  });
});

describe('card conflict, 0x02 (Annex IC 73)', () => {
  it('lasts while a conflicting combination is in the slots: one record from the insertion to the withdrawal', () => {
    // workshop card in the driver slot, driver card in the co-driver slot: X in the table
    let s = put(put(start(), 'driver', wendy), 'co-driver', anna, T + 1000);
    for (let t = T + 2000; t <= T + 5000; t += 1000) s = tick(s, t, false); // re-evaluated each second: still one record
    expect(stored(s.events)).toEqual([[0x02, S + 1, null, ['B000000000777000', 'B000000012345601'], null]]);
    expect(s.slots.conflictEvent).toBe(1);
    s = pull(s, 'driver', T + 6000);
    expect(stored(s.events)).toEqual([[0x02, S + 1, S + 6, ['B000000000777000', 'B000000012345601'], [null, 'B000000012345601']]]);
    expect(s.slots.conflictEvent).toBe(null);
    s = tick(s, T + 7000, false);
    expect(s.events.records).toHaveLength(1);
  });

  it('counts the card in the co-driver slot: a workshop card there with a driver card in the driver slot conflicts', () => {
    const s = put(put(start(), 'driver', anna), 'co-driver', wendy, T + 1000);
    expect(stored(s.events)).toEqual([[0x02, S + 1, null, ['B000000012345601', 'B000000000777000'], null]]);
  });

  it('is no conflict where the table has none (two driver cards), nor with a non-valid card (Annex IC 11, 18)', () => {
    expect(stored(put(put(start(), 'driver', anna), 'co-driver', max).events)).toEqual([]);
    // a gen1 workshop card is non-valid in a gen2 VU: 0x01, and the driver card is alone
    expect(stored(put(put(start(), 'driver', anna), 'co-driver', gen1Workshop, T + 1000).events)).toEqual([
      [0x01, S + 1, S + 1, ['B000000012345601', 'B000000000777000'], ['B000000012345601', 'B000000000777000']],
    ]);
  });
});

describe('driving without an appropriate card, 0x04 (Annex IC 75)', () => {
  it('begins with the first moving second without a card, stays one record, and ends when a driver card goes in', () => {
    let s = tick(start(), T, false);
    expect(stored(s.events)).toEqual([]);
    for (let t = T + 1000; t <= T + 4000; t += 1000) s = tick(s, t, true);
    expect(stored(s.events)).toEqual([[0x04, S + 1, null, [null, null], null]]);
    s = put(s, 'driver', anna, T + 5000, true);
    expect(stored(s.events)).toEqual([
      [0x04, S + 1, S + 5, [null, null], ['B000000012345601', null]],
      [0x05, S + 5, S + 5, ['B000000012345601', null], ['B000000012345601', null]],
    ]);
    expect(s.slots.noCardEvent).toBe(null);
  });

  it('counts the co-driver slot: a control card there makes a driver card in the driver slot not appropriate', () => {
    const alone = tick({ slots: holding(anna), events: createEventMemory() }, T + 1000, true);
    expect(stored(alone.events)).toEqual([]);
    const withControl = tick({ slots: holding(anna, carla), events: createEventMemory() }, T + 1000, true);
    expect(stored(withControl.events)).toEqual([[0x04, S + 1, null, ['B000000012345601', 'B000000000CTL000'], null]]);
  });

  it('ends when the vehicle stops', () => {
    let s = tick(start(), T + 1000, true);
    s = tick(s, T + 2000, true);
    s = tick(s, T + 3000, false);
    expect(stored(s.events)).toEqual([[0x04, S + 1, S + 3, [null, null], [null, null]]]);
    expect(s.slots.noCardEvent).toBe(null);
  });
});

describe('the cards the modes and access rules see (Annex IC 10, 11)', () => {
  it('gives the valid cards of both slots as type and number, a non-valid one as an empty slot', () => {
    expect(slotHolders(holding(anna, wendy))).toEqual({
      driver: { type: 'driver', cardNumber: 'B000000012345601' },
      coDriver: { type: 'workshop', cardNumber: 'B000000000777000' },
    });
    expect(slotHolders(holding(gen1Workshop, acme))).toEqual({ driver: null, coDriver: { type: 'company', cardNumber: 'B000000000ACM000' } });
    expect(slotHolders(createCardSlots())).toEqual({ driver: null, coDriver: null });
  });

  it('takes the mode from the valid cards only', () => {
    expect(currentMode(holding(gen1Workshop))).toBe('operational');
    expect(currentMode(holding(gen1Workshop, acme))).toBe('company');
    expect(currentMode(holding(anna, wendy))).toBe('calibration');
  });

  it("names the card whose holder the mode serves, the driver slot's of two (Annex IC 10 (*1))", () => {
    expect(modeCard(holding(acme))).toBe(acme);
    expect(modeCard(holding(anna, acme))).toBe(acme); // company mode from the co-driver slot
    expect(modeCard(holding(bolt, acme))).toBe(bolt);
    expect(modeCard(holding(acme, bolt))).toBe(acme);
    expect(modeCard(holding(null, carla))).toBe(carla);
    expect(modeCard(holding(anna, wendy))).toBe(wendy); // calibration mode: the workshop card
    expect(modeCard(holding(gen1Workshop, acme))).toBe(acme); // the non-valid card is no card
  });

  it('names none in operational mode', () => {
    expect(modeCard(createCardSlots())).toBe(undefined);
    expect(modeCard(holding(anna, max))).toBe(undefined);
    expect(modeCard(holding(carla, acme))).toBe(undefined); // control and company cards together: operational
  });
});

describe('a card offered to an occupied slot (Annex IC 19, 20)', () => {
  it('is refused with the card the slot holds named; an empty slot takes it', () => {
    const slots = holding(anna, expired);
    expect(() => checkSlotFree(slots, 'driver', max)).toThrow(SlotOccupiedError);
    expect(() => checkSlotFree(slots, 'driver', max)).toThrow('the driver slot already holds a card, driver card B000000012345601: ');
    expect(() => checkSlotFree(slots, 'driver', anna)).toThrow('the driver slot already holds that very card, driver card B000000012345601: ');
    expect(() => checkSlotFree(slots, 'co-driver', max)).toThrow('the co-driver slot already holds a card, driver card B000000054321001 (non-valid): ');
    expect(() => checkSlotFree(holding(anna), 'co-driver', max)).not.toThrow();
    expect(() => insertCard(slots, 'driver', max, { at: T, moving: false, odometerKm: 0, events: createEventMemory() })).toThrow(SlotOccupiedError);
  });
});
