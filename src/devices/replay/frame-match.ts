import { toHex } from '../../harness/trace/index.ts';
import { decodePulseFrame } from '../../protocols/motion-sensor/pulse-frame.ts';
import { pulseCodec } from '../../protocols/motion-sensor/port-codecs.ts';
import type { ScriptInput } from './script.ts';

/**
 * How a replay decides that a frame the rig sent is the one the recording has it send. Exact, byte for byte,
 * on every port, except where a codec declares a tolerance below, with its reason.
 */
export interface FrameComparer {
  /** Why `received` is not input `j` of the recording; undefined when it is. Called in order, once per frame. */
  compare(j: number, received: Uint8Array): string | undefined;
}

export function exactComparer(inputs: readonly ScriptInput[]): FrameComparer {
  return {
    compare(j, received) {
      const expected = inputs[j]!.bytes;
      const at = firstDifference(expected, received);
      if (at === undefined) return undefined;
      return `differs at byte ${at}: the recording has ${shortHex(expected, at)}, the rig sent ${shortHex(received, at)}`;
    },
  };
}

/**
 * The motion sensor's pulse line (protocols/motion-sensor/pulse-frame.ts): a frame carries the pulses counted
 * since the one before, sent every pulse interval (100 ms) while the vehicle moves. On a wall clock the
 * sensor's timer runs a few ms late, so a recording made there splits the same pulses differently between
 * neighbouring frames than a virtual-clock replay does; the pulses themselves (the world's distance times k)
 * are the same. So pulse frames match when both are pulse frames and the running totals of pulses agree to
 * within the pulses of one frame around this one (the recording's largest count among frames j-1, j and j+1)
 * plus one for rounding. A rig that sends other pulses (another speed, injected or suppressed pulses) drifts
 * past that within a few frames: at 50 km/h (11 or 12 pulses a frame at k = 8000), 10 % too fast is caught
 * at the 14th frame, 60 injected pulses a second at the 3rd. A frame lost or added while the speed is steady
 * changes no total (the frames are alike): it shows where the pulses end, as a frame that does not come
 * (`lateMs`) or one after the last.
 */
/** How far a rate frame's instant may be from the recording's: a wall clock's timers run late by this much at most. */
const RATE_LATENESS_MS = 1000;

export function pulseTotalsComparer(inputs: readonly ScriptInput[]): FrameComparer {
  const count = (bytes: Uint8Array | undefined) => {
    if (!bytes) return 0;
    const r = decodePulseFrame(bytes);
    return r.ok ? r.count : 0;
  };
  let recorded = 0;
  let sent = 0;
  return {
    compare(j, received) {
      const expected = inputs[j]!.bytes;
      const e = decodePulseFrame(expected);
      const r = decodePulseFrame(received);
      // Anything but two pulse frames (junk a noisy line left): exact.
      if (!e.ok || !r.ok) return exactComparer(inputs).compare(j, received);
      // Rate frames (issue 18): the same rate, at an instant a wall clock's lateness can move, the line where
      // the recording's signal puts it then, within a pulse. A rate frame against a count frame: exact.
      // A no-signal frame (the line cut, told to a VU outside the rig): at an instant a wall clock's lateness
      // can move; against any other frame, exact.
      if (e.cut !== undefined || r.cut !== undefined) {
        if (e.cut === undefined || r.cut === undefined) return exactComparer(inputs).compare(j, received);
        if (Math.abs(r.cut - e.cut) <= RATE_LATENESS_MS) return undefined;
        return `says no signal from ${new Date(r.cut).toISOString()} (${toHex(received)}) where the recording says from ${new Date(e.cut).toISOString()}`;
      }
      if (e.rate || r.rate) {
        if (!e.rate || !r.rate) return exactComparer(inputs).compare(j, received);
        const where = e.rate.position + (e.rate.pulsesPerSecond * (r.rate.at - e.rate.at)) / 1000;
        if (r.rate.pulsesPerSecond === e.rate.pulsesPerSecond && Math.abs(r.rate.at - e.rate.at) <= RATE_LATENESS_MS && Math.abs(r.rate.position - where) <= 1) return undefined;
        return `says ${r.rate.pulsesPerSecond} pulses/s from ${r.rate.position} at ${new Date(r.rate.at).toISOString()} (${toHex(received)}) where the recording says ${e.rate.pulsesPerSecond} from ${e.rate.position} at ${new Date(e.rate.at).toISOString()}`;
      }
      recorded += e.count;
      sent += r.count;
      const allowed = 1 + Math.max(count(inputs[j - 1]?.bytes), e.count, count(inputs[j + 1]?.bytes));
      if (Math.abs(sent - recorded) <= allowed) return undefined;
      return `carries ${r.count} pulses (${toHex(received)}) where the recording has ${e.count} (${toHex(expected)}): ${sent} pulses sent so far against the recording's ${recorded}, more apart than the ${allowed} a frame's timing can move`;
    },
  };
}

/** Tolerances by codec name; a codec not named here is matched exactly. */
const TOLERANCES: Record<string, (inputs: readonly ScriptInput[]) => FrameComparer> = {
  [pulseCodec.name]: pulseTotalsComparer,
};

export function comparerFor(codec: string | undefined, inputs: readonly ScriptInput[]): FrameComparer {
  return (codec !== undefined ? TOLERANCES[codec] : undefined)?.(inputs) ?? exactComparer(inputs);
}

export function firstDifference(a: Uint8Array, b: Uint8Array): number | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? undefined : n;
}

/** A frame in hex, cut to 48 bytes around the byte that matters on a long one. */
export function shortHex(bytes: Uint8Array, around: number): string {
  if (bytes.length <= 48) return `${toHex(bytes)} (${bytes.length} bytes)`;
  const from = Math.max(0, Math.min(around - 16, bytes.length - 48));
  return `${from > 0 ? '… ' : ''}${toHex(bytes.subarray(from, from + 48))}${from + 48 < bytes.length ? ' …' : ''} (${bytes.length} bytes, shown from byte ${from})`;
}
