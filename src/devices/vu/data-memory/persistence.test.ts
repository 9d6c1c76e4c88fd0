import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_CARDS } from '../../../protocols/app1/slot-cards.ts';
import { beginSpan, createEventMemory, recordInstant } from './event-store.ts';
import { damagePart } from './damage.ts';
import {
  DataMemoryFileError,
  decodeDataMemory,
  encodeDataMemory,
  FILE_HEADER,
  loadDataMemory,
  saveDataMemory,
  checkDataMemoryWritableSync,
  removeStaleStagingFilesSync,
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

/** A VU's storage key, and another VU's. */
const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);

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
  it('writes a header listing the parts with its MAC, then each part with its length, MAC and canonical JSON', () => {
    const bytes = encodeDataMemory({ vu: { b: [1, 'x'], a: null }, events: { nextId: 1 } }, KEY);
    // HMAC-SHA-256 values checked independently (Python's hmac over the same inputs)
    expect(bytes.toString('utf8')).toBe(
      '{"format":"tacho-rig/vu-data-memory","mac":"15057ec3a2e054ef35ca82b1e0bea64b477309ae7b8e97323a9ce8486fa4539a","parts":["events","vu"],"version":2}\n' +
        '{"bytes":18,"mac":"da7216abdf3416dd3a5511efdf73da188b4f7dc5b6efe33f8580708e516be397","part":"events"}\n' +
        '{\n  "nextId": 1\n}\n' +
        '{"bytes":45,"mac":"49bc7c3630db9947e014e21ac3de8df0c40af2359cf56fdce88cdfc4ce940d6c","part":"vu"}\n' +
        '{\n  "a": null,\n  "b": [\n    1,\n    "x"\n  ]\n}\n',
    );
  });

  it('gives the same bytes whatever order the keys were set in', () => {
    const a = encodeDataMemory({ z: 1, a: { y: [true], b: 'q' }, 10: 'ten', 9: 'nine' }, KEY);
    const b = encodeDataMemory({ 9: 'nine', a: { b: 'q', y: [true] }, 10: 'ten', z: 1 }, KEY);
    expect(a.equals(b)).toBe(true);
    expect(JSON.parse(a.toString('utf8').split('\n')[0]!).parts).toEqual(['10', '9', 'a', 'z']);
  });

  it('decodes what it encodes, with nothing damaged', () => {
    const memory = vuMemory();
    expect(decodeDataMemory(encodeDataMemory(memory, KEY), 'm.json', KEY)).toEqual({ memory, damaged: [] });
  });

  it('refuses what JSON cannot carry faithfully, naming where it is, and a memory that is not an object of parts', () => {
    expect(() => encodeDataMemory({ events: { records: [{ end: undefined }] } }, KEY)).toThrow('memory.events.records[0].end is undefined: not JSON');
    expect(() => encodeDataMemory({ drift: Number.NaN }, KEY)).toThrow('memory.drift is NaN: JSON has no such number');
    expect(() => encodeDataMemory({ seen: new Map() }, KEY)).toThrow('memory.seen is a Map: only plain objects are JSON');
    expect(() => encodeDataMemory({ key: new Uint8Array(2) }, KEY)).toThrow('memory.key is a Uint8Array: only plain objects are JSON');
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expect(() => encodeDataMemory({ part: loop }, KEY)).toThrow('memory.part.self refers back to itself: not JSON');
    expect(() => encodeDataMemory([1, 2], KEY)).toThrow('memory is not an object of named parts');
  });
});

