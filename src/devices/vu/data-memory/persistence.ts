import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { canonicalJson, type JsonValue } from './canonical-json.ts';

/**
 * A VU's whole data memory on disk, so an emulated VU survives a restart as a real one survives a power cut
 * (Annex IC 91), with its stored user data protected for integrity (the 'stored user data integrity error'
 * 0x15 of Annex IC 85 / App. 10 needs a check that can fail). The memory is an object of named parts (the
 * event store, the card slots, the clock, ...), each any JSON-able value.
 *
 * File layout (version 2): one header line, then each part as a header line and its canonical JSON:
 *   {"format":"tacho-rig/vu-data-memory","mac":"<hex>","parts":["clock","events",...],"version":2}\n
 *   {"bytes":<body length in bytes>,"mac":"<hex>","part":"clock"}\n
 *   <body: canonical JSON (canonical-json.ts) and "\n">
 *   {"bytes":...,"part":"events"}\n
 *   ...
 * Parts come in code-unit order of their names, so the same memory always gives the same bytes ("survives a
 * restart byte for byte" is a file comparison). Each MAC is HMAC-SHA-256 under the VU's storage key
 * (vu-storage-key.ts): the header's over its list of parts, a part's over its name and body. A changed byte
 * fails the check of the one part it is in, and a part written by another VU (another key) fails too.
 *
 * Reading keeps what is intact: a part that fails its check (changed, truncated, cut short by lost bytes,
 * missing, duplicated, not listed in a verified header) is left out and reported as damaged; the others load.
 * Lost or added bytes do not spoil the parts after them: a part's header line is the only line of the file
 * that starts with `{"` (a body's lines start with an indent, a bracket or a scalar), so reading finds each
 * part by its header line, not by counting bytes from the start. A damaged file header (its list or MAC) is
 * reported too; the parts that verify still load. What is refused outright, as not a data memory at all: a
 * file without a first line naming the format (empty, no newline, not JSON, another format) and another
 * format version.
 *
 * Writes are atomic: the bytes go to a temporary file in the same directory, are flushed to the device,
 * and only then renamed over the old file (then the directory is flushed, so the rename itself is durable).
 * A crash before the rename leaves the old file whole and a stale temporary file, which loading ignores; the
 * VU removes such files as it starts (removeStaleStagingFilesSync), and checks that it can write beside its
 * file at all (checkDataMemoryWritableSync), so a path it cannot save to is said at start, not after a run.
 */

export const DATA_MEMORY_FORMAT = 'tacho-rig/vu-data-memory';
export const DATA_MEMORY_VERSION = 2;

/** What keeps a file from being read as a data memory at all (a damaged part is not one of them). */
export type DataMemoryFileProblem = 'missing' | 'unreadable' | 'truncated' | 'corrupt' | 'unsupported-version' | 'unwritable';

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

/** The name a damaged file header is reported under. */
export const FILE_HEADER = '(header)';

/** A part left out of a loaded memory, and why. */
export interface DamagedPart {
  /** The part's name; FILE_HEADER for the file's header; `(line N)` for a part whose name cannot be read. */
  part: string;
  problem: string;
}

export interface LoadedDataMemory {
  /** The parts that passed their checks. */
  memory: { [part: string]: JsonValue };
  /** What failed, in file order; empty for an intact file. */
  damaged: DamagedPart[];
}

/** The MAC key: HMAC-SHA-256 takes any length; the VU's is 32 bytes. */
export type DataMemoryKey = Uint8Array;

/** The file's bytes for a memory (an object of parts). Throws, naming the path inside the memory, for anything not JSON. */
export function encodeDataMemory(memory: unknown, key: DataMemoryKey): Buffer {
  if (!isRecord(memory)) throw new Error('memory is not an object of named parts');
  const parts = Object.keys(memory).sort(byCodeUnits);
  const chunks = [Buffer.from(`${fileHeaderLine(parts, mac(key, fileHeaderMacInput(parts)))}\n`, 'utf8')];
  for (const part of parts) {
    const body = Buffer.from(`${canonicalJson(memory[part], `memory.${part}`)}\n`, 'utf8');
    chunks.push(Buffer.from(`${partHeaderLine(body.length, mac(key, partMacInput(part, body)), part)}\n`, 'utf8'), body);
  }
  return Buffer.concat(chunks);
}

