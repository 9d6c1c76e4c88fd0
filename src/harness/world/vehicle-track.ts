import type { RigClock } from '../clock/index.ts';

/**
 * The vehicle's motion over rig time, owned by the rig's world so every device that senses it agrees: the
 * motion sensor turns it into pulses, a GNSS receiver into positions, a seal into its own fixes. Speed is
 * piecewise constant, changed by scenario stimuli at rig instants; distance is its exact integral, so pulse
 * counts and odometers computed from it never drift apart.
 */
export interface GeoPoint {
  /** Degrees, north positive. */
  lat: number;
  /** Degrees, east positive. */
  lon: number;
}

interface Segment {
  /** Rig time the segment starts. */
  from: number;
  /** Speed, km/h. */
  kmh: number;
  /** Heading, degrees clockwise from north. */
  heading: number;
  /** Distance travelled before the segment, metres. */
  distanceBefore: number;
  /** Position where the segment starts. */
  origin: GeoPoint;
}

export interface VehicleTrackOptions {
  start?: GeoPoint;
  heading?: number;
}

const EARTH_RADIUS_M = 6_371_008.8;

export class VehicleTrack {
  private segments: Segment[];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly clock: RigClock,
    options: VehicleTrackOptions = {},
  ) {
    this.segments = [{ from: clock.now(), kmh: 0, heading: options.heading ?? 0, distanceBefore: 0, origin: options.start ?? { lat: 50.8503, lon: 4.3517 } }];
  }

  /** Changes speed from now on. */
  setSpeed(kmh: number): void {
    if (!(kmh >= 0) || !Number.isFinite(kmh)) throw new RangeError(`speed must be a non-negative number of km/h, got ${kmh}`);
    this.change({ kmh });
  }

  setHeading(degrees: number): void {
    if (!Number.isFinite(degrees)) throw new RangeError(`heading must be a number of degrees, got ${degrees}`);
    this.change({ heading: ((degrees % 360) + 360) % 360 });
  }

  /** Places the vehicle somewhere else from now on (a ferry crossing, a scenario's starting point). */
  moveTo(point: GeoPoint): void {
    this.change({ origin: point });
  }

  /**
   * Calls `listener` after each change of speed, heading or place, at the rig instant it is made; returns the
   * unsubscribe. A device that only needs to act while the vehicle moves can sleep in between.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  speedAt(t: number): number {
    return this.segmentAt(t).kmh;
  }

  moving(t: number): boolean {
    return this.speedAt(t) > 0;
  }

  /** When the vehicle, still at t, last stopped; undefined while it moves at t or if it has not moved yet. */
  stoppedAt(t: number): number | undefined {
    let i = this.segments.indexOf(this.segmentAt(t));
    if (this.segments[i]!.kmh > 0) return undefined;
    while (i > 0 && this.segments[i - 1]!.kmh === 0) i--;
    return i > 0 ? this.segments[i]!.from : undefined;
  }

  /** Metres travelled from the start of the track to rig time t. */
  distanceAt(t: number): number {
    const s = this.segmentAt(t);
    return s.distanceBefore + metres(s.kmh, Math.max(0, t - s.from));
  }

  headingAt(t: number): number {
    return this.segmentAt(t).heading;
  }

  /** Position at rig time t, dead-reckoned along each segment's heading on a spherical earth. */
  positionAt(t: number): GeoPoint {
    const s = this.segmentAt(t);
    return destination(s.origin, s.heading, metres(s.kmh, Math.max(0, t - s.from)));
  }

  private change(patch: Partial<Pick<Segment, 'kmh' | 'heading' | 'origin'>>): void {
    const now = this.clock.now();
    const current = this.segmentAt(now);
    const next: Segment = {
      from: now,
      kmh: current.kmh,
      heading: current.heading,
      distanceBefore: this.distanceAt(now),
      origin: this.positionAt(now),
      ...patch,
    };
    // Changes are made at the current instant, never in the past: drop a segment that starts now.
    while (this.segments.length > 1 && this.segments[this.segments.length - 1]!.from >= now) this.segments.pop();
    if (this.segments[this.segments.length - 1]!.from >= now) this.segments[this.segments.length - 1] = next;
    else this.segments.push(next);
    for (const listener of [...this.listeners]) listener();
  }

  private segmentAt(t: number): Segment {
    // Scenarios ask mostly about the present: search from the end.
    for (let i = this.segments.length - 1; i >= 0; i--) {
      if (this.segments[i]!.from <= t) return this.segments[i]!;
    }
    return this.segments[0]!;
  }
}

function metres(kmh: number, ms: number): number {
  return (kmh * ms) / 3600;
}

function destination(from: GeoPoint, headingDeg: number, distanceM: number): GeoPoint {
  if (distanceM === 0) return from;
  const d = distanceM / EARTH_RADIUS_M;
  const h = (headingDeg * Math.PI) / 180;
  const lat1 = (from.lat * Math.PI) / 180;
  const lon1 = (from.lon * Math.PI) / 180;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(h));
  const lon2 = lon1 + Math.atan2(Math.sin(h) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: (lat2 * 180) / Math.PI, lon: ((((lon2 * 180) / Math.PI + 540) % 360) - 180) };
}
