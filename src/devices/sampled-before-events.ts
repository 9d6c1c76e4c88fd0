import type { AnyActorRef, AnyActorScope, AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';

/**
 * What a device's timer latched for its actor outside the machine (the VU's seconds, the EGF's receiver readings:
 * issue 18), waiting for the machine's sample step to take it.
 */
export interface Latch<T> {
  readonly pending: boolean;
  /** What is latched, left in the latch. */
  peek(): T;
  /** Puts back what a failed step took. */
  putBack(taken: T): void;
}

/**
 * The machine whose every event is preceded by `sampleEvent` when its actor's latch holds something: the sample
 * step runs first, through the machine itself (XState keeps owning every change), then the event. A step that
 * fails leaves the machine as it was (keep-running.ts), so what it took goes back to the latch.
 */
export function sampledBeforeEachEvent<M extends AnyStateMachine, T>(machine: M, sampleEvent: EventObject, latchOf: (actor: AnyActorRef) => Latch<T> | undefined): M {
  const logic = Object.create(machine) as M;
  const transition = (snapshot: AnyMachineSnapshot, event: EventObject, actorScope: AnyActorScope): AnyMachineSnapshot => {
    const latch = latchOf(actorScope.self);
    if (!latch?.pending || event.type === sampleEvent.type || snapshot.status !== 'active') return machine.transition(snapshot, event, actorScope) as AnyMachineSnapshot;
    const taken = latch.peek();
    try {
      const sampled = machine.transition(snapshot, sampleEvent, actorScope) as AnyMachineSnapshot;
      const next = machine.transition(sampled, event, actorScope) as AnyMachineSnapshot;
      // only what the step took: a latch still holding it was not taken (nothing rings inside a step)
      if (next.status === 'error' && !latch.pending) latch.putBack(taken);
      return next;
    } catch (error) {
      if (!latch.pending) latch.putBack(taken);
      throw error;
    }
  };
  (logic as { transition: unknown }).transition = transition;
  return logic;
}
