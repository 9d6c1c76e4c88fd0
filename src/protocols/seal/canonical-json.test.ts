import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonical JSON (RFC 8785)', () => {
  it("writes RFC 8785's sample (section 3.2.2) exactly: members sorted, numbers and strings in ECMAScript form", () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts member names by UTF-16 code units (RFC 8785 section 3.2.3 sample)', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('is the same for the same content in any member order, leaves out undefined members, and writes -0 as 0', () => {
    expect(canonicalJson({ b: [1, { y: 2, x: -0 }], a: 'x', c: undefined })).toBe('{"a":"x","b":[1,{"x":0,"y":2}]}');
    expect(canonicalJson({ a: 'x', b: [1, { x: 0, y: 2 }] })).toBe(canonicalJson({ b: [1, { y: 2, x: 0 }], a: 'x' }));
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow('NaN has no JSON form');
    expect(() => canonicalJson({ a: 1n })).toThrow('a bigint has no JSON form');
  });
});
