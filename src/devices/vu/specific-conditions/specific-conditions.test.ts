import { describe, expect, it } from 'vitest';
import { cardInserted, createActivityState, settled, tick, vehicleMoving, vehicleStopped } from '../activities/index.ts';
import { specificConditionRecords, specificConditionRefusalRecords } from './specific-condition-records.ts';
import { afterDrivingMinutes, createSpecificConditions, enterSpecificCondition, generation1Conditions, onDriverCard, specificConditionsOfDay, SPECIFIC_CONDITION_CAPACITY } from './specific-conditions.ts';

const D = Date.parse('2026-03-02T00:00:00Z');
const M = 60_000;
const H = 3_600_000;
const types = (s: { records: { entryTime: number; type: number }[] }) => s.records.map((r) => [(r.entryTime - D) / 1000, r.type]);

describe('specific conditions (Annex IC 62, 130)', () => {
  it('records each entry with its time in whole seconds and its App. 1 2.154 type', () => {
    let s = createSpecificConditions();
    s = enterSpecificCondition(s, 'out-of-scope-begin', D + 10 * M + 500, 0);
    s = enterSpecificCondition(s, 'out-of-scope-end', D + 20 * M, 0);
    s = enterSpecificCondition(s, 'ferry-train-begin', D + 30 * M, 7);
    expect(s.ferryTrain).toEqual({ since: D + 30 * M, drivingMinutes: 7 });
    s = enterSpecificCondition(s, 'ferry-train-end', D + 40 * M, 7);
    expect(types(s)).toEqual([
      [600, 1],
      [1200, 2],
      [1800, 3],
      [2400, 4],
    ]);
    expect(s.outOfScope).toBe(false);
    expect(s.ferryTrain).toBeNull();
    expect(s.refusals).toEqual([]);
    expect(specificConditionRecords(s.records)[0]).toEqual({ kind: 'specificCondition', code: 1, at: D + 10 * M, fields: { condition: 'out-of-scope-begin' } });
  });

  it('refuses a ferry/train begin while out of scope, and a begin or end that does not fit; nothing recorded', () => {
    let s = enterSpecificCondition(createSpecificConditions(), 'out-of-scope-begin', D, 0);
    s = enterSpecificCondition(s, 'ferry-train-begin', D + M, 0);
    s = enterSpecificCondition(s, 'out-of-scope-begin', D + 2 * M, 0);
    s = enterSpecificCondition(s, 'ferry-train-end', D + 3 * M, 0);
    s = enterSpecificCondition(s, 'out-of-scope-end', D + 4 * M, 0);
    s = enterSpecificCondition(s, 'out-of-scope-end', D + 5 * M, 0);
    expect(types(s)).toEqual([
      [0, 1],
      [240, 2],
    ]);
    expect(s.refusals.map((r) => [(r.at - D) / 1000, r.condition, r.reason])).toEqual([
      [60, 'ferry-train-begin', 'out-of-scope-open'],
      [120, 'out-of-scope-begin', 'already-open'],
      [180, 'ferry-train-end', 'not-open'],
      [300, 'out-of-scope-end', 'not-open'],
    ]);
    expect(specificConditionRefusalRecords(s.refusals)[0]).toMatchObject({ kind: 'specificConditionRefused', code: 'out-of-scope-open', at: D + M });
  });

  it('out of scope opened ends an open crossing at the same second (Annex IC 62)', () => {
    let s = enterSpecificCondition(createSpecificConditions(), 'ferry-train-begin', D, 0);
    s = enterSpecificCondition(s, 'out-of-scope-begin', D + 90_000, 0);
    expect(types(s)).toEqual([
      [0, 3],
      [90, 4],
      [90, 1],
    ]);
    expect(s.ferryTrain).toBeNull();
    expect(s.outOfScope).toBe(true);
  });

  it('a driver card inserted or withdrawn closes out of scope; withdrawn from the driver slot it ends a crossing, from the co-driver slot not', () => {
    let s = enterSpecificCondition(createSpecificConditions(), 'out-of-scope-begin', D, 0);
    s = onDriverCard(s, { withdrawal: false, slot: 'co-driver' }, D + 5 * M);
    expect(s.outOfScope).toBe(false);
    s = enterSpecificCondition(s, 'ferry-train-begin', D + 10 * M, 0);
    s = onDriverCard(s, { withdrawal: true, slot: 'co-driver' }, D + 20 * M);
    expect(s.ferryTrain).not.toBeNull();
    s = onDriverCard(s, { withdrawal: true, slot: 'driver' }, D + 30 * M);
    expect(types(s)).toEqual([
      [0, 1],
      [300, 2],
      [600, 3],
      [1800, 4],
    ]);
    // nothing open: nothing to close
    expect(onDriverCard(s, { withdrawal: true, slot: 'driver' }, D + 40 * M)).toBe(s);
  });

  it('keeps only the last entry of a type within one calendar minute (Annex IC 62)', () => {
    let s = enterSpecificCondition(createSpecificConditions(), 'out-of-scope-begin', D + 10_000, 0);
    s = enterSpecificCondition(s, 'out-of-scope-end', D + 20_000, 0);
    s = enterSpecificCondition(s, 'out-of-scope-begin', D + 50_000, 0);
    expect(types(s)).toEqual([
      [20, 2],
      [50, 1],
    ]);
    // the next minute is another minute
    s = enterSpecificCondition(s, 'out-of-scope-end', D + 60_000, 0);
    expect(types(s)).toHaveLength(3);
  });

  it('a crossing ends at the start of the first DRIVING minute the activity function computes after its begin', () => {
    let a = createActivityState(D + 8 * H);
    a = cardInserted(a, 'driver', D + 8 * H);
    a = vehicleMoving(a, D + 8 * H);
    a = vehicleStopped(a, D + 8 * H + 10 * M);
    a = settled(a, D + 8 * H + 15 * M);
    let s = enterSpecificCondition(createSpecificConditions(), 'ferry-train-begin', D + 8 * H + 15 * M, a.accumulatedDriving.minutes);
    expect(s.ferryTrain?.drivingMinutes).toBe(10);
    // an hour on board, stopped: the crossing stays open
    a = tick(a, D + 9 * H + 15 * M);
    expect(afterDrivingMinutes(s, a, D + 9 * H + 15 * M)).toBe(s);
    // driving off the ferry at 09:16
    a = vehicleMoving(a, D + 9 * H + 16 * M);
    a = tick(a, D + 9 * H + 17 * M);
    expect(afterDrivingMinutes(s, a, D + 9 * H + 17 * M)).toBe(s); // 09:16 not resolved yet (Annex IC 51 looks ahead)
    a = tick(a, D + 9 * H + 18 * M);
    s = afterDrivingMinutes(s, a, D + 9 * H + 18 * M);
    expect(types(s)).toEqual([
      [8 * 3600 + 15 * 60, 3],
      [9 * 3600 + 16 * 60, 4],
    ]);
    expect(s.ferryTrain).toBeNull();
  });

  it('gives a day its entries in order; generation 1 keeps no crossing end; the oldest give way past 730', () => {
    let s = createSpecificConditions();
    for (let i = 0; i < SPECIFIC_CONDITION_CAPACITY / 2 + 1; i++) {
      s = enterSpecificCondition(s, 'out-of-scope-begin', D + i * 86_400_000, 0);
      s = enterSpecificCondition(s, 'out-of-scope-end', D + i * 86_400_000 + H, 0);
    }
    expect(s.records).toHaveLength(SPECIFIC_CONDITION_CAPACITY);
    expect(s.records[0]!.entryTime).toBe(D + 86_400_000);
    expect(specificConditionsOfDay(s, D + 2 * 86_400_000).map((r) => r.type)).toEqual([1, 2]);
    expect(specificConditionsOfDay(s, D)).toEqual([]);
    expect(generation1Conditions([{ type: 1 }, { type: 3 }, { type: 4 }, { type: 2 }])).toEqual([{ type: 1 }, { type: 3 }, { type: 2 }]);
  });
});
