import { z } from 'zod';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { EGF_PORT, egfMachine } from './machine.ts';
import { egfOptions, type EgfOptions } from './options.ts';
import { t1PortCodec } from './port-codec.ts';

export { EGF_PORT, egfMachine, type EgfContext, type EgfEvent } from './machine.ts';
export { EGF_AID, NO_DATA_RECORD, createMemory, eraseMemory, executeApdu, storeSentences, type EgfMemory } from './memory.ts';
export { egfOptions, type EgfOptions } from './options.ts';
export { t1PortCodec } from './port-codec.ts';
export { resolveCredentials, type ResolvedCredentials } from './credentials.ts';
export { createSecurity, executeSecurityApdu, type EgfKeys, type EgfSecurity, type SecurityContext } from './security.ts';
export { serveApdu, type TransceiverContext, type TransceiverState } from './transceiver.ts';

/** App. 12 §4: the external GNSS facility, a smart-card-like secure transceiver on a serial link (see README.md). */
export const gnssKind: DeviceKind<EgfOptions> = {
  kind: 'gnss',
  description: 'external GNSS facility (App. 12): APDUs in T=1 blocks, EF.EGF with NMEA from the world at 1 Hz',
  options: egfOptions,
  ports: { [EGF_PORT]: { description: 'to the VU secure transceiver: ISO/IEC 7816-4 APDUs in ISO/IEC 7816-3 T=1 blocks', baud: 115200, codec: t1PortCodec, exchange: { role: 'answers' } } },
  machine: ({ options, clock, world, rng }) => ({ machine: egfMachine(options, clock, world, rng) }),
  stimuli: {
    receiver: {
      description: 'the GNSS receiver inside the EGF talks (true) or stops giving data (false): GNS_30 after 3 h',
      args: z.strictObject({ on: z.boolean() }),
      toEvent: (a) => ({ type: 'receiver', ...a }),
    },
    tamper: {
      description: "the enclosure is breached: memory erased, then '6690' or silence (option tamperResponse), GNS_29",
      args: z.strictObject({}),
      toEvent: () => ({ type: 'tamper' }),
    },
    silence: {
      description: 'the transceiver stops answering (true) or answers again (false)',
      args: z.strictObject({ on: z.boolean() }),
      toEvent: (a) => ({ type: 'silence', ...a }),
    },
    fault: {
      description: "the transceiver's EF EGF fails its integrity check (true) or is sound again (false): SELECT and READ RECORD of it answer '6400' (App. 2 TCS_41, TCS_43); the VU records 0x37",
      args: z.strictObject({ on: z.boolean() }),
      toEvent: (a) => ({ type: 'fault', ...a }),
    },
  },
};
