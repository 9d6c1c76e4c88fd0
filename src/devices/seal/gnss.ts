import type { Fix } from '../../protocols/seal/index.ts';
import { utcIso } from '../../protocols/seal/index.ts';
import type { World } from '../../harness/world/index.ts';

/**
 * The seal's own GNSS receiver (rig-defined model). While it runs (powered, sky visible, no fault) it fixes
 * the vehicle's position at every multiple of `fixIntervalMs` of rig time, so a report's fix time is the
 * last such instant, not the time the report is made. When it stops, the last fix and its time are kept.
 * Decision: with no current fix a report carries the last fix with its own time and status `last-known`;
 * a seal that never had a fix reports `fix: null`.
 */
export interface GnssState {
  /** Rig time since which the receiver produces fixes, or null while it does not. */
  since: number | null;
  /** The last fix time before the receiver stopped, if any. */
  lastFixTime: number | null;
  fixIntervalMs: number;
}

/** The time of the latest fix at rig time t, and whether it is current. */
export function latestFix(g: GnssState, t: number): { time: number; current: boolean } | null {
  if (g.since !== null) {
    const grid = Math.floor(t / g.fixIntervalMs) * g.fixIntervalMs;
    if (grid >= g.since) return { time: grid, current: true };
  }
  return g.lastFixTime === null ? null : { time: g.lastFixTime, current: false };
}

export function startReceiver(g: GnssState, t: number): GnssState {
  return g.since !== null ? g : { ...g, since: t };
}

export function stopReceiver(g: GnssState, t: number): GnssState {
  if (g.since === null) return g;
  return { ...g, since: null, lastFixTime: latestFix(g, t)?.time ?? g.lastFixTime };
}

/** The fix as it goes into a message: the vehicle where and how fast it was at the fix time. */
export function fixReport(g: GnssState, t: number, world: World): Fix | null {
  const fix = latestFix(g, t);
  if (!fix) return null;
  const p = world.vehicle.positionAt(fix.time);
  return {
    lat: round(p.lat, 7),
    lon: round(p.lon, 7),
    speedKmh: round(world.vehicle.speedAt(fix.time), 1),
    time: utcIso(fix.time),
    status: fix.current ? 'current' : 'last-known',
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
