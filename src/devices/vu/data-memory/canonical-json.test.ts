import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonical JSON', () => {
  it('sorts keys by code units at every depth and indents by two spaces', () => {
    expect(canonicalJson({ b: { d: [], c: {} }, B: 1, a: [null, false, 'é'] })).toBe(
      '{\n  "B": 1,\n  "a": [\n    null,\n    false,\n    "é"\n  ],\n  "b": {\n    "c": {},\n    "d": []\n  }\n}',
    );
  });

  it('spells numbers as JSON does, with -0 as 0', () => {
    expect(canonicalJson([0.1, -0, 1e21, 255, -3.5])).toBe('[\n  0.1,\n  0,\n  1e+21,\n  255,\n  -3.5\n]');
  });

  it('allows a value shared by two branches but not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{\n  "a": {\n    "x": 1\n  },\n  "b": {\n    "x": 1\n  }\n}');
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(() => canonicalJson(cycle)).toThrow('$[0] refers back to itself: not JSON');
  });

  it('refuses holes, functions, big integers and class instances', () => {
    expect(() => canonicalJson([1, , 3])).toThrow('$[1] is a hole in the array: not JSON');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('$.f is a function: not JSON');
    expect(() => canonicalJson({ n: 10n })).toThrow('$.n is a bigint: not JSON');
    expect(() => canonicalJson({ when: new Date(0) })).toThrow('$.when is a Date: only plain objects are JSON');
    expect(() => canonicalJson({ x: Infinity })).toThrow('$.x is Infinity: JSON has no such number');
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, number>;
    bare['k'] = 1;
    expect(canonicalJson(bare)).toBe('{\n  "k": 1\n}');
  });
});
