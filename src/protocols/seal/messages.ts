import { z } from 'zod';
import { AuthenticatorSchema } from './document-auth.ts';
import { GUID_PATTERN } from './guid.ts';
import { isUtcIso } from './utc-time.ts';

/**
 * The JSON documents of the seal uplink and of operator-to-operator exchange (rig-defined: Decision 141
 * fixes the envelope, JSON, one document per message, a GUID, UTC ISO 8601 times, UTF-8 without BOM;
 * the composition lives in Decision 139, which the sources do not hold). Version 1.
 */
export const SCHEMA_VERSION = 1;

const guid = z.string().regex(GUID_PATTERN, 'not a GUID (8-4-4-4-12 hex digits, RFC 9562)');
const utc = z.string().refine(isUtcIso, 'not a UTC ISO 8601 time (zone Z or +00:00)');
const state = z.string().regex(/^[A-Z]{2}$/, 'a state is an ISO 3166-1 alpha-2 code, e.g. RU');
const sealId = z.string().regex(/^[\x21-\x7e]{1,32}$/).refine((s) => !/[/+#]/.test(s), 'no MQTT wildcards or /');

/** Event codes of the EAEU seal practice (01..07); 06 is raised by the receiving side. */
export const SealEventCode = {
  lockBroken: '01',
  housingBreached: '02',
  routeDeviation: '03',
  malfunction: '04',
  batteryLow: '05',
  silent: '06',
  unauthorised: '07',
} as const;
export type SealEventCodeValue = (typeof SealEventCode)[keyof typeof SealEventCode];

export const FixSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  speedKmh: z.number().min(0),
  /** When the coordinates were determined, not when the message was sent. */
  time: utc,
  /** `last-known`: the receiver has no fix now; this is the last one, with its own time. */
  status: z.enum(['current', 'last-known']),
});
export type Fix = z.output<typeof FixSchema>;

const diagnostic = z.enum(['ok', 'fault']);
export const DiagnosticsSchema = z.strictObject({
  gnss: diagnostic,
  lock: diagnostic,
  housing: diagnostic,
  memory: diagnostic,
  modem: diagnostic,
  battery: diagnostic,
});

const sealCommon = {
  v: z.literal(SCHEMA_VERSION),
  id: guid,
  sealId,
  homeState: state,
  /**
   * Per seal, from 0, one per message, kept across power cycles: the operator sees gaps, and refuses a
   * sequence number below the highest it accepted from that seal as a replay (see the operator's intake).
   */
  seq: z.int().min(0),
  createdAt: utc,
  custody: z.enum(['registered', 'tracking', 'violated', 'disarmed']),
  consignment: z.string().min(1).nullable(),
  /** null: the seal has never had a fix. */
  fix: FixSchema.nullable(),
  power: z.strictObject({ batteryPercent: z.number().min(0).max(100) }),
  /**
   * The seal's signature over the document (document-auth.ts, domain EAEU-SEAL-DOC/1). Optional in the
   * schema because a correction's document is the home operator's, not the seal's; the operator refuses a
   * seal's uplink without it (`unauthenticated`).
   */
  auth: AuthenticatorSchema.optional(),
};

export const SealMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...sealCommon, type: z.literal('position') }),
  z.strictObject({
    ...sealCommon,
    type: z.literal('event'),
    event: z.strictObject({
      code: z.enum(['01', '02', '03', '04', '05', '07']),
      detail: z.string().optional(),
    }),
  }),
  z.strictObject({
    ...sealCommon,
    type: z.literal('activation'),
    reader: z.strictObject({ id: z.string().min(1) }),
  }),
]);
export type SealMessage = z.output<typeof SealMessageSchema>;
export type SealMessageType = SealMessage['type'];

/** Home operator → seal. */
export const SealAckSchema = z.strictObject({
  v: z.literal(SCHEMA_VERSION),
  id: guid,
  type: z.literal('ack'),
  ackOf: guid,
  status: z.enum(['accepted', 'rejected']),
  reason: z.string().optional(),
  at: utc,
  /** The home operator's signature (domain EAEU-SEAL-ACK/1): the seal drops a message only on a genuine ack. */
  auth: AuthenticatorSchema.optional(),
});
export type SealAck = z.output<typeof SealAckSchema>;

/** The sending operator's signature (domain EAEU-SEAL-OPR/1) over the whole envelope. */
const peerCommon = { v: z.literal(SCHEMA_VERSION), id: guid, from: state, to: state, auth: AuthenticatorSchema.optional() };

/** A seal's public key as its home operator vouches for it in a forward, so the peer checks the seal's signature. */
export const SealPublicKeySchema = z.strictObject({ alg: z.literal('Ed25519'), publicKey: z.string().regex(/^[0-9a-f]{64}$/) });

/** Operator → operator. A correction is a new message naming the one it replaces (Decision 141 item 20). */
export const PeerMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...peerCommon,
    type: z.literal('forward'),
    sentAt: utc,
    document: SealMessageSchema,
    /** Absent when the seal's scheme is a MAC: its key is a secret the peer must not hold. */
    sealKey: SealPublicKeySchema.optional(),
  }),
  z.strictObject({ ...peerCommon, type: z.literal('correction'), sentAt: utc, corrects: guid, document: SealMessageSchema }),
  z.strictObject({
    ...peerCommon,
    type: z.literal('ack'),
    ackOf: guid,
    status: z.enum(['accepted', 'rejected']),
    reason: z.string().optional(),
    at: utc,
  }),
]);
export type PeerMessage = z.output<typeof PeerMessageSchema>;
export type PeerDocument = Extract<PeerMessage, { type: 'forward' | 'correction' }>;
