import type { Rig } from './rig-runtime.ts';

/**
 * A scripted run for the equality tests of issue 18's speed-ups: the same script runs with a speed-up on and off
 * and the states taken after every step must be equal. Each act runs on the rig clock in the middle of its step,
 * `offsetMs` past the half (off the whole seconds and the delivery quanta, where latched seconds, latched reports or
 * held bytes are pending: an act right after an advance would find them taken already by the clock's `onIdle`);
 * `capture` is taken, deep-copied, at the step's end.
 */
export function steppedRun<T>(rig: Rig, capture: () => T, offsetMs: number): { states: T[]; step: (ms: number, act?: () => void) => Promise<void> } {
  const states: T[] = [];
  const step = async (ms: number, act?: () => void): Promise<void> => {
    if (act) rig.clock.schedule(rig.clock.now() + Math.floor(ms / 2) + offsetMs, act);
    await rig.clock.advance(ms);
    states.push(structuredClone(capture()));
  };
  return { states, step };
}

/** An actor's context as its snapshot holds it, or null for an actor that is not there (a child not running). */
export const contextOf = (actor: { getSnapshot(): unknown } | undefined): unknown => (actor?.getSnapshot() as { context?: unknown } | undefined)?.context ?? null;
