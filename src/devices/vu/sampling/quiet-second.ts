import type { VuContext } from '../vu-machine.ts';
import { countLine, PULSE_INPUT_LATENCY_MS } from '../motion/pulse-line.ts';
import { comparisonDue } from '../motion/motion-conflict.ts';
import { timeReal, vuTime } from '../time/vu-clock.ts';

const DAY_MS = 86_400_000;
/** Annex IC 51 (driver-activities.ts): a minute is resolved once the whole next minute has passed. */
const RESOLVE_AFTER_MS = 120_000;

/**
 * Issue 18: a second of a parked VU in which nothing can change, in closed form. The one-second sample
 * (vu-machine.ts `sampleSeconds`) of a second without pulses, after a second that had none either, with no
 * over speeding, speed jump, open Annex IC 49 window or driving without a card pending, no activity minute
 * to resolve, no day to begin and no motion comparison due, changes only the instant the activity function
 * has reached and the minute the detailed speed is filling with zeros: this gives that change, or null when
 * the second needs the full sample. The caller samples the first second after any event in full (a card
 * change or a clock set puts the slot conditions and the rules' states where only the full sample looks).
 */
export function quietSecond(c: VuContext, at: number): Partial<VuContext> | null {
  const { motion, overSpeeding, detailedSpeed, activities, sensorWatch } = c;
  if (motion.speedKmh !== 0 || motion.pulsesThisSecond !== 0) return null;
  if (overSpeeding.open || overSpeeding.aboveSince !== undefined || overSpeeding.seconds !== 0) return null;
  if (c.slots.noCardEvent !== null || activities.moving || activities.stoppedAt !== null || activities.marks.length > 0) return null;
  if (c.options.motionSensor.speedJumpCheck && (sensorWatch.speedJump.previousKmh !== 0 || sensorWatch.speedJump.pending !== null)) return null;
  if (comparisonDue(c.motionConflict, at)) return null;
  const line = countLine(c.pulseInput, at - PULSE_INPUT_LATENCY_MS);
  if (line.pulses !== 0 || line.input !== c.pulseInput) return null;
  const vuNow = vuTime(c.clock, at);
  const now = Math.max(Math.floor(vuNow / 1000) * 1000, activities.now);
  if (now >= activities.nextMinute + RESOLVE_AFTER_MS) return null;
  const lastDay = c.midnightOdometers[c.midnightOdometers.length - 1];
  if (!lastDay || lastDay.day < Math.floor(vuNow / DAY_MS) * DAY_MS) return null;
  // the detailed speed of a parked minute: zeros, a block no download keeps (detailed-speed.ts `keep`)
  const second = timeReal(vuNow) - 1;
  const minute = second - (((second % 60) + 60) % 60);
  // within the minute the second's own place holds 0 already; a new minute drops the block only if it had no movement
  const current = detailedSpeed.current;
  if (current && (current.begin === minute ? current.speeds[second - minute] !== 0 : current.speeds.some((s) => s !== 0))) return null;
  const patch: Partial<VuContext> = {};
  if (now !== activities.now) patch.activities = { ...activities, now };
  if (!current || current.begin !== minute) patch.detailedSpeed = { current: { begin: minute, speeds: new Array<number>(60).fill(0) }, blocks: detailedSpeed.blocks };
  return patch;
}
