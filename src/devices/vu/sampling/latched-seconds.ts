import type { AnyActorRef, AnyMachineSnapshot, AnyStateMachine, AnyActorScope, EventObject } from 'xstate';
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
 *   frame, a download request sees the seconds that rang before it, exactly as when each second was an event of
 *   its own, so the records are the same (the golden records, test/golden/);
 * - when the virtual clock stops (`onIdle`: a test or a scenario step reads the VU's state, its records);
 * - after an hour of seconds, so the latch stays small on a long quiet run.
 *
 * Nothing else in the VU acts on a second by itself: the per-second rules (speed, detailed speed, over
 * speeding, the activity minutes, the motion comparison) are pure functions of the context and the instant,
 * so sampling a second later, with the instant it rang, gives the same context. On a wall clock every second is
 * sampled as it rings (cost does not matter there, and observers outside the rig read the VU as it runs).
 *
 * Inputs that come as often as the seconds and only feed such pure rules are latched the same way, in order
 * with the seconds, each with the instant it came at (`LatchedEvent`): the sensor-link child's reports (a
 * counter check every 10 s, issue 18's fifth part) and the internal GNSS receiver's reading every 20 s. Each
 * is applied in the sample as the machine's handler of that event applies it (vu-machine.ts `takeLatched`).
 */

/** Seconds latched before they are sampled without waiting for an event: an hour. */
export const MAX_LATCHED_SECONDS = 3600;

/** An event the VU took at `at` (rig time) and applies in order with its seconds. */
export interface LatchedEvent {
  at: number;
  event: EventObject;
}

/** A second rung (its instant), or an event latched between seconds. */
export type Latched = number | LatchedEvent;

/** The seconds rung and events latched and not yet sampled, of one VU actor, in the order they came. */
export class SecondLatch implements Latch<readonly Latched[]> {
  private items: Latched[] = [];
  private seconds = 0;
  /** The rig clock is virtual with `onIdle`: what comes is latched; otherwise sampled or taken at once. */
  lazy = false;
  /** The rig clock's time (set by the timers). */
  now: () => number = () => {
    throw new Error('a VU latch without its clock');
  };

  /** Seconds latched. */
  get size(): number {
    return this.seconds;
  }

  get pending(): boolean {
    return this.items.length > 0;
  }

  ring(at: number): void {
    this.items.push(at);
    this.seconds++;
  }

  /** An event that came now, to apply after the seconds rung before it. */
  latch(event: EventObject): void {
    this.items.push({ at: this.now(), event });
  }

  /** What is latched so far, oldest first, and the latch emptied. */
  take(): Latched[] {
    const taken = this.items;
    this.items = [];
    this.seconds = 0;
    return taken;
  }

  /** What is latched so far, left in the latch. */
  peek(): readonly Latched[] {
    return this.items;
  }

  /** Puts back what a step that failed took (it is sampled with the next event). */
  putBack(taken: readonly Latched[]): void {
    this.items = [...taken, ...this.items];
    this.seconds = this.items.reduce<number>((n, item) => (typeof item === 'number' ? n + 1 : n), 0);
  }
}

const latches = new WeakMap<AnyActorRef, SecondLatch>();

/** The latch of a VU actor (created on first use). */
export function latchOf(vu: AnyActorRef): SecondLatch {
  let latch = latches.get(vu);
  if (!latch) latches.set(vu, (latch = new SecondLatch()));
  return latch;
}

type LatchClock = Pick<RigClock, 'now' | 'schedule' | 'clearTimeout' | 'mode' | 'onIdle'>;

function latchOn(rig: LatchClock, vu: AnyActorRef): SecondLatch {
  const latch = latchOf(vu);
  latch.lazy = rig.mode === 'virtual' && rig.onIdle !== undefined;
  latch.now = () => rig.now();
  return latch;
}

/**
 * The one-second timer of the VU actor `vu`: `sample` (which sends the machine its sampling event) runs when
 * the latched seconds must be sampled now. Returns the stop.
 */
export function startSecondTimer(rig: LatchClock, vu: AnyActorRef, sample: () => void): () => void {
  const latch = latchOn(rig, vu);
  const { lazy } = latch;
  const stopTimer = everyPeriod(rig, 1000, () => {
    latch.ring(rig.now());
    if (!lazy || latch.size >= MAX_LATCHED_SECONDS) sample();
  });
  const stopIdle = lazy ? rig.onIdle!(() => latch.pending && sample()) : () => {};
  return () => {
    stopTimer();
    stopIdle();
  };
}

/**
 * A timer of the VU actor `vu` every `periodMs` whose event (`eventAt`, made at the instant it rings) is latched
 * with the seconds, or sent at once (`send`) where seconds are not latched. Returns the stop.
 */
export function startLatchedTimer(rig: LatchClock, vu: AnyActorRef, periodMs: number, eventAt: (at: number) => EventObject, send: (event: EventObject) => void): () => void {
  const latch = latchOn(rig, vu);
  return everyPeriod(rig, periodMs, () => {
    const event = eventAt(rig.now());
    if (latch.lazy) latch.latch(event);
    else send(event);
  });
}

/**
 * The machine whose every event is preceded by the sampling of what is latched for its actor (`sampleEvent`),
 * and whose events that `takesLatched` says so (in the snapshot they come to) are latched instead of taken, where
 * the latch is lazy.
 */
export function latchedSeconds<T extends AnyStateMachine>(machine: T, sampleEvent: EventObject, takesLatched: (event: EventObject, snapshot: AnyMachineSnapshot) => boolean = () => false): T {
  const sampled = sampledBeforeEachEvent(machine, sampleEvent, (actor) => latches.get(actor));
  const logic = Object.create(sampled) as T;
  const transition = (snapshot: AnyMachineSnapshot, event: EventObject, actorScope: AnyActorScope): AnyMachineSnapshot => {
    const latch = latches.get(actorScope.self);
    if (latch?.lazy && snapshot.status === 'active' && takesLatched(event, snapshot)) {
      latch.latch(event);
      return snapshot;
    }
    return sampled.transition(snapshot, event, actorScope) as AnyMachineSnapshot;
  };
  (logic as { transition: unknown }).transition = transition;
  return logic;
}
