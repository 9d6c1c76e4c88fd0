import { z } from 'zod';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { MAX_COMPARTMENTS, ndtpPortCodec, PROFILE_NAMES } from '../../protocols/ndtp/index.ts';
import { initialTerminalContext, ndtpTerminalMachine, type TerminalContext } from './machine.ts';
import { terminalRecordKinds } from './record-kinds.ts';

export const ndtpTerminalOptions = z.strictObject({
  profile: z.enum(PROFILE_NAMES).default('seed-ex2').describe('NDTP dialect (README "NDTP"): seed-ex1 or seed-ex2. Default seed-ex2; the server must use the same.'),
  peerAddress: z.int().min(1).max(0xffffffff).default(1024).describe("The terminal's NPL peer address (the server registers it). Default 1024."),
  authString: z.string().regex(/^[\x20-\x7e]{1,64}$/).optional().describe('Sent as NPH_SGC_CONN_AUTH_STRING after the connection request. Default: none (no authentication step).'),
  protoVersionHigh: z.int().min(0).max(0xffff).optional().describe('<proto_version_high> it asks for. Default 1 (seed 001: "always 1"); another value provokes PROTO_VER_NOT_SUPPORTED.'),
  periodMs: z.number().positive().default(30_000).describe('Rig ms between records (NPH_SND_REALTIME while online). Default 30 s.'),
  ackTimeoutMs: z.number().positive().default(10_000).describe('Rig ms to wait for an NPH_RESULT; none in time: the link is lost. Default 10 s.'),
  reconnectMs: z.number().positive().default(60_000).describe('Rig ms between connection attempts while offline. Default 60 s.'),
  busyRetryMs: z.number().positive().default(5_000).describe('Rig ms before sending again after NPH_RESULT_BUSY. Default 5 s.'),
  refusedRetryMs: z.number().positive().default(600_000).describe('Rig ms before asking again after the server refused the connection. Default 10 min.'),
  compartments: z.int().min(0).max(MAX_COMPARTMENTS).default(0).describe('Tank compartments with a level sensor (1..n): one Type 13 cell each. Default 0.'),
  altitudeM: z.int().min(0).max(0xffff).default(150).describe('Altitude reported with a fix, m. Default 150.'),
  batteryVolts: z.number().min(0).max(5.1).default(4.16).describe('Internal battery voltage, reported in 20 mV steps (the seed packets\' 208). Default 4.16.'),
  bufferFile: z.string().min(1).optional().describe('File keeping the unacknowledged records across supply cuts and restarts. Default: memory only (kept across a power stimulus, not across runs).'),
  encryptionKey: z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/)
    .optional()
    .describe('Pre-shared AES-128 key, 32 hex digits: the terminal asks for a secure session, everything after the set-up encrypted (README "NDTP"). Default: none (insecure).'),
  bufferLimit: z.int().min(1).default(20_000).describe('Records the buffer holds; beyond it the oldest go. Default 20 000 (a week at 30 s).'),
});
export type NdtpTerminalOptions = z.output<typeof ndtpTerminalOptions>;

export const ndtpTerminalKind: DeviceKind<NdtpTerminalOptions> = {
  kind: 'ndtp-terminal',
  description: "NDTP on-board terminal (СТС, seed 001) of an alcohol tanker: position, speed and compartment levels from the world, sent to the collection server, buffered while the link is down",
  options: ndtpTerminalOptions,
  ports: { uplink: { description: 'the GPRS modem: a TCP connection to the collection server (the first end of a tcp link)', baud: 38_400, codec: ndtpPortCodec, exchange: { role: 'requests' } } },
  machine: ({ options, clock, world, rng }) => ({ machine: ndtpTerminalMachine(options, { clock, world, rng }, initialTerminalContext(options)) }),
  stimuli: {
    power: {
      description: 'the supply is cut (false) or back (true): volatile state is lost, the buffer is kept',
      args: z.strictObject({ on: z.boolean() }),
      toEvent: (a) => ({ type: 'power', on: a.on }),
    },
    levelSensor: {
      description: "a compartment's level sensor stops answering (working: false; its Type 13 cell is left out) or answers again",
      args: z.strictObject({ compartment: z.int().min(1).max(MAX_COMPARTMENTS), working: z.boolean() }),
      toEvent: (a) => ({ type: 'levelSensor', ...a }),
      emulatedOnly: 'it fails a sensor inside the emulated terminal',
    },
    corruptNext: {
      description: 'the next frame the terminal sends is damaged after its CRC was computed (one bit of its last byte)',
      args: z.strictObject({}),
      toEvent: () => ({ type: 'corruptNext' }),
      emulatedOnly: 'it damages a frame inside the emulated terminal',
    },
  },
  recordKinds: terminalRecordKinds,
  records: (device, rig) => ({
    read: async () => {
      const actor = rig.actor(device);
      if (!actor) throw new Error(`ndtp terminal '${device}' is not emulated: its refusals are not reachable`);
      return [...(actor.getSnapshot() as { context: TerminalContext }).context.log];
    },
  }),
};
