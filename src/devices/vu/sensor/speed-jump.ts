/**
 * Annex IC 83, the second trigger of 0x09 motion data error: "the speed calculated from the motion sensor
 * pulses increases from 0 to more than 40 km/h within 1 second, and then stays above 40 km/h during at least
 * 3 seconds" (no truck does that: a device that cut the pulses while driving has just let them through).
 * A pure rule over the VU's one-second speeds (motion-state.ts), plain data.
 *
 * Choices where the text leaves them open:
 * - The speeds are the VU's whole-second samples, so "within 1 second" is two samples in a row: the speed of
 *   one second is 0 and that of the next is above 40 (the jump second).
 * - "Then stays above 40 km/h during at least 3 seconds": the three seconds after the jump second, each
 *   above 40 km/h. Four samples in a row above 40 in all; a jump that holds for fewer is no event.
 * - The record is a span (the Annex IC 117 row keeps begin and end): from the beginning of the jump second
 *   (the end of the last second at 0) to the end of the third second that confirmed it, when it is
 *   recorded. The trigger's mode is judged then (the VU, not this rule, leaves calibration mode out).
 * - After a power-up (or at the VU's start) the first sample only sets the previous speed: across a gap the
 *   VU calculated no speed, so no increase "within 1 second" can be seen.
 */

/** Annex IC 83: from this speed ... */
export const JUMP_FROM_KMH = 0;
/** ... to more than this speed, within one second ... */
export const JUMP_ABOVE_KMH = 40;
/** ... and then above it during at least this many seconds. */
export const JUMP_STAYS_SECONDS = 3;

export interface SpeedJumpState {
  /** The speed of the last sample, km/h; null before the first sample after a start or power-up. */
  previousKmh: number | null;
  /** A jump seen and not yet confirmed: when its second began (TimeReal) and the seconds above 40 since. */
  pending: { begin: number; secondsAbove: number } | null;
}

export type SpeedJumpOutcome = { kind: 'none' } | { kind: 'jump'; begin: number; end: number };

export function createSpeedJump(): SpeedJumpState {
  return { previousKmh: null, pending: null };
}

/**
 * One second's speed. `secondEnd` is the TimeReal at the end of the second the speed was measured over (the
 * sample's instant).
 */
export function sampleSpeedJump(state: SpeedJumpState, speedKmh: number, secondEnd: number): { state: SpeedJumpState; outcome: SpeedJumpOutcome } {
  const above = speedKmh > JUMP_ABOVE_KMH;
  if (state.pending) {
    if (!above) return { state: { previousKmh: speedKmh, pending: null }, outcome: { kind: 'none' } };
    const secondsAbove = state.pending.secondsAbove + 1;
    if (secondsAbove >= JUMP_STAYS_SECONDS) return { state: { previousKmh: speedKmh, pending: null }, outcome: { kind: 'jump', begin: state.pending.begin, end: secondEnd } };
    return { state: { previousKmh: speedKmh, pending: { ...state.pending, secondsAbove } }, outcome: { kind: 'none' } };
  }
  const jumped = state.previousKmh === JUMP_FROM_KMH && above;
  return { state: { previousKmh: speedKmh, pending: jumped ? { begin: secondEnd - 1, secondsAbove: 0 } : null }, outcome: { kind: 'none' } };
}

/** Power-up: the speeds before the gap say nothing about an increase after it. */
export function resumeSpeedJump(): SpeedJumpState {
  return createSpeedJump();
}
