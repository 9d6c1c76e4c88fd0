import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = StoredSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`NDTP buffer ${path} is damaged: ${parsed.error.issues[0]?.message}`);
  if (parsed.data.peerAddress !== peerAddress) throw new Error(`NDTP buffer ${path} belongs to terminal ${parsed.data.peerAddress}, not ${peerAddress}`);
  return { peerAddress, nextRequestId: parsed.data.nextRequestId, records: parsed.data.records as unknown as NavRecord[] };
}

export function saveBuffer(path: string, state: StoredBuffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ v: 1, ...state }));
  renameSync(temp, path);
}
