import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_CARDS } from './card-number.ts';
import { beginSpan, createEventMemory, recordInstant } from './event-store.ts';
import {
  DataMemoryFileError,
  decodeDataMemory,
  encodeDataMemory,
  loadDataMemory,
  saveDataMemory,
  stageDataMemory,
  stagingPathFor,
} from './persistence.ts';

const T = 1_767_258_000; // 2026-01-01T09:00:00Z

/** A VU memory as the VU would hold it: the event store beside other parts. */
function vuMemory() {
  let events = createEventMemory();
  events = recordInstant(events, {
    type: 0x0b,
    at: T,
    cards: { driver: { cardType: 'driver', issuingMemberState: 17, cardNumber: 'D0000012345678 1', generation: 2 }, codriver: null },
    data: { gnssTime: T - 95 },
  });
  events = beginSpan(events, { type: 0x08, at: T + 60, cards: NO_CARDS }).memory;
  return { clock: { anchorRig: 1_767_258_000_000, anchorVu: 1_767_258_095_000, driftPpm: -3.5 }, events, name: 'VU «Ü» 1' };
}

/** Catches what a promise rejects with, to look at more than its message. */
async function rejection(promise: Promise<unknown>): Promise<DataMemoryFileError> {
  try {
    await promise;
  } catch (error) {
    return error as DataMemoryFileError;
  }
  throw new Error('expected a rejection');
}

describe('encoding (pure)', () => {
  it('writes a header with length and SHA-256, then canonical JSON', () => {
    const bytes = encodeDataMemory({ vu: { b: [1, 'x'], a: null }, events: { nextId: 1 } });
    // digest checked independently with `sha256sum` over the body
    expect(bytes.toString('utf8')).toBe(
      '{"bytes":104,"format":"tacho-rig/vu-data-memory","sha256":"cfb04dfda68c76b19419d479ee1fa276179bf7ac73da9916ac79b722a72b64b8","version":1}\n' +
        '{\n  "events": {\n    "nextId": 1\n  },\n  "vu": {\n    "a": null,\n    "b": [\n      1,\n      "x"\n    ]\n  }\n}\n',
    );
  });

  it('gives the same bytes whatever order the keys were set in', () => {
    const a = encodeDataMemory({ z: 1, a: { y: [true], b: 'q' }, 10: 'ten', 9: 'nine' });
    const b = encodeDataMemory({ 9: 'nine', a: { b: 'q', y: [true] }, 10: 'ten', z: 1 });
    expect(a.equals(b)).toBe(true);
    expect(a.toString('utf8').split('\n').slice(1, 4)).toEqual(['{', '  "10": "ten",', '  "9": "nine",']);
  });

  it('decodes what it encodes', () => {
    const memory = vuMemory();
    expect(decodeDataMemory(encodeDataMemory(memory), 'm.json')).toEqual(memory);
  });

  it('refuses what JSON cannot carry faithfully, naming where it is', () => {
    expect(() => encodeDataMemory({ events: { records: [{ end: undefined }] } })).toThrow('memory.events.records[0].end is undefined: not JSON');
    expect(() => encodeDataMemory({ drift: Number.NaN })).toThrow('memory.drift is NaN: JSON has no such number');
    expect(() => encodeDataMemory({ seen: new Map() })).toThrow('memory.seen is a Map: only plain objects are JSON');
    expect(() => encodeDataMemory({ key: new Uint8Array(2) })).toThrow('memory.key is a Uint8Array: only plain objects are JSON');
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expect(() => encodeDataMemory(loop)).toThrow('memory.self refers back to itself: not JSON');
  });
});

