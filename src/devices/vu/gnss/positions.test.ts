import { describe, expect, it } from 'vitest';
import { encodeVuGnssAdRecord } from '../../../protocols/app7-records/records.ts';
import { geoCoordinate } from '../gnss-link/position.ts';
import { gnssAccumulatedDrivingRecord, gnssAccuracy, gnssPlace } from './positions.ts';
import { createVuGnssState } from './state.ts';
import { ANNA, GnssVu, HOUR, MIN, T0 } from './test-support.ts';

describe('positions (GNS_5, GNS_23)', () => {
  it('keeps the latest valid position with its GNSS time, VU time, 1/10 minute coordinates and least HDOP', () => {
    // 50°51.018' N, 4°21.102' E: 1/1000 minute rounded to 1/10 (an independent reading of the RMC fields).
    expect([geoCoordinate(50 + 51.018 / 60), geoCoordinate(4 + 21.102 / 60), geoCoordinate(-(33 + 27.96 / 60))]).toEqual([50510, 4211, -33280]);
    const vu = new GnssVu('external', 1_000).at(20_000).fix(300, { hdop: 1.2 });
    // 1.3 s apart: within the adjustment tolerance, so the VU clock keeps its second.
    expect(vu.state.lastPosition).toEqual({ gnssTime: T0 + 19_700, vuTime: T0 + 21_000, latitude: 50510, longitude: 4211, hdop: 1.2 });
    vu.at(40_000).report({ type: 'gnss.noFix', time: T0 + 40_000 });
    expect(vu.state.lastPosition!.gnssTime).toBe(T0 + 19_700);
  });

  it('GNSSAccuracy from HDOP: × 10 rounded, 1 at least, 100 from 10 on or unknown', () => {
    expect([0, 0.04, 0.9, 1.25, 9.94, 9.96, 10, 42, null, NaN].map(gnssAccuracy)).toEqual([1, 1, 9, 13, 99, 100, 100, 100, 100, 100]);
  });

  it('a place before any fix is unknown: time 0, accuracy 100, coordinates 7FFFFF', () => {
    expect(gnssPlace(createVuGnssState())).toEqual({ timeStamp: 0, gnssAccuracy: 100, latitude: 0x7fffff, longitude: 0x7fffff });
  });
});

describe('VuGNSSADRecord at each multiple of 3 h of accumulated driving (Annex IC 108)', () => {
  it('the 3 h and 6 h marks take the cards, the latest valid position and the odometer', () => {
    const vu = new GnssVu().at(3 * HOUR + 30 * MIN - 20_000).fix(0, { latitude: 50600, longitude: 4300, hdop: 0.9 });
    const first = gnssAccumulatedDrivingRecord({ minutes: 180, at: T0 + 3 * HOUR + 30 * MIN }, vu.state, { cards: ANNA, odometerKm: 1_270.9 });
    expect(first).toEqual({
      timeStamp: T0 + 3 * HOUR + 30 * MIN,
      driverCard: ANNA.driver,
      codriverCard: null,
      place: { timeStamp: T0 + 3 * HOUR + 30 * MIN - 20_000, gnssAccuracy: 9, latitude: 50600, longitude: 4300 },
      odometerKm: 1_270,
    });
    vu.at(7 * HOUR - 20_000).fix(0, { latitude: -33280, longitude: 151120, hdop: 2.1 });
    const second = gnssAccumulatedDrivingRecord({ minutes: 360, at: T0 + 7 * HOUR }, vu.state, { cards: { driver: null, codriver: ANNA.driver }, odometerKm: 1_540 });
    expect(second.place).toEqual({ timeStamp: T0 + 7 * HOUR - 20_000, gnssAccuracy: 21, latitude: -33280, longitude: 151120 });
    expect([second.driverCard, second.codriverCard, second.odometerKm]).toEqual([null, ANNA.driver, 1_540]);
    // The 11-byte GNSSPlaceRecord inside the 56-byte record: TimeReal, accuracy, lat/lon as 3-byte two's complement.
    const bytes = encodeVuGnssAdRecord(second);
    expect(bytes).toHaveLength(56);
    const placeTime = (T0 + 7 * HOUR - 20_000) / 1000;
    expect(Buffer.from(bytes.subarray(42, 53)).toString('hex')).toBe(placeTime.toString(16).padStart(8, '0') + '15' + 'ff7e00' + '024e50');
    expect(Buffer.from(bytes.subarray(53)).toString('hex')).toBe('000604');
  });
});
