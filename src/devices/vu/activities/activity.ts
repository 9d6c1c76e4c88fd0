/**
 * The vocabulary of the VU's driver-activity function (Annex IC §3.4, App. 1 §2.1), as plain strings so
 * state holding them stays JSON-serialisable and reads well in traces and scenario files.
 */
import type { Activity } from '../../../protocols/app1/activity-change-info.ts';

/** Annex IC 46: what a driver may select by hand; DRIVING is only ever selected automatically. */
export type ManualActivity = Exclude<Activity, 'driving'>;

/**
 * The card in a slot as the activity function sees it. Annex IC 105: INSERTED means a valid driver or
 * workshop card; any other card (company, control) counts as NOT INSERTED, so callers pass no card for it.
 * The kind matters for Annex IC 55: CREW needs two driver cards.
 */
export type CardKind = 'driver' | 'workshop';

// The words of App. 1 §2.1 live with their codec, below the devices; the VU speaks them.
export type { Activity, ActivityChangeInfo, CardStatus, DrivingStatus, Slot } from '../../../protocols/app1/activity-change-info.ts';
export { SLOTS } from '../../../protocols/app1/activity-change-info.ts';
