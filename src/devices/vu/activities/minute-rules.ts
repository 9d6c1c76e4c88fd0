import type { Activity } from './activity.ts';

/**
 * The per-minute reduction of Annex IC 50–52: the activity function outputs one activity per calendar
 * minute, reduced from the second-resolution activity. Pure.
 */

export const MINUTE_MS = 60_000;

/** An activity in force from `from` (ms) until the next one's `from`. The last runs on. */
export interface ActivitySpan {
  from: number;
  activity: Activity;
}

/** A continuous stretch of one activity inside a minute, with its length in ms. */
export interface ActivityPiece {
  activity: Activity;
  ms: number;
}

/**
 * The continuous activities inside the minute starting at `minuteStart`, in order. Adjacent spans of the
 * same activity join into one piece: a continuous activity is one activity without a change of activity,
 * whatever else (a card, the driving status) changed meanwhile. Spans must be sorted by `from`.
 */
export function piecesInMinute(spans: readonly ActivitySpan[], minuteStart: number): ActivityPiece[] {
  const end = minuteStart + MINUTE_MS;
  const pieces: ActivityPiece[] = [];
  for (let i = 0; i < spans.length; i++) {
    const from = Math.max(spans[i]!.from, minuteStart);
    const to = Math.min(i + 1 < spans.length ? spans[i + 1]!.from : Infinity, end);
    if (to <= from) continue;
    const last = pieces[pieces.length - 1];
    if (last && last.activity === spans[i]!.activity) last.ms += to - from;
    else pieces.push({ activity: spans[i]!.activity, ms: to - from });
  }
  return pieces;
}

/** Annex IC 52: the longest continuous activity within the minute, or the latest of equally long ones. */
export function longestActivity(pieces: readonly ActivityPiece[]): Activity {
  if (pieces.length === 0) throw new RangeError('a minute has at least one activity');
  let best = pieces[0]!;
  for (const piece of pieces) if (piece.ms >= best.ms) best = piece; // >=: the later of equals wins
  return best.activity;
}

/**
 * Annex IC 51 then 52: the activity a minute is regarded as. `previous` and `next` are the neighbours'
 * activities by the longest-activity rule (52); `own` is this minute's by that rule.
 *
 * Reading of 51 ("registered as the activity of" the neighbours): the neighbours' rule-52 activities,
 * which avoids a circular definition. Using the preceding minute's final activity instead gives the
 * same result, because a minute that 51 turns into DRIVING only ever neighbours minutes that are
 * DRIVING by 52 already.
 */
export function minuteActivity(previous: Activity | null, own: Activity, next: Activity): Activity {
  if (previous === 'driving' && next === 'driving') return 'driving'; // Annex IC 51
  return own; // Annex IC 52
}
