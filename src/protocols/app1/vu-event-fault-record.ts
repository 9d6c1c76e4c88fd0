import type { SlotCards } from './slot-cards.ts';

/**
 * App. 1 §2.69 EventFaultRecordPurpose. "Days of occurrence" are the days on which the type occurred, not
 * calendar days (retention.ts says why): the last 10 such days, however far back.
 */
export const Purpose = {
  /** one of the 10 most recent (or last) events or faults */
  mostRecent: 0x00,
  /** the longest event for one of the last 10 days of occurrence */
  longestOfDay: 0x01,
  /** one of the 5 longest events over the last 365 days */
  longestOfYear: 0x02,
  /** the last event for one of the last 10 days of occurrence */
  lastOfDay: 0x03,
  /** the most serious event for one of the last 10 days of occurrence */
  mostSeriousOfDay: 0x04,
  /** one of the 5 most serious events over the last 365 days */
  mostSeriousOfYear: 0x05,
  /** the first event or fault having occurred after the last calibration */
  firstAfterCalibration: 0x06,
  /** an active/on-going event or fault */
  ongoing: 0x07,
} as const;
export type EventFaultRecordPurpose = (typeof Purpose)[keyof typeof Purpose];

/** Type-specific data of one occurrence: plain values only, so the memory stays JSON. */
export type EventData = Readonly<Record<string, number | string>>;

/** One event or fault as a download carries it (App. 1 §2.198 VuEventRecord, §2.201 VuFaultRecord, §2.215). */
export interface DownloadedEventFault {
  /** App. 1 §2.70 EventFaultType. */
  type: number;
  category: 'event' | 'fault';
  /** App. 1 §2.69 EventFaultRecordPurpose. */
  purpose: EventFaultRecordPurpose;
  /** For a time conflict: the VU's date and time. */
  begin: number;
  /** null while on-going; for a time conflict: the GNSS date and time (App. 1 §2.198). */
  end: number | null;
  cardsAtBegin: SlotCards;
  cardsAtEnd: SlotCards | null;
  /** App. 1 §2.151: occurrences of the type that began that UTC day, 1..255 (255: 255 or more); 0 where the
   * type's row does not keep the number. */
  similarEvents: number;
  data: EventData;
}
