import type { FullCardNumber } from '../../../protocols/app1/app1-codec.ts';
import type { WorkshopCard } from '../../cards/card-schema.ts';
import { currentMode, type CardSlotsState, type Slot } from '../cards/card-slots.ts';

/**
 * Who may use the calibration function (Annex IC 9-10, 119; CSM_217 step 1): the holder of a valid workshop
 * card, the VU being in calibration mode. With two workshop cards only the driver slot's counts (Annex IC
 * 10, footnote *1). A refusal, and any pairing the VU aborts, is a message to the card holder, kept as a
 * `CalibrationError` so scenarios can check it.
 */
export type CalibrationAccess = { ok: true; card: WorkshopCard; slot: Slot } | { ok: false; reason: 'not-in-calibration-mode'; detail: string };

export function calibrationAccess(slots: CardSlotsState): CalibrationAccess {
  const mode = currentMode(slots);
  if (mode !== 'calibration') return { ok: false, reason: 'not-in-calibration-mode', detail: `the VU is in ${mode} mode: calibration needs a valid workshop card inserted` };
  for (const slot of ['driver', 'co-driver'] as const) {
    const held = slots[slot];
    if (held && held.valid && held.card.type === 'workshop') return { ok: true, card: held.card, slot };
  }
  // The mode table only gives calibration mode with a valid workshop card in a slot.
  throw new Error('calibration mode without a valid workshop card');
}

/** The VU's message to the workshop card holder when a calibration function is refused or aborted. */
export interface CalibrationError {
  /** TimeReal, VU time. */
  at: number;
  /** Issue 12: 'coupling', an EGF coupling given up (CSM_202..208), as a pairing's abort. */
  function: 'pairing' | 'calibration' | 'coupling';
  /** Why, e.g. 'not-in-calibration-mode', 'no-matching-km-wc', 'sensor-generation-1'. */
  reason: string;
  detail: string;
  /** The workshop card in use, if any. */
  workshopCard: FullCardNumber | null;
}

export function workshopCardNumber(card: WorkshopCard): FullCardNumber {
  return { cardType: card.type, issuingMemberState: card.issuingMemberState.numeric, cardNumber: card.cardNumber };
}