/** The memory in a file's bytes, without the parts that fail their checks; `file` names it in errors. */
export function decodeDataMemory(bytes: Uint8Array, file: string, key: DataMemoryKey): LoadedDataMemory {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (problem: DataMemoryFileProblem, detail: string) => new DataMemoryFileError(file, problem, detail);
  if (data.length === 0) throw fail('truncated', 'the file is empty (0 bytes)');

  const newline = data.indexOf(0x0a);
  if (newline < 0) {
    const start = `{"format":`;
    const prefix = data.subarray(0, Math.min(data.length, start.length)).toString('utf8');
    if (start.startsWith(prefix)) throw fail('truncated', `the header line ends after ${data.length} bytes, with no newline`);
    throw fail('corrupt', 'no header line: not a VU data memory file');
  }
  const headerText = data.subarray(0, newline).toString('utf8');
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch (error) {
    throw fail('corrupt', `the header line is not JSON (${(error as Error).message}): not a VU data memory file`);
  }
  if (!isRecord(header) || header['format'] !== DATA_MEMORY_FORMAT) {
    throw fail('corrupt', `the header does not name the format ${DATA_MEMORY_FORMAT}: not a VU data memory file`);
  }
  if (header['version'] !== DATA_MEMORY_VERSION) {
    throw fail('unsupported-version', `format version ${JSON.stringify(header['version'])}; this rig reads version ${DATA_MEMORY_VERSION}`);
  }

  // From here on the file is a data memory: what fails is reported, and the rest is kept.
  const damaged: DamagedPart[] = [];
  const listed = verifiedPartList(header, headerText, key, (problem) => damaged.push({ part: FILE_HEADER, problem }));
  const { sections, stray } = splitSections(data, newline + 1);
  if (stray > 0) damaged.push({ part: '(before the first part)', problem: `${stray} bytes that belong to no part` });

  const found = new Map<string, JsonValue>();
  const seen = new Map<string, number>();
  for (const section of sections) {
    const read = readSection(section, key);
    const name = read.part ?? `(line ${section.line})`;
    seen.set(name, (seen.get(name) ?? 0) + 1);
    if ('problem' in read) damaged.push({ part: name, problem: read.problem });
    else found.set(name, read.value);
  }
  for (const [name, count] of seen) {
    if (count > 1 && found.delete(name)) damaged.push({ part: name, problem: `appears ${count} times` });
  }
  if (listed) {
    for (const name of [...found.keys()]) {
      if (!listed.includes(name)) {
        found.delete(name);
        damaged.push({ part: name, problem: 'not listed in the header' });
      }
    }
    for (const name of listed) if (!seen.has(name)) damaged.push({ part: name, problem: 'missing' });
  }
  const memory: { [part: string]: JsonValue } = {};
  for (const name of [...found.keys()].sort(byCodeUnits)) memory[name] = found.get(name)!;
  return { memory, damaged };
}

/** The header's list of parts if the header is whole and its MAC verifies; otherwise null, after saying why. */
function verifiedPartList(header: Record<string, unknown>, text: string, key: DataMemoryKey, report: (problem: string) => void): string[] | null {
  const parts = header['parts'];
  const digest = header['mac'];
  if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string') || new Set(parts).size !== parts.length || typeof digest !== 'string') {
    report('the header has no valid "parts" and "mac"');
    return null;
  }
  if (text !== fileHeaderLine(parts, digest)) {
    report('the header line is not in canonical form');
    return null;
  }
  if (!macMatches(key, fileHeaderMacInput(parts), digest)) {
    report('the header fails its MAC check (changed, or written under another VU key)');
    return null;
  }
  return parts;
}

