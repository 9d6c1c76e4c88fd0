import type { SlotCards } from '../../../protocols/app1/slot-cards.ts';
import type { EventMemory } from '../data-memory/event-store.ts';
import type { GnssLinkReport, GnssPosition } from '../gnss-link/types.ts';
import type { TimeAdjustmentRecord } from '../time/time-adjustment.ts';
import type { VuClock } from '../time/vu-clock.ts';

/**
 * The VU's GNSS functions (Annex IC 86, req. 211, App. 12 §6, GNS_5, GNS_23, GNS_28..GNS_34) as plain data
 * and pure rules the VU machine calls from its actions. Times: GNSS time and VU time in ms; the event memory
 * in TimeReal (its own convention).
 */

/** GNS_34: positions come from an external GNSS facility, or from a receiver inside the VU. */
export type GnssSource = 'external' | 'internal';

/** A position as the VU keeps it (GNS_5, GNS_23): 1/10 minute coordinates and the least HDOP, with both times. */
export interface StoredPosition {
  /** UTC of the fix (RMC), ms. */
  gnssTime: number;
  /** VU time when the VU received it, ms. */
  vuTime: number;
  /** App. 1 GeoCoordinates: ±DDMM.M × 10. */
  latitude: number;
  longitude: number;
  hdop: number | null;
}

export interface VuGnssState {
  source: GnssSource;
  /** The latest valid position, or null before the first. */
  lastPosition: StoredPosition | null;
  /** Whether the last report gave valid GNSS time (req. 211: "as soon as valid GNSS time is available again"). */
  available: boolean;
  /** Annex IC 86: GNSS time (ms) before which no time conflict is raised again. */
  conflictLockUntil: number | null;
  /** req. 211: GNSS time (ms) of the last automatic adjustment check. */
  lastAutomaticCheck: number | null;
  /** GNS_34 (internal receiver): VU time (ms) since which it has given no valid data. */
  noFixSince: number | null;
  /** Open spans in the event memory, by id: 0x0D, 0x0E, 0x36, 0x37. */
  absenceEvent: number | null;
  communicationEvent: number | null;
  receiverFaultEvent: number | null;
  facilityFaultEvent: number | null;
  /** 0x19 recorded for the current tamper episode (until the EGF answers otherwise than '6690'). */
  tamperRecorded: boolean;
  /** 0x1A recorded for the current run of failures (until an authentication succeeds). */
  authFailureRecorded: boolean;
  /** 0x1B recorded for the EGF_MA certificate with this expiry (ms), to record it once per certificate. */
  expiredCertificateRecorded: number | null;
}

export function createVuGnssState(source: GnssSource = 'external'): VuGnssState {
  return {
    source,
    lastPosition: null,
    available: false,
    conflictLockUntil: null,
    lastAutomaticCheck: null,
    noFixSince: null,
    absenceEvent: null,
    communicationEvent: null,
    receiverFaultEvent: null,
    facilityFaultEvent: null,
    tamperRecorded: false,
    authFailureRecorded: false,
    expiredCertificateRecorded: null,
  };
}

/** What the VU knows at the instant a report arrives. */
export interface GnssRuleContext {
  /** Rig time now (ms): the VU clock is set at this instant. */
  rigNow: number;
  /** The VU's clock; VU time now is `vuTime(clock, rigNow)`. */
  clock: VuClock;
  /** Annex IC 24, as the motion function reports it. */
  moving: boolean;
  calibrationMode: boolean;
  /** The cards in the slots, for event records. */
  cards: SlotCards;
  events: EventMemory;
}

/** The internal receiver's reports (GNS_34): positions and no-fix like the EGF's, and its own fault. */
export type InternalReceiverReport =
  | { type: 'gnss.position'; position: GnssPosition }
  | { type: 'gnss.noFix'; time: number | null }
  /** 0x36: the receiver failed the VU's self-test at this read (Annex IC 89); its next position or no-fix ends it. */
  | { type: 'gnss.receiverFault' };

/** Every report the rules take: the EGF link's (less its bytes and coupling) and the internal receiver's. */
/** What the rules see: the link's reports but its bytes, its coupling (the VU records those) and its repeats. */
export type VuGnssReport =
  | Exclude<GnssLinkReport, { type: 'gnss.tx' } | { type: 'gnss.coupled' } | { type: 'gnss.couplingFailed' } | { type: 'gnss.authRetry' }>
  | InternalReceiverReport;

export interface GnssRuleResult {
  state: VuGnssState;
  events: EventMemory;
  /** The VU clock after an automatic adjustment; absent when unchanged. */
  clock?: VuClock;
  /** Adjustments to add to the VU's time adjustment data (keepAdjustment), oldest first. */
  adjustments: TimeAdjustmentRecord[];
}
