/**
 * The vocabulary of the VU's driver-activity function (Annex IC §3.4, App. 1 §2.1), as plain strings so
 * state holding them stays JSON-serialisable and reads well in traces and scenario files.
 */

/** App. 1 ActivityChangeInfo 's': the card slot, i.e. the person whose activity it is. */
export type Slot = 'driver' | 'co-driver';

export const SLOTS: readonly Slot[] = ['driver', 'co-driver'];

/** Annex IC 45: the four activities. 'break-rest' is BREAK/REST. */
export type Activity = 'break-rest' | 'availability' | 'work' | 'driving';

/** Annex IC 46: what a driver may select by hand; DRIVING is only ever selected automatically. */
export type ManualActivity = Exclude<Activity, 'driving'>;

/**
 * The card in a slot as the activity function sees it. Annex IC 105: INSERTED means a valid driver or
 * workshop card; any other card (company, control) counts as NOT INSERTED, so callers pass no card for it.
 * The kind matters for Annex IC 55: CREW needs two driver cards.
 */
export type CardKind = 'driver' | 'workshop';

/** Annex IC 55: the driving status. */
export type DrivingStatus = 'single' | 'crew';

/** App. 1 ActivityChangeInfo 'p', data-memory meaning. */
export type CardStatus = 'inserted' | 'not-inserted';

/**
 * One ActivityChangeInfo word (App. 1 §2.1, data-memory meaning), decoded. `minute` is the time of the
 * change in minutes since 00:00 UTC of the day the word belongs to (0..1439).
 */
export interface ActivityChangeInfo {
  slot: Slot;
  drivingStatus: DrivingStatus;
  cardStatus: CardStatus;
  activity: Activity;
  minute: number;
}