interface Section {
  /** 1-based line number of the part's header line. */
  line: number;
  headerLine: Buffer;
  body: Buffer;
}

/** Cuts the bytes after the file header into parts at each line that starts with `{"`. */
function splitSections(data: Buffer, from: number): { sections: Section[]; stray: number } {
  const sections: Section[] = [];
  let stray = 0;
  let open: { line: number; headerLine: Buffer; bodyStart: number } | null = null;
  let line = 2;
  for (let pos = from; pos < data.length; line++) {
    const end = data.indexOf(0x0a, pos);
    const next = end < 0 ? data.length : end + 1;
    if (data[pos] === 0x7b && data[pos + 1] === 0x22) {
      if (open) sections.push({ line: open.line, headerLine: open.headerLine, body: data.subarray(open.bodyStart, pos) });
      open = { line, headerLine: data.subarray(pos, end < 0 ? data.length : end), bodyStart: next };
    } else if (!open) stray += next - pos;
    pos = next;
  }
  if (open) sections.push({ line: open.line, headerLine: open.headerLine, body: data.subarray(Math.min(open.bodyStart, data.length)) });
  return { sections, stray };
}

function readSection(section: Section, key: DataMemoryKey): { part?: string; value: JsonValue } | { part?: string; problem: string } {
  let header: unknown;
  try {
    header = JSON.parse(section.headerLine.toString('utf8'));
  } catch {
    return { problem: 'its header line is not JSON' };
  }
  if (!isRecord(header)) return { problem: 'its header line is not an object' };
  const part = typeof header['part'] === 'string' ? header['part'] : undefined;
  const declared = header['bytes'];
  const digest = header['mac'];
  if (part === undefined || !Number.isSafeInteger(declared) || (declared as number) < 0 || typeof digest !== 'string') {
    return { part, problem: 'its header has no valid "bytes", "mac" and "part"' };
  }
  if (section.headerLine.toString('utf8') !== partHeaderLine(declared as number, digest, part)) return { part, problem: 'its header line is not in canonical form' };
  const length = section.body.length;
  if (length < (declared as number)) return { part, problem: `truncated: ${length} of its ${declared} bytes` };
  if (length > (declared as number)) return { part, problem: `${length - (declared as number)} bytes more than its declared ${declared}` };
  if (!macMatches(key, partMacInput(part, section.body), digest)) return { part, problem: 'fails its MAC check (changed, or written under another VU key)' };
  try {
    return { part, value: JSON.parse(section.body.toString('utf8')) as JsonValue };
  } catch (error) {
    return { part, problem: `not JSON (${(error as Error).message})` };
  }
}

// keys in code-unit order, like the bodies; one line each
function fileHeaderLine(parts: readonly string[], digest: string): string {
  return JSON.stringify({ format: DATA_MEMORY_FORMAT, mac: digest, parts, version: DATA_MEMORY_VERSION });
}

function partHeaderLine(bytes: number, digest: string, part: string): string {
  return JSON.stringify({ bytes, mac: digest, part });
}

function fileHeaderMacInput(parts: readonly string[]): Buffer {
  return Buffer.from(`${DATA_MEMORY_FORMAT}/${DATA_MEMORY_VERSION} header\n${JSON.stringify(parts)}`, 'utf8');
}

