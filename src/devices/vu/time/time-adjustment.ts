import type { FullCardNumberAndGeneration } from '../data-memory/card-number.ts';

/**
 * A time adjustment (App. 1 `VuTimeAdjustmentRecord`, Annex IC §3.12.7 as amended by req. 211): old and new
 * VU time as TimeReal; automatic (from GNSS, every 12 hours) or by a workshop in calibration mode, which
 * also keeps the workshop card.
 */
export interface TimeAdjustmentRecord {
  oldTime: number;
  newTime: number;
  kind: 'automatic' | 'workshop';
  workshopCard?: FullCardNumberAndGeneration;
}

/** Annex IC §3.12.7: at least the last 20 adjustments (a choice of 20; the Annex says "at least"). */
export const TIME_ADJUSTMENTS_KEPT = 20;

export function keepAdjustment(list: readonly TimeAdjustmentRecord[], record: TimeAdjustmentRecord): TimeAdjustmentRecord[] {
  const out = [...list, record];
  return out.length > TIME_ADJUSTMENTS_KEPT ? out.slice(out.length - TIME_ADJUSTMENTS_KEPT) : out;
}
