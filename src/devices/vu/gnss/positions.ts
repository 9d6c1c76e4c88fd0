import type { GnssPlace, VuGnssAd } from '../../../protocols/app7-records/records.ts';
import type { AccumulatedDrivingMark } from '../activities/index.ts';
import type { SlotCards } from '../../../protocols/app1/slot-cards.ts';
import type { GnssPosition } from '../gnss-link/types.ts';
import type { StoredPosition, VuGnssState } from './state.ts';

/**
 * GNS_5, GNS_23: the position the VU keeps, as the link (or internal receiver) validated it: App. 1
 * GeoCoordinates at 1/10 minute, and HDOP as the least over the systems with a fix.
 */
export function storedPosition(position: GnssPosition, vuTime: number): StoredPosition {
  return { gnssTime: position.time, vuTime, latitude: position.latitude, longitude: position.longitude, hdop: position.hdop };
}

/**
 * App. 1 GNSSAccuracy (INTEGER 1..100) from HDOP. Choice: HDOP × 10 rounded, at least 1, and 100 when HDOP is
 * 10 or more or unknown (no GSA gave one): the worst value the type can say.
 */
export function gnssAccuracy(hdop: number | null): number {
  if (hdop === null || !Number.isFinite(hdop) || hdop >= 10) return 100;
  return Math.max(1, Math.min(100, Math.round(hdop * 10)));
}

/** App. 1 GeoCoordinates for "position not available". */
export const UNKNOWN_COORDINATE = 0x7fffff;

/**
 * App. 1 GNSSPlaceRecord of the latest valid position: its GNSS time, accuracy and coordinates (for the
 * VuGNSSADRecord, Annex IC 108, and the places of daily work periods, Annex IC 59). Choice: before any valid
 * position, time 0, accuracy 100 and both coordinates '7FFFFF' (unknown).
 */
export function gnssPlace(state: VuGnssState): GnssPlace {
  const p = state.lastPosition;
  if (!p) return { timeStamp: 0, gnssAccuracy: 100, latitude: UNKNOWN_COORDINATE, longitude: UNKNOWN_COORDINATE };
  return { timeStamp: p.gnssTime, gnssAccuracy: gnssAccuracy(p.hdop), latitude: p.latitude, longitude: p.longitude };
}

/**
 * Annex IC 108, 110: the VuGNSSADRecord for a multiple of three hours of accumulated driving: the mark's
 * instant (VU time), the cards in both slots then, the latest valid position, the odometer (whole km).
 * Choice: the latest valid position however old it is; its own time stamp says how old.
 */
export function gnssAccumulatedDrivingRecord(mark: AccumulatedDrivingMark, state: VuGnssState, at: { cards: SlotCards; odometerKm: number }): VuGnssAd {
  return {
    timeStamp: mark.at,
    driverCard: at.cards.driver,
    codriverCard: at.cards.codriver,
    place: gnssPlace(state),
    odometerKm: Math.floor(at.odometerKm),
  };
}
