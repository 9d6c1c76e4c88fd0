import { ALPHABET_INDICATOR, DRIVING_TIME_NOT_AVAILABLE, type TachographPayload } from '../../../protocols/dsrc/index.ts';
import type { StoredEvent } from '../data-memory/event-store.ts';
import type { VuContext } from '../vu-machine.ts';
import { CALIBRATION_PURPOSE } from '../calibration/calibration.ts';

/**
 * App. 14 Table 14.3 (M3): what the VU puts in each RTM data element, from its own data memory, at the
 * instant of an RtmData update (DSC_12, DSC_41). Pure: VU context in, TachographPayload out.
 */

/** "The last 10 days" of Table 14.3, in TimeReal seconds. */
const TEN_DAYS_S = 10 * 86_400;

/**
 * App. 1 2.100/2.101 NationNumeric to the ISO 3166-1 numeric code ISO 14906's CountryCode carries (RTM1).
 * The tachograph codes are the ERCA policy's list (App. 1 2.100 refers to it); the rig knows these.
 */
const ISO3166_BY_NATION: Readonly<Record<number, number>> = {
  0x01: 40, // A  Austria
  0x02: 8, // AL Albania
  0x03: 20, // AND Andorra
  0x04: 51, // ARM Armenia
  0x05: 31, // AZ Azerbaijan
  0x06: 56, // B  Belgium
  0x07: 100, // BG Bulgaria
  0x08: 70, // BIH Bosnia and Herzegovina
  0x09: 112, // BY Belarus
  0x0a: 756, // CH Switzerland
  0x0b: 196, // CY Cyprus
  0x0c: 203, // CZ Czechia
  0x0d: 276, // D  Germany
  0x0e: 208, // DK Denmark
  0x0f: 724, // E  Spain
  0x10: 233, // EST Estonia
  0x11: 250, // F  France
  0x12: 246, // FIN Finland
  0x13: 438, // FL Liechtenstein
  0x14: 234, // FR Faroe Islands
  0x15: 826, // UK United Kingdom
  0x16: 268, // GE Georgia
  0x17: 300, // GR Greece
  0x18: 348, // H  Hungary
  0x19: 191, // HR Croatia
  0x1a: 380, // I  Italy
  0x1b: 372, // IRL Ireland
  0x1c: 352, // IS Iceland
  0x1d: 398, // KZ Kazakhstan
  0x1e: 442, // L  Luxembourg
  0x1f: 440, // LT Lithuania
  0x20: 428, // LV Latvia
  0x21: 470, // M  Malta
  0x22: 492, // MC Monaco
  0x23: 498, // MD Moldova
  0x24: 807, // MK North Macedonia
  0x25: 578, // N  Norway
  0x26: 528, // NL Netherlands
  0x27: 620, // P  Portugal
  0x28: 616, // PL Poland
  0x29: 642, // RO Romania
  0x2a: 674, // RSM San Marino
  0x2b: 643, // RUS Russia
  0x2c: 752, // S  Sweden
  0x2d: 703, // SK Slovakia
  0x2e: 705, // SLO Slovenia
  0x2f: 795, // TM Turkmenistan
  0x30: 792, // TR Türkiye
  0x31: 804, // UA Ukraine
  0x32: 336, // V  Vatican
  0x34: 499, // MNE Montenegro
  0x35: 688, // SRB Serbia
};

/** RTM1's country code; 0 where the rig does not know the nation (ISO 3166-1 has no 0: "unknown"). */
export function iso3166Of(nationNumeric: number): number {
  return ISO3166_BY_NATION[nationNumeric] ?? 0;
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
