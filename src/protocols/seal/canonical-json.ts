/**
 * The canonical form of a JSON document, the bytes a seal's or an operator's authenticator covers
 * (rig-defined, after RFC 8785, the JSON Canonicalization Scheme):
 *   - no whitespace between tokens;
 *   - object members sorted by name, comparing the names as sequences of UTF-16 code units (RFC 8785 3.2.3),
 *     which is what JavaScript's default string sort does; members whose value is `undefined` are left out
 *     (JSON cannot carry them: the receiver never sees them);
 *   - strings as ECMAScript's JSON.stringify writes them (RFC 8785 3.2.2.2 is that rule);
 *   - numbers as ECMAScript's Number.prototype.toString writes them (RFC 8785 3.2.2.3), so -0 is `0`;
 *     NaN and the infinities have no JSON form and are refused;
 *   - arrays in their order; the result is encoded as UTF-8.
 * Documents here are shallow (the wire format refuses nesting deeper than 16 before it parses), so a
 * recursive walk cannot exhaust the stack on anything that passed the wire format.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`a ${typeof value} has no JSON form`);
}
