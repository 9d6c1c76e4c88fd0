import { assign, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { DeviceKind, PortRxEvent, PortSpec, PortTxEmitted } from '../../harness/devices/device-kind.ts';

/**
 * A manual A/B switch on a serial line, as on a bench: its `common` port is joined to port `a` or to port `b`
 * (or to neither), and a scenario turns the knob. It stands for a cable moved from one unit to another (a
 * workshop replacing an EGF, say) without the rig's links changing: links are point to point and fixed.
 * Bytes pass unchanged, in both directions, between `common` and the selected port; bytes from the other
 * port, or while the switch is at `none`, are lost, as on an open contact. A byte is passed on whole or not
 * at all: a frame cut by a turn of the knob arrives cut.
 */
export const SWITCH_POSITIONS = ['a', 'b', 'none'] as const;
export type SwitchPosition = (typeof SWITCH_POSITIONS)[number];

export const serialSwitchOptions = z.strictObject({
  position: z.enum(SWITCH_POSITIONS).default('a').describe('where the knob is at start: common joined to a, to b, or to nothing'),
});
export type SerialSwitchOptions = z.output<typeof serialSwitchOptions>;

export type SerialSwitchEvent = PortRxEvent | { type: 'select'; position: SwitchPosition };

export function serialSwitchMachine(options: SerialSwitchOptions) {
  return setup({
    types: { context: {} as { position: SwitchPosition }, events: {} as SerialSwitchEvent, emitted: {} as PortTxEmitted },
    actions: {
      pass: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx' || context.position === 'none') return;
        if (event.port === 'common') enqueue.emit({ type: 'port.tx', port: context.position, bytes: event.bytes });
        else if (event.port === context.position) enqueue.emit({ type: 'port.tx', port: 'common', bytes: event.bytes });
      }),
      select: assign({ position: ({ context, event }) => (event.type === 'select' ? event.position : context.position) }),
    },
  }).createMachine({
    id: 'serial-switch',
    context: { position: options.position },
    on: { 'port.rx': { actions: 'pass' }, select: { actions: 'select' } },
  });
}

// The line speed is the links' (a rig file's link may set its own baud); 115200, the EGF line's, by default.
const port = (description: string): PortSpec => ({ description, baud: 115200 });

export const serialSwitchKind: DeviceKind<SerialSwitchOptions> = {
  kind: 'serial-switch',
  description: 'a manual A/B switch on a serial line: common joined to a, to b, or to nothing (a cable moved between units)',
  options: serialSwitchOptions,
  ports: { common: port('the shared side (e.g. the VU)'), a: port('position a'), b: port('position b') },
  machine: ({ options }) => ({ machine: serialSwitchMachine(options) }),
  stimuli: {
    select: {
      description: 'turn the knob: common joined to a, to b, or to nothing (none)',
      args: z.strictObject({ position: z.enum(SWITCH_POSITIONS) }),
      toEvent: (a: { position: SwitchPosition }) => ({ type: 'select', position: a.position }),
    },
  },
};
