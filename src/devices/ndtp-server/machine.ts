import { assign, enqueueActions, setup } from 'xstate';
import type { PortLineEvent, PortRefusedEmitted, PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import type { RigClock } from '../../harness/clock/index.ts';
import { intake, type AnswerRule, type ServerState } from './intake.ts';

export type ServerEvent = PortRxEvent | PortLineEvent | ({ type: 'answer' } & AnswerRule);

/** The collection server: a terminal's connection on each linked port (`ndtp`, `ndtp2`, ...), every packet through intake.ts. */
export function ndtpServerMachine(initial: ServerState, clock: RigClock) {
  return setup({
    types: {
      context: {} as ServerState,
      events: {} as ServerEvent,
      emitted: {} as PortTxEmitted | PortRefusedEmitted,
    },
    actions: {
      take: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx') return;
        const { state, out, refusals } = intake(context, event.port, event.bytes, clock.now());
        enqueue.assign(() => state);
        for (const bytes of out) enqueue.emit({ type: 'port.tx', port: event.port, bytes } as const);
        for (const r of refusals) enqueue.emit({ type: 'port.refused', port: event.port, code: r.code, detail: r.detail } as const);
      }),
      // The line dropped (the terminal's TCP connection closed, a cut): the rest of a frame begun on it will
      // never come, so the bytes held for it go; and the session was the connection's, so it ends too (a TCP
      // server's session does not outlive its socket): what comes next must set up a new one (seed 001 §4.1).
      lineDropped: assign(({ context, event }) => {
        if (event.type !== 'port.line' || event.connected || !context.connections[event.port]) return context;
        const old = context.connections[event.port]!;
        return { ...context, connections: { ...context.connections, [event.port]: { held: [], session: { step: 'none', peerAddress: old.session.peerAddress } } } };
      }),
      setRule: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'answer') return;
        const { type: _type, ...rule } = event;
        // A new rule for a scope replaces what was set for it before.
        enqueue.assign({ rules: [...context.rules.filter((r) => r.scope !== rule.scope), rule] });
      }),
    },
  }).createMachine({
    id: 'ndtp-server',
    context: initial,
    initial: 'serving',
    states: {
      serving: {
        on: {
          'port.rx': { actions: 'take' },
          'port.line': { actions: 'lineDropped' },
          answer: { actions: 'setRule' },
        },
      },
    },
  });
}
