import type { VuContext } from '../vu-machine.ts';
import { lineStill, PULSE_INPUT_LATENCY_MS } from '../motion/pulse-line.ts';
import type { EventObject } from 'xstate';
import type { Latched } from './latched-seconds.ts';
import { comparisonDue } from '../motion/motion-conflict.ts';
import { checkMotionConflict } from '../motion/motion-conflict-vu.ts';
import { timeReal, vuTime } from '../time/vu-clock.ts';

const DAY_MS = 86_400_000;
/** Annex IC 51 (driver-activities.ts): a minute is resolved once the whole next minute has passed. */
const RESOLVE_AFTER_MS = 120_000;

/**
 * Issue 18: a second of a parked VU in which nothing can change, in closed form. The one-second sample
 * (vu-machine.ts `sampleSeconds`) of a second without pulses, after a second that had none either, with no
 * over speeding, speed jump, open Annex IC 49 window or driving without a card pending, no activity minute
 * to resolve and no day to begin changes only the instant the activity function has reached, the minute the
 * detailed speed is filling with zeros and, every 10 s, the motion comparison (made as the full sample makes it,
 * on the same context): this gives that change, or null when the second needs the full sample. The caller
 * samples the first second after any event in full (a card change or a clock set puts the slot conditions and
 * the rules' states where only the full sample looks).
 */
export function quietSecond(c: VuContext, at: number): Partial<VuContext> | null {
  if (!quietState(c) || !quietAt(c, at)) return null;
  const patch = quietPatch(c, at);
  // Annex IC 84, GNS_42: the comparison reads the speed (0), the clock, the slots and the events, which a quiet second leaves
  if (comparisonDue(c.motionConflict, at)) Object.assign(patch, checkMotionConflict(c, at));
  return patch;
}

/** What a quiet second needs of the context whatever its instant: parked, nothing pending. */
function quietState(c: VuContext): boolean {
  const { motion, overSpeeding, activities, sensorWatch } = c;
  if (motion.speedKmh !== 0 || motion.pulsesThisSecond !== 0) return false;
  if (overSpeeding.open || overSpeeding.aboveSince !== undefined || overSpeeding.seconds !== 0) return false;
  if (c.slots.noCardEvent !== null || activities.moving || activities.stoppedAt !== null || activities.marks.length > 0) return false;
  if (c.options.motionSensor.speedJumpCheck && (sensorWatch.speedJump.previousKmh !== 0 || sensorWatch.speedJump.pending !== null)) return false;
  return c.midnightOdometers.length > 0;
}

/** What a quiet second needs at its instant: no pulse, no minute to resolve, no day to begin, no moving minute to keep. */
function quietAt(c: VuContext, at: number): boolean {
  const { activities, detailedSpeed } = c;
  if (!lineStill(c.pulseInput, at - PULSE_INPUT_LATENCY_MS)) return false;
  const vuNow = vuTime(c.clock, at);
  if (Math.max(Math.floor(vuNow / 1000) * 1000, activities.now) >= activities.nextMinute + RESOLVE_AFTER_MS) return false;
  if (c.midnightOdometers[c.midnightOdometers.length - 1]!.day < Math.floor(vuNow / DAY_MS) * DAY_MS) return false;
  // the detailed speed of a parked minute: zeros, a block no download keeps (detailed-speed.ts `keep`); within
  // the minute the second's own place holds 0 already; a new minute drops the block only if it had no movement
  const current = detailedSpeed.current;
  if (!current) return true;
  const second = timeReal(vuNow) - 1;
  const minute = second - (((second % 60) + 60) % 60);
  return current.begin === minute ? current.speeds[second - minute] === 0 : !current.speeds.some((s) => s !== 0);
}

/** The quiet second's change to the activity function's instant and the detailed speed's minute. */
function quietPatch(c: VuContext, at: number): Partial<VuContext> {
  const { activities, detailedSpeed } = c;
  const vuNow = vuTime(c.clock, at);
  const now = Math.max(Math.floor(vuNow / 1000) * 1000, activities.now);
  const second = timeReal(vuNow) - 1;
  const minute = second - (((second % 60) + 60) % 60);
  const patch: Partial<VuContext> = {};
  if (now !== activities.now) patch.activities = { ...activities, now };
  if (detailedSpeed.current?.begin !== minute) patch.detailedSpeed = { current: { begin: minute, speeds: new Array<number>(60).fill(0) }, blocks: detailedSpeed.blocks };
  return patch;
}

/**
 * Issue 18: a run of quiet seconds latched from index `from` on, taken in place on `c` (a copy the caller owns),
 * with the events latched between them (`take`: vu-machine.ts takeLatched) and the motion comparisons due in
 * it. Within a quiet run each second changes only the activity function's instant (to its own: the latest wins)
 * and the detailed speed's zero minute (the last one stands), which no event and no comparison reads (they read
 * the clock, the motion, the slots, the events, the GNSS and sensor states), so the run's last quiet second's
 * change alone is made, at the end. The run ends at a second that is not quiet, or after an event that leaves
 * the VU not quiet or sets its clock (`full`: the next second is then sampled in full). Returns the index after
 * the run (`from` itself when the first second is not quiet).
 */
export function quietRun(c: VuContext, latched: readonly Latched[], from: number, take: (c: VuContext, event: EventObject, at: number) => Partial<VuContext>): { end: number; full: boolean } {
  let full = false;
  let last: number | null = null;
  let j = from;
  if (quietState(c)) {
    for (; j < latched.length; j++) {
      const item = latched[j]!;
      if (typeof item !== 'number') {
        const taken = take(c, item.event, item.at);
        full = taken.clock !== undefined && taken.clock !== c.clock;
        // the seconds before a clock set are the old clock's
        if (full && last !== null) Object.assign(c, quietPatch(c, last));
        if (full) last = null;
        Object.assign(c, taken);
        if (full || !quietState(c)) {
          j++;
          break;
        }
        continue;
      }
      if (!quietAt(c, item)) break;
      if (comparisonDue(c.motionConflict, item)) Object.assign(c, checkMotionConflict(c, item));
      last = item;
    }
  }
  if (last !== null) Object.assign(c, quietPatch(c, last));
  return { end: j, full };
}
