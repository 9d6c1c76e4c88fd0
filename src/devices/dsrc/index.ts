import { z } from 'zod';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { dsrcAirCodec, dsrcVuLinkCodec } from '../../protocols/dsrc/index.ts';
import { DSRC_AIR_PORT, DSRC_VU_PORT, dsrcVuMachine, dsrcVuOptions, type DsrcVuOptions } from './machine.ts';

export { DSRC_AIR_PORT, DSRC_VU_PORT, RTM_EID, dsrcVuMachine, dsrcVuOptions, type DsrcVuContext, type DsrcVuEvent, type DsrcVuOptions } from './machine.ts';

/** App. 14: the DSRC-VU, the VU's remote communication facility (README "DSRC"). */
export const dsrcVuKind: DeviceKind<DsrcVuOptions> = {
  kind: 'dsrc-vu',
  description: 'the DSRC-VU (App. 14 §5.6): stores the secured RTM data the VU sends every 60 s, acknowledges Ok/NoK',
  options: dsrcVuOptions,
  ports: {
    [DSRC_VU_PORT]: { description: "the cable from the VU's dsrc port: the rig's VU link frame (src/protocols/dsrc/vu-link.ts)", baud: 115200, codec: dsrcVuLinkCodec, exchange: { role: 'answers' } },
    [DSRC_AIR_PORT]: { description: 'the 5.8 GHz DSRC link to a roadside reader: UPER T-APDUs in the rig air frame (src/protocols/dsrc/air-frame.ts)', codec: dsrcAirCodec, exchange: { role: 'answers' } },
  },
  machine: ({ options, clock }) => ({ machine: dsrcVuMachine(options, () => clock.now()) }),
  stimuli: {
    memoryFault: {
      description: 'the DSRC-VU memory fails (true: every set is answered NoK) or works again (false)',
      args: z.strictObject({ on: z.boolean() }),
      toEvent: (a: { on: boolean }) => ({ type: 'memoryFault', on: a.on }),
    },
    replay: {
      description: 'a manipulated DSRC-VU serves the first set it ever stored instead of the latest (true), or the latest again (false)',
      args: z.strictObject({ on: z.boolean() }),
      toEvent: (a: { on: boolean }) => ({ type: 'replay', on: a.on }),
    },
    tamper: {
      description: 'a manipulated DSRC-VU flips this bit (0 = the most significant of the first octet) of the RTM data it serves on the air; null: no more',
      args: z.strictObject({ bit: z.number().int().min(0).nullable() }),
      toEvent: (a: { bit: number | null }) => ({ type: 'tamper', bit: a.bit }),
    },
  },
};
