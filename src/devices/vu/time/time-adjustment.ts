import type { TimeAdjustmentRecord } from '../../../protocols/app1/time-adjustment-record.ts';

export type { TimeAdjustmentRecord };

/** Annex IC 124: "the 5 largest time adjustments", beside "the most recent time adjustment". */
export const LARGEST_ADJUSTMENTS_KEPT = 5;

/**
 * The time adjustment data after `record` (Annex IC 124): the most recent adjustment and the 5 largest, in the
 * order they were made. "Largest" is |new - old| (a clock set back counts as much as one set forward); of two
 * equal, the earlier keeps its place. An adjustment dropped once is never needed again: a newer one only
 * replaces the most recent, and the 5 largest only grow.
 *
 * Choice: req. 124 speaks of adjustments "performed in calibration mode" (the workshop's); the VU records its
 * automatic GNSS adjustments (req. 211) in the same App. 1 record, and the text gives no rule for them. Each
 * kind is kept by the req. 124 rule in a pool of its own, so automatic adjustments, which come every few days,
 * never push a workshop adjustment out of what 124 says must be kept.
 */
export function keepAdjustment(list: readonly TimeAdjustmentRecord[], record: TimeAdjustmentRecord): TimeAdjustmentRecord[] {
  const all = [...list, record];
  const kept = new Set<number>();
  for (const kind of ['automatic', 'workshop'] as const) {
    const pool = all.map((r, index) => ({ r, index })).filter(({ r }) => r.kind === kind);
    if (pool.length === 0) continue;
    kept.add(pool[pool.length - 1]!.index); // the most recent
    const bySize = [...pool].sort((a, b) => size(b.r) - size(a.r) || a.index - b.index);
    for (const { index } of bySize.slice(0, LARGEST_ADJUSTMENTS_KEPT)) kept.add(index);
  }
  return all.filter((_, index) => kept.has(index));
}

function size(r: TimeAdjustmentRecord): number {
  return Math.abs(r.newTime - r.oldTime);
}
