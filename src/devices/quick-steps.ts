import type { AnyActorRef, AnyActorScope, AnyMachineSnapshot, AnyStateMachine, EventObject, StateValue } from 'xstate';

/**
 * Issue 18: an event whose handling only changes the machine's context and sends or emits, taken without a
 * macrostep of XState. A line's bytes are most of what a device's machine takes (a T=1 block of a chained answer,
 * a request of the motion sensor's counter check every 10 s), and XState's step costs more than the work:
 * microsteps, exit and entry sets, action resolution, eventless transitions looked at again, a snapshot built.
 *
 * A quick step is a function of the context and the event that says what the machine would do with the event,
 * or `undefined` when it cannot say it (the machine then takes the event as always). What it says must be what
 * the machine does, or the two part (quick-steps.test.ts runs a VU, its sensor and its EGF both ways and
 * compares every context, state and frame):
 * - the machine's transition for the event, in the snapshot's state, is targetless (no state exited or entered),
 *   or goes to the state `out.goTo` names, cancelling and scheduling its delayed events as `out` says; no state
 *   with history, no invoked child, no final state on the way (the snapshot keeps its children and history);
 * - its actions are the context `patch` returned, and the sends and emits made through `out`, in that order;
 *   a plain action the machine runs (a state file written) the step runs itself, at the same point;
 * - no eventless transition can be taken after it (the patch changes nothing an enabled `always` reads).
 * The step decides before it does anything that cannot be undone (a random draw): once it has, it returns a patch.
 *
 * Sends and emits are deferred as XState's `sendParent` and `emit` are, in the order made, so everything the
 * device sends keeps its order and its instant. Inspection sees the step's event and its snapshot (the trace's
 * `transition` entries, made from snapshots, are the same) but no microsteps or actions.
 */
type AnyEvent = EventObject & Record<string, unknown>;

export interface QuickOut {
  sendParent(event: AnyEvent): void;
  emit(event: AnyEvent): void;
  /**
   * A transition that leaves a state for another (`goTo`, the state value after it), as XState makes it: the
   * delayed events of the states exited are cancelled (`cancel`, by their id: `xstate.after.<delay>.<state id>`),
   * those of the states entered scheduled (`schedule`), each at its place among the sends (exit actions, the
   * transition's, entry actions).
   */
  goTo(value: StateValue): void;
  schedule(id: string, delayMs: number): void;
  cancel(id: string): void;
}

export type QuickStep<C> = (context: C, event: EventObject, out: QuickOut, snapshot: AnyMachineSnapshot) => Partial<C> | undefined;

type Relay = { _relay(source: AnyActorRef, target: AnyActorRef, event: EventObject): void };

/** Off: every machine takes every event through XState (the tests' oracle, run in the same process). */
export const quickSteps = { enabled: true, /** quick steps taken (the tests' positive control) */ taken: 0 };

type StateOf = Pick<AnyMachineSnapshot, '_nodes' | 'value' | 'tags'>;
const states = new WeakMap<AnyStateMachine, Map<string, StateOf>>();

/** The active state nodes of a state value, resolved by XState once per machine and value. */
function stateOf(machine: AnyStateMachine, value: StateValue): StateOf {
  let byValue = states.get(machine);
  if (!byValue) states.set(machine, (byValue = new Map()));
  const key = JSON.stringify(value);
  let state = byValue.get(key);
  if (!state) {
    const resolved = machine.resolveState({ value, context: {} });
    byValue.set(key, (state = { _nodes: resolved._nodes, value: resolved.value, tags: resolved.tags }));
  }
  return state;
}

/** What a quick step does, deferred as XState defers its actions' effects, once the step says it applies. */
class Effects implements QuickOut {
  target: StateValue | undefined;
  private readonly effects: [kind: 'send' | 'emit' | 'schedule' | 'cancel', what: unknown, delayMs: number][] = [];

  constructor(private readonly scope: AnyActorScope) {}

  goTo(value: StateValue): void {
    this.target = value;
  }
  sendParent(event: AnyEvent): void {
    this.effects.push(['send', event, 0]);
  }
  emit(event: AnyEvent): void {
    this.effects.push(['emit', event, 0]);
  }
  schedule(id: string, delayMs: number): void {
    this.effects.push(['schedule', id, delayMs]);
  }
  cancel(id: string): void {
    this.effects.push(['cancel', id, 0]);
  }

  defer(): void {
    if (this.effects.length > 0) this.scope.defer(() => this.run());
  }

  /** One deferred call for them all, in order: nothing can come between a step's deferred effects. */
  private run(): void {
    const { self, system } = this.scope;
    for (const [kind, what, delayMs] of this.effects) {
      if (kind === 'send') {
        if (self._parent) (system as unknown as Relay)._relay(self, self._parent, what as EventObject);
      } else if (kind === 'emit') this.scope.emit(what as never);
      else if (kind === 'schedule') system.scheduler.schedule(self, self, { type: what as string }, delayMs, what as string);
      else system.scheduler.cancel(self, what as string);
    }
  }
}

/** The machine with `steps` (by event type) taken without a macrostep wherever they apply. */
export function withQuickSteps<M extends AnyStateMachine, C = M extends { __TContext: infer X } ? X : never>(machine: M, steps: Record<string, QuickStep<C>>): M {
  const logic = Object.create(machine) as M;
  const transition = (snapshot: AnyMachineSnapshot, event: EventObject, actorScope: AnyActorScope): AnyMachineSnapshot => {
    const step = steps[event.type];
    if (step && quickSteps.enabled && snapshot.status === 'active') {
      const out = new Effects(actorScope);
      const patch = step(snapshot.context as C, event, out, snapshot);
      if (patch !== undefined) {
        quickSteps.taken++;
        out.defer();
        const context = { ...snapshot.context, ...patch };
        // XState's own snapshot for a context change (cloneMachineSnapshot): the same state, the new context
        if (out.target === undefined) return { ...snapshot, context } as AnyMachineSnapshot;
        return { ...snapshot, ...stateOf(machine, out.target), context } as AnyMachineSnapshot;
      }
    }
    return machine.transition(snapshot, event, actorScope) as AnyMachineSnapshot;
  };
  (logic as { transition: unknown }).transition = transition;
  return logic;
}
