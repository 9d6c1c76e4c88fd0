import type { CardType } from '../../../protocols/app1/card-type.ts';

/** What a slot holds for the mode rules: the type of a valid card, or null (no card, or a non-valid one). */
export type SlotCard = CardType | null;

/**
 * The order of rows and columns in the Annex IC slot tables (requirements 10, 73, 75): no card, driver,
 * control, workshop, company. Tables below are transcribed in that order, one row per co-driver slot
 * content, one column per driver slot content, exactly as printed.
 */
export const SLOT_TABLE_ORDER: readonly SlotCard[] = [null, 'driver', 'control', 'workshop', 'company'];

/** A 5 × 5 Annex table: `rows[coDriver][driver]`. */
export type SlotTable<T> = readonly (readonly [T, T, T, T, T])[];

export function lookUp<T>(table: SlotTable<T>, driverSlot: SlotCard, coDriverSlot: SlotCard): T {
  const row = table[SLOT_TABLE_ORDER.indexOf(coDriverSlot)];
  const cell = row?.[SLOT_TABLE_ORDER.indexOf(driverSlot)];
  if (row === undefined || cell === undefined) throw new Error(`no cell for driver slot ${driverSlot}, co-driver slot ${coDriverSlot}`);
  return cell;
}
