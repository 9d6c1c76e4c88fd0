import { z } from 'zod';
import type { DeviceKind, DeviceRecord } from '../../harness/devices/device-kind.ts';
import { dsrcAirCodec } from '../../protocols/dsrc/index.ts';
import { dsrcReaderMachine, dsrcReaderOptions, READER_AIR_PORT, type DsrcReaderContext, type DsrcReaderOptions } from './machine.ts';
import { dsrcReaderRecordKinds } from './record-kinds.ts';

export { dsrcReaderMachine, dsrcReaderOptions, READER_AIR_PORT, type DsrcReaderContext, type DsrcReaderOptions } from './machine.ts';

/** App. 14: the remote early detection communication reader (README "DSRC"). */
export const dsrcReaderKind: DeviceKind<DsrcReaderOptions> = {
  kind: 'dsrc-reader',
  description: 'roadside DSRC reader, REDCR (App. 14 §5.4): BST, VST, GET RtmData, RELEASE; PROCESS DSRC MESSAGE on its card',
  options: dsrcReaderOptions,
  ports: { [READER_AIR_PORT]: { description: "the 5.8 GHz DSRC link to a vehicle's DSRC-VU (the rig air frame)", codec: dsrcAirCodec, exchange: { role: 'requests' } } },
  machine: ({ options, clock }) => ({ machine: dsrcReaderMachine(options, () => clock.now()) }),
  stimuli: {
    interrogate: {
      description: 'interrogate the vehicle in range: BST, VST, GET of the RTM data, RELEASE, then the card and the freshness check',
      args: z.strictObject({}),
      toEvent: () => ({ type: 'interrogate' }),
    },
    insertCard: {
      description: "put one of the reader's cards (by name) in its slot",
      args: z.strictObject({ card: z.string() }),
      toEvent: (a: { card: string }, device) => {
        const card = (device.options as DsrcReaderOptions).cards[a.card];
        if (!card) throw new Error(`no card '${a.card}' in ${device.name}'s options.cards`);
        return { type: 'insertCard', card };
      },
    },
  },
  recordKinds: dsrcReaderRecordKinds,
  records: (device, rig) => ({
    read: async () => {
      const actor = rig.actor(device);
      if (!actor) throw new Error(`reader '${device}' is not emulated: its log is not reachable`);
      return [...(actor.getSnapshot() as { context: DsrcReaderContext }).context.log] as DeviceRecord[];
    },
  }),
};
