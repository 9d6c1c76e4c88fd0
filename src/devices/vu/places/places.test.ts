import { describe, expect, it } from 'vitest';
import { cardSchema } from '../../cards/card-schema.ts';
import type { SlotState } from '../cards/card-slots.ts';
import { createPlaces, enterPlace, PLACE_CAPACITY, placesOfDay, type PlaceMoment, type PlacesState } from './places.ts';
import type { PlaceEntry } from './place-entry.ts';

const card = (type: string, cardNumber: string, extra: Record<string, unknown> = {}) =>
  cardSchema.parse({ type, issuingMemberState: 'B', cardNumber, holder: { surname: 'PEETERS', firstNames: 'Anna' }, validity: { begin: '2025-01-01', expiry: '2030-12-31' }, ...extra });
const anna = card('driver', 'B000000012345601');
const bert = card('driver', 'B000000067890101');
const wendy = card('workshop', 'B000000000777000', { workshopName: 'Rig Workshop', address: 'Brussels', pin: '1234' });
const haulage = cardSchema.parse({ type: 'company', issuingMemberState: 'B', cardNumber: 'B0000000000C1001', companyName: 'Rig Haulage', validity: { begin: '2025-01-01', expiry: '2030-12-31' } });

const held = (c: typeof anna, valid = true): SlotState => ({ card: c, valid, iw: valid ? 0 : null });
/** 2026-03-02 06:01:30.750 UTC, VU time. */
const T = Date.UTC(2026, 2, 2, 6, 1, 30, 750);
const DAY = Date.UTC(2026, 2, 2);
const BRUSSELS = { timeStamp: Date.UTC(2026, 2, 2, 6, 1, 20), gnssAccuracy: 9, latitude: 50510, longitude: 4211 };
const moment = (over: Partial<PlaceMoment> = {}): PlaceMoment => ({ held: held(anna), vuNow: T, odometerKm: 1234.9, gnss: BRUSSELS, ...over });
const BEGIN_B: PlaceEntry = { type: 'begin', country: 0x06, region: 0 };
const END_NL: PlaceEntry = { type: 'end', country: 0x26, region: 0 };
const ANNA_ID = { cardType: 'driver', issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 };

