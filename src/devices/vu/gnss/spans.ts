import { beginSpan, endSpan, type EventMemory } from '../data-memory/event-store.ts';
import type { SlotCards } from '../../../protocols/app1/slot-cards.ts';

/** Opens a span of `type` at TimeReal `at` unless one is open; gives the memory and the open id. */
export function openSpan(events: EventMemory, open: number | null, type: number, at: number, cards: SlotCards): { events: EventMemory; id: number } {
  if (open !== null) return { events, id: open };
  const begun = beginSpan(events, { type, at, cards });
  return { events: begun.memory, id: begun.id };
}

/**
 * Closes an open span at TimeReal `at`. Choice: if the VU clock was set back while it was open (an automatic
 * adjustment), it ends at its begin rather than before it.
 */
export function closeSpan(events: EventMemory, open: number | null, at: number, cards: SlotCards): EventMemory {
  if (open === null) return events;
  const record = events.records.find((r) => r.id === open);
  // The storing rules may have dropped it already; nothing is left to close.
  if (!record || record.end !== null) return events;
  return endSpan(events, { id: open, at: Math.max(at, record.begin), cards });
}