function partMacInput(part: string, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${DATA_MEMORY_FORMAT}/${DATA_MEMORY_VERSION} part ${JSON.stringify(part)}\n`, 'utf8'), body]);
}

function mac(key: DataMemoryKey, input: Uint8Array): string {
  return createHmac('sha256', key).update(input).digest('hex');
}

function macMatches(key: DataMemoryKey, input: Uint8Array, digest: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(digest)) return false;
  return timingSafeEqual(Buffer.from(mac(key, input), 'hex'), Buffer.from(digest, 'hex'));
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Saves atomically: on return the file holds the new memory; on a crash, the old one or the new one. */
export async function saveDataMemory(file: string, memory: unknown, key: DataMemoryKey): Promise<void> {
  const staged = await stageDataMemory(file, memory, key);
  await commitStagedDataMemory(staged, file);
}

/** Loads; throws DataMemoryFileError for a missing or unreadable file or one that is not a data memory of this version. */
export async function loadDataMemory(file: string, key: DataMemoryKey): Promise<LoadedDataMemory> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataMemoryFileError(file, 'missing', 'no such file');
    throw new DataMemoryFileError(file, 'unreadable', (error as Error).message);
  }
  return decodeDataMemory(bytes, file, key);
}

/** The temporary file a save of `file` writes first: hidden, beside it, one per process. */
export function stagingPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

/**
 * Removes the temporary files that saves of `file` left when their process died before the rename (a kill
 * mid-write): `.<name>.<pid>.tmp` beside it, of this process or of one no longer running. Another running
 * process's may be a save under way, and is left alone; other files are never touched. Returns the paths removed.
 */
export function removeStaleStagingFilesSync(file: string): string[] {
  const dir = dirname(file);
  const prefix = `.${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no directory to clean: checkDataMemoryWritableSync says why
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = name.slice(prefix.length, -'.tmp'.length);
    if (!/^[1-9]\d*$/.test(pid)) continue;
    // this process saves synchronously: none of its saves is under way while a VU starts
    if (Number(pid) !== process.pid && processRuns(Number(pid))) continue;
    const path = join(dir, name);
    try {
      unlinkSync(path);
      removed.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new DataMemoryFileError(file, 'unwritable', `cannot remove the stale temporary file ${path}: ${(error as Error).message}`);
    }
  }
  return removed;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // it exists, under another user
  }
}

/**
 * Throws DataMemoryFileError 'unwritable', naming the path, unless a save of `file` could go through: a save
 * creates its temporary file beside the file and renames it over the file, so the directory must exist and
 * take new files (the file's own permissions do not matter to a rename). Tried for real: created and removed.
 */
export function checkDataMemoryWritableSync(file: string): void {
  const staged = stagingPathFor(file);
  try {
    closeSync(openSync(staged, 'w', 0o644));
    unlinkSync(staged);
  } catch (error) {
    throw new DataMemoryFileError(file, 'unwritable', `the VU could not save its data memory: cannot create a file in ${dirname(file)} (${(error as Error).message})`);
  }
}

/** First half of a save: writes and flushes the temporary file, and returns its path. The old file is untouched. */
export async function stageDataMemory(file: string, memory: unknown, key: DataMemoryKey): Promise<string> {
  const bytes = encodeDataMemory(memory, key);
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

/**
 * The same save, synchronous: for the last save of a VU that is being stopped, where nothing can be awaited
 * (an XState actor's cleanup), and for saves the VU's own timeline must not run ahead of.
 */
export function saveDataMemorySync(file: string, memory: unknown, key: DataMemoryKey): void {
  const bytes = encodeDataMemory(memory, key);
  writeDataMemoryBytesSync(file, bytes);
}

/** Writes already encoded bytes atomically (stage, flush, rename, flush the directory). */
export function writeDataMemoryBytesSync(file: string, bytes: Uint8Array): void {
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

/** The file's bytes, synchronously; errors as {@link loadDataMemory} for a missing or unreadable file. */
export function readDataMemoryBytesSync(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataMemoryFileError(file, 'missing', 'no such file');
    throw new DataMemoryFileError(file, 'unreadable', (error as Error).message);
  }
}

/** Loads synchronously (a VU restoring its memory as it starts); errors as {@link loadDataMemory}. */
export function loadDataMemorySync(file: string, key: DataMemoryKey): LoadedDataMemory {
  return decodeDataMemory(readDataMemoryBytesSync(file), file, key);
}
