import { ALPHABET_INDICATOR, DRIVING_TIME_NOT_AVAILABLE, type TachographPayload } from '../../../protocols/dsrc/index.ts';
import type { StoredEvent } from '../data-memory/event-store.ts';
import type { VuContext } from '../vu-machine.ts';
import { CALIBRATION_PURPOSE } from '../calibration/calibration.ts';
import { nationByNumeric } from '../../cards/nations.ts';

/**
 * App. 14 Table 14.3 (M3): what the VU puts in each RTM data element, from its own data memory, at the
 * instant of an RtmData update (DSC_12, DSC_41). Pure: VU context in, TachographPayload out.
 */

/** "The last 10 days" of Table 14.3, in TimeReal seconds. */
const TEN_DAYS_S = 10 * 86_400;


/** RTM1's country code; 0 where the rig does not know the nation (ISO 3166-1 has no 0: "unknown"). */
export function iso3166Of(nationNumeric: number): number {
  return nationByNumeric(nationNumeric)?.iso3166 ?? 0;
}

/** Ended within the last 10 days, or still on-going (Table 14.3's rule for RTM2, 3, 6, 7, 12). */
function endedWithinOrOngoing(e: StoredEvent, now: number): boolean {
  return e.end === null || e.end > now - TEN_DAYS_S;
}

/** Occurred (began) within the last 10 days (RTM5, RTM10, RTM11). */
function occurredWithin(e: StoredEvent, now: number): boolean {
  return e.begin > now - TEN_DAYS_S && e.begin <= now;
}

/** RTM12: 0 none; 1 sensor fault ('35'); 2 GNSS receiver fault ('36'/'37'); 3 EGF communication error ('0E'); 4-7 combinations. */
export function sensorFaultCode(sensor: boolean, gnssReceiver: boolean, egfCommunication: boolean): number {
  if (sensor && gnssReceiver && egfCommunication) return 7;
  if (gnssReceiver && egfCommunication) return 6;
  if (sensor && egfCommunication) return 5;
  if (sensor && gnssReceiver) return 4;
  if (egfCommunication) return 3;
  if (gnssReceiver) return 2;
  if (sensor) return 1;
  return 0;
}

/** RTM1: the plate from VehicleRegistrationIdentification (App. 1 2.166), trailing spaces off, in its code page. */
function plateOf(registrationNumber: string): Uint8Array {
  // codePage 1 (ISO/IEC 8859-1) is the VU's: Latin-1 octets, latinAlphabetNo1
  return Uint8Array.from(registrationNumber.replace(/ +$/, ''), (c) => c.charCodeAt(0) & 0xff);
}

/** Table 14.3: the payload at `now` (TimeReal, VU time) with the current speed in km/h. */
export function rtmPayloadOf(context: VuContext, now: number): TachographPayload {
  const events = context.events.records;
  const of = (codes: readonly number[]) => events.filter((e) => codes.includes(e.type));
  const anyEndedWithin = (codes: readonly number[]) => of(codes).some((e) => endedWithinOrOngoing(e, now));
  const driver = context.slots.driver;
  const coDriver = context.slots['co-driver'];
  const driverSpans = context.activities.slots.driver.spans;
  const currentActivity = driverSpans[driverSpans.length - 1]?.activity;
  const lastOverSpeeding = of([0x07]).at(-1);
  const calibrations = context.calibrations;
  const breach = events.filter((e) => e.type >= 0x10 && e.type <= 0x1f).reduce((latest, e) => Math.max(latest, e.begin), 0);
  const firstInstallation = calibrations.find((c) => c.calibrationPurpose === CALIBRATION_PURPOSE.installation);
  return {
    vehicleRegistrationPlate: {
      countryCode: iso3166Of(context.calibration.registrationNation),
      alphabetIndicator: ALPHABET_INDICATOR.latinAlphabetNo1,
      licencePlateNumber: plateOf(context.calibration.registrationNumber),
    },
    // RTM2: the most recent over speeding ended within 10 days or is on-going
    speedingEvent: lastOverSpeeding !== undefined && endedWithinOrOngoing(lastOverSpeeding, now),
    // RTM3: 0x04 driving without an appropriate card
    drivingWithoutValidCard: anyEndedWithin([0x04]),
    // RTM4: TRUE when there is NO valid driver card in the driver slot
    driverCard: !(driver?.valid && driver.card.type === 'driver'),
    // RTM5: 0x05 card insertion while driving, occurred within 10 days
    cardInsertion: of([0x05]).some((e) => occurredWithin(e, now)),
    // RTM6: 0x09 motion data error; RTM7: 0x0A vehicle motion conflict
    motionDataError: anyEndedWithin([0x09]),
    vehicleMotionConflict: anyEndedWithin([0x0a]),
    // RTM8: a valid co-driver card is present
    secondDriverCard: Boolean(coDriver?.valid && coDriver.card.type === 'driver'),
    // RTM9: TRUE when the current activity is NOT driving
    currentActivityDriving: currentActivity !== 'driving',
    // RTM10: a 0x06 last card session not correctly closed recorded within 10 days (README "DSRC")
    lastSessionClosed: of([0x06]).some((e) => occurredWithin(e, now)),
    // RTM11: 0x08 power supply interruptions recorded within 10 days, at most 127
    powerSupplyInterruption: Math.min(127, of([0x08]).filter((e) => occurredWithin(e, now)).length),
    // RTM12 (M3 wording: ended within 10 days or on-going)
    sensorFault: sensorFaultCode(anyEndedWithin([0x35]), anyEndedWithin([0x36, 0x37]), anyEndedWithin([0x0e])),
    // RTM13: oldTimeValue of the most recent time adjustment (the list is in the order the adjustments were made)
    timeAdjustment: context.timeAdjustments.at(-1)?.oldTime ?? 0,
    // RTM14: begin of the latest security breach attempt ('1X'H)
    latestBreachAttempt: breach,
    // RTM15, RTM16: oldTimeValue of the latest calibration and of the one before
    lastCalibrationData: calibrations.at(-1)?.oldTimeValue ?? 0,
    prevCalibrationData: calibrations.at(-2)?.oldTimeValue ?? 0,
    // RTM17: the first calibration of purpose '03'H (installation in this vehicle)
    dateTachoConnected: firstInstallation?.oldTimeValue ?? 0,
    // RTM18: the last recorded speed
    currentSpeed: Math.min(255, Math.round(context.motion.speedKmh)),
    // RTM19: this update
    timestamp: now,
    // RTM20: the rig's GNSS positions are not OSNMA-authenticated: "0 if never" (README "DSRC")
    latestAuthenticatedPosition: 0,
    // RTM21-25 follow the Addendum's RTM-shift algorithm, not built yet: 255 = not available
    continuousDrivingTime: DRIVING_TIME_NOT_AVAILABLE,
    dailyDrivingTimeShift: DRIVING_TIME_NOT_AVAILABLE,
    dailyDrivingTimeWeek: DRIVING_TIME_NOT_AVAILABLE,
    weeklyDrivingTime: DRIVING_TIME_NOT_AVAILABLE,
    fortnightlyDrivingTime: DRIVING_TIME_NOT_AVAILABLE,
  };
}
