import type { World } from '../../../harness/world/index.ts';
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

/** What the working receiver reads of the sky at `t` (rig time): `internalReceiverReport` without the fault. */
export function internalReceiverReading(world: World, t: number): InternalReceiverReport {
  return internalReceiverReport(world, t, false);
}
