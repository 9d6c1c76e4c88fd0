import { lookUp, type SlotCard, type SlotTable } from './slot-table.ts';

/** App. 1 2.70 `EventFaultType` '04'H. */
export const DRIVING_WITHOUT_APPROPRIATE_CARD_EVENT = 0x04;

const X = true;
const _ = false;

/**
 * Annex IC 75: the valid card combinations, marked X, under which driving raises "driving without an
 * appropriate card". Rows: co-driver slot; columns: driver slot; order no (or non-valid) card, driver,
 * control, workshop, company.
 */
const DRIVING_WITHOUT_CARD_TABLE: SlotTable<boolean> = [
  //            driver slot: none  driver  control  workshop  company
  /* co-driver: none     */ [X,    _,      X,       _,        X],
  /* co-driver: driver   */ [X,    _,      X,       X,        X],
  /* co-driver: control  */ [X,    X,      X,       X,        X],
  /* co-driver: workshop */ [X,    X,      X,       _,        X],
  /* co-driver: company  */ [X,    X,      X,       X,        X],
];

/**
 * Annex IC 75: whether these slots make driving "without an appropriate card" (event 0x04). The VU checks it
 * when the driver activity changes to DRIVING, or when the mode changes while DRIVING; an open OUT OF SCOPE
 * condition inhibits the event (Annex IC 62). Pass null for an empty slot or a non-valid card.
 */
export function isDrivingWithoutAppropriateCard(driverSlot: SlotCard, coDriverSlot: SlotCard): boolean {
  return lookUp(DRIVING_WITHOUT_CARD_TABLE, driverSlot, coDriverSlot);
}
