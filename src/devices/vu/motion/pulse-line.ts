import { pulsesAt, type PulseRate } from '../../../protocols/motion-sensor/pulse-frame.ts';

/**
 * The VU's pulse input as a signal (issue 18): the sensor's rate frame says where the line stood at an instant
 * and its rate from then on, and the VU counts the pulses in closed form whenever it looks (each one-second
 * sample, each counter check, each new frame), not frame by frame. Plain data.
 *
 * It counts the line as it stood PULSE_INPUT_LATENCY_MS ago. A rate frame takes 27 ms to cross a 9600 Bd line
 * (more behind another frame); a count taken up to the present would run on the old rate until the new frame
 * arrives, pulses a slowing vehicle never gave. 100 ms is also what the rig's pulse line lagged by when the
 * sensor sent a pulse count every 100 ms, so per-second speeds are the same as then wherever the speed changes
 * at whole seconds (the golden records, test/golden/).
 */
export const PULSE_INPUT_LATENCY_MS = 100;

export interface PulseInput {
  /** The line's signal as the last rate frame gave it; null while none is known: nothing heard yet, a damaged frame, a cut line. */
  rate: PulseRate | null;
  /** The signal before `rate`, which holds until rate.at: a look at an instant before it counts on this one. */
  before: PulseRate | null;
  /** Line pulses counted so far; null when counting starts afresh (the pulses of a gap are lost). */
  counted: number | null;
}

/**
 * What the pulse decoder found on the line, in order, besides count frames' pulses: a rate frame, a damaged
 * frame, or a no-signal frame (`cut`: the instant the line carries nothing from, pulse-frame.ts).
 */
export type PulseLineItem = { rate: PulseRate } | { damaged: true } | { cut: number };

export function createPulseInput(): PulseInput {
  return { rate: null, before: null, counted: null };
}

/** The line's count at rig time `t`: on the signal in force then. */
function lineAt(input: PulseInput & { rate: PulseRate }, t: number): number {
  return pulsesAt(t < input.rate.at && input.before ? input.before : input.rate, t);
}

/** The pulses on the line since the last look, up to rig time `t`, and the input having counted them. A count never steps back. */
export function countLine(input: PulseInput, t: number): { input: PulseInput; pulses: number } {
  if (!input.rate) return { input, pulses: 0 };
  const at = lineAt(input as PulseInput & { rate: PulseRate }, t);
  if (input.counted === null) return { input: { ...input, counted: at }, pulses: 0 };
  if (at <= input.counted) return { input, pulses: 0 };
  return { input: { ...input, counted: at }, pulses: at - input.counted };
}

/** Whether `countLine(input, t)` finds nothing new: no pulse, the input as it is (without building either). */
export function lineStill(input: PulseInput, t: number): boolean {
  return !input.rate || (input.counted !== null && lineAt(input as PulseInput & { rate: PulseRate }, t) <= input.counted);
}

/**
 * What the line brought, the VU looking at rig time `t` (PULSE_INPUT_LATENCY_MS before now): a rate frame
 * counts the old signal up to the look and holds the new one from its instant (counting from its own position
 * when none was being counted); a damaged frame leaves the VU without a signal until the next good one (the
 * sensor restates its rate every pulseIntervalMs), so the pulses in between are lost, as on a real line, and
 * the counter check sees it.
 */
export function takeLine(input: PulseInput, item: PulseLineItem, t: number): { input: PulseInput; pulses: number } {
  // a no-signal frame is the cut: counted up to its instant at the latest, nothing from it on (as lineCut)
  if (!('rate' in item)) return { input: createPulseInput(), pulses: countLine(input, 'cut' in item ? Math.min(t, item.cut) : t).pulses };
  const counted = countLine(input, Math.min(t, item.rate.at));
  return { input: { rate: item.rate, before: input.rate, counted: counted.input.counted ?? pulsesAt(item.rate, item.rate.at) }, pulses: counted.pulses };
}

/** The line cut (a `disconnect`): no signal, nothing counted until a rate frame comes again. */
export function lineCut(input: PulseInput, t: number): { input: PulseInput; pulses: number } {
  return takeLine(input, { damaged: true }, t);
}

/** Without supply the VU counts nothing; the line's signal goes on and is seen again at power-up. */
export function pauseCounting(input: PulseInput): PulseInput {
  return { ...input, counted: null };
}

/** A frame seen without supply: the signal is known, nothing is counted. */
export function observeLine(input: PulseInput, item: PulseLineItem): PulseInput {
  return 'rate' in item ? { rate: item.rate, before: input.rate, counted: null } : createPulseInput();
}

/** At power-up: counting resumes from the line as it stood at `t`. */
export function resumeCounting(input: PulseInput, t: number): PulseInput {
  return input.rate ? { ...input, counted: lineAt(input as PulseInput & { rate: PulseRate }, t) } : input;
}
