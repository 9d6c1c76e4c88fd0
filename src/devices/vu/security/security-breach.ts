import type { SlotCards } from '../../../protocols/app1/slot-cards.ts';
import { recordInstant, type EventMemory } from '../data-memory/event-store.ts';
import type { Mode } from '../modes/mode-of-operation.ts';

/**
 * The VU's own security breach attempts that its hardware detects (Annex IC 85: "any other event affecting the
 * security of ... the vehicle unit ... as required in Appendix 10, while not in calibration mode"; App. 10 leaves
 * the detections to the VU Protection Profile). Each is a detection at one instant, recorded with that date and
 * time as begin and end: the table's "date and time of end of event (if relevant)" is not relevant to a
 * detection. Kept per Annex IC 117, row "Security breach attempt": the 10 most recent of each type.
 */
export const VU_DETECTIONS = {
  /** 0x16: a transfer between the VU's own parts failed its integrity check. */
  internalDataTransfer: 0x16,
  /** 0x17: the case was opened outside calibration mode (the workshop's opening is authorised). */
  caseOpening: 0x17,
  /** 0x18: the VU's tamper sensors (mesh, shield, probing) tripped. */
  hardwareSabotage: 0x18,
} as const;

export type VuDetectionCode = (typeof VU_DETECTIONS)[keyof typeof VU_DETECTIONS];

export interface Detection {
  code: VuDetectionCode;
  /** TimeReal, VU clock. */
  at: number;
  cards: SlotCards;
  mode: Mode;
}

/** The event memory after a detection: one record, or none in calibration mode (Annex IC 85). */
export function recordDetection(events: EventMemory, detection: Detection): EventMemory {
  if (detection.mode === 'calibration') return events;
  return recordInstant(events, { type: detection.code, at: detection.at, cards: detection.cards });
}
