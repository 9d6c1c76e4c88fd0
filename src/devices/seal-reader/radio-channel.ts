import { enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { DeviceKind, PortRxEvent, PortTxEmitted, PortSpec } from '../../harness/devices/device-kind.ts';
import { shortRangeCodec } from '../../protocols/seal/index.ts';

/**
 * The short-range radio channel as a device: every byte sent by one party in range reaches every other
 * party, as on air (links are point to point, a radio is not). A seal and its readers each link one port.
 * It forwards bytes, not frames, so two parties speaking at once garble each other, as on air.
 */
const PORTS = ['a', 'b', 'c', 'd'] as const;

export const radioChannelOptions = z.strictObject({
  ports: z.array(z.enum(PORTS)).min(2).default([...PORTS]).describe('The ports in use (parties in range). Default all four.'),
});
export type RadioChannelOptions = z.output<typeof radioChannelOptions>;

export const radioChannelKind: DeviceKind<RadioChannelOptions> = {
  kind: 'seal-radio',
  description: 'short-range radio channel: repeats every byte from one party to all the others in range',
  options: radioChannelOptions,
  ports: Object.fromEntries(PORTS.map((p): [string, PortSpec] => [p, { description: `party ${p} in range`, baud: 115200, codec: shortRangeCodec }])),
  machine: ({ options }) => ({
    machine: setup({
      types: { events: {} as PortRxEvent, emitted: {} as PortTxEmitted },
      actions: {
        repeat: enqueueActions(({ event, enqueue }) => {
          for (const port of options.ports) if (port !== event.port) enqueue.emit({ type: 'port.tx', port, bytes: event.bytes });
        }),
      },
    }).createMachine({ id: 'radio', initial: 'on', states: { on: { on: { 'port.rx': { actions: 'repeat' } } } } }),
  }),
  stimuli: {},
};
