import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from './json-schemas.ts';

describe('committed JSON Schemas', () => {
  it('match the zod schemas (run `npx rig schema` after changing a file format)', async () => {
    for (const [name, content] of Object.entries(jsonSchemas())) {
      expect(await readFile(`schemas/${name}`, 'utf8'), name).toBe(content);
    }
  });

  it('describe the fields an editor completes', () => {
    const scenario = JSON.parse(jsonSchemas()['scenario.schema.json']);
    expect(Object.keys(scenario.properties)).toEqual(['id', 'title', 'description', 'tags', 'covers', 'requires', 'start', 'seed', 'steps', 'expect']);
    const rig = JSON.parse(jsonSchemas()['rig.schema.json']);
    expect(Object.keys(rig.properties)).toEqual(expect.arrayContaining(['clock', 'seed', 'broker', 'devices', 'links']));
  });
});
