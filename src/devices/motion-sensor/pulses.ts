import type { PulseRate } from '../../protocols/motion-sensor/pulse-frame.ts';

/**
 * The pulse output, as pure accounting. The sensor's cumulative pulse count at rig time t is
 * floor(distance_m(t) * k / 1000): computed afresh from the world's exact distance each time, never summed
 * from rounded steps, so no pulse is lost or invented however the frames fall.
 */

/**
 * floor(distance_m * k / 1000). Distance is a float integral of km/h over ms; a product that is an integer
 * in exact arithmetic can come out one ulp short, so a relative nudge of 1e-12 (a micrometre at 1 000 km)
 * keeps it from flooring to the pulse below.
 */
export function cumulativePulses(distanceM: number, k: number): number {
  const exact = (distanceM * k) / 1000;
  return Math.floor(exact + Math.abs(exact) * 1e-12 + 1e-9);
}

/** A tampered pulse line (the `pulseTamper` stimulus): the authenticated counter is never affected. */
export type PulseTamper =
  | { mode: 'none' }
  /** Adds pulsesPerSecond on the line from `since` (rig ms). */
  | { mode: 'inject'; pulsesPerSecond: number; since: number }
  /** Withholds this fraction (0..1] of the pulses sensed from `fromSensed` (pulses, with their fraction). */
  | { mode: 'suppress'; fraction: number; fromSensed: number };

/**
 * The line as a signal (issue 18): the pulses sensed (distance × k, with the phase of the pulse under way as
 * fraction) plus what tampering added or withheld. A rate frame tells the VU the line's position now and its
 * rate from now on; the VU counts floor(position + rate × elapsed), so a frame per change carries every pulse.
 * The position is computed afresh from the sensed distance at each frame, never carried from the last one.
 */
export interface PulseLineState {
  /** Pulses added (+) or withheld (−) by tampering that has ended, with their fraction. */
  offset: number;
  tamper: PulseTamper;
  /** The rate last put on the line, pulses per second: 0 before the vehicle first moves. */
  sentRate: number;
  /** Pulses put on the line in count frames so far (the `count` line of the rig before issue 18). */
  countSent: number;
}

/** What the sensor senses now: pulses so far with their fraction (distance × k / 1000), and pulses per second. */
export interface Sensed {
  pulses: number;
  pulsesPerSecond: number;
}

export function initialPulseLine(): PulseLineState {
  return { offset: 0, tamper: { mode: 'none' }, sentRate: 0, countSent: 0 };
}

function tamperOffset(tamper: PulseTamper, sensed: Sensed, now: number): number {
  switch (tamper.mode) {
    case 'none':
      return 0;
    case 'inject':
      return (tamper.pulsesPerSecond * Math.max(0, now - tamper.since)) / 1000;
    case 'suppress':
      return -tamper.fraction * Math.max(0, sensed.pulses - tamper.fromSensed);
  }
}

/** The line's signal from now on: its position (never below 0) and its rate. */
export function lineSignal(state: PulseLineState, sensed: Sensed, now: number): PulseRate {
  const { tamper } = state;
  const rate = tamper.mode === 'inject' ? sensed.pulsesPerSecond + tamper.pulsesPerSecond : tamper.mode === 'suppress' ? sensed.pulsesPerSecond * (1 - tamper.fraction) : sensed.pulsesPerSecond;
  return { at: now, position: Math.max(0, sensed.pulses + state.offset + tamperOffset(tamper, sensed, now)), pulsesPerSecond: Math.max(0, rate) };
}

/**
 * The rate frame to send now: when the line's rate differs from the one last sent, or `restate` (the periodic
 * restatement, a line reconnected). Nothing while the rate holds: the VU's closed form already counts it.
 */
export function lineStep(state: PulseLineState, sensed: Sensed, now: number, restate = false): { state: PulseLineState; frame?: PulseRate } {
  const signal = lineSignal(state, sensed, now);
  if (!restate && signal.pulsesPerSecond === state.sentRate) return { state };
  return { state: { ...state, sentRate: signal.pulsesPerSecond }, frame: signal };
}

/**
 * The line as count frames (option `pulseLine: count`, the rig before issue 18, for recordings made then):
 * the whole pulses the line has reached since the last frame; the rate is kept to know when the line is idle.
 */
export function countStep(state: PulseLineState, sensed: Sensed, now: number): { state: PulseLineState; count: number } {
  const signal = lineSignal(state, sensed, now);
  const reached = Math.floor(signal.position + Math.abs(signal.position) * 1e-12 + 1e-9);
  const count = Math.max(0, reached - state.countSent);
  return { state: { ...state, sentRate: signal.pulsesPerSecond, countSent: state.countSent + count }, count };
}

/** Starts, changes or ends tampering at rig time `now`: what the tampering so far did stays on the line. */
export function setTamper(
  state: PulseLineState,
  change: { mode: 'none' } | { mode: 'inject'; pulsesPerSecond: number } | { mode: 'suppress'; fraction: number },
  sensed: Sensed,
  now: number,
): PulseLineState {
  const offset = state.offset + tamperOffset(state.tamper, sensed, now);
  switch (change.mode) {
    case 'none':
      return { ...state, offset, tamper: { mode: 'none' } };
    case 'inject':
      return { ...state, offset, tamper: { mode: 'inject', pulsesPerSecond: change.pulsesPerSecond, since: now } };
    case 'suppress':
      return { ...state, offset, tamper: { mode: 'suppress', fraction: change.fraction, fromSensed: sensed.pulses } };
  }
}
