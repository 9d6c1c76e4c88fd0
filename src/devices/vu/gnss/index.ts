export { onGnssReport } from './rules.ts';
export { checkTime, ADJUSTMENT_TOLERANCE_MS, AUTOMATIC_ADJUSTMENT_PERIOD_MS, GNSS_SEEN_WITHIN_MS, TIME_CONFLICT_LOCKOUT_MS, TIME_CONFLICT_THRESHOLD_S } from './time-sync.ts';
export { NO_DATA_LIMIT_MS } from './absence.ts';
export { internalReceiverReading, internalReceiverReport } from './internal-receiver.ts';
export { COMMUNICATION_ERROR_AFTER_MS } from './communication.ts';
export { gnssAccumulatedDrivingRecord, gnssAccuracy, gnssPlace, storedPosition, UNKNOWN_COORDINATE } from './positions.ts';
export {
  createVuGnssState,
  type GnssRuleContext,
  type GnssRuleResult,
  type GnssSource,
  type InternalReceiverReport,
  type StoredPosition,
  type VuGnssReport,
  type VuGnssState,
} from './state.ts';
