import { lookUp, type SlotCard, type SlotTable } from './slot-table.ts';

/** App. 1 2.70 `EventFaultType` '02'H. */
export const CARD_CONFLICT_EVENT = 0x02;

const X = true;
const _ = false;

/**
 * Annex IC 73: the valid card combinations, marked X, that raise a card conflict. Rows: co-driver slot;
 * columns: driver slot; order no card, driver, control, workshop, company.
 */
const CARD_CONFLICT_TABLE: SlotTable<boolean> = [
  //            driver slot: none  driver  control  workshop  company
  /* co-driver: none     */ [_,    _,      _,       _,        _],
  /* co-driver: driver   */ [_,    _,      _,       X,        _],
  /* co-driver: control  */ [_,    _,      X,       X,        X],
  /* co-driver: workshop */ [_,    X,      X,       X,        X],
  /* co-driver: company  */ [_,    _,      X,       X,        X],
];

/**
 * Annex IC 73: whether the valid cards in the slots are a card conflict (event 0x02, which lasts while the
 * combination does: App. 1 stores its begin and end). Pass null for an empty slot or a non-valid card.
 */
export function isCardConflict(driverSlot: SlotCard, coDriverSlot: SlotCard): boolean {
  return lookUp(CARD_CONFLICT_TABLE, driverSlot, coDriverSlot);
}
