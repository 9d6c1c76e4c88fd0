import { z } from 'zod';
import { namedCodes, type RecordKinds } from '../../harness/devices/record-kinds.ts';
import { NphResult } from '../../protocols/ndtp/index.ts';

/**
 * What the terminal itself shows of the records the server did not take: each refusal and what the terminal
 * did with the record (it never lets one go for a refusal), and what its full buffer had to let go.
 */
const iso = z.string().describe('UTC ISO 8601');

export const terminalRecordKinds: RecordKinds = {
  refused: {
    description: "navigation data answered other than OK and BUSY: the record is kept; then says how it goes on (retry: again after busyRetryMs; reconnect: a new session at once, the record as history; set-aside: not again in this session, offered again in the next)",
    code: namedCodes(Object.keys(NphResult), 'the NPH_RESULT the server answered'),
    time: 'instant',
    fields: z.strictObject({
      requestId: z.number().int(),
      packet: z.enum(['realtime', 'history']),
      recordAt: iso.optional().describe("the refused record's navigation cell time"),
      then: z.enum(['retry', 'reconnect', 'set-aside']),
    }),
  },
  overflow: {
    description: 'the buffer was full (bufferLimit records): the oldest records went, and how many',
    code: namedCodes(['buffer-full']),
    time: 'instant',
    fields: z.strictObject({ lost: z.number().int().min(1), recordAt: iso.describe('the oldest record let go'), bufferLimit: z.number().int() }),
  },
};
