import { z } from 'zod';
import { readerRecordKinds } from './record-kinds.ts';
import type { DeviceKind, DeviceRecord } from '../../harness/devices/device-kind.ts';
import { shortRangeCodec } from '../../protocols/seal/index.ts';
import { readerMachine, type ReaderContext } from './machine.ts';

export { radioChannelKind } from './radio-channel.ts';

export const readerOptions = z.strictObject({
  readerId: z.string().regex(/^[\x21-\x7e]{1,32}$/).describe("The special device's id on the short-range link."),
  keys: z
    .record(z.string(), z.string().regex(/^[0-9a-fA-F]{64}$/))
    .default({})
    .describe('Activation keys by seal id, as provisioned by the seals\u2019 home operators.'),
  responseTimeoutMs: z.number().positive().default(2_000).describe('Rig ms to wait for each answer of the seal.'),
});
export type ReaderOptions = z.output<typeof readerOptions>;

export const readerKind: DeviceKind<ReaderOptions> = {
  kind: 'seal-reader',
  description: 'special device: activates a navigation seal over the short-range link and logs its reply',
  options: readerOptions,
  ports: { radio: { description: 'short-range link to seals in range', baud: 115200, codec: shortRangeCodec } },
  machine: ({ options, clock }) => ({ machine: readerMachine(options, clock) }),
  stimuli: {
    activate: {
      description: 'activate the seal with this id (challenge-response, then its status)',
      args: z.strictObject({ sealId: z.string().min(1) }),
      toEvent: (a) => ({ type: 'activate', ...a }),
    },
    sendRaw: {
      description: 'send raw bytes on the short-range link (hex), e.g. a damaged frame',
      args: z.strictObject({ hex: z.string().regex(/^([0-9a-fA-F]{2}\s*)+$/) }),
      toEvent: (a) => ({ type: 'sendRaw', ...a }),
    },
  },
  recordKinds: readerRecordKinds,
  records: (device, rig) => ({
    read: async () => {
      const actor = rig.actor(device);
      if (!actor) throw new Error(`reader '${device}' is not emulated: its log is not reachable`);
      return [...(actor.getSnapshot() as { context: ReaderContext }).context.log] as DeviceRecord[];
    },
  }),
};
