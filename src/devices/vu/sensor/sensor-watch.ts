import type { SlotCards } from '../../../protocols/app1/slot-cards.ts';
import { beginSpan, endSpan, recordInstant, type EventMemory } from '../data-memory/event-store.ts';
import type { SensorLinkReport } from '../sensor-link/types.ts';
import { createSpeedJump, resumeSpeedJump, type SpeedJumpState } from './speed-jump.ts';

/**
 * How the VU turns what its sensor-link child reports into events and faults (Annex IC §3.9), as plain data
 * and pure functions:
 *
 * The link child has already sent each request up to three times (sensor-link/attempts.ts): what reaches
 * the watch is a request that failed after its attempts, or an authentication that failed three in a row.
 *
 * - 0x09 motion data error: the pulses counted on the pulse line since the last authenticated counter
 *   disagree with the counter's rise (data integrity), a request's last answer is unusable (bad checksum,
 *   length or instruction) or fails its cryptographic check fewer times in a row than a breach takes (data
 *   authentication error during the exchange), or a request goes unanswered (interruption of the normal data
 *   flow). It lasts until a counter check agrees again. Not in calibration mode (Annex IC 83); the checks go
 *   on there, so one begun before still ends. (The speed-jump trigger of 83 is speed-jump.ts.)
 * - 0x11 motion sensor authentication failure: the paired sensor's answers fail their cryptographic check
 *   three attempts in a row, or it refuses; until it authenticates again. Not in calibration mode.
 * - 0x13 unauthorised change of motion sensor: another sensor answers than the one paired; until the paired
 *   one answers again or a new pairing. Not in calibration mode.
 * - 0x35 sensor fault: the sensor leaves `faultAfterNoAnswers` requests in a row unanswered (each after its
 *   attempts); until it answers. Not in calibration mode.
 * - 0x21..0x25: the sensor's own security events, as it counts them in its file 03, recorded when the VU
 *   reads them (at most 10 per reading: the VU keeps only the 10 most recent of each type, Annex IC 117).
 *   Not in calibration mode (Annex IC 85), judged at the reading: file 03 holds counts, not times, so the
 *   reading is the first instant the VU knows of them; counts read in calibration mode are dropped, not kept
 *   for later (the workshop's own work on the sensor is what the exception is for).
 */
export interface SensorWatch {
  /** The last authenticated counter and the VU's pulse total when it arrived; null until the first after a pairing or power-up. */
  last: { counter: number; pulses: number } | null;
  /** Ids of the events and faults on-going in the event memory. */
  motionDataError: number | null;
  authFailure: number | null;
  sensorChanged: number | null;
  sensorFault: number | null;
  /** Annex IC 83's speed-jump trigger of 0x09 (speed-jump.ts), over the VU's one-second speeds. */
  speedJump: SpeedJumpState;
}

export interface SensorWatchPolicy {
  tolerancePulses: number;
  toleranceFraction: number;
  faultAfterNoAnswers: number;
}

/** What the VU knows at the instant a report arrives. */
export interface WatchContext {
  /** TimeReal, VU time. */
  at: number;
  cards: SlotCards;
  calibrationMode: boolean;
  /** Pulses counted on the pulse line since activation. */
  pulses: number;
  events: EventMemory;
}

export function createSensorWatch(): SensorWatch {
  return { last: null, motionDataError: null, authFailure: null, sensorChanged: null, sensorFault: null, speedJump: createSpeedJump() };
}

export interface CountComparison {
  /** The authenticated counter's rise since the last check (modulo 2^32). */
  rise: number;
  /** Pulses the VU counted on the pulse line over the same time. */
  counted: number;
  /** The largest difference tolerated. */
  tolerance: number;
  agree: boolean;
}

/** Annex IC §3.9 motion data error: the pulse line against the authenticated counter between two checks. */
export function compareCounts(last: { counter: number; pulses: number }, counter: number, pulses: number, policy: SensorWatchPolicy): CountComparison {
  const rise = (counter - last.counter) >>> 0; // the sensor's counter runs modulo 2^32
  const counted = pulses - last.pulses;
  const tolerance = Math.max(policy.tolerancePulses, Math.floor(policy.toleranceFraction * rise));
  return { rise, counted, tolerance, agree: Math.abs(rise - counted) <= tolerance };
}

