import { readJsonStateFile, writeFileAtomically } from '../state-file.ts';
import { z } from 'zod';
import { SealMessageSchema, type SealMessage } from '../../protocols/seal/index.ts';

/**
 * The seal's store-and-forward memory on disk: the messages not yet acknowledged by the home operator, in
 * order, and the next sequence number. Written atomically (a temp file, then rename) after every change,
 * so a crash leaves the old or the new state, never half of one; read when the emulator starts.
 */
export interface StoredOutbox {
  sealId: string;
  nextSeq: number;
  outbox: SealMessage[];
}

const StoredSchema = z.strictObject({
  v: z.literal(1),
  sealId: z.string(),
  nextSeq: z.int().min(0),
  outbox: z.array(SealMessageSchema),
});

export function loadOutbox(path: string, sealId: string): StoredOutbox | undefined {
  const stored = readJsonStateFile(path, StoredSchema, "the seal's outbox");
  if (!stored) return undefined;
  if (stored.sealId !== sealId) throw new Error(`outbox ${path} belongs to seal ${stored.sealId}, not ${sealId}`);
  return { sealId, nextSeq: stored.nextSeq, outbox: stored.outbox };
}

export function saveOutbox(path: string, state: StoredOutbox): void {
  writeFileAtomically(path, JSON.stringify({ v: 1, ...state }));
}
