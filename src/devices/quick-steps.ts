import type { AnyActorRef, AnyActorScope, AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';

/**
 * Issue 18: an event whose handling only changes the machine's context and sends or emits, taken without a
 * macrostep of XState. A line's bytes are most of what a device's machine takes (a T=1 block of a chained answer,
 * a request of the motion sensor's counter check every 10 s), and XState's step costs more than the work:
 * microsteps, exit and entry sets, action resolution, eventless transitions looked at again, a snapshot built.
 *
 * A quick step is a function of the context and the event that says what the machine would do with the event,
 * or `undefined` when it cannot say it (the machine then takes the event as always). What it says must be what
 * the machine does, or the two part (each machine's test runs both ways and compares contexts and frames):
 * - the machine's transition for the event, in the snapshot's state, is targetless, so no state is exited or
 *   entered, no delayed event scheduled or cancelled;
 * - its actions are the context `patch` returned, and the sends and emits made through `out`, in that order;
 *   a plain action the machine runs (a state file written) the step runs itself, at the same point;
 * - no eventless transition can be taken after it (the patch changes nothing an enabled `always` reads).
 * The step decides before it does anything that cannot be undone (a random draw): once it has, it returns a patch.
 *
 * Sends and emits are deferred as XState's `sendParent` and `emit` are, in the order made, so everything the
 * device sends keeps its order and its instant. Inspection sees no transition for a quick step (the trace's
 * `transition` entries are state changes, and a quick step changes no state).
 */
type AnyEvent = EventObject & Record<string, unknown>;

export interface QuickOut {
  sendParent(event: AnyEvent): void;
  emit(event: AnyEvent): void;
}

export type QuickStep<C> = (context: C, event: EventObject, out: QuickOut, snapshot: AnyMachineSnapshot) => Partial<C> | undefined;

type Relay = { _relay(source: AnyActorRef, target: AnyActorRef, event: EventObject): void };

/** Off: every machine takes every event through XState (the tests' oracle, run in the same process). */
export const quickSteps = { enabled: true, /** quick steps taken (the tests' positive control) */ taken: 0 };

/** The machine with `steps` (by event type) taken without a macrostep wherever they apply. */
export function withQuickSteps<M extends AnyStateMachine, C = M extends { __TContext: infer X } ? X : never>(machine: M, steps: Record<string, QuickStep<C>>): M {
  const logic = Object.create(machine) as M;
  const transition = (snapshot: AnyMachineSnapshot, event: EventObject, actorScope: AnyActorScope): AnyMachineSnapshot => {
    const step = steps[event.type];
    if (step && quickSteps.enabled && snapshot.status === 'active') {
      const effects: (() => void)[] = [];
      const out: QuickOut = {
        sendParent: (e) =>
          effects.push(() => {
            const parent = actorScope.self._parent;
            if (parent) (actorScope.system as unknown as Relay)._relay(actorScope.self, parent, e);
          }),
        emit: (e) => effects.push(() => actorScope.emit(e as never)),
      };
      const patch = step(snapshot.context as C, event, out, snapshot);
      if (patch !== undefined) {
        quickSteps.taken++;
        for (const fn of effects) actorScope.defer(fn);
        // XState's own snapshot for a context change (cloneMachineSnapshot): the same state, the new context
        return { ...snapshot, context: { ...snapshot.context, ...patch } } as AnyMachineSnapshot;
      }
    }
    return machine.transition(snapshot, event, actorScope) as AnyMachineSnapshot;
  };
  (logic as { transition: unknown }).transition = transition;
  return logic;
}
