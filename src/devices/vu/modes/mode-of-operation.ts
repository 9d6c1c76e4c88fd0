import { lookUp, type SlotCard, type SlotTable } from './slot-table.ts';

/** Annex IC 9: the four modes of operation. */
export const MODES = ['operational', 'control', 'calibration', 'company'] as const;
export type Mode = (typeof MODES)[number];

export interface ModeOfOperation {
  mode: Mode;
  /**
   * Annex IC 10 footnote (*1): with two control, two workshop or two company cards, the VU uses only the
   * card in the driver slot.
   */
  driverSlotOnly: boolean;
}

const O: ModeOfOperation = { mode: 'operational', driverSlotOnly: false };
const C: ModeOfOperation = { mode: 'control', driverSlotOnly: false };
const K: ModeOfOperation = { mode: 'calibration', driverSlotOnly: false };
const Y: ModeOfOperation = { mode: 'company', driverSlotOnly: false };
// the cells marked (*1)
const C1: ModeOfOperation = { mode: 'control', driverSlotOnly: true };
const K1: ModeOfOperation = { mode: 'calibration', driverSlotOnly: true };
const Y1: ModeOfOperation = { mode: 'company', driverSlotOnly: true };

/**
 * Annex IC 10: the mode from the valid cards in the two slots. Rows: co-driver slot; columns: driver slot;
 * both in the order no card, driver, control, workshop, company. C1, K1, Y1 are the cells marked (*1).
 */
const MODE_TABLE: SlotTable<ModeOfOperation> = [
  //            driver slot: none  driver  control  workshop  company
  /* co-driver: none     */ [O,    O,      C,       K,        Y],
  /* co-driver: driver   */ [O,    O,      C,       K,        Y],
  /* co-driver: control  */ [C,    C,      C1,      O,        O],
  /* co-driver: workshop */ [K,    K,      O,       K1,       O],
  /* co-driver: company  */ [Y,    Y,      O,       O,        Y1],
];

/**
 * Annex IC 10 / MIG_005: the mode follows the types of the valid cards inserted, whatever their generation.
 * Pass null for an empty slot or a slot holding a non-valid card (Annex IC 11: non-valid cards are ignored).
 */
export function modeOfOperation(driverSlot: SlotCard, coDriverSlot: SlotCard): ModeOfOperation {
  return { ...lookUp(MODE_TABLE, driverSlot, coDriverSlot) };
}