type Result = { watch: SensorWatch; events: EventMemory };
type OpenKey = 'motionDataError' | 'authFailure' | 'sensorChanged' | 'sensorFault';

const CODE: Record<OpenKey, number> = { motionDataError: 0x09, authFailure: 0x11, sensorChanged: 0x13, sensorFault: 0x35 };

// Annex IC 83 (0x09), 85 (0x11, 0x13) and 88 (0x35): each is triggered "while not in calibration mode".
function open(r: Result, key: OpenKey, ctx: WatchContext): Result {
  if (r.watch[key] !== null || ctx.calibrationMode) return r;
  const begun = beginSpan(r.events, { type: CODE[key], at: ctx.at, cards: ctx.cards });
  return { watch: { ...r.watch, [key]: begun.id }, events: begun.memory };
}

function close(r: Result, key: OpenKey, ctx: WatchContext): Result {
  const id = r.watch[key];
  if (id === null) return r;
  return { watch: { ...r.watch, [key]: null }, events: endSpan(r.events, { id, at: ctx.at, cards: ctx.cards }) };
}

/** One report of the sensor-link child, applied to the watch and the event memory. */
export function watchSensor(watch: SensorWatch, report: SensorLinkReport, ctx: WatchContext, policy: SensorWatchPolicy): Result {
  let r: Result = { watch, events: ctx.events };
  switch (report.type) {
    case 'sensor.authenticated':
      // The paired sensor proved its session key: it is there, it works, it is the one paired.
      for (const key of ['authFailure', 'sensorChanged', 'sensorFault'] as const) r = close(r, key, ctx);
      return r;
    case 'sensor.counter': {
      const last = r.watch.last;
      r = { ...r, watch: { ...r.watch, last: { counter: report.value, pulses: ctx.pulses } } };
      if (!last) return r;
      // Annex IC §3.9 motion data error: the real-time pulses must match the authenticated count
      return compareCounts(last, report.value, ctx.pulses, policy).agree ? close(r, 'motionDataError', ctx) : open(r, 'motionDataError', ctx);
    }
    case 'sensor.authFailed':
      return open(r, report.reason === 'sensor-changed' ? 'sensorChanged' : 'authFailure', ctx);
    case 'sensor.noAnswer':
      // Annex IC 83: an interruption of the normal data flow is a motion data error; Annex IC 88: a sensor
      // that stays silent is a sensor fault
      r = open(r, 'motionDataError', ctx);
      return report.consecutive >= policy.faultAfterNoAnswers ? open(r, 'sensorFault', ctx) : r;
    case 'sensor.linkError':
      // Noise before an answer (bad-header) is not the answer; a request whose last answer is unusable or
      // unauthenticated is a data integrity or authentication error during the exchange (Annex IC 83).
      if (report.instruction === null || report.code === 'bad-header') return r;
      return open(r, 'motionDataError', ctx);
    case 'sensor.securityEvent': {
      if (ctx.calibrationMode) return r; // Annex IC 85, at the reading (see above)
      let events = r.events;
      for (let i = 0; i < Math.min(report.occurrences, 10); i++) events = recordInstant(events, { type: report.code, at: ctx.at, cards: ctx.cards });
      return { ...r, events };
    }
    default:
      return r;
  }
}

/** A new pairing: every condition about the sensor fitted before ends, and the counter check starts afresh. */
export function watchPaired(watch: SensorWatch, ctx: WatchContext): Result {
  let r: Result = { watch: { ...watch, last: null }, events: ctx.events };
  for (const key of ['motionDataError', 'authFailure', 'sensorChanged', 'sensorFault'] as const) r = close(r, key, ctx);
  return r;
}

/** Power-up: pulses that arrived without supply were not counted, so the counter check and the speed-jump check start afresh. */
export function watchResumed(watch: SensorWatch): SensorWatch {
  return { ...watch, last: null, speedJump: resumeSpeedJump() };
}
