import { describe, expect, it } from 'vitest';
import { fullCardNumberOf } from '../../cards/card.ts';
import { anna, max } from '../../cards/test-cards.ts';
import { cardInserted, createActivityState, settled, tick, vehicleMoving, vehicleStopped } from '../activities/index.ts';
import { beginSpan, createEventMemory, endSpan, recordInstant } from '../data-memory/event-store.ts';
import { cardSessionRecords, type CardSessionInput } from './card-session-records.ts';

const DAY = 86_400_000;
const D = Date.UTC(2026, 2, 2);
const H = 3_600_000;
const ANNA = fullCardNumberOf(anna);
const MAX = fullCardNumberOf(max);
const vehicle = { nation: 6, number: 'B-RIG-001' };

/** A session from 22:00 on day 1 to 02:00 on day 2 (withdrawn), driving 22:30-01:30, 90 km, midnight at 40 km. */
function input(over: Partial<CardSessionInput> = {}): CardSessionInput {
  const insertion = D + 22 * H;
  let a = createActivityState(insertion);
  a = cardInserted(a, 'driver', insertion);
  a = tick(a, insertion + 30 * 60_000);
  a = vehicleMoving(a, insertion + 30 * 60_000);
  a = tick(a, D + DAY + 1.5 * H);
  a = vehicleStopped(a, D + DAY + 1.5 * H);
  a = tick(a, D + DAY + 2 * H);
  return {
    card: anna,
    slot: 'driver',
    insertion,
    now: D + DAY + 2 * H,
    withdrawal: true,
    odometerAtInsertionKm: 1000,
    odometerNowKm: 1090,
    midnightOdometers: [{ day: D + DAY, km: 1040 }],
    vehicle,
    registrationHex: '',
    vin: 'WDB9634031L000001',
    activities: settled(a, D + DAY + 2 * H),
    events: createEventMemory(),
    places: [],
    gnssAd: [],
    specificConditions: [],
    vu: { manufacturerCode: 0x40, deviceId: 6, softwareVersion: '0100' },
    history: { lastDay: null, lastVehicle: null },
    ...over,
  };
}

