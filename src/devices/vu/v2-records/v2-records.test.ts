import { describe, expect, it } from 'vitest';
import { createV2Records, crossBorder, enterLoadUnload } from './v2-records.ts';
import { v2Records } from './v2-record-kinds.ts';

const T = Date.parse('2026-03-02T06:00:00Z');
const place = { timeStamp: T, gnssAccuracy: 3, latitude: 1, longitude: 2 };
const anna = { cardType: 'driver' as const, issuingMemberState: 6, cardNumber: 'B000000012345601', generation: 2 as const };
const at = (ms: number, odometerKm = 10.7) => ({ vuNow: T + ms, cards: { driver: anna, codriver: null }, place, odometerKm });

describe('load/unload operations and border crossings in the VU (Annex IC 62a, 62b, 133a)', () => {
  it('keeps each operation with the cards, the position and the whole km; of one type in a calendar minute the last', () => {
    let s = createV2Records();
    s = enterLoadUnload(s, 'load', at(10_500));
    s = enterLoadUnload(s, 'unload', at(20_000));
    s = enterLoadUnload(s, 'load', at(50_000));
    s = enterLoadUnload(s, 'simultaneous', at(70_000));
    expect(s.loadUnloads.map((r) => [(r.timeStamp - T) / 1000, r.operationType, r.odometerKm, r.driverCard?.cardNumber])).toEqual([
      [20, 2, 10, 'B000000012345601'],
      [50, 1, 10, 'B000000012345601'],
      [70, 3, 10, 'B000000012345601'],
    ]);
    expect(v2Records(s)[0]).toMatchObject({ kind: 'loadUnload', code: 2, at: T + 20_000, fields: { operation: 'unload' } });
  });

  it('a crossing leaves the registering nation first, then the country last entered; the same country is none', () => {
    let s = createV2Records();
    s = crossBorder(s, 6, 6, at(0));
    expect(s.borderCrossings).toEqual([]);
    s = crossBorder(s, 13, 6, at(60_000));
    s = crossBorder(s, 13, 6, at(120_000));
    s = crossBorder(s, 17, 6, at(180_000));
    expect(s.borderCrossings.map((r) => [r.countryLeft, r.countryEntered, (r.at - T) / 1000])).toEqual([
      [6, 13, 60],
      [13, 17, 180],
    ]);
    expect(v2Records(s)[1]).toMatchObject({ kind: 'borderCrossing', code: 'F', fields: { countryLeft: 13, countryEntered: 17 } });
  });
});