describe('damage (pure): a part that fails its check is left out and named, the rest is kept', () => {
  const memory = { activities: { days: [1, 2, 3] }, clock: { anchorVu: 5 }, events: { nextId: 9, records: ['a', 'b'] }, places: [] as unknown[] };
  const whole = encodeDataMemory(memory, KEY);
  const text = whole.toString('utf8');
  const without = (...parts: string[]) => Object.fromEntries(Object.entries(memory).filter(([k]) => !parts.includes(k)));
  const decode = (bytes: Uint8Array | string) => decodeDataMemory(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, 'vu.dm', KEY);
  /** Where a part's body starts in the text. */
  const bodyOf = (part: string) => text.indexOf('\n', text.indexOf(`"part":"${part}"`)) + 1;

  it('finds one changed bit, in the part it is in', () => {
    expect(decode(damagePart(whole, 'events'))).toEqual({ memory: without('events'), damaged: [{ part: 'events', problem: 'fails its MAC check (changed, or written under another VU key)' }] });
    expect(decode(damagePart(whole, 'clock')).damaged.map((d) => d.part)).toEqual(['clock']);
    expect(() => damagePart(whole, 'nope')).toThrow("no part 'nope' in the data memory; it has: activities, clock, events, places");
  });

  it('keeps the parts after bytes lost from or added to one part', () => {
    const at = bodyOf('clock') + 4;
    expect(decode(text.slice(0, at) + text.slice(at + 3))).toEqual({ memory: without('clock'), damaged: [{ part: 'clock', problem: 'truncated: 17 of its 20 bytes' }] });
    expect(decode(`${text.slice(0, at)}xyz${text.slice(at)}`).damaged).toEqual([{ part: 'clock', problem: '3 bytes more than its declared 20' }]);
  });

  it('keeps the parts before the end of a file cut short, and names the ones it lost', () => {
    const cut = bodyOf('events') + 5;
    expect(decode(text.slice(0, cut))).toEqual({
      memory: without('events', 'places'),
      damaged: [
        { part: 'events', problem: 'truncated: 5 of its 55 bytes' },
        { part: 'places', problem: 'missing' },
      ],
    });
  });

  it('refuses a part written under another VU key, and a part that is missing, doubled or not listed', () => {
    const other = encodeDataMemory(memory, OTHER_KEY).toString('utf8');
    const section = (t: string, part: string) => t.slice(t.indexOf(`{"bytes"`, t.indexOf(`"part":"${part}"`) - 90), bodyOf(part) + JSON.stringify(memory[part as keyof typeof memory], null, 2).length + 1);
    const events = section(text, 'events');
    expect(decode(text.replace(events, section(other, 'events'))).damaged).toEqual([{ part: 'events', problem: 'fails its MAC check (changed, or written under another VU key)' }]);
    expect(decode(text.replace(events, '')).damaged).toEqual([{ part: 'events', problem: 'missing' }]);
    expect(decode(text.replace(events, events + events))).toEqual({ memory: without('events'), damaged: [{ part: 'events', problem: 'appears 2 times' }] });
    const extra = encodeDataMemory({ extra: 1 }, KEY).toString('utf8');
    expect(decode(text + extra.slice(extra.indexOf('\n') + 1))).toEqual({ memory, damaged: [{ part: 'extra', problem: 'not listed in the header' }] });
  });

  it('reports a damaged file header and still keeps every part that verifies', () => {
    const header = text.slice(0, text.indexOf('\n'));
    const rest = text.slice(text.indexOf('\n'));
    expect(decode(header.replace('"parts":["activities",', '"parts":[') + rest)).toEqual({
      memory,
      damaged: [{ part: FILE_HEADER, problem: 'the header fails its MAC check (changed, or written under another VU key)' }],
    });
    expect(decode(header.replace(/"mac":"[0-9a-f]+"/, '"mac":7') + rest).damaged).toEqual([{ part: FILE_HEADER, problem: 'the header has no valid "parts" and "mac"' }]);
    expect(decode(`${header}\nstray\n${rest.slice(1)}`)).toEqual({ memory, damaged: [{ part: '(before the first part)', problem: '6 bytes that belong to no part' }] });
  });

  it('names a part whose header line cannot be read by its line', () => {
    const at = text.lastIndexOf('{"bytes":', text.indexOf('"part":"clock"'));
    const line = text.slice(0, at).split('\n').length;
    expect(line).toBe(10);
    const broken = `${text.slice(0, at)}{"bytes:${text.slice(at + '{"bytes":'.length)}`;
    expect(decode(broken).damaged).toEqual([
      { part: `(line ${line})`, problem: 'its header line is not JSON' },
      { part: 'clock', problem: 'missing' },
    ]);
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
    await saveDataMemory(first, vuMemory(), KEY);
    const loaded = await loadDataMemory(first, KEY);
    expect(loaded).toEqual({ memory: vuMemory(), damaged: [] });
    await saveDataMemory(second, loaded.memory, KEY);
    const [a, b] = [await readFile(first), await readFile(second)];
    expect(a.equals(b)).toBe(true);
    // and saving over the same file leaves no temporary file behind
    await saveDataMemory(first, loaded.memory, KEY);
    expect((await readFile(first)).equals(a)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['vu-after-restart.memory', 'vu.memory']);
  });

  it('keeps the old file whole when a save dies between writing the temporary file and renaming it', async () => {
    const file = join(dir, 'vu.memory');
    await saveDataMemory(file, { generation: 1 }, KEY);
    const before = await readFile(file);
    // the first half of a save, then the "crash": no rename
    const staged = await stageDataMemory(file, { generation: 2, lots: 'x'.repeat(10_000) }, KEY);
    expect(staged).toBe(join(dir, `.vu.memory.${process.pid}.tmp`));
    expect(stagingPathFor(file)).toBe(staged);
    expect((await readFile(file)).equals(before)).toBe(true);
    expect((await loadDataMemory(file, KEY)).memory).toEqual({ generation: 1 });
    // a stale temporary file of another process is ignored too, and the next save goes through
    await writeFile(join(dir, '.vu.memory.99999.tmp'), 'half a memo');
    await saveDataMemory(file, { generation: 3 }, KEY);
    expect((await loadDataMemory(file, KEY)).memory).toEqual({ generation: 3 });
    expect((await readdir(dir)).sort()).toEqual(['.vu.memory.99999.tmp', 'vu.memory']);
  });

  it('says a missing file is missing, so the caller can choose to start empty', async () => {
    const file = join(dir, 'never-saved.memory');
    const error = await rejection(loadDataMemory(file, KEY));
    expect(error).toBeInstanceOf(DataMemoryFileError);
    expect([error.file, error.problem, error.message]).toEqual([file, 'missing', `VU data memory file ${file}: missing: no such file`]);
  });

  it('refuses a file that is not a data memory at all, saying why', async () => {
    const file = join(dir, 'vu.memory');
    const cases: [string, string, string][] = [
      ['', 'truncated', 'the file is empty (0 bytes)'],
      ['{"format":"tacho-rig/vu-da', 'truncated', 'the header line ends after 26 bytes, with no newline'],
      ['hello, world\n', 'corrupt', 'the header line is not JSON ('],
      ['{"format":"something-else","version":2}\n{}\n', 'corrupt', 'the header does not name the format tacho-rig/vu-data-memory: not a VU data memory file'],
      ['PK\u0003\u0004 no newline here', 'corrupt', 'no header line: not a VU data memory file'],
    ];
    for (const [content, problem, detail] of cases) {
      await writeFile(file, content);
      const error = await rejection(loadDataMemory(file, KEY));
      expect(error.problem).toBe(problem);
      expect(error.message).toContain(`VU data memory file ${file}: ${problem}: ${detail}`);
    }
  });

  it('refuses a file of another format version rather than misreading it', async () => {
    const file = join(dir, 'vu.memory');
    // version 1: one SHA-256 over the whole memory, no parts
    await writeFile(file, '{"bytes":3,"format":"tacho-rig/vu-data-memory","sha256":"00","version":1}\n{}\n');
    const error = await rejection(loadDataMemory(file, KEY));
    expect([error.problem, error.detail]).toEqual(['unsupported-version', 'format version 1; this rig reads version 2']);
  });

  it('says a file it cannot read is unreadable', async () => {
    const file = join(dir, 'a-directory');
    await mkdir(file);
    const error = await rejection(loadDataMemory(file, KEY));
    expect(error.problem).toBe('unreadable');
    expect(error.message).toContain(`VU data memory file ${file}: unreadable: EISDIR`);
  });

  it('fails a save into a missing directory with both paths named, and writes nothing for a non-JSON memory', async () => {
    const file = join(dir, 'no-such-dir', 'vu.memory');
    await expect(saveDataMemory(file, { a: 1 }, KEY)).rejects.toThrow(`VU data memory file ${file}: cannot write ${stagingPathFor(file)}: ENOENT`);
    await expect(saveDataMemory(join(dir, 'vu.memory'), { a: undefined }, KEY)).rejects.toThrow('memory.a is undefined: not JSON');
    expect(await readdir(dir)).toEqual([]);
  });

  it("removes the temporary files saves of the file left when their process died, and nothing else", async () => {
    const file = join(dir, 'vu.memory');
    await saveDataMemory(file, { generation: 1 }, KEY);
    // beyond any Linux pid_max (2^22): no such process can run
    const dead = 9_999_999;
    const left = [`.vu.memory.${dead}.tmp`, `.vu.memory.${process.pid}.tmp`];
    const kept = [
      `.vu.memory.${process.ppid}.tmp`, // a running process's: maybe a save under way
      `.other.memory.${dead}.tmp`, // another file's
      `.vu.memory.backup.tmp`, // not a save's
      'notes.txt',
    ];
    for (const name of [...left, ...kept]) await writeFile(join(dir, name), 'half a memo');
    expect(removeStaleStagingFilesSync(file).sort()).toEqual(left.map((name) => join(dir, name)).sort());
    expect((await readdir(dir)).sort()).toEqual([...kept, 'vu.memory'].sort());
    expect((await loadDataMemory(file, KEY)).memory).toEqual({ generation: 1 });
    expect(removeStaleStagingFilesSync(join(dir, 'no-such-dir', 'vu.memory'))).toEqual([]);
  });

  it('says a path the VU could not save to is unwritable, naming it; a writable one is left as it was', async () => {
    const file = join(dir, 'vu.memory');
    checkDataMemoryWritableSync(file);
    expect(await readdir(dir)).toEqual([]);
    const missing = join(dir, 'no-such-dir', 'vu.memory');
    expect(() => checkDataMemoryWritableSync(missing)).toThrow(
      `VU data memory file ${missing}: unwritable: the VU could not save its data memory: cannot create a file in ${join(dir, 'no-such-dir')} (ENOENT`,
    );
    await writeFile(join(dir, 'a-file'), 'x');
    const underFile = join(dir, 'a-file', 'vu.memory');
    let error: unknown;
    try {
      checkDataMemoryWritableSync(underFile);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataMemoryFileError);
    expect([(error as DataMemoryFileError).problem, (error as DataMemoryFileError).file]).toEqual(['unwritable', underFile]);
    expect((error as Error).message).toContain('ENOTDIR');
  });
});
