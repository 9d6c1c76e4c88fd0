import { z } from 'zod';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { DEFAULT_PROVISIONING_SEED, shortRangeCodec, SigningKeySchema, TOPIC_SEGMENT } from '../../protocols/seal/index.ts';
import { loadOutbox } from './outbox-store.ts';
import { initialSealContext, sealMachine, type SealSettings } from './machine.ts';

const latLon = z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });
const route = z.array(latLon).min(1);

export const sealOptions = z.strictObject({
  sealId: z.string().regex(/^[\x21-\x7e]{1,32}$/).regex(TOPIC_SEGMENT, 'no MQTT wildcards or /').describe('The seal id, as registered with the home operator.'),
  homeState: z.string().regex(/^[A-Z]{2}$/).describe('ISO 3166-1 alpha-2 code of the state whose national operator the seal is registered with.'),
  activationKey: z.string().regex(/^[0-9a-fA-F]{64}$/).describe('32-byte activation key (hex) provisioned by the home operator; authorised readers hold the same.'),
  provisioningSeed: z.int().default(DEFAULT_PROVISIONING_SEED).describe('Seed of the test provisioning: derives the two keys below when not given (the same seed on the home operator).'),
  originKey: SigningKeySchema.optional().describe(
    'Key that signs every document the seal sends: { alg: Ed25519, privateKey } (32-byte seed, hex) or { alg: HMAC-SHA256, key }; the home operator holds the public key (or the shared key). Default: Ed25519 from the provisioning seed.',
  ),
  operatorKey: z.string().regex(/^[0-9a-fA-F]{64}$/).optional().describe("The home operator's Ed25519 public key (hex): an ack counts only with its signature. Default: from the provisioning seed."),
  exchangePeriodMs: z.number().positive().default(60_000).describe('Rig ms between position reports (and self-checks). Default 60 s.'),
  reconnectMs: z.number().positive().default(10_000).describe('Rig ms between attempts to reach the broker while it is unreachable.'),
  ackTimeoutMs: z.number().positive().default(30_000).describe('Rig ms to wait for the operator to acknowledge a message before sending it again.'),
  challengeTimeoutMs: z.number().positive().default(5_000).describe('Rig ms a reader has to answer an activation challenge.'),
  fixIntervalMs: z.number().positive().default(1_000).describe("Rig ms between the GNSS receiver's fixes."),
  lowBatteryPercent: z.number().min(0).max(100).default(15).describe('Event 05 below this charge.'),
  routeDeviationKm: z.number().positive().default(50).describe('Event 03 beyond this distance from the route.'),
  battery: z
    .strictObject({
      percent: z.number().min(0).max(100).default(100),
      drainPercentPerHour: z.number().min(0).default(0.01),
      drainPercentPerMessage: z.number().min(0).default(0.001),
    })
    .prefault({})
    .describe('The power source: initial charge and drain.'),
  consignment: z.strictObject({ id: z.string().min(1), route }).optional().describe('Armed at start on this consignment and route.'),
  outboxPath: z.string().min(1).optional().describe('File that keeps the store-and-forward outbox across emulator restarts. Default: memory only.'),
});
export type SealOptions = z.output<typeof sealOptions>;

const component = z.enum(['gnss', 'memory', 'modem', 'lock', 'housing']);

export const sealKind: DeviceKind<SealOptions> = {
  kind: 'seal',
  description: 'EAEU electronic navigation seal: GNSS, battery, events 01..07, MQTT uplink to its home operator, short-range activation',
  usesNetwork: true,
  options: sealOptions,
  ports: { radio: { description: 'short-range module (activation by a special device)', baud: 115200, codec: shortRangeCodec } },
  machine: ({ options, clock, rng, world, network }) => {
    const settings: SealSettings = options;
    const stored = options.outboxPath ? loadOutbox(options.outboxPath, options.sealId) : undefined;
    const initial = initialSealContext(settings, clock.now(), stored);
    return { machine: sealMachine(settings, { clock, rng, world, network }, initial) };
  },
  stimuli: {
    arm: {
      description: 'arm the seal on a consignment with its route (tracking)',
      args: z.strictObject({ consignment: z.string().min(1), route }),
      toEvent: (a) => ({ type: 'arm', ...a }),
    },
    disarm: { description: 'disarm at the destination', args: z.strictObject({}), toEvent: () => ({ type: 'disarm' }) },
    powerOff: { description: 'the seal goes dark (switched off, destroyed, shielded)', args: z.strictObject({}), toEvent: () => ({ type: 'powerOff' }) },
    powerOn: { description: 'power returns', args: z.strictObject({}), toEvent: () => ({ type: 'powerOn' }) },
    cutLock: { description: "the seal's locking element is cut (event 01)", args: z.strictObject({}), toEvent: () => ({ type: 'cutLock' }) },
    breachHousing: { description: 'the housing of the electronic unit is opened (event 02)', args: z.strictObject({}), toEvent: () => ({ type: 'breachHousing' }) },
    malfunction: {
      description: 'a component fails (event 04; a GNSS fault also stops fixes)',
      args: z.strictObject({ component }),
      toEvent: (a) => ({ type: 'malfunction', ...a }),
    },
    gnss: {
      description: 'GNSS signal in view or not (no fix while not)',
      args: z.strictObject({ available: z.boolean() }),
      toEvent: (a) => ({ type: 'gnss', ...a }),
    },
    battery: {
      description: 'set the charge (and optionally the drain per hour) from now on',
      args: z.strictObject({ percent: z.number().min(0).max(100), drainPercentPerHour: z.number().min(0).optional() }),
      toEvent: (a) => ({ type: 'battery', ...a }),
    },
  },
};
