import type { SlotCards } from '../../../protocols/app1/slot-cards.ts';
import { beginSpan, endSpan, type EventMemory } from '../data-memory/event-store.ts';
import type { Mode } from '../modes/mode-of-operation.ts';

/**
 * Annex IC 79, power supply interruption (0x08): "triggered, while not in calibration or control mode, in
 * case of any interruption exceeding 200 milliseconds of the power supply ... of the vehicle unit".
 *
 * Choice (the text does not say which instant's mode counts for an interruption, which has two ends): the VU
 * knows its mode only while it has supply, so it looks at both ends it sees. An interruption is recorded only
 * when the VU was in neither calibration nor control mode at the cut and at the return: a cut that begins or
 * ends with a workshop or control card in a slot is the workshop's or the controller's (disconnecting the VU
 * is part of their work) and is not an event. A card pulled during the cut (the `pullCard` stimulus) is gone at
 * the return: the mode at the return is the one the VU finds then.
 */

/** A cut this long or shorter is not an interruption (Annex IC 79: "exceeding 200 milliseconds"). */
export const POWER_INTERRUPTION_MIN_MS = 200;

/** Annex IC 79: the modes in which an interruption is not an event. */
const EXEMPT_MODES: readonly Mode[] = ['calibration', 'control'];

export interface SupplyCut {
  /** Rig time (monotonic ms) of the cut and of the return: the length is measured on them, not on the settable VU clock. */
  lostAtRig: number;
  backAtRig: number;
  /** The mode of operation when the supply was lost, and when it came back. */
  modeAtCut: Mode;
  modeAtReturn: Mode;
  /** TimeReal (VU clock) of the cut and of the return: the event's begin and end. */
  begin: number;
  end: number;
  /** The cards in the slots at the cut (and at the return, unless `cardsAtReturn` says otherwise). */
  cards: SlotCards;
  /** The cards the VU finds at the return, when a card was pulled during the cut (issue 15: the `pullCard` stimulus). */
  cardsAtReturn?: SlotCards;
}

/** Whether the cut is an Annex IC 79 interruption the VU records. */
export function isRecordedInterruption(cut: SupplyCut): boolean {
  if (cut.backAtRig - cut.lostAtRig <= POWER_INTERRUPTION_MIN_MS) return false;
  return !EXEMPT_MODES.includes(cut.modeAtCut) && !EXEMPT_MODES.includes(cut.modeAtReturn);
}

/**
 * The event memory after the supply came back: one 0x08 from the cut to the return, recorded at the return
 * (Annex IC 117 note (2): "may be recorded at power supply reconnection only"), or unchanged.
 */
export function recordSupplyInterruption(events: EventMemory, cut: SupplyCut): EventMemory {
  if (!isRecordedInterruption(cut)) return events;
  const opened = beginSpan(events, { type: 0x08, at: cut.begin, cards: cut.cards, now: cut.end });
  return endSpan(opened.memory, { id: opened.id, at: cut.end, cards: cut.cardsAtReturn ?? cut.cards });
}
