import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { canonicalJson, type JsonValue } from './canonical-json.ts';

/**
 * A VU's whole data memory on disk, so an emulated VU survives a restart as a real one survives a power cut
 * (Annex IC 91). The memory is any JSON-able value (the event store and whatever else the VU keeps).
 *
 * File layout: one header line, then the memory as canonical JSON (canonical-json.ts):
 *   {"bytes":<body length in bytes>,"format":"tacho-rig/vu-data-memory","sha256":"<hex of body>","version":1}\n
 *   <body>
 * The same memory always gives the same bytes, so "survives a restart byte for byte" is a file comparison.
 * The header's length tells a truncated file from a corrupt one, and its SHA-256 catches changed bytes.
 *
 * Writes are atomic: the bytes go to a temporary file in the same directory, are flushed to the device,
 * and only then renamed over the old file (then the directory is flushed, so the rename itself is durable).
 * A crash before the rename leaves the old file whole and a stale temporary file, which loading ignores and
 * the next save replaces.
 */

export const DATA_MEMORY_FORMAT = 'tacho-rig/vu-data-memory';
export const DATA_MEMORY_VERSION = 1;

export type DataMemoryFileProblem = 'missing' | 'unreadable' | 'truncated' | 'corrupt' | 'unsupported-version';

/** Why a data memory file could not be loaded. The caller decides what to do (e.g. start empty if missing). */
export class DataMemoryFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: DataMemoryFileProblem,
    readonly detail: string,
  ) {
    super(`VU data memory file ${file}: ${problem}: ${detail}`);
    this.name = 'DataMemoryFileError';
  }
}

/** The file's bytes for a memory. Throws, naming the path inside the memory, for anything not JSON. */
export function encodeDataMemory(memory: unknown): Buffer {
  const body = Buffer.from(`${canonicalJson(memory, 'memory')}\n`, 'utf8');
  const header = canonicalHeader(body.length, sha256(body));
  return Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), body]);
}

/** The memory in a file's bytes; `file` names it in errors. */
export function decodeDataMemory(bytes: Uint8Array, file: string): JsonValue {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (problem: DataMemoryFileProblem, detail: string) => new DataMemoryFileError(file, problem, detail);
  if (data.length === 0) throw fail('truncated', 'the file is empty (0 bytes)');

  const newline = data.indexOf(0x0a);
  if (newline < 0) {
    const start = `{"bytes":`;
    const prefix = data.subarray(0, Math.min(data.length, start.length)).toString('utf8');
    if (start.startsWith(prefix)) throw fail('truncated', `the header line ends after ${data.length} bytes, with no newline`);
    throw fail('corrupt', 'no header line: not a VU data memory file');
  }
  let header: unknown;
  try {
    header = JSON.parse(data.subarray(0, newline).toString('utf8'));
  } catch (error) {
    throw fail('corrupt', `the header line is not JSON (${(error as Error).message})`);
  }
  if (!isRecord(header) || header['format'] !== DATA_MEMORY_FORMAT) {
    throw fail('corrupt', `the header does not name the format ${DATA_MEMORY_FORMAT}: not a VU data memory file`);
  }
  if (header['version'] !== DATA_MEMORY_VERSION) {
    throw fail('unsupported-version', `format version ${JSON.stringify(header['version'])}; this rig reads version ${DATA_MEMORY_VERSION}`);
  }
  const declared = header['bytes'];
  const digest = header['sha256'];
  if (!Number.isSafeInteger(declared) || (declared as number) < 0 || typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) {
    throw fail('corrupt', 'the header has no valid "bytes" and "sha256"');
  }

  if (data.subarray(0, newline).toString('utf8') !== canonicalHeader(declared as number, digest)) {
    throw fail('corrupt', 'the header line is not in canonical form');
  }

  const body = data.subarray(newline + 1);
  if (body.length < (declared as number)) throw fail('truncated', `the memory has ${body.length} of its ${declared} bytes`);
  if (body.length > (declared as number)) throw fail('corrupt', `${body.length - (declared as number)} bytes follow the memory's declared end`);
  const actual = sha256(body);
  if (actual !== digest) throw fail('corrupt', `the memory's SHA-256 is ${actual}, the header says ${digest}`);

  const text = body.toString('utf8');
  let memory: JsonValue;
  try {
    memory = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw fail('corrupt', `the memory is not JSON (${(error as Error).message})`);
  }
  // only canonical bytes load, so a load and a save give back the very same file
  if (`${canonicalJson(memory, 'memory')}\n` !== text) throw fail('corrupt', 'the memory is not in canonical form');
  return memory;
}

/** Saves atomically: on return the file holds the new memory; on a crash, the old one or the new one. */
export async function saveDataMemory(file: string, memory: unknown): Promise<void> {
  const staged = await stageDataMemory(file, memory);
  await commitStagedDataMemory(staged, file);
}

/** Loads; throws DataMemoryFileError for a missing, unreadable, truncated, corrupt or newer file. */
export async function loadDataMemory(file: string): Promise<JsonValue> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataMemoryFileError(file, 'missing', 'no such file');
    throw new DataMemoryFileError(file, 'unreadable', (error as Error).message);
  }
  return decodeDataMemory(bytes, file);
}

/** The temporary file a save of `file` writes first: hidden, beside it, one per process. */
export function stagingPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

/** First half of a save: writes and flushes the temporary file, and returns its path. The old file is untouched. */
export async function stageDataMemory(file: string, memory: unknown): Promise<string> {
  const bytes = encodeDataMemory(memory);
  const staged = stagingPathFor(file);
  try {
    const handle = await open(staged, 'w', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(staged).catch(() => undefined);
    throw new Error(`VU data memory file ${file}: cannot write ${staged}: ${(error as Error).message}`, { cause: error });
  }
  return staged;
}

/** Second half of a save: renames the temporary file over `file` and flushes the directory entry. */
export async function commitStagedDataMemory(staged: string, file: string): Promise<void> {
  try {
    await rename(staged, file);
  } catch (error) {
    throw new Error(`VU data memory file ${file}: cannot rename ${staged} over it: ${(error as Error).message}`, { cause: error });
  }
  await syncDirectory(dirname(file));
}

async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for flushing; there the rename is as durable as the file system makes it
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function canonicalHeader(bytes: number, digest: string): string {
  // keys in code-unit order, like the body; one line
  return JSON.stringify({ bytes, format: DATA_MEMORY_FORMAT, sha256: digest, version: DATA_MEMORY_VERSION });
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The same save, synchronous: for the last save of a VU that is being stopped, where nothing can be awaited
 * (an XState actor's cleanup), and for saves the VU's own timeline must not run ahead of.
 */
export function saveDataMemorySync(file: string, memory: unknown): void {
  const bytes = encodeDataMemory(memory);
  const staged = stagingPathFor(file);
  try {
    const fd = openSync(staged, 'w', 0o644);
    try {
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(staged, file);
  } catch (error) {
    try {
      unlinkSync(staged);
    } catch {
      // nothing staged
    }
    throw new Error(`VU data memory file ${file}: cannot save: ${(error as Error).message}`, { cause: error });
  }
  if (process.platform !== 'win32') {
    const dir = openSync(dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}

/** Loads synchronously (a VU restoring its memory as it starts); errors as {@link loadDataMemory}. */
export function loadDataMemorySync(file: string): JsonValue {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataMemoryFileError(file, 'missing', 'no such file');
    throw new DataMemoryFileError(file, 'unreadable', (error as Error).message);
  }
  return decodeDataMemory(bytes, file);
}
