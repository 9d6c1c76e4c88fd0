import type { FullCardNumberAndGeneration } from './app1-codec.ts';

/**
 * A time adjustment (App. 1 `VuTimeAdjustmentRecord`, Annex IC 124, 125; automatic ones per req. 211 as
 * amended): old and new VU time as TimeReal; automatic (from GNSS) or by a workshop in calibration mode, which
 * also keeps the workshop card.
 */
export interface TimeAdjustmentRecord {
  oldTime: number;
  newTime: number;
  kind: 'automatic' | 'workshop';
  workshopCard?: FullCardNumberAndGeneration;
}
