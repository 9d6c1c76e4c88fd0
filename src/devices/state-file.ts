import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';

/**
 * What a device keeps between runs in a JSON file of its own (a sensor's pairing, an EGF's coupling, a card's
 * memory, a terminal's unsent records, a seal's outbox): read against its schema, written atomically. The VU's
 * data memory has a format of its own (data-memory/persistence.ts).
 */

/**
 * The file's content as `schema` reads it, or undefined when there is no file yet. A file that is not JSON, or
 * not what the schema says, is an error naming `what` and the file: a bench must not go on with a device that
 * silently forgot its state.
 */
export function readJsonStateFile<S extends z.ZodType>(file: string, schema: S, what: string): z.output<S> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} ${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${what} ${file} is not one: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * Writes `text` so that the file is either the whole new text or the old file, never half of one: to a
 * temporary file beside it (named for this process, so two processes never share one), flushed, then renamed
 * over it. A crash before the rename leaves the old file and a stray temporary file, which nothing reads.
 */
export function writeFileAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
