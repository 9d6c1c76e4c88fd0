/**
 * App. 1 2.66 `EntryTypeDailyWorkPeriod`: begin or end, and how the entry's time was got.
 *
 * The VU writes 0 and 1 only: every place is entered through the menus or the card holder's dialog with the
 * time of entry (Annex IC 60), which both generations give those two values. 2 and 3 (a time entered by hand
 * during the manual entries at insertion, Annex IC 61) need that procedure, which the rig's VU does not run.
 * Choice where the sources differ: the copies of the consolidated App. 1 at hand lost the value list of 2.66
 * (the list is an image); generation 1 has 0..5 (4, 5: "related time assumed by VU"), and an independent
 * reading of the consolidated generation 2 list gives 0..3. Decoding names 0..5 and keeps any other value
 * as a number, so a real VU's records still read.
 */
export const ENTRY_TYPE = {
  /** Begin, related time = card insertion time or time of entry. */
  begin: 0,
  /** End, related time = card withdrawal time or time of entry. */
  end: 1,
  /** Begin, related time manually entered (start time). */
  beginManualTime: 2,
  /** End, related time manually entered (end of work period). */
  endManualTime: 3,
  /** Begin, related time assumed by VU (generation 1). */
  beginAssumed: 4,
  /** End, related time assumed by VU (generation 1). */
  endAssumed: 5,
} as const;

export type EntryTypeName = keyof typeof ENTRY_TYPE;

/** Whether an entry type marks a begin or an end (even codes begin, odd codes end, in every list above). */
export function entryKindOf(entryType: number): 'begin' | 'end' | null {
  if (!Number.isInteger(entryType) || entryType < 0 || entryType > ENTRY_TYPE.endAssumed) return null;
  return entryType % 2 === 0 ? 'begin' : 'end';
}