describe('files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vu-data-memory-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('survives a restart byte for byte: save, load, save again gives the identical file', async () => {
    const first = join(dir, 'vu.memory');
    const second = join(dir, 'vu-after-restart.memory');
    await saveDataMemory(first, vuMemory());
    const loaded = await loadDataMemory(first);
    expect(loaded).toEqual(vuMemory());
    await saveDataMemory(second, loaded);
    const [a, b] = [await readFile(first), await readFile(second)];
    expect(a.equals(b)).toBe(true);
    // and saving over the same file leaves no temporary file behind
    await saveDataMemory(first, loaded);
    expect((await readFile(first)).equals(a)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['vu-after-restart.memory', 'vu.memory']);
  });

  it('keeps the old file whole when a save dies between writing the temporary file and renaming it', async () => {
    const file = join(dir, 'vu.memory');
    await saveDataMemory(file, { generation: 1 });
    const before = await readFile(file);
    // the first half of a save, then the "crash": no rename
    const staged = await stageDataMemory(file, { generation: 2, lots: 'x'.repeat(10_000) });
    expect(staged).toBe(join(dir, `.vu.memory.${process.pid}.tmp`));
    expect(stagingPathFor(file)).toBe(staged);
    expect((await readFile(file)).equals(before)).toBe(true);
    expect(await loadDataMemory(file)).toEqual({ generation: 1 });
    // a stale temporary file of another process is ignored too, and the next save goes through
    await writeFile(join(dir, '.vu.memory.99999.tmp'), 'half a memo');
    await saveDataMemory(file, { generation: 3 });
    expect(await loadDataMemory(file)).toEqual({ generation: 3 });
    expect((await readdir(dir)).sort()).toEqual(['.vu.memory.99999.tmp', 'vu.memory']);
  });

  it('says a missing file is missing, so the caller can choose to start empty', async () => {
    const file = join(dir, 'never-saved.memory');
    const error = await rejection(loadDataMemory(file));
    expect(error).toBeInstanceOf(DataMemoryFileError);
    expect([error.file, error.problem, error.message]).toEqual([file, 'missing', `VU data memory file ${file}: missing: no such file`]);
  });

  it('says a truncated file is truncated, and how much is there', async () => {
    const file = join(dir, 'vu.memory');
    await saveDataMemory(file, vuMemory());
    const whole = await readFile(file);
    const headerLength = whole.indexOf(0x0a) + 1;
    const body = whole.length - headerLength;

    const cases: [number, string][] = [
      [0, 'the file is empty (0 bytes)'],
      [30, 'the header line ends after 30 bytes, with no newline'],
      [headerLength + 100, `the memory has 100 of its ${body} bytes`],
      [whole.length - 1, `the memory has ${body - 1} of its ${body} bytes`],
    ];
    for (const [length, detail] of cases) {
      await writeFile(file, whole.subarray(0, length));
      const error = await rejection(loadDataMemory(file));
      expect([error.problem, error.message]).toEqual(['truncated', `VU data memory file ${file}: truncated: ${detail}`]);
    }
  });

  it('says a corrupt file is corrupt, and what is wrong with it', async () => {
    const file = join(dir, 'vu.memory');
    await saveDataMemory(file, { a: 1 });
    const whole = await readFile(file);
    const text = whole.toString('utf8');
    const [header, body] = [text.slice(0, text.indexOf('\n')), text.slice(text.indexOf('\n') + 1)];
    const flipped = Buffer.from(whole);
    flipped[flipped.length - 4] = 0x32; // "1" becomes "2" inside the body
    const { createHash } = await import('node:crypto');
    const reformatted = '{"a":1}\n';
    const reformattedHeader = JSON.stringify({
      bytes: reformatted.length,
      format: 'tacho-rig/vu-data-memory',
      sha256: createHash('sha256').update(reformatted).digest('hex'),
      version: 1,
    });

    const cases: [Buffer | string, string][] = [
      [flipped, `the memory's SHA-256 is `],
      ['hello, world\n', 'the header line is not JSON ('],
      ['{"bytes":1,"format":"something-else","version":1}\nx', 'the header does not name the format tacho-rig/vu-data-memory: not a VU data memory file'],
      ['PK\u0003\u0004 no newline here', 'no header line: not a VU data memory file'],
      [`${text}extra`, '5 bytes follow the memory\'s declared end'],
      [`${header.replace('"bytes":', '"bytes": ')}\n${body}`, 'the header line is not in canonical form'],
      [`${reformattedHeader}\n${reformatted}`, 'the memory is not in canonical form'],
      [`${header.replace(/"sha256":"[0-9a-f]+"/, '"sha256":"nope"')}\n${body}`, 'the header has no valid "bytes" and "sha256"'],
    ];
    for (const [content, detail] of cases) {
      await writeFile(file, content);
      const error = await rejection(loadDataMemory(file));
      expect(error.problem).toBe('corrupt');
      expect(error.message).toContain(`VU data memory file ${file}: corrupt: ${detail}`);
    }
  });

  it('refuses a file from a newer format version rather than misreading it', async () => {
    const file = join(dir, 'vu.memory');
    await writeFile(file, '{"bytes":3,"format":"tacho-rig/vu-data-memory","sha256":"00","version":2}\n{}\n');
    const error = await rejection(loadDataMemory(file));
    expect([error.problem, error.detail]).toEqual(['unsupported-version', 'format version 2; this rig reads version 1']);
  });

  it('says a file it cannot read is unreadable', async () => {
    const file = join(dir, 'a-directory');
    await mkdir(file);
    const error = await rejection(loadDataMemory(file));
    expect(error.problem).toBe('unreadable');
    expect(error.message).toContain(`VU data memory file ${file}: unreadable: EISDIR`);
  });

  it('fails a save into a missing directory with both paths named, and writes nothing for a non-JSON memory', async () => {
    const file = join(dir, 'no-such-dir', 'vu.memory');
    await expect(saveDataMemory(file, { a: 1 })).rejects.toThrow(`VU data memory file ${file}: cannot write ${stagingPathFor(file)}: ENOENT`);
    await expect(saveDataMemory(join(dir, 'vu.memory'), { a: undefined })).rejects.toThrow('memory.a is undefined: not JSON');
    expect(await readdir(dir)).toEqual([]);
  });
});
