import { z } from 'zod';
import { freeCode, namedCodes, type RecordKinds } from '../../harness/devices/record-kinds.ts';
import { Custody, DiagnosticBit, FrameType, RefusalReason } from '../../protocols/seal/index.ts';

/** What the special device's log holds (machine.ts), declared for scenario checks. */

const diagnostic = z.enum(['ok', 'fault']);

export const readerRecordKinds: RecordKinds = {
  status: {
    description: "the seal's authenticated status after an activation: custody, battery, self-diagnostics, and whether its MAC verified",
    code: freeCode(z.string(), 'the seal id'),
    time: 'instant',
    fields: z.strictObject({
      sealId: z.string(),
      custody: z.enum(Object.keys(Custody) as [keyof typeof Custody]),
      batteryPercent: z.number().min(0).max(100),
      diagnostics: z.strictObject(Object.fromEntries(Object.keys(DiagnosticBit).map((k) => [k, diagnostic]))),
      framesRefused: z.number().int().min(0),
      authentic: z.boolean(),
    }),
  },
  refused: {
    description: 'the activation was refused: by the seal (its reason) or by the reader (no key for that seal)',
    code: namedCodes(['noKey', ...Object.keys(RefusalReason)], 'why'),
    time: 'instant',
    fields: z.strictObject({ sealId: z.string(), reason: z.string().optional() }),
  },
  timeout: {
    description: 'the seal did not answer in time',
    code: freeCode(z.string().optional(), 'the seal id'),
    time: 'instant',
    fields: z.strictObject({ sealId: z.string().optional() }),
  },
  frameError: {
    description: 'a damaged frame heard while waiting for an answer',
    code: namedCodes(['refused']),
    time: 'instant',
    fields: z.strictObject({ reason: z.string() }),
  },
  unsolicited: {
    description: 'a frame addressed to the reader outside an activation, or of a type it did not expect',
    code: namedCodes(Object.keys(FrameType), 'the frame type'),
    time: 'instant',
    fields: z.strictObject({ from: z.string() }),
  },
};
