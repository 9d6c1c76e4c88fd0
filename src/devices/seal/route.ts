import type { GeoPoint } from '../../harness/world/index.ts';

const EARTH_RADIUS_M = 6_371_008.8; // the mean radius the world's vehicle track uses
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance, metres (haversine). */
export function distanceM(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

function bearing(a: GeoPoint, b: GeoPoint): number {
  const y = Math.sin(rad(b.lon - a.lon)) * Math.cos(rad(b.lat));
  const x = Math.cos(rad(a.lat)) * Math.sin(rad(b.lat)) - Math.sin(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.cos(rad(b.lon - a.lon));
  return Math.atan2(y, x);
}

/** Distance from p to the great-circle arc a→b: cross-track where p projects inside it, else the nearer end. */
export function distanceToSegmentM(p: GeoPoint, a: GeoPoint, b: GeoPoint): number {
  const ab = distanceM(a, b);
  if (ab === 0) return distanceM(p, a);
  const d13 = distanceM(a, p) / EARTH_RADIUS_M;
  const theta13 = bearing(a, p);
  const theta12 = bearing(a, b);
  const crossTrack = Math.asin(Math.sin(d13) * Math.sin(theta13 - theta12));
  const alongTrack = Math.acos(Math.min(1, Math.max(-1, Math.cos(d13) / Math.cos(crossTrack)))) * EARTH_RADIUS_M;
  // Projects behind a, or beyond b: the nearest point of the arc is an end.
  if (Math.cos(theta13 - theta12) < 0 || alongTrack > ab) return Math.min(distanceM(p, a), distanceM(p, b));
  return Math.abs(crossTrack) * EARTH_RADIUS_M;
}

/**
 * How far p is from the consignment's route, metres: the least distance to any leg of the polyline.
 * Decision: the sources say "more than 50 km (road)"; the rig has no road network, so it measures the
 * geodesic distance to the route's polyline. A route of one point is a distance to that point.
 */
export function distanceToRouteM(p: GeoPoint, route: readonly GeoPoint[]): number {
  if (route.length === 0) return 0;
  if (route.length === 1) return distanceM(p, route[0]!);
  let best = Infinity;
  for (let i = 1; i < route.length; i++) best = Math.min(best, distanceToSegmentM(p, route[i - 1]!, route[i]!));
  return best;
}
