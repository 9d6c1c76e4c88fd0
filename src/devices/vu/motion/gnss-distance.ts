import { geoDegrees } from '../../../protocols/app1/gnss-place-record.ts';
import { ODOMETER_RANGE_KM } from './motion-state.ts';

/**
 * Vehicle motion conflict, trigger condition 2 (App. 12 GNS_42, Annex IC 84): the distance between two
 * positions against the distance the odometer counted between them,
 *
 *   GnssDistance > OdometerDifference × OdometerToleranceFactor + Minimum(SlipDistanceUpperLimit;
 *                  OdometerDifference × SlipFactor) + GnssTolerance + FerryTrainDistance
 *
 * checked every 15 minutes (or, without position data then, at the first position after), the event's begin
 * "the date and time when the previous position message was received" and its end "when the checked condition
 * becomes false again". FerryTrainDistance = 200 km/h × the crossings' hours in the interval: a vehicle carried
 * by a ferry or train moves by GNSS while its odometer stands, and the event "shall not be triggered during a
 * ferry/train crossing" (Annex IC 84). Pure: the VU feeds positions (motion-conflict-vu.ts).
 *
 * Choices where the text leaves them open:
 * - "Valid authenticated position messages": the positions the VU accepts (a valid RMC, not a repeated one,
 *   gnss/), from the internal receiver or over the EGF's authenticated link (App. 11 secure messaging). The
 *   rig's receivers give no OSNMA-authenticated (AMC) positions, so the check uses what the VU records.
 * - The positions are the VU's own, App. 1 GeoCoordinates (1/10 arc minute, some 185 m of latitude): the
 *   distance is the great circle between them on a sphere of the mean Earth radius (6371.0088 km), height
 *   left out as the text says. A rounding of at most a few hundred metres stays well inside the 1 km
 *   GnssTolerance.
 * - "The previous one": the position of the previous check (the interval is the 15 minutes), not the previous
 *   message of a second ago, whose few metres the 1 km tolerance would always cover.
 * - The 15 minutes are the VU's monotonic time, as the other triggers' durations.
 * - During a crossing no check is made and the previous position is kept, so the first check after its end
 *   covers the whole crossing with its FerryTrainDistance. In calibration mode (Annex IC 84) none either, and
 *   the previous position is dropped (a calibration may set the odometer): the first position after it starts
 *   a new interval.
 * - A supply cut: no positions arrive, so the interval spans it (a vehicle towed while the VU is unpowered).
 */

/** GNS_42 trigger 2: worst case tolerance factor of the odometer. */
export const ODOMETER_TOLERANCE_FACTOR = 1.1;
/** GNS_42 trigger 2: upper limit of the slip distance (braking), km. */
export const SLIP_DISTANCE_UPPER_LIMIT_KM = 10;
/** GNS_42 trigger 2: maximal influence of slipping during braking. */
export const SLIP_FACTOR = 0.2;
/** GNS_42 trigger 2: worst case GNSS tolerance, km. */
export const GNSS_TOLERANCE_KM = 1;
/** GNS_42 trigger 2: FerryTrainDistance = 200 km/h × tFerryTrain. */
export const FERRY_TRAIN_KMH = 200;
/** GNS_42 trigger 2: the verification every 15 minutes. */
export const DISTANCE_CHECK_PERIOD_MS = 15 * 60_000;

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;

/** A position the VU accepted: when (monotonic ms, and TimeReal of its clock), where (App. 1 GeoCoordinates), its odometer (km). */
export interface DistancePosition {
  at: number;
  stamp: number;
  latitude: number;
  longitude: number;
  odometerKm: number;
}

export interface GnssDistanceState {
  /** The previous position checked against (the start of the interval). */
  reference: DistancePosition | null;
  /** The condition held at the last check: since the begin of its run (TimeReal). */
  holds: { begin: number } | null;
}

export function createGnssDistance(): GnssDistanceState {
  return { reference: null, holds: null };
}

/** Great-circle distance between two GeoCoordinates positions, km (height left out). */
export function gnssDistanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (v: number) => ((geoDegrees(v) ?? Number.NaN) * Math.PI) / 180;
  const [lat1, lat2] = [rad(a.latitude), rad(b.latitude)];
  const dLat = lat2 - lat1;
  const dLon = rad(b.longitude) - rad(a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The odometer's distance from `before` to `after`, km, across its roll-over past 9 999 999,9 km. */
export function odometerDifferenceKm(before: number, after: number): number {
  return (((after - before) % ODOMETER_RANGE_KM) + ODOMETER_RANGE_KM) % ODOMETER_RANGE_KM;
}

/** The right-hand side of the condition: what the odometer, slip, GNSS tolerance and crossings explain, km. */
export function explainedDistanceKm(odometerDifferenceKm: number, ferryTrainMs: number): number {
  return (
    odometerDifferenceKm * ODOMETER_TOLERANCE_FACTOR +
    Math.min(SLIP_DISTANCE_UPPER_LIMIT_KM, odometerDifferenceKm * SLIP_FACTOR) +
    GNSS_TOLERANCE_KM +
    (FERRY_TRAIN_KMH * ferryTrainMs) / 3_600_000
  );
}

/** One accepted position, and what the VU knows at it. */
export interface DistanceCheckInput extends DistancePosition {
  /** Annex IC 84: calibration mode. */
  calibrationMode: boolean;
  /** Annex IC 84: a FERRY / TRAIN CROSSING is open. */
  crossingOpen: boolean;
  /** The crossings' time (ms) between two TimeReal stamps of the VU clock (specific-conditions/crossing-time.ts). */
  ferryTrainMs: (fromStamp: number, toStamp: number) => number;
}

export type DistanceCheck =
  | { checked: false; state: GnssDistanceState }
  | { checked: true; state: GnssDistanceState; gnssKm: number; explainedKm: number };

/** Feeds one position: a check when one is due, and the next interval's start. */
export function checkGnssDistance(state: GnssDistanceState, p: DistanceCheckInput): DistanceCheck {
  const position: DistancePosition = { at: p.at, stamp: p.stamp, latitude: p.latitude, longitude: p.longitude, odometerKm: p.odometerKm };
  if (p.calibrationMode) return { checked: false, state: { reference: null, holds: null } };
  const ref = state.reference;
  if (!ref) return { checked: false, state: { reference: position, holds: null } };
  // Annex IC 84: not during a crossing; the interval goes on, to be checked with its FerryTrainDistance after
  if (p.crossingOpen) return { checked: false, state: { reference: ref, holds: null } };
  // a monotonic time before the reference is a restarted timer: a new interval
  if (p.at < ref.at) return { checked: false, state: { reference: position, holds: state.holds } };
  if (p.at - ref.at < DISTANCE_CHECK_PERIOD_MS) return { checked: false, state };
  const gnssKm = gnssDistanceKm(ref, position);
  const explainedKm = explainedDistanceKm(odometerDifferenceKm(ref.odometerKm, position.odometerKm), p.ferryTrainMs(ref.stamp, position.stamp));
  const holds = gnssKm > explainedKm ? (state.holds ?? { begin: ref.stamp }) : null;
  return { checked: true, state: { reference: position, holds }, gnssKm, explainedKm };
}
