import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import { degreesOf, recordedPositions, renderGnssTrack } from './gnss-track.ts';

describe('the GNSS track a report draws from what a VU recorded', () => {
  it('reads App. 1 GeoCoordinates, ±DDMM.M × 10, and refuses what no coordinate holds', () => {
    expect(degreesOf(53012, 90)).toBeCloseTo(53.02, 10); // 53°01.2'
    expect(degreesOf(-4211, 180)).toBeCloseTo(-(4 + 21.1 / 60), 10);
    expect(degreesOf(0, 90)).toBe(0);
    expect([degreesOf(0x7fffff, 90), degreesOf(906000, 90), degreesOf(5960, 90), degreesOf(1.5, 90), degreesOf(null, 90)]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  const adr = (at: number, latitude: number, longitude: number): DeviceRecord => ({ kind: 'gnssAccumulatedDriving', at, fields: { timeStamp: at, place: { timeStamp: at + 60_000, gnssAccuracy: 9, latitude, longitude }, odometerKm: 1 } });
  const place = (at: number, latitude: number, longitude: number): DeviceRecord => ({ kind: 'place', code: 1, at, fields: { type: 'begin', gnssPlace: { timeStamp: at, gnssAccuracy: 9, latitude, longitude } } });

  it('takes accumulated-driving records and place entries in time order, at the GNSS time stamp, leaving out unknown positions', () => {
    const records = [adr(10_800_000, 53012, 4211), place(0, 50510, 4211), place(20_000_000, 0x7fffff, 0x7fffff), { kind: 'event', code: 7, at: 5 }];
    expect(recordedPositions(records).map((p) => [p.t, +p.lat.toFixed(4), +p.lon.toFixed(4), p.what])).toEqual([
      [0, 50.85, 4.3517, 'place: begin'],
      [10_860_000, 53.02, 4.3517, 'accumulated driving (3 h)'],
    ]);
  });

  it('draws a dot per position and the line through them, north up; nothing without a position', () => {
    const svg = renderGnssTrack([place(0, 50510, 4211), adr(10_800_000, 53012, 4211)], 'vu')!;
    expect(svg.match(/<circle class="position"/g)).toHaveLength(2);
    // due north: the same x, the later (northern) point higher up
    expect(svg).toContain('<path class="recorded" d="M24 196L24 24"/>');
    expect(renderGnssTrack([{ kind: 'event', code: 7, at: 5 }], 'vu')).toBeUndefined();
  });
});
