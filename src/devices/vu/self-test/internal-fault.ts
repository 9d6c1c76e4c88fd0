import type { SlotCards } from '../../../protocols/app1/slot-cards.ts';
import { beginSpan, endSpan, type EventMemory } from '../data-memory/event-store.ts';
import type { Mode } from '../modes/mode-of-operation.ts';

/**
 * VU internal fault (0x31) from the data memory access self-test (Annex IC 89: data memory, self-test "Access").
 * The VU tests access whenever it writes its data memory (every `persistEveryMinutes`, at supply loss, card
 * withdrawal, ...): a write that fails begins the fault, the first that succeeds again ends it (Annex IC 118,
 * row "Recording equipment faults": a span, begin and end). Annex IC 88: not triggered in calibration mode; a
 * fault on-going when calibration mode begins runs on to its end. Kept per the row: the 10 most recent and the
 * first after the last calibration.
 */
export const VU_INTERNAL_FAULT = 0x31;

export interface AccessCheck {
  ok: boolean;
  /** TimeReal, VU clock. */
  at: number;
  cards: SlotCards;
  mode: Mode;
}

export interface InternalFaultState {
  events: EventMemory;
  /** Id of the 0x31 on-going in the event memory, if any. */
  internalFaultEvent: number | null;
}

export function onMemoryAccessCheck(state: InternalFaultState, check: AccessCheck): InternalFaultState {
  if (!check.ok && state.internalFaultEvent === null && check.mode !== 'calibration') {
    const begun = beginSpan(state.events, { type: VU_INTERNAL_FAULT, at: check.at, cards: check.cards });
    return { events: begun.memory, internalFaultEvent: begun.id };
  }
  if (check.ok && state.internalFaultEvent !== null) {
    return { events: endSpan(state.events, { id: state.internalFaultEvent, at: check.at, cards: check.cards }), internalFaultEvent: null };
  }
  return state;
}
