import type { z } from 'zod';
import { isGuid } from './guid.ts';
import { isUtcIso, utcProblem } from './utc-time.ts';

/**
 * Bytes ↔ documents for every MQTT message of the seal system: UTF-8 without BOM (Decision 141 item 18),
 * exactly one JSON document (item 8), a GUID in `id` (item 19), times UTC (item 17). The checks run in that
 * order and the first failure is the refusal's reason, with a code a scenario can match.
 */
export type RefusalCode = 'bom' | 'utf8' | 'json' | 'not-a-document' | 'guid' | 'utc' | 'schema';

export type Decoded<T> = { ok: true; value: T; text: string } | { ok: false; code: RefusalCode; reason: string; id?: string };

const BOM = [0xef, 0xbb, 0xbf];
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Serialises a document: JSON, UTF-8, no BOM. */
export function encodeDocument(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

export function decodeDocument<T>(bytes: Uint8Array, schema: z.ZodType<T>): Decoded<T> {
  if (bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) {
    return { ok: false, code: 'bom', reason: 'the message starts with a UTF-8 byte order mark (EF BB BF): UTF-8 without BOM is required' };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, code: 'utf8', reason: 'the message is not valid UTF-8' };
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