describe('the session as the card records it (card-session-records.ts)', () => {
  it('a session across midnight: a day record and a vehicle record per calendar day (Annex IC 291, 294)', () => {
    const r = cardSessionRecords(input(), 2);
    expect(r.firstDayFromMinute).toBe(22 * 60);
    expect(r.days.map((d) => [new Date(d.date).toISOString(), d.distanceKm, d.changes.map((c) => `${c.minute}:${c.cardStatus}:${c.activity}`)])).toEqual([
      ['2026-03-02T00:00:00.000Z', 40, ['1320:inserted:break-rest', '1350:inserted:driving']],
      ['2026-03-03T00:00:00.000Z', 50, ['0:inserted:driving', '90:inserted:work', '120:not-inserted:break-rest']],
    ]);
    expect(r.vehicles.map((v) => [new Date(v.firstUse).toISOString(), new Date(v.lastUse).toISOString(), v.odometerBeginKm, v.odometerEndKm, v.vuDataBlockCounter])).toEqual([
      ['2026-03-02T22:00:00.000Z', '2026-03-02T23:59:59.000Z', 1000, 1040, 1],
      ['2026-03-03T00:00:00.000Z', '2026-03-03T02:00:00.000Z', 1040, 1090, 1],
    ]);
    expect(r.vehicleUnit).toEqual({ timeStamp: D + 22 * H, manufacturerCode: 0x40, deviceId: 6, softwareVersion: '0100' });
    expect(cardSessionRecords(input(), 1).vehicleUnit).toBeNull();
  });

  it('continues the period of use of the same vehicle the same day, adds the day distance the card held, counts the cycle', () => {
    const registrationHex = '06' + '01' + '422d5249472d303031' + '20202020';
    const r = cardSessionRecords(
      input({ registrationHex, history: { lastDay: { date: D, distanceKm: 12 }, lastVehicle: { firstUse: D + 8 * H, lastUse: D + 9 * H, odometerBeginKm: 900, registration: registrationHex, vuDataBlockCounter: 41 } } }),
      2,
    );
    expect(r.days[0]!.distanceKm).toBe(52);
    expect(r.vehicles[0]).toMatchObject({ firstUse: D + 8 * H, odometerBeginKm: 900, vuDataBlockCounter: 42 });
    expect(r.vehicleUnit?.timeStamp).toBe(D + 8 * H);
  });

  it("events and faults of the card's types, with the card in, clamped to the session; 0x06 as Annex IC 286's note gives it", () => {
    const t = (ms: number) => ms / 1000;
    const withAnna = { driver: ANNA, codriver: null };
    let events = createEventMemory();
    // a power interruption that began before the insertion (clamped to it) and one with another card only
    let id: number;
    ({ memory: events, id } = beginSpan(events, { type: 0x08, at: t(D + 21 * H), cards: withAnna }));
    events = endSpan(events, { id, at: t(D + 23 * H), cards: withAnna });
    ({ memory: events, id } = beginSpan(events, { type: 0x08, at: t(D + 23.5 * H), cards: { driver: MAX, codriver: null } }));
    events = endSpan(events, { id, at: t(D + 23.6 * H), cards: { driver: MAX, codriver: null } });
    // 0x06 found at this insertion: begin the unclosed session, end this insertion, its vehicle
    events = recordInstant(events, { type: 0x06, at: t(D + 22 * H), cards: withAnna, data: { lastSessionInsertion: t(D + 5 * H), lastVehicleRegistrationNation: 0x0d, lastVehicleRegistrationNumber: 'D-XY 9', lastVuGeneration: 2 } });
    // over speeding is no card event (Annex IC 285); a VU internal fault still on-going: to the withdrawal
    ({ memory: events, id } = beginSpan(events, { type: 0x07, at: t(D + 23 * H), cards: withAnna }));
    ({ memory: events } = beginSpan(events, { type: 0x31, at: t(D + DAY + H), cards: withAnna }));
    const r = cardSessionRecords(input({ events }), 2);
    expect(r.events).toEqual([
      { type: 0x08, begin: D + 22 * H, end: D + 23 * H, vehicle },
      { type: 0x06, begin: D + 5 * H, end: D + 22 * H, vehicle: { nation: 0x0d, number: 'D-XY 9' } },
    ]);
    expect(r.faults).toEqual([{ type: 0x31, begin: D + DAY + H, end: D + DAY + 2 * H, vehicle }]);
  });

  it('GNSS accumulated driving places of the card in either slot, within the session, on DF Tachograph_G2 only (Annex IC 305)', () => {
    const place = { timeStamp: D + 23 * H, gnssAccuracy: 9, latitude: 50510, longitude: 4211 };
    const gnssAd = [
      { timeStamp: D + 23 * H, driverCard: null, codriverCard: ANNA, place, odometerKm: 1030 },
      { timeStamp: D + 23.5 * H, driverCard: MAX, codriverCard: null, place, odometerKm: 1035 },
      { timeStamp: D + 21 * H, driverCard: ANNA, codriverCard: null, place, odometerKm: 990 },
    ];
    expect(cardSessionRecords(input({ gnssAd }), 2).gnssAd).toEqual([{ timeStamp: D + 23 * H, place, odometerKm: 1030 }]);
    expect(cardSessionRecords(input({ gnssAd }), 1).gnssAd).toEqual([]);
  });

  it('specific conditions entered while the card was in, its insertion and withdrawal included; DF Tachograph without the crossing ends (Annex IC 276, App. 1 2.154)', () => {
    const specificConditions = [
      { entryTime: D + 21 * H, type: 0x01 }, // before the insertion: not this card's
      { entryTime: D + 22 * H, type: 0x02 }, // closed by the insertion (Annex IC 62)
      { entryTime: D + 23 * H, type: 0x03 },
      { entryTime: D + DAY + H, type: 0x04 },
      { entryTime: D + DAY + 2 * H, type: 0x01 }, // at the withdrawal
      { entryTime: D + DAY + 2 * H + 1000, type: 0x02 }, // after it
    ];
    expect(cardSessionRecords(input({ specificConditions }), 2).specificConditions).toEqual([
      { entryTime: D + 22 * H, type: 0x02 },
      { entryTime: D + 23 * H, type: 0x03 },
      { entryTime: D + DAY + H, type: 0x04 },
      { entryTime: D + DAY + 2 * H, type: 0x01 },
    ]);
    expect(cardSessionRecords(input({ specificConditions }), 1).specificConditions).toEqual([
      { entryTime: D + 22 * H, type: 0x02 },
      { entryTime: D + 23 * H, type: 0x03 },
      { entryTime: D + DAY + 2 * H, type: 0x01 },
    ]);
  });
});
