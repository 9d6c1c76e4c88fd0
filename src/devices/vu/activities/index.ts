export type { Activity, ActivityChangeInfo, CardKind, CardStatus, DrivingStatus, ManualActivity, Slot } from './activity.ts';
export { SLOTS } from './activity.ts';
export {
  decodeActivityChangeInfo,
  decodeVuActivityDailyRecordArray,
  encodeActivityChangeInfo,
  encodeVuActivityDailyRecordArray,
  RECORD_TYPE_ACTIVITY_CHANGE_INFO,
} from '../../../protocols/app1/activity-change-info.ts';
export { countMinute, createAccumulatedDriving, POSITION_INTERVAL_MINUTES, type AccumulatedDriving } from './accumulated-driving.ts';
export { longestActivity, minuteActivity, piecesInMinute, type ActivityPiece, type ActivitySpan } from './minute-rules.ts';
export {
  cardInserted,
  cardWithdrawn,
  createActivityState,
  currentActivity,
  currentCard,
  dailyActivityChanges,
  drivingStatus,
  selectActivity,
  settled,
  takeAccumulatedDrivingMarks,
  tick,
  vehicleMoving,
  vehicleStopped,
  type AccumulatedDrivingMark,
  type ActivityState,
  type RecordedStatus,
  type SlotActivity,
  type SlotSpan,
} from './driver-activities.ts';
