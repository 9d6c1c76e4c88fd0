import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { VehicleTrack } from './vehicle-track.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

describe('VehicleTrack', () => {
  it('integrates piecewise-constant speed into exact distance', async () => {
    const clock = new VirtualClock({ start: T0 });
    const track = new VehicleTrack(clock);
    expect(track.moving(T0)).toBe(false);
    await clock.advance(60_000);
    track.setSpeed(90); // 25 m/s
    await clock.advance(3_600_000);
    track.setSpeed(36); // 10 m/s
    await clock.advance(60_000);
    track.setSpeed(0);
    const end = clock.now();
    expect(track.distanceAt(T0 + 60_000)).toBe(0);
    expect(track.distanceAt(T0 + 61_000)).toBe(25);
    expect(track.distanceAt(T0 + 60_000 + 3_600_000)).toBe(90_000);
    expect(track.distanceAt(end)).toBe(90_600);
    expect(track.distanceAt(end + 3_600_000)).toBe(90_600);
    expect(track.speedAt(T0 + 60_000 + 3_600_000 - 1)).toBe(90);
    expect(track.moving(end)).toBe(false);
  });

  it('dead-reckons the position along the heading', async () => {
    const clock = new VirtualClock({ start: T0 });
    const track = new VehicleTrack(clock, { start: { lat: 0, lon: 0 }, heading: 90 });
    track.setSpeed(60);
    await clock.advance(3_600_000); // 60 km east along the equator
    const p = track.positionAt(clock.now());
    expect(p.lat).toBeCloseTo(0, 9);
    expect(p.lon).toBeCloseTo((60_000 / 6_371_008.8) * (180 / Math.PI), 9); // 0.53958°
    track.setHeading(0);
    await clock.advance(3_600_000);
    const q = track.positionAt(clock.now());
    expect(q.lon).toBeCloseTo(p.lon, 9);
    expect(q.lat).toBeCloseTo((60_000 / 6_371_008.8) * (180 / Math.PI), 9);
  });

  it('tells its listeners of each change at the instant it is made, until they unsubscribe', async () => {
    const clock = new VirtualClock({ start: T0 });
    const track = new VehicleTrack(clock);
    const seen: [number, number][] = [];
    const unsubscribe = track.onChange(() => seen.push([clock.now() - T0, track.speedAt(clock.now())]));
    track.setSpeed(50);
    await clock.advance(1000);
    track.setHeading(90);
    track.moveTo({ lat: 51, lon: 4 });
    unsubscribe();
    track.setSpeed(0);
    expect(seen).toEqual([[0, 50], [1000, 50], [1000, 50]]);
  });

  it('refuses impossible speeds', () => {
    const track = new VehicleTrack(new VirtualClock({ start: T0 }));
    expect(() => track.setSpeed(-1)).toThrow('speed must be a non-negative number of km/h, got -1');
  });
});
