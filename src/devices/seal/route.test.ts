import { describe, expect, it } from 'vitest';
import { distanceM, distanceToRouteM } from './route.ts';

const R = 6_371_008.8;

describe('distance to the route', () => {
  it('is the great-circle distance between points: 1° of meridian is R·π/180', () => {
    expect(distanceM({ lat: 50, lon: 30 }, { lat: 51, lon: 30 })).toBeCloseTo((R * Math.PI) / 180, 6); // 111 195.08 m
  });

  it('is the cross-track distance where the point projects onto a leg', () => {
    // A point on the equator-parallel great circle through (51, 30) perpendicular to the meridian, d away:
    // its distance to the meridian is d (a right spherical triangle with sin(xt) = sin(d)).
    const d = 49_000 / R;
    const lat = (Math.asin(Math.sin((51 * Math.PI) / 180) * Math.cos(d)) * 180) / Math.PI;
    const lon = 30 + (Math.atan2(Math.sin(d) * Math.cos((51 * Math.PI) / 180), Math.cos(d) - Math.sin((51 * Math.PI) / 180) * Math.sin((lat * Math.PI) / 180)) * 180) / Math.PI;
    expect(distanceToRouteM({ lat, lon }, [{ lat: 50, lon: 30 }, { lat: 52, lon: 30 }])).toBeCloseTo(49_000, 3);
  });

  it('is the distance to the nearer end beyond a leg, and the least over all legs', () => {
    const route = [{ lat: 50, lon: 30 }, { lat: 51, lon: 30 }, { lat: 51, lon: 31 }];
    expect(distanceToRouteM({ lat: 49, lon: 30 }, route)).toBeCloseTo((R * Math.PI) / 180, 3);
    // The great circle between two points of a parallel bows towards the pole: 119 m at 51° N over 1°.
    expect(distanceToRouteM({ lat: 51, lon: 30.5 }, route)).toBeLessThan(200);
    expect(distanceToRouteM({ lat: 10, lon: 10 }, [{ lat: 10, lon: 10 }])).toBe(0);
  });
});
