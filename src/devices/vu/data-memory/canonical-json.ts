/**
 * JSON with one spelling per value, so equal data gives equal bytes: object keys sorted by UTF-16 code
 * units (JSON.stringify would put integer-like keys first, in insertion order otherwise), two-space indent,
 * "\n" line ends. Anything JSON cannot carry faithfully is refused with its path rather than silently
 * dropped or changed (undefined, NaN, Infinity, functions, Dates, Maps, typed arrays, class instances, cycles).
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: unknown, root = '$'): string {
  return write(value, root, '', new Set());
}

function write(value: unknown, path: string, indent: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`${path} is ${value}: JSON has no such number`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new Error(`${path} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}: not JSON`);
  }
  const object = value as object;
  if (seen.has(object)) throw new Error(`${path} refers back to itself: not JSON`);
  const inner = `${indent}  `;
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      if (object.length === 0) return '[]';
      const items: string[] = [];
      for (let i = 0; i < object.length; i++) {
        if (!(i in object)) throw new Error(`${path}[${i}] is a hole in the array: not JSON`);
        items.push(inner + write(object[i], `${path}[${i}]`, inner, seen));
      }
      return `[\n${items.join(',\n')}\n${indent}]`;
    }
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(`${path} is a ${object.constructor?.name ?? 'non-plain object'}: only plain objects are JSON`);
    }
    const keys = Object.keys(object).sort(byCodeUnits);
    if (keys.length === 0) return '{}';
    const record = object as Record<string, unknown>;
    const members = keys.map((key) => `${inner}${JSON.stringify(key)}: ${write(record[key], `${path}.${key}`, inner, seen)}`);
    return `{\n${members.join(',\n')}\n${indent}}`;
  } finally {
    seen.delete(object);
  }
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
