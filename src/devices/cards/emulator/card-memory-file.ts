import { createHash } from 'node:crypto';
import { readJsonStateFile, writeFileAtomically } from '../../state-file.ts';
import { z } from 'zod';
import type { CardMemory } from './card-memory.ts';

/**
 * A card's memory as a file of its own, so a card leaves one VU, is inserted in another (or in the next run)
 * and holds what was written to it. One JSON document:
 *   { "format": "tacho-rig/card-memory", "version": 1, "card": "<type>:<nation>:<number>",
 *     "pinTriesLeft": 0..5 | null, "currentAuthenticatedTime": <ms>, ["failingWrites": true | false,]
 *     "files": { "<df>/<FID>": { "data": "<hex>", "check": "<first 8 bytes of SHA-256(data), hex>" }, ... } }
 * Each EF carries a check of its content, as a card's file attributes do: an EF whose content no longer matches
 * is loaded as damaged, and the card answers a SELECT of it with '6400' (App. 2 TCS_41: an integrity error in
 * the file attributes). Writes are atomic: the whole document goes to `<file>.tmp`, is flushed, then renamed
 * over the file; a crash before the rename leaves the old file whole (the stale `.tmp` is ignored and
 * overwritten by the next write).
 */
export const CARD_MEMORY_FORMAT = 'tacho-rig/card-memory';

const hex = z.string().regex(/^([0-9a-f]{2})*$/);
const fileSchema = z.strictObject({
  format: z.literal(CARD_MEMORY_FORMAT),
  version: z.literal(1),
  card: z.string(),
  pinTriesLeft: z.number().int().min(0).nullable(),
  currentAuthenticatedTime: z.number().int(),
  failingWrites: z.boolean().optional(),
  files: z.record(z.string().regex(/^(mf|tachograph|tachograph-g2)\/[0-9A-F]{4}$/), z.strictObject({ data: hex, check: z.string().regex(/^[0-9a-f]{16}$/) })),
});

export function efCheck(dataHex: string): string {
  return createHash('sha256').update(Buffer.from(dataHex, 'hex')).digest('hex').slice(0, 16);
}

export function encodeCardMemory(memory: CardMemory): string {
  const files: Record<string, { data: string; check: string }> = {};
  for (const key of Object.keys(memory.files).sort()) {
    const data = memory.files[key]!;
    // an EF loaded as damaged keeps its wrong check: writing the file back does not repair it
    files[key] = { data, check: memory.damaged?.[key] ?? efCheck(data) };
  }
  const document = {
    format: CARD_MEMORY_FORMAT,
    version: 1,
    card: memory.card,
    pinTriesLeft: memory.pinTriesLeft,
    currentAuthenticatedTime: memory.currentAuthenticatedTime,
    ...(memory.failingWrites === undefined ? {} : { failingWrites: memory.failingWrites }),
    files,
  };
  return `${JSON.stringify(document, null, 1)}\n`;
}

/** The memory in `file`, or undefined when there is none yet. A file that is not a card memory, or another card's, is an error naming it. */
export function readCardMemoryFile(file: string, card: string): CardMemory | undefined {
  const doc = readJsonStateFile(file, fileSchema, 'card memory file');
  if (!doc) return undefined;
  if (doc.card !== card) throw new Error(`card memory file ${file} belongs to card ${doc.card}, not ${card}`);
  const files: Record<string, string> = {};
  const damaged: Record<string, string> = {};
  for (const [key, ef] of Object.entries(doc.files)) {
    files[key] = ef.data;
    if (efCheck(ef.data) !== ef.check) damaged[key] = ef.check;
  }
  return {
    version: 1,
    card: doc.card,
    files,
    pinTriesLeft: doc.pinTriesLeft,
    currentAuthenticatedTime: doc.currentAuthenticatedTime,
    ...(doc.failingWrites === undefined ? {} : { failingWrites: doc.failingWrites }),
    ...(Object.keys(damaged).length > 0 ? { damaged } : {}),
  };
}

/** Writes the memory atomically: a whole new file or the old one. */
export function writeCardMemoryFile(file: string, memory: CardMemory): void {
  writeFileAtomically(file, encodeCardMemory(memory));
}
