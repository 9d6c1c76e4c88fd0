import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonStateFile, writeFileAtomically } from './state-file.ts';

const schema = z.strictObject({ v: z.literal(1), n: z.int() });

describe('a device state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rig-state-file-'));

  it('is undefined before the first write, then reads back what was written, leaving no temporary file', () => {
    const file = join(dir, 'sub', 'state.json');
    expect(readJsonStateFile(file, schema, 'the test state')).toBeUndefined();
    writeFileAtomically(file, JSON.stringify({ v: 1, n: 7 }));
    writeFileAtomically(file, JSON.stringify({ v: 1, n: 8 }));
    expect(readJsonStateFile(file, schema, 'the test state')).toEqual({ v: 1, n: 8 });
    expect(readdirSync(join(dir, 'sub'))).toEqual(['state.json']);
  });

  it('names the file and what is wrong: not JSON, or not what the schema says', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"v": 1,');
    expect(() => readJsonStateFile(broken, schema, 'the test state')).toThrow(new RegExp(`^the test state ${broken} is not JSON: `));
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"v": 2, "n": "x"}');
    expect(() => readJsonStateFile(other, schema, 'the test state')).toThrow(`the test state ${other} is not one: v: Invalid input: expected 1; n: Invalid input: expected number, received string`);
    expect(readFileSync(other, 'utf8')).toBe('{"v": 2, "n": "x"}'); // read, never repaired
  });
});
