import { readJsonStateFile, writeFileAtomically } from '../state-file.ts';
import { z } from 'zod';
import type { NavRecord } from '../../protocols/ndtp/index.ts';

/**
 * The terminal's non-volatile buffer on disk: every record not yet acknowledged, in order, and the next
 * request id. Written atomically (a temp file, then rename) after every change, as the seal's outbox and the
 * VU's data memory are, so a supply cut leaves the old or the new state, never half of one, and loses no record.
 */
export interface StoredBuffer {
  peerAddress: number;
  nextRequestId: number;
  records: NavRecord[];
}

const StoredSchema = z.strictObject({
  v: z.literal(1),
  peerAddress: z.int().min(0),
  nextRequestId: z.int().min(0),
  records: z.array(z.looseObject({ nav: z.looseObject({ time: z.int() }), navNumber: z.int(), levels: z.array(z.unknown()) })),
});

export function loadBuffer(path: string, peerAddress: number): StoredBuffer | undefined {
  const stored = readJsonStateFile(path, StoredSchema, "the NDTP terminal's buffer");
  if (!stored) return undefined;
  if (stored.peerAddress !== peerAddress) throw new Error(`NDTP buffer ${path} belongs to terminal ${stored.peerAddress}, not ${peerAddress}`);
  return { peerAddress, nextRequestId: stored.nextRequestId, records: stored.records as unknown as NavRecord[] };
}

export function saveBuffer(path: string, state: StoredBuffer): void {
  writeFileAtomically(path, JSON.stringify({ v: 1, ...state }));
}
