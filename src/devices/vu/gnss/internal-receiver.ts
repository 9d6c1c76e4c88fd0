import type { SkyView, World } from '../../../harness/world/index.ts';
import { sentencesFromWorld } from '../../../harness/world/index.ts';
import { readPosition } from '../gnss-link/position.ts';
import type { InternalReceiverReport } from './state.ts';

/**
 * GNS_34: a VU with its own GNSS receiver reads the same sky as an EGF would, through the same NMEA and the
 * same validation (GNS_23 step 5, GNS_5), without the secure link. `t` is rig time; the receiver gives its
 * sentences once a second (GNS_9), so the position is the one of the last whole second. The report goes to
 * `onGnssReport` like the link's; absence (0x0D) is then counted by the VU itself (absence.ts). `faulty`: the
 * receiver's hardware has failed (a scenario's stimulus), which the VU finds at this read.
 */
export function internalReceiverReport(world: World, t: number, faulty = false): InternalReceiverReport {
  // Annex IC 89: the VU's self-test of its receiver ("proper operation") fails while the receiver is faulty
  // (the `gnssReceiverFault` stimulus): no sentences, a fault (0x36).
  if (faulty) return { type: 'gnss.receiverFault' };
  const s = sentencesFromWorld(world, Math.floor(t / 1000) * 1000);
  const r = readPosition(s.rmc, s.gsa);
  return r.ok ? { type: 'gnss.position', position: r.position } : { type: 'gnss.noFix', time: r.time };
}

/** The last reading made from sentences, per world: what a read in the same sky of the same parked vehicle repeats. */
interface Reading {
  at: number;
  view: SkyView;
  /** The vehicle's position, speed and heading, when the sky gives a fix (else the sentences hold none of it). */
  vehicle: readonly number[] | null;
  reading: InternalReceiverReport;
}

const lastReading = new WeakMap<World, Reading>();

/** Readings made from NMEA sentences (not repeated in closed form): a test's count. */
export const receiverReadings = { fromSentences: 0 };

/**
 * What the working receiver reads of the sky at `t` (rig time): `internalReceiverReport` without the fault.
 * Issue 18: a read in the same sky state (the same frozen view: same satellites, fix, time offset) of a vehicle
 * standing where it stood, at the same speed and heading (or with no fix, where the sentences carry no
 * position), gives the last reading again with its time moved on by the whole seconds between, which is what
 * the sentences would say: their time is the sky's time of the read's whole second, to the hundredth.
 */
export function internalReceiverReading(world: World, t: number): InternalReceiverReport {
  const at = Math.floor(t / 1000) * 1000;
  const view = world.gnss.viewAt(at);
  const vehicle = view.fix ? vehicleAt(world, at) : null;
  const last = lastReading.get(world);
  if (last && last.view === view && sameVehicle(last.vehicle, vehicle)) return later(last.reading, at - last.at);
  receiverReadings.fromSentences++;
  const reading = internalReceiverReport(world, t, false);
  lastReading.set(world, { at, view, vehicle, reading });
  return reading;
}

function vehicleAt(world: World, at: number): number[] {
  const p = world.vehicle.positionAt(at);
  return [p.lat, p.lon, world.vehicle.speedAt(at), world.vehicle.headingAt(at)];
}

function sameVehicle(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.every((v, i) => v === b[i]);
}

function later(reading: InternalReceiverReport, ms: number): InternalReceiverReport {
  if (reading.type === 'gnss.position') return { type: 'gnss.position', position: { ...reading.position, time: reading.position.time + ms } };
  if (reading.type === 'gnss.noFix') return { type: 'gnss.noFix', time: reading.time === null ? null : reading.time + ms };
  return reading;
}
