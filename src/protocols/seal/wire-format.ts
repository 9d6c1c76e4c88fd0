import type { z } from 'zod';
import { isGuid } from './guid.ts';
import { isUtcIso, utcProblem } from './utc-time.ts';

/**
 * Bytes ↔ documents for every MQTT message of the seal system: at most {@link MAX_MESSAGE_BYTES} bytes,
 * UTF-8 without BOM (Decision 141 item 18), nesting at most {@link MAX_NESTING} deep, exactly one JSON
 * document (item 8), a GUID in `id` (item 19), times UTC (item 17). The checks run in that order and the
 * first failure is the refusal's reason, with a code a scenario can match.
 *
 * The two bounds are rig-defined. They come before JSON.parse and before any walk of the parsed value,
 * because a sender chooses both: 10 kB of `[` nested 5 000 deep overflowed the stack of the recursive
 * checks below and killed the operator. The deepest legitimate message is an operator's forward: envelope,
 * document, fix (3 levels); 16 leaves room for a later version. The largest is a forward of about 1.5 kB.
 */
export type RefusalCode = 'too-large' | 'bom' | 'utf8' | 'too-deep' | 'json' | 'not-a-document' | 'guid' | 'utc' | 'schema';

export const MAX_MESSAGE_BYTES = 64 * 1024;
export const MAX_NESTING = 16;

export type Decoded<T> = { ok: true; value: T; text: string } | { ok: false; code: RefusalCode; reason: string; id?: string };

const BOM = [0xef, 0xbb, 0xbf];
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Serialises a document: JSON, UTF-8, no BOM. */
export function encodeDocument(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

export function decodeDocument<T>(bytes: Uint8Array, schema: z.ZodType<T>): Decoded<T> {
  if (bytes.length > MAX_MESSAGE_BYTES) {
    return { ok: false, code: 'too-large', reason: `the message is ${bytes.length} bytes, more than the ${MAX_MESSAGE_BYTES} allowed` };
  }
  if (bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) {
    return { ok: false, code: 'bom', reason: 'the message starts with a UTF-8 byte order mark (EF BB BF): UTF-8 without BOM is required' };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, code: 'utf8', reason: 'the message is not valid UTF-8' };
  }
  const depth = nestingDepth(text, MAX_NESTING);
  if (depth > MAX_NESTING) {
    return { ok: false, code: 'too-deep', reason: `objects and arrays nested more than ${MAX_NESTING} deep (the limit is ${MAX_NESTING})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'json', reason: `malformed JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, code: 'not-a-document', reason: `a message is one JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` };
  }
  const id = (value as Record<string, unknown>).id;
  if (id === undefined) return { ok: false, code: 'guid', reason: 'the message has no GUID (field id)' };
  if (!isGuid(id)) return { ok: false, code: 'guid', reason: `id ${JSON.stringify(id)} is not a GUID` };
  const badTime = findNonUtcTime(value);
  if (badTime) return { ok: false, code: 'utc', reason: `${badTime.path}: ${utcProblem(badTime.value)}`, id };
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length ? issue.path.join('.') : '(root)';
    return { ok: false, code: 'schema', reason: `${path}: ${issue.message}`, id };
  }
  return { ok: true, value: parsed.data, text };
}

/**
 * How deep `{` and `[` nest in a JSON text, counting only those outside strings; stops counting once past
 * `limit` (returns limit + 1). One pass, no recursion, whatever the text is: it need not be valid JSON
 * (JSON.parse judges that afterwards); a closer with nothing open is ignored.
 */
export function nestingDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character (\" does not end the string)
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest && (deepest = depth) > limit) return limit + 1;
    } else if ((c === 0x7d || c === 0x5d) && depth > 0) depth--; // a stray closer cannot buy depth for later openers
  }
  return deepest;
}

/** Fields holding times by name, anywhere in the document: `at`, `time`, and any `...At`. */
const TIME_FIELD = /^(at|time|[a-z]+At)$/;

function findNonUtcTime(value: unknown, path = ''): { path: string; value: unknown } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const here = path ? `${path}.${k}` : k;
    if (TIME_FIELD.test(k) && v !== null && v !== undefined) {
      if (!isUtcIso(v)) return { path: here, value: v };
    } else {
      const inner = findNonUtcTime(v, here);
      if (inner) return inner;
    }
  }
  return undefined;
}
