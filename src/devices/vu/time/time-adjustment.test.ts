import { describe, expect, it } from 'vitest';
import { keepAdjustment, type TimeAdjustmentRecord } from './time-adjustment.ts';

const T = 1_772_438_400; // 2026-03-02T08:00:00Z
const workshopCard = { cardType: 'workshop' as const, issuingMemberState: 0x06, cardNumber: 'B000000000777000', generation: 2 as const };
/** An adjustment at T + day days that moved the clock by `seconds`. */
const adjustment = (kind: 'automatic' | 'workshop', day: number, seconds: number): TimeAdjustmentRecord => ({
  oldTime: T + day * 86_400,
  newTime: T + day * 86_400 + seconds,
  kind,
  ...(kind === 'workshop' ? { workshopCard } : {}),
});
const keepAll = (records: TimeAdjustmentRecord[]) => records.reduce(keepAdjustment, [] as TimeAdjustmentRecord[]);
const sizes = (records: TimeAdjustmentRecord[]) => records.map((r) => r.newTime - r.oldTime);

describe('time adjustment data (Annex IC 124: the most recent and the 5 largest)', () => {
  it('keeps the most recent workshop adjustment and the 5 largest, in the order they were made', () => {
    const made = [600, -5, 300, -200, 100, 50, 2].map((s, day) => adjustment('workshop', day, s));
    // -5 is neither the most recent nor among the 5 largest (600, 300, 200, 100, 50): gone
    expect(sizes(keepAll(made))).toEqual([600, 300, -200, 100, 50, 2]);
  });

  it('measures size both ways: a clock set back counts as much as one set forward', () => {
    const made = [10, -20, 30, -40, 50, -60, 1].map((s, day) => adjustment('workshop', day, s));
    expect(sizes(keepAll(made))).toEqual([-20, 30, -40, 50, -60, 1]);
  });

  it('lets the earlier of two equal adjustments keep its place', () => {
    const made = [7, 7, 7, 7, 7, 7, 7, 1].map((s, day) => adjustment('workshop', day, s));
    expect(keepAll(made).map((r) => (r.oldTime - T) / 86_400)).toEqual([0, 1, 2, 3, 4, 7]);
  });

  it('drops a most recent adjustment once a newer one comes, unless it is among the largest', () => {
    const first = keepAll([10, 20, 30, 40, 50].map((s, day) => adjustment('workshop', day, s)));
    const small = keepAdjustment(first, adjustment('workshop', 5, 3));
    expect(sizes(small)).toEqual([10, 20, 30, 40, 50, 3]);
    expect(sizes(keepAdjustment(small, adjustment('workshop', 6, 4)))).toEqual([10, 20, 30, 40, 50, 4]);
    expect(sizes(keepAdjustment(small, adjustment('workshop', 6, 60)))).toEqual([20, 30, 40, 50, 60]);
  });

  it('applies the same rule to automatic adjustments in a pool of their own, so they never push out a workshop one', () => {
    const made = [adjustment('workshop', 0, 2), ...Array.from({ length: 25 }, (_, i) => adjustment('automatic', i + 1, 90 + i))];
    const kept = keepAll(made);
    expect(kept.filter((r) => r.kind === 'workshop').map((r) => r.oldTime)).toEqual([T]);
    // the 5 largest automatic ones (110..114) are also the most recent: 5 records, not 6
    expect(sizes(kept.filter((r) => r.kind === 'automatic'))).toEqual([110, 111, 112, 113, 114]);
    expect(kept).toHaveLength(6);
  });
});
