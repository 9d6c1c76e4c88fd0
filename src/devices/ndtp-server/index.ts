import { z } from 'zod';
import type { DeviceKind, PortSpec } from '../../harness/devices/device-kind.ts';
import { ndtpPortCodec, NphResult, NplError, PROFILE_NAMES } from '../../protocols/ndtp/index.ts';
import { ndtpServerMachine } from './machine.ts';
import type { ServerState } from './intake.ts';
import { serverRecordKinds } from './record-kinds.ts';

export const ndtpServerOptions = z.strictObject({
  profile: z.enum(PROFILE_NAMES).default('seed-ex2').describe('NDTP dialect (README "NDTP"): seed-ex1 (26/26-byte cells, CRC MSB first) or seed-ex2 (20/24, LSB first). Default seed-ex2.'),
  address: z.int().min(0).max(0xffffffff).default(0).describe("The server's NPL peer address. Default 0."),
  clients: z
    .array(
      z.strictObject({
        peerAddress: z.int().min(0).max(0xffffffff),
        auth: z.string().regex(/^[\x20-\x7e]{1,64}$/).optional(),
        key: z.string().regex(/^[0-9a-fA-F]{32}$/).optional().describe("the terminal's pre-shared AES-128 key (32 hex digits): it must ask for a secure session"),
      }),
    )
    .default([])
    .describe('Registered terminals: NPL peer address and, where it must authenticate, its NPH_SGC_CONN_AUTH_STRING, or its key for a secure session.'),
});
export type NdtpServerOptions = z.output<typeof ndtpServerOptions>;

/** Connections the server takes at once: a port each, one terminal on each link. */
export const SERVER_PORTS = 8;

/** `ndtp` (the first terminal's connection), then `ndtp2` .. `ndtp8`: the listening end of a link each. */
function serverPorts(): Record<string, PortSpec> {
  const ports: Record<string, PortSpec> = {};
  for (let i = 1; i <= SERVER_PORTS; i++) {
    ports[i === 1 ? 'ndtp' : `ndtp${i}`] = {
      description: i === 1 ? "a terminal's connection: the listening end of a tcp link (or any link: the framing self-delimits)" : `a further terminal's connection (${i} of ${SERVER_PORTS}), as ndtp`,
      baud: 38_400,
      codec: ndtpPortCodec,
      exchange: { role: 'answers' },
      // the connection closed or cut: a frame begun on it will not be finished
      lineEvents: true,
    };
  }
  return ports;
}

const ANSWERS = Object.keys(NphResult) as [keyof typeof NphResult, ...(keyof typeof NphResult)[]];

export const ndtpServerKind: DeviceKind<NdtpServerOptions> = {
  kind: 'ndtp-server',
  description: 'NDTP collection server (ССД, seed 001): takes in terminals\' navigation and tank-level data over TCP, validates, acknowledges, labels real time and history',
  options: ndtpServerOptions,
  ports: serverPorts(),
  machine: ({ options, clock }) => {
    const initial: ServerState = {
      profile: options.profile,
      address: options.address,
      clients: options.clients,
      connections: {},
      rules: [],
      seen: [],
      log: [],
    };
    return { machine: ndtpServerMachine(initial, clock) };
  },
  stimuli: {
    answer: {
      description: 'answer the next packets of a kind with this NPH_RESULT (times: how many; left out: until set again; OK: as usual)',
      args: z.strictObject({
        result: z.enum(ANSWERS),
        to: z.enum(['navdata', 'connRequest', 'authString']).default('navdata'),
        times: z.int().min(1).optional(),
      }),
      toEvent: (a) => ({ type: 'answer', scope: a.to, result: NphResult[a.result as keyof typeof NphResult], ...(a.times === undefined ? {} : { times: a.times }) }),
      emulatedOnly: 'it sets what the emulated server answers',
    },
    route: {
      description: 'answer the next navigation packets with NPL_TYPE_ERROR and this routing error instead of an NPH_RESULT (times: how many; left out: until set again; OK: route as usual), e.g. PEER_NOT_AVAILABLE: the system behind the server cannot be reached',
      args: z.strictObject({
        error: z.enum(['OK', 'INVALID_PEER_ADDRESS', 'PEER_NOT_AVAILABLE', 'PEER_PERM_DENIED']),
        times: z.int().min(1).optional(),
      }),
      toEvent: (a) => ({ type: 'answer', scope: 'route', result: NplError[a.error as 'OK'], ...(a.times === undefined ? {} : { times: a.times }) }),
      emulatedOnly: 'it sets what the emulated server answers',
    },
  },
  recordKinds: serverRecordKinds,
  records: (device, rig) => ({
    read: async () => {
      const actor = rig.actor(device);
      if (!actor) throw new Error(`ndtp server '${device}' is not emulated: what it received is not reachable`);
      return [...(actor.getSnapshot() as { context: ServerState }).context.log];
    },
  }),
};
