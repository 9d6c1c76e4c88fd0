import type { AnyActorRef, AnyStateMachine, EventObject } from 'xstate';
import { sampledBeforeEachEvent, type Latch } from '../../sampled-before-events.ts';
import type { RigClock } from '../../../harness/clock/index.ts';
import { everyPeriod } from '../../../harness/clock/index.ts';

/**
 * The VU's one-second sample at the cost of what it changes (issue 18). The sample's timer still rings on the
 * rig clock every second, at the instant and in the order it always did (a timer callback costs well under a
 * microsecond), but it only latches its instant: the seconds rung are sampled together, in one XState event,
 * each at its own instant and in order (vu-machine.ts `sampleSeconds`), when something can look at them:
 *
 * - before the VU takes any other event (`latchedSeconds` wraps the machine's transition): a card, a pulse
 *   frame, a counter check's answer, a download request sees the seconds that rang before it, exactly as when
 *   each second was an event of its own, so the records are the same (the golden records, test/golden/);
 * - when the virtual clock stops (`onIdle`: a test or a scenario step reads the VU's state, its records);
 * - after an hour of seconds, so the latch stays small on a long quiet run.
 *
 * Nothing else in the VU acts on a second by itself: the per-second rules (speed, detailed speed, over
 * speeding, the activity minutes, the motion comparison) are pure functions of the context and the instant,
 * so sampling a second later, with the instant it rang, gives the same context. On a wall clock every second is
 * sampled as it rings (cost does not matter there, and observers outside the rig read the VU as it runs).
 */

/** Seconds latched before they are sampled without waiting for an event: an hour. */
export const MAX_LATCHED_SECONDS = 3600;

/** The instants rung and not yet sampled, of one VU actor. */
export class SecondLatch implements Latch<readonly number[]> {
  private instants: number[] = [];

  get size(): number {
    return this.instants.length;
  }

  get pending(): boolean {
    return this.instants.length > 0;
  }

  ring(at: number): void {
    this.instants.push(at);
  }

  /** The instants rung so far, oldest first, and the latch emptied. */
  take(): number[] {
    const taken = this.instants;
    this.instants = [];
    return taken;
  }

  /** The instants rung so far, left in the latch. */
  peek(): readonly number[] {
    return this.instants;
  }

  /** Puts back instants taken by a step that failed (they are sampled with the next event). */
  putBack(taken: readonly number[]): void {
    this.instants = [...taken, ...this.instants];
  }
}

const latches = new WeakMap<AnyActorRef, SecondLatch>();

/** The latch of a VU actor (created on first use). */
export function latchOf(vu: AnyActorRef): SecondLatch {
  let latch = latches.get(vu);
  if (!latch) latches.set(vu, (latch = new SecondLatch()));
  return latch;
}

/**
 * The one-second timer of the VU actor `vu`: `sample` (which sends the machine its sampling event) runs when
 * the latched seconds must be sampled now. Returns the stop.
 */
export function startSecondTimer(rig: Pick<RigClock, 'now' | 'schedule' | 'clearTimeout' | 'mode' | 'onIdle'>, vu: AnyActorRef, sample: () => void): () => void {
  const latch = latchOf(vu);
  const lazy = rig.mode === 'virtual' && rig.onIdle !== undefined;
  const stopTimer = everyPeriod(rig, 1000, () => {
    latch.ring(rig.now());
    if (!lazy || latch.size >= MAX_LATCHED_SECONDS) sample();
  });
  const stopIdle = lazy ? rig.onIdle!(() => latch.size > 0 && sample()) : () => {};
  return () => {
    stopTimer();
    stopIdle();
  };
}

/** The machine whose every event is preceded by the sampling of the seconds latched for its actor (`sampleEvent`). */
export function latchedSeconds<T extends AnyStateMachine>(machine: T, sampleEvent: EventObject): T {
  return sampledBeforeEachEvent(machine, sampleEvent, (actor) => latches.get(actor));
}
