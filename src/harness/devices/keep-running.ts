import type { AnyActorScope, AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';

/** An event a device could not take, and why. */
export interface Refusal {
  /** The event's type, e.g. `vu.second`, `vu.insertCard`. */
  event: string;
  /** What was thrown (or the error a child actor stopped with). */
  error: unknown;
}

/**
 * A device's machine that outlives its own errors. XState v5 stops an actor for good when anything throws
 * while it handles an event (an assign, an action, a guard, a `sendTo` expression) or when a child actor
 * stops with an error nobody handles: one record a rule refuses (e.g. an event store that will not hold a
 * speed outside its type) and the device answers nothing more, its download line included.
 *
 * Here each event is a transaction: if handling it throws, or would leave the machine in its error status,
 * the machine stays in the snapshot it had before the event (its state and its data memory as they were),
 * the effects the failed step had queued (emitted bytes, events to children, children to start or stop) are
 * dropped, and `onRefused` is told which event and why. The device then takes the next event as usual. What
 * cannot be undone: a plain function action that already ran (they run as the step goes), which device
 * machines keep to notes outside their context.
 *
 * Errors while the machine starts (its context factory, its entry actions) are not caught: there is no
 * state before them to keep, so the actor fails as before and the rig reports it.
 */
export function keepRunning<T extends AnyStateMachine>(machine: T, onRefused: (refusal: Refusal) => void): T {
  const logic = Object.create(machine) as T;
  const transition = (snapshot: AnyMachineSnapshot, event: EventObject, actorScope: AnyActorScope): AnyMachineSnapshot => {
    // XState queues a step's effects with `defer` and runs them once the new snapshot is in place: hold them
    // back until the step has succeeded.
    const deferred: (() => void)[] = [];
    const scope: AnyActorScope = { ...actorScope, defer: (fn: () => void) => void deferred.push(fn) };
    let next: AnyMachineSnapshot;
    try {
      next = machine.transition(snapshot, event, scope) as AnyMachineSnapshot;
    } catch (error) {
      onRefused({ event: event.type, error });
      return snapshot;
    }
    if (next.status === 'error' && snapshot.status === 'active') {
      // a child actor stopped with an error and no transition takes it (`xstate.error.actor.<id>`)
      onRefused({ event: event.type, error: next.error });
      return snapshot;
    }
    for (const fn of deferred) actorScope.defer(fn);
    return next;
  };
  (logic as { transition: unknown }).transition = transition;
  return logic;
}
