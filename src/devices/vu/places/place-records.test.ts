import { describe, expect, it } from 'vitest';
import { entryKindOf } from './entry-type.ts';
import { placeRecord, placeRefusalRecords } from './place-records.ts';

const card = { cardType: 'driver' as const, issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 as const };
const place = { timeStamp: Date.UTC(2026, 2, 2, 7, 4), gnssAccuracy: 9, latitude: 51342, longitude: 4211 };

describe('places as scenarios see them', () => {
  it('names the entry type, the country and region as typed, with their codes', () => {
    const entryTime = Date.UTC(2026, 2, 2, 7, 4, 10);
    expect(placeRecord({ card, entryTime, entryType: 1, country: 0x0f, region: 0x05, odometerKm: 80, place })).toEqual({
      kind: 'place',
      code: 1,
      at: entryTime,
      fields: { type: 'end', card, country: 'E', countryCode: 0x0f, region: 'CAT', regionCode: 0x05, odometerKm: 80, gnssPlace: place },
    });
  });

  it("shows codes outside App. 1's lists as hex, never as a wrong name (a real VU's download)", () => {
    const r = placeRecord({ card, entryTime: 0, entryType: 9, country: 0x80, region: 0x42, odometerKm: 0, place });
    expect(r.fields).toMatchObject({ type: null, country: '0x80', region: '0x42' });
  });

  it('tells begin from end for every entry type App. 1 names (0..5)', () => {
    expect([0, 1, 2, 3, 4, 5, 6, -1].map(entryKindOf)).toEqual(['begin', 'end', 'begin', 'end', 'begin', 'end', null, null]);
  });

  it('gives a refusal its reason as the code', () => {
    const at = Date.UTC(2026, 2, 2, 6);
    expect(placeRefusalRecords([{ at, slot: 'co-driver', reason: 'no-card', detail: 'no card in the co-driver slot' }])).toEqual([
      { kind: 'placeRefused', code: 'no-card', at, fields: { at, slot: 'co-driver', reason: 'no-card', detail: 'no card in the co-driver slot' } },
    ]);
  });
});
