import fc from 'fast-check';
import { toHex } from '../../crypto/bytes.ts';

/**
 * Fuzzing for the decoders (test code): every decoder that reads bytes from outside must return, or throw its
 * codec family's DecodeError, whatever the bytes; never a TypeError or RangeError from deep inside, never a
 * NaN in what it returns. Deterministic: a fixed seed and a bounded number of runs, so `npm test` gives the
 * same verdict every time and the whole fuzz set costs a few seconds. A failure prints the input as hex, the
 * seed and the path fast-check needs to replay it.
 */
export const FUZZ_SEED = 0x0dec0de;

export interface FuzzOptions {
  /** Inputs tried; default 400. A decoder that verifies signatures takes fewer. */
  runs?: number;
}

/** How a valid encoding is damaged: one step of a mutation. */
type Step =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'drop-front'; at: number }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; value: number }
  | { kind: 'extend'; bytes: Uint8Array }
  | { kind: 'duplicate'; from: number; length: number };

const position = fc.nat({ max: 0xffff });
// the values that cross boundaries: zero, one, the sign bits, all ones
const edgeByte = fc.oneof(fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff), fc.nat({ max: 255 }));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: position, mask: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), at: position, value: edgeByte }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: position }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop-front' as const), at: position }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: position }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: position, value: edgeByte }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), from: position, length: fc.integer({ min: 1, max: 300 }) }) },
);

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function apply(bytes: Uint8Array, s: Step): Uint8Array {
  const n = bytes.length;
  const at = n === 0 ? 0 : s.kind === 'extend' || s.kind === 'duplicate' ? 0 : s.at % (s.kind === 'insert' || s.kind === 'cut' ? n + 1 : n);
  switch (s.kind) {
    case 'flip':
    case 'set': {
      if (n === 0) return bytes;
      const out = Uint8Array.from(bytes);
      out[at] = s.kind === 'flip' ? out[at]! ^ s.mask : s.value;
      return out;
    }
    case 'cut':
      return bytes.slice(0, at);
    case 'drop-front':
      return bytes.slice(at);
    case 'delete':
      return n === 0 ? bytes : join(bytes.subarray(0, at), bytes.subarray(at + 1));
    case 'insert':
      return join(bytes.subarray(0, at), Uint8Array.of(s.value), bytes.subarray(at));
    case 'extend':
      return join(bytes, s.bytes);
    case 'duplicate': {
      if (n === 0) return bytes;
      const from = s.from % n;
      const piece = bytes.subarray(from, from + s.length);
      return join(bytes.subarray(0, from + piece.length), piece, bytes.subarray(from + piece.length));
    }
  }
}

export interface BytesAround {
  /** Valid encodings to start from. */
  valid: readonly Uint8Array[];
  /**
   * Makes a mutated encoding pass the codec's first check again (recomputes a checksum, a CRC, a length), so
   * the fuzzer reaches the code behind it. Applied to half the mutants.
   */
  fix?: (bytes: Uint8Array) => Uint8Array;
  /** Longest random input; default 300 bytes. */
  maxRandomLength?: number;
}

/** Random bytes, and valid encodings damaged by one to four steps (flip, set, cut, delete, insert, extend, duplicate), some re-checksummed. */
export function bytesAround({ valid, fix, maxRandomLength = 300 }: BytesAround): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ maxLength: maxRandomLength });
  if (valid.length === 0) return random;
  const mutated = fc.tuple(fc.constantFrom(...valid), fc.array(step, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([base, steps, refix]) => {
    const bytes = steps.reduce(apply, base);
    return fix && refix ? fix(bytes) : bytes;
  });
  return fc.oneof({ weight: 1, arbitrary: random }, { weight: 1, arbitrary: fc.constantFrom(...valid) }, { weight: 5, arbitrary: mutated });
}

/** The same for text (NMEA): printable characters, and valid sentences damaged a character at a time. */
export function textAround({ valid, fix }: { valid: readonly string[]; fix?: (text: string) => string }): fc.Arbitrary<string> {
  const decoder = new TextDecoder('latin1');
  const bytes = bytesAround({ valid: valid.map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0))), maxRandomLength: 120 });
  return bytes.chain((b) =>
    fc.boolean().map((refix) => {
      const text = decoder.decode(b);
      return fix && refix ? fix(text) : text;
    }),
  );
}

/** A NaN or an infinity anywhere in a decoded value, with its path; typed arrays and strings are data, not numbers. */
export function nonFinite(value: unknown, path = '$'): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} = ${value}`;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    const found = nonFinite(v, `${path}.${k}`);
    if (found) return found;
  }
  return null;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs `decode` on every generated input: it must return a value without NaN or infinities, or throw an
 * instance of `allowed` (none: the decoder must never throw). Anything else fails, naming the input.
 */
export function fuzzDecoder<T>(arbitrary: fc.Arbitrary<T>, decode: (input: T) => unknown, allowed: ErrorClass | null, options: FuzzOptions = {}): void {
  fc.assert(
    fc.property(arbitrary, (input) => {
      let out: unknown;
      try {
        out = decode(input);
      } catch (error) {
        if (allowed && error instanceof allowed) return;
        throw new Error(`${describeInput(input)}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
      }
      const bad = nonFinite(out);
      if (bad) throw new Error(`${describeInput(input)}: decoded ${bad}`);
    }),
    { seed: FUZZ_SEED, numRuns: options.runs ?? 400 },
  );
}

function describeInput(input: unknown): string {
  if (input instanceof Uint8Array) return `input ${toHex(input).slice(0, 400)}${input.length > 200 ? `… (${input.length} bytes)` : ''}`;
  if (typeof input === 'string') return `input ${JSON.stringify(input)}`;
  return `input ${JSON.stringify(input, (_k, v) => (v instanceof Uint8Array ? toHex(v) : v))}`;
}

/** A stream cut into chunks at random places: what a deframer meets on a line. */
export function chunked(stream: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array[]> {
  return stream.chain((bytes) =>
    fc.array(fc.nat({ max: Math.max(bytes.length, 1) }), { maxLength: 8 }).map((cuts) => {
      const points = [...new Set([0, ...cuts.map((c) => Math.min(c, bytes.length)), bytes.length])].sort((a, b) => a - b);
      return points.slice(1).map((end, i) => bytes.slice(points[i], end));
    }),
  );
}

/** Several valid encodings one after another, then damaged: a line's worth of frames. */
export function streamAround(options: BytesAround): fc.Arbitrary<Uint8Array> {
  const one = bytesAround(options);
  return fc.array(one, { minLength: 1, maxLength: 6 }).map((parts) => join(...parts));
}

export { fc };
