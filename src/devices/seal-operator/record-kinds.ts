import { z } from 'zod';
import { freeCode, namedCodes, noCode, type RecordKinds } from '../../harness/devices/record-kinds.ts';
import { FixSchema, SealEventCode, type RefusalCode } from '../../protocols/seal/index.ts';

/**
 * What the national operator's log holds (machine.ts, intake.ts), declared for scenario checks: the seals'
 * documents it accepted (kind = the document type), what it refused, duplicates and sequence anomalies,
 * its forwards and corrections, and the documents peers forwarded to it.
 */

const state = z.string().regex(/^[A-Z]{2}$/).describe('ISO 3166-1 alpha-2');
const utc = z.string().describe('UTC ISO 8601');

/** A seal's document as the operator logs it (intake.ts sealRecord). */
const sealDocument = {
  id: z.string(),
  sealId: z.string(),
  seq: z.number().int().min(0),
  createdAt: utc,
  custody: z.enum(['registered', 'tracking', 'violated', 'disarmed']),
  consignment: z.string().nullable(),
  fix: FixSchema.nullable(),
  batteryPercent: z.number().min(0).max(100),
};

/** '06' (silence) is raised by the operator itself; the others arrive as the seal's event documents. */
const silence = z.strictObject({ sealId: z.string(), source: z.literal('operator'), lastHeardAt: utc });
const sealEvent = z.strictObject({ ...sealDocument, detail: z.string().optional() });

const REFUSAL_CODES = ['too-large', 'too-deep', 'bom', 'utf8', 'json', 'not-a-document', 'guid', 'utc', 'schema'] as const satisfies readonly RefusalCode[];
const MESSAGE_TYPES = ['position', 'event', 'activation', 'forward', 'correction'] as const;

export const operatorRecordKinds: RecordKinds = {
  event: {
    description: "a seal's event document (codes 01-05, 07), or 06 raised by the operator after two exchange periods of silence",
    code: namedCodes(Object.values(SealEventCode), 'the EAEU seal event code'),
    time: 'instant',
    fields: z.strictObject({
      ...Object.fromEntries(Object.entries(sealDocument).map(([k, v]) => [k, v.optional()])),
      sealId: z.string(),
      detail: z.string().optional(),
      source: z.literal('operator').optional(),
      lastHeardAt: utc.optional(),
    }),
    fieldsOf: (code) => (code === SealEventCode.silent ? silence : Object.values(SealEventCode).includes(code as never) ? sealEvent : undefined),
  },
  position: { description: "a seal's position document", code: noCode, time: 'instant', fields: z.strictObject(sealDocument) },
  activation: { description: "a seal's activation document (a reader activated it)", code: noCode, time: 'instant', fields: z.strictObject({ ...sealDocument, reader: z.string() }) },
  duplicate: {
    description: 'a message whose GUID (or forwarded document) was taken in before: acknowledged again, not kept twice',
    code: namedCodes(MESSAGE_TYPES, 'the message type'),
    time: 'instant',
    fields: z.strictObject({ id: z.string(), sealId: z.string().optional(), seq: z.number().int().optional(), from: state.optional(), documentId: z.string().optional() }),
  },
  anomaly: {
    description: "a seal's sequence number skipped some (a lower one is a replay, refused)",
    code: namedCodes(['gap']),
    time: 'instant',
    fields: z.strictObject({ sealId: z.string(), expectedSeq: z.number().int(), seq: z.number().int() }),
  },
  rejected: {
    description: 'a message refused (wire format, origin not proven, topic, a replay, a correction of a document never received), with the reason',
    code: namedCodes([...REFUSAL_CODES, 'unauthenticated', 'topic', 'replay', 'unknown-original'], 'why'),
    time: 'instant',
    fields: z.strictObject({
      reason: z.string(),
      topic: z.string().optional(),
      id: z.string().optional(),
      sealId: z.string().optional(),
      seq: z.number().int().optional().describe('replay: the sequence number refused'),
      lastSeq: z.number().int().optional().describe('replay: the highest accepted from that seal'),
      corrects: z.string().optional(),
    }),
  },
  correction: {
    description: 'a correction this operator sends its peers: sent, held until the original is acknowledged, or refused (unknown, invalid)',
    code: namedCodes(['unknown', 'invalid', 'sent', 'held']),
    time: 'instant',
    fields: z.strictObject({ corrects: z.string(), reason: z.string().optional(), to: state.optional(), id: z.string().optional(), documentId: z.string().optional() }),
  },
  forwarded: {
    description: 'a peer acknowledged a forward or correction',
    code: freeCode(state, 'the peer state'),
    time: 'instant',
    fields: z.strictObject({ id: z.string(), type: z.enum(['forward', 'correction']), documentId: z.string(), status: z.enum(['accepted', 'rejected']), roundTripMs: z.number() }),
  },
  peer: {
    description: 'a document a peer operator forwarded (or corrected), with its transfer time',
    code: namedCodes(['position', 'event', 'activation', 'correction'], 'the document type, or correction'),
    time: 'instant',
    fields: z.strictObject({
      from: state,
      id: z.string(),
      documentId: z.string(),
      sealId: z.string(),
      corrects: z.string().optional(),
      eventCode: z.string().optional(),
      transferMs: z.number(),
      withinLimit: z.boolean(),
      verifiedBy: z.enum(['seal', 'operator']).describe("whose signature proved the document: the seal's own, or only the forwarding operator's"),
    }),
  },
};
