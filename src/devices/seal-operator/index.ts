import { z } from 'zod';
import { operatorRecordKinds } from './record-kinds.ts';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { DEFAULT_PROVISIONING_SEED, VerifyingKeySchema } from '../../protocols/seal/index.ts';
import { operatorMachine, type OperatorContext } from './machine.ts';

const state = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code, e.g. RU');

export const operatorOptions = z.strictObject({
  state: state.describe('The state whose national operator this is.'),
  peers: z.array(state).default([]).describe('Operators of other states to forward every document to (full mesh: list every other state).'),
  seals: z.array(z.string().min(1)).default([]).describe('Seals registered here, watched for silence from the start (others from their first message).'),
  exchangePeriodMs: z.number().positive().default(60_000).describe("The seals' exchange period, rig ms: 06 after two of them without a message."),
  silenceGraceMs: z.number().min(0).default(1_000).describe('Rig ms added to the two periods before 06.'),
  transferLimitMs: z.number().positive().default(180_000).describe('Transfer time limit between operators, rig ms (3 minutes).'),
  reconnectMs: z.number().positive().default(10_000).describe('Rig ms between attempts to reach the broker.'),
  ackTimeoutMs: z.number().positive().default(30_000).describe('Rig ms before an unacknowledged forward is sent again.'),
  provisioningSeed: z.int().default(DEFAULT_PROVISIONING_SEED).describe('Seed of the test provisioning: derives every key not given below (the same seed on seals and operators).'),
  signingKey: z.string().regex(/^[0-9a-fA-F]{64}$/).optional().describe("This operator's Ed25519 private key (32-byte seed, hex). Default: from the provisioning seed."),
  sealKeys: z
    .record(z.string().min(1), VerifyingKeySchema)
    .default({})
    .describe("Keys that check its seals' documents, by seal id: { alg: Ed25519, publicKey } or { alg: HMAC-SHA256, key }. Others: from the provisioning seed."),
  peerKeys: z
    .record(state, z.string().regex(/^[0-9a-fA-F]{64}$/))
    .default({})
    .describe("Peer operators' Ed25519 public keys (hex), by state. Peers not listed: from the provisioning seed."),
});
export type OperatorOptions = z.output<typeof operatorOptions>;

export const operatorKind: DeviceKind<OperatorOptions> = {
  kind: 'seal-operator',
  description: "national operator's information system: takes in its seals' uplink, validates, acknowledges, raises 06, forwards to peer operators",
  usesNetwork: true,
  options: operatorOptions,
  ports: {},
  machine: ({ options, clock, rng, network }) => ({ machine: operatorMachine(options, { clock, rng, network }) }),
  stimuli: {
    correct: {
      description: 'send peers a correction of a document received from a seal (after they acknowledged the original)',
      args: z.strictObject({ documentId: z.string().min(1), changes: z.record(z.string(), z.unknown()) }),
      toEvent: (a) => ({ type: 'correct', ...a }),
    },
  },
  recordKinds: operatorRecordKinds,
  records: (device, rig) => ({
    read: async () => {
      // What is still on its way through the broker belongs to this instant: let it arrive first.
      await rig.network.settled();
      const actor = rig.actor(device);
      if (!actor) throw new Error(`operator '${device}' is not emulated: its store is not reachable`);
      return [...(actor.getSnapshot() as { context: OperatorContext }).context.log];
    },
  }),
};
