/**
 * Accumulated driving time (Annex IC definition fff as amended by Reg. (EU) 2018/502): an unsynchronised
 * count of all minutes the activity function regards as DRIVING, started when the VU is activated, not
 * affected by any other condition (out of scope, ferry/train), never displayed, printed or downloaded.
 * Each time it reaches a multiple of three hours the VU records the vehicle's position (Annex IC 27, 108).
 * Pure, plain data.
 */

export interface AccumulatedDriving {
  /** DRIVING minutes counted since activation. */
  minutes: number;
}

/** Three hours, in minutes: positions are recorded at every multiple of this (Annex IC 108). */
export const POSITION_INTERVAL_MINUTES = 180;

export function createAccumulatedDriving(): AccumulatedDriving {
  return { minutes: 0 };
}

/**
 * Feeds one resolved minute. `reached` is the accumulated count (180, 360, ...) when this minute made it
 * reach a multiple of three hours, else null: each multiple is reported once, by the minute that reaches it.
 */
export function countMinute(acc: AccumulatedDriving, driving: boolean): { acc: AccumulatedDriving; reached: number | null } {
  if (!driving) return { acc, reached: null };
  const minutes = acc.minutes + 1;
  return { acc: { minutes }, reached: minutes % POSITION_INTERVAL_MINUTES === 0 ? minutes : null };
}
