import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = StoredSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`outbox ${path} is damaged: ${parsed.error.issues[0]?.message}`);
  if (parsed.data.sealId !== sealId) throw new Error(`outbox ${path} belongs to seal ${parsed.data.sealId}, not ${sealId}`);
  return { sealId, nextSeq: parsed.data.nextSeq, outbox: parsed.data.outbox };
}

export function saveOutbox(path: string, state: StoredOutbox): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ v: 1, ...state }));
  renameSync(temp, path);
}