describe('places where daily work periods begin and end (Annex IC 56-60, 108-112)', () => {
  it('records a begin with the time of entry in whole seconds, the card, the odometer in whole km and the latest position', () => {
    const s = enterPlace(createPlaces(), 'driver', BEGIN_B, moment());
    expect(s).toEqual({
      records: [{ card: ANNA_ID, entryTime: Date.UTC(2026, 2, 2, 6, 1, 30), entryType: 0, country: 0x06, region: 0, odometerKm: 1234, place: BRUSSELS }],
      refusals: [],
    });
  });

  it('gives an end entry type 1, and keeps a Spanish region', () => {
    const s = enterPlace(createPlaces(), 'co-driver', { type: 'end', country: 0x0f, region: 0x05 }, moment({ held: held(bert) }));
    expect(s.records).toEqual([
      { card: { ...ANNA_ID, cardNumber: 'B000000067890101' }, entryTime: Date.UTC(2026, 2, 2, 6, 1, 30), entryType: 1, country: 0x0f, region: 0x05, odometerKm: 1234, place: BRUSSELS },
    ]);
  });

  it("takes a workshop card holder's place (Annex IC 58: driver or workshop card)", () => {
    const s = enterPlace(createPlaces(), 'driver', BEGIN_B, moment({ held: held(wendy) }));
    expect(s.records.map((r) => r.card)).toEqual([{ cardType: 'workshop', issuingMemberState: 0x06, cardNumber: 'B000000000777000', generation: 2 }]);
  });

  it('keeps the position it is given before any fix: unknown coordinates, time 0 (gnssPlace)', () => {
    const unknown = { timeStamp: 0, gnssAccuracy: 100, latitude: 0x7fffff, longitude: 0x7fffff };
    expect(enterPlace(createPlaces(), 'driver', BEGIN_B, moment({ gnss: unknown })).records[0]!.place).toEqual(unknown);
  });

  it('refuses an empty slot, a non-valid card and a company card: nothing recorded, the reason kept', () => {
    let s = createPlaces();
    s = enterPlace(s, 'co-driver', BEGIN_B, moment({ held: null }));
    s = enterPlace(s, 'driver', BEGIN_B, moment({ held: held(anna, false), vuNow: T + 1000 }));
    s = enterPlace(s, 'driver', END_NL, moment({ held: held(haulage), vuNow: T + 2000 }));
    expect(s.records).toEqual([]);
    expect(s.refusals.map((r) => [r.slot, r.reason, r.at])).toEqual([
      ['co-driver', 'no-card', Date.UTC(2026, 2, 2, 6, 1, 30)],
      ['driver', 'non-valid-card', Date.UTC(2026, 2, 2, 6, 1, 31)],
      ['driver', 'not-a-driver-or-workshop-card', Date.UTC(2026, 2, 2, 6, 1, 32)],
    ]);
    expect(s.refusals[0]!.detail).toBe('no card in the co-driver slot');
  });

  it('keeps only the last begin and the last end a card enters within one calendar minute (Annex IC 60)', () => {
    const at = (hh: number, mm: number, ss: number) => Date.UTC(2026, 2, 2, hh, mm, ss);
    let s = createPlaces();
    s = enterPlace(s, 'driver', BEGIN_B, moment({ vuNow: at(6, 1, 5) }));
    s = enterPlace(s, 'driver', END_NL, moment({ vuNow: at(6, 1, 10) }));
    s = enterPlace(s, 'co-driver', BEGIN_B, moment({ held: held(bert), vuNow: at(6, 1, 20) }));
    s = enterPlace(s, 'driver', { type: 'begin', country: 0x0d, region: 0 }, moment({ vuNow: at(6, 1, 59) })); // replaces 06:01:05
    s = enterPlace(s, 'driver', { type: 'begin', country: 0x11, region: 0 }, moment({ vuNow: at(6, 2, 0) })); // the next minute: kept too
    expect(s.records.map((r) => [r.card.cardNumber, r.entryType, r.country, new Date(r.entryTime).toISOString().slice(11, 19)])).toEqual([
      ['B000000012345601', 1, 0x26, '06:01:10'],
      ['B000000067890101', 0, 0x06, '06:01:20'],
      ['B000000012345601', 0, 0x0d, '06:01:59'],
      ['B000000012345601', 0, 0x11, '06:02:00'],
    ]);
  });

  it(`holds ${PLACE_CAPACITY} places (365 days of 6 begins and 6 ends, Annex IC §3.12); the next replaces the oldest (Annex IC 112)`, () => {
    let s: PlacesState = createPlaces();
    for (let i = 0; i <= PLACE_CAPACITY; i++) s = enterPlace(s, 'driver', i % 2 ? END_NL : BEGIN_B, moment({ vuNow: DAY + i * 120_000 }));
    expect(s.records).toHaveLength(4380);
    expect(s.records[0]!.entryTime).toBe(DAY + 120_000); // the first entry (00:00) is gone
    expect(s.records.at(-1)!.entryTime).toBe(DAY + 4380 * 120_000);
  });

  it('gives a day its places, 00:00:00 to 23:59:59 VU time, in chronological order (TREP 22)', () => {
    let s = createPlaces();
    const vuNow = [DAY - 1000, DAY + 10 * 3_600_000, DAY, DAY + 86_399_000, DAY + 86_400_000];
    // the third entry comes after a clock set back (a time adjustment): stored third, listed first
    for (const t of vuNow) s = enterPlace(s, 'driver', BEGIN_B, moment({ vuNow: t }));
    expect(placesOfDay(s, DAY).map((r) => r.entryTime)).toEqual([DAY, DAY + 10 * 3_600_000, DAY + 86_399_000]);
    expect(placesOfDay(s, DAY + 86_400_000).map((r) => r.entryTime)).toEqual([DAY + 86_400_000]);
    expect(placesOfDay(s, DAY - 86_400_000).map((r) => r.entryTime)).toEqual([DAY - 1000]);
  });
});
