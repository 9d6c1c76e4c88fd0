import type { AnyActorRef, AnyActorScope, AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';

/**
 * Issue 18: the bytes of a line spoken by one of the VU's child machines (the motion sensor link, the EGF
 * link) pass through the VU without a step of the VU's own machine. The machine says the same (its `port.rx`
 * guards send the bytes to the child, its `sensor.tx` / `gnss.tx` handlers emit them on the port), but a step
 * of the VU, a large parallel machine, costs more than the child's whole exchange: a counter check
 * every 10 s put six to ten such steps on the VU for bytes it only hands on. What a child reports (a counter, a
 * position, a failure) still goes through the machine, which changes the data memory.
 *
 * Each route holds while the child runs (the VU powered); otherwise the event goes to the machine, which does
 * what it always did with it (nothing, while unpowered). The bytes are handed on after the step, as XState's
 * `sendTo` and `emit` do, so the order of everything the VU sends is kept. Routed events do not sample the
 * latched seconds (sampling/latched-seconds.ts): nothing a route does reads them; the child's report that
 * follows is latched with them (the sensor link's) or samples them first (the EGF link's).
 */
export interface ChildLine {
  /** The VU's port. */
  port: string;
  /** The invoked child's id. */
  child: string;
  /** The event the child takes the line's bytes as. */
  rx: string;
  /** The event the child sends its parent with bytes for the line. */
  tx: string;
}

export const VU_CHILD_LINES: readonly ChildLine[] = [
  { port: 'sensor', child: 'sensorLink', rx: 'sensor.rx', tx: 'sensor.tx' },
  { port: 'gnss', child: 'gnssLink', rx: 'gnss.rx', tx: 'gnss.tx' },
];

type BytesEvent = EventObject & { port?: string; bytes: Uint8Array };

const unrouted = new WeakMap<object, AnyStateMachine>();

/** The machine with its child lines routed around its own steps. */
export function routedChildLines<T extends AnyStateMachine>(machine: T, lines: readonly ChildLine[] = VU_CHILD_LINES): T {
  const byPort = new Map(lines.map((l) => [l.port, l]));
  const byTx = new Map(lines.map((l) => [l.tx, l]));
  const logic = Object.create(machine) as T;
  const transition = (snapshot: AnyMachineSnapshot, event: EventObject, actorScope: AnyActorScope): AnyMachineSnapshot => {
    if (snapshot.status === 'active') {
      const line = event.type === 'port.rx' ? byPort.get((event as BytesEvent).port!) : byTx.get(event.type);
      const child = line && (snapshot.children as Record<string, AnyActorRef | undefined>)[line.child];
      if (line && child) {
        const { bytes } = event as BytesEvent;
        if (event.type === 'port.rx') actorScope.defer(() => child.send({ type: line.rx, bytes }));
        else actorScope.defer(() => actorScope.emit({ type: 'port.tx', port: line.port, bytes }));
        return snapshot;
      }
    }
    return machine.transition(snapshot, event, actorScope) as AnyMachineSnapshot;
  };
  (logic as { transition: unknown }).transition = transition;
  unrouted.set(logic, machine);
  return logic;
}

/** The machine without its routes (tests compare the two). */
export function withoutChildLines<T extends AnyStateMachine>(machine: T): T {
  const inner = unrouted.get(machine);
  if (!inner) throw new Error('not a machine with routed child lines');
  return inner as T;
}
