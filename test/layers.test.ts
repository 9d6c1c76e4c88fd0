import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Layers point one way (scenarios → harness → devices → protocols → crypto): the file formats and codecs
 * (src/protocols, with App. 1's data dictionary in src/protocols/app1) and the crypto below them never lean
 * on an emulator's or the harness's internals, tests included, so a decoder reads a file no emulator made.
 */
const SRC = resolve(import.meta.dirname, '../src');
const LAYERS = ['crypto', 'protocols', 'devices', 'harness', 'scenarios'] as const;
type Layer = (typeof LAYERS)[number];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function layerOf(file: string): Layer | undefined {
  const top = relative(SRC, file).split('/')[0];
  return LAYERS.find((l) => l === top);
}

/** Each relative import of `file` that reaches a layer above its own. */
export function upwardImports(file: string, source: string): string[] {
  const own = layerOf(file);
  if (!own) return [];
  const specs = [...source.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.filter((spec) => {
    const target = layerOf(resolve(dirname(file), spec));
    return target !== undefined && LAYERS.indexOf(target) > LAYERS.indexOf(own);
  });
}

describe('layers', () => {
  it('finds an upward import (positive control)', () => {
    const file = join(SRC, 'protocols/app7-records/trep.ts');
    expect(upwardImports(file, "import { x } from '../../devices/cards/card.ts';\nimport { y } from '../app1/app1-codec.ts';")).toEqual([
      '../../devices/cards/card.ts',
    ]);
    expect(upwardImports(join(SRC, 'crypto/pki/ec-keys.ts'), "import type { Rng } from '../../harness/random.ts';")).toEqual(['../../harness/random.ts']);
  });

  for (const layer of ['crypto', 'protocols'] as const) {
    it(`nothing under src/${layer} imports a layer above it`, () => {
      const offenders = filesUnder(join(SRC, layer)).flatMap((f) =>
        upwardImports(f, readFileSync(f, 'utf8')).map((spec) => `${relative(SRC, f)} → ${spec}`),
      );
      expect(offenders).toEqual([]);
    });
  }
});
