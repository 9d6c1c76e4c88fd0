import { SPECIFIC_CONDITION_TYPE, type VuSpecificCondition } from './specific-conditions.ts';

/**
 * App. 12 GNS_42 trigger 2: "tFerryTrain is the sum of the durations in hours of the ferry/train crossings in
 * the considered time interval. The duration of a ferry/train crossing is defined as the time difference
 * between its end flag and its beginning flag." The crossings' flags (VU time, ms) as the VU keeps them, oldest
 * first; `openSince` the begin of a crossing still open (it runs to `to`).
 *
 * Choice: a crossing that reaches outside [from, to] counts only its part inside, so no crossing is counted in
 * two intervals; an end flag whose begin flag is no longer kept (Annex IC 131's 365 days) counts from `from`.
 */
export function ferryTrainMsBetween(records: readonly VuSpecificCondition[], openSince: number | null, from: number, to: number): number {
  const inside = (begin: number, end: number) => Math.max(0, Math.min(end, to) - Math.max(begin, from));
  let total = 0;
  let begin: number | null = null;
  let sawBegin = false;
  for (const r of records) {
    if (r.type === SPECIFIC_CONDITION_TYPE['ferry-train-begin']) {
      begin = r.entryTime;
      sawBegin = true;
    } else if (r.type === SPECIFIC_CONDITION_TYPE['ferry-train-end']) {
      if (begin !== null) total += inside(begin, r.entryTime);
      else if (!sawBegin) total += inside(from, r.entryTime);
      begin = null;
    }
  }
  if (openSince !== null) total += inside(openSince, to);
  return total;
}
