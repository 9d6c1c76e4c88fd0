import { z } from 'zod';
import { namedCodes, type RecordKinds } from '../../harness/devices/record-kinds.ts';
import { NphResult, NplError } from '../../protocols/ndtp/index.ts';

/**
 * What the collection server exposes of what it received (intake.ts), for scenario checks: navigation
 * records taken in (labelled real-time or history, stamped with their navigation cell's time), resends it
 * acknowledged but did not keep twice, connection set-up outcomes, non-OK answers to navigation data
 * (BUSY, ...), and what it refused with the reason.
 */
const LABELS = ['realtime', 'history'] as const;
const RESULTS = Object.keys(NphResult);
const ROUTING = (['INVALID_PEER_ADDRESS', 'PEER_NOT_AVAILABLE', 'PEER_PERM_DENIED', 'UNDEFINED'] as const satisfies readonly (keyof typeof NplError)[]).map((k) => `NPL_ERR_${k}`);
const REASONS = ['signature', 'truncated', 'size', 'crc', 'npl-type', 'nph-header', 'packet', 'format', 'cell-order', 'cell-unknown', 'range', 'decrypt'];
const iso = z.string().describe('UTC ISO 8601');
const port = z.string().describe("the server's port the terminal's connection came in on (ndtp, ndtp2, ...)");

export const serverRecordKinds: RecordKinds = {
  navdata: {
    description: "a navigation record taken in (answered OK): code realtime (NPH_SND_REALTIME) or history (NPH_SND_HISTORY); at: its navigation cell's time",
    code: namedCodes(LABELS, 'how it was sent'),
    time: 'instant',
    fields: z.strictObject({
      port,
      peerAddress: z.number().int(),
      requestId: z.number().int(),
      receivedAt: iso,
      valid: z.boolean().describe('the navigation cell says its coordinates come from a valid fix'),
      lat: z.number(),
      lon: z.number(),
      speedKmh: z.number(),
      nsat: z.number().int(),
      odometerKm: z.number().int().optional(),
      levels: z.array(z.number()).describe('fill level (0..1) per compartment, in compartment order; 4 decimals'),
      compartments: z.array(z.int().min(1).max(6)).optional().describe('the compartment of each level, in order (a silent sensor leaves its compartment out)'),
      temperaturesC: z.array(z.number()).optional(),
      strengths: z.array(z.number()).optional(),
    }),
  },
  duplicate: {
    description: 'a navigation record taken in before, cell for cell (a resend whose answer was lost): acknowledged again, not kept twice',
    code: namedCodes(LABELS),
    time: 'instant',
    fields: z.strictObject({ port, peerAddress: z.number().int(), requestId: z.number().int(), receivedAt: iso }),
  },
  session: {
    description: 'the answer to a connection request or an authentication string: OK, or the refusal',
    code: namedCodes(RESULTS, 'the NPH_RESULT the server answered'),
    time: 'instant',
    fields: z.strictObject({ port, peerAddress: z.number().int(), step: z.enum(['connRequest', 'authString']), protoVersion: z.string().optional(), secure: z.boolean().describe('the session is (to be) secure: encrypted after the set-up') }),
  },
  answer: {
    description: 'navigation data answered other than OK (BUSY as a scenario set, PACKET_UNEXPECTED before a session): not taken in',
    code: namedCodes(RESULTS, 'the NPH_RESULT the server answered'),
    time: 'instant',
    fields: z.strictObject({ port, peerAddress: z.number().int(), requestId: z.number().int(), packet: z.enum(LABELS) }),
  },
  routing: {
    description: 'navigation data refused at the NPL routing level, answered NPL_TYPE_ERROR (never encrypted): an address no client has, a terminal sending in the name of another than its session\'s, routing made unavailable by a scenario',
    code: namedCodes(ROUTING, 'the NPL error the server answered'),
    time: 'instant',
    fields: z.strictObject({
      port,
      peerAddress: z.number().int().describe("the frame's <peer_address>"),
      requestId: z.number().int(),
      packet: z.enum(LABELS),
      sessionPeer: z.number().int().optional().describe('the peer address of the session open on this connection, where one is'),
    }),
  },
  refused: {
    description: 'a frame or packet refused, with the reason (crc, cell-order, range, ...) and the answer it got',
    code: namedCodes(REASONS, 'why'),
    time: 'instant',
    fields: z.strictObject({ port, detail: z.string(), answer: z.string() }),
  },
};
