import type { z } from 'zod';
import {
  codeNumber,
  declaredCode,
  fieldsFor,
  showCode,
  type RecordCodeSpec,
  type RecordKinds,
} from '../../harness/devices/record-kinds.ts';
import { closest, unwrapSchema, valueMessage, type IssuePath, type PathIssue } from '../../harness/rig/yaml-errors.ts';
import type { RecordMatcher } from './schema.ts';

/**
 * Checks one `records` or `absent` matcher against what the device kind's record source declares: the
 * kind, the code, a window on a kind without time, and every field name and value type. Anything it
 * refuses would match no record, and an `absent` that matches nothing always passes. Paths are relative
 * to the matcher (`['kind']`, `['fields', 'maxSpeed']`).
 */
export function matcherIssues(kinds: RecordKinds, m: Partial<RecordMatcher>, device: string): PathIssue[] {
  const names = Object.keys(kinds);
  if (m.kind === undefined) return kindlessIssues(kinds, m, device);
  const spec = Object.hasOwn(kinds, m.kind) ? kinds[m.kind]! : undefined;
  if (!spec) {
    const suggestion = closest(m.kind, names);
    return [{ path: ['kind'], message: `unknown record kind '${m.kind}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; ${device}'s record kinds are: ${names.join(', ')}` }];
  }
  const what = `${device}'s ${m.kind} records`;
  const issues: PathIssue[] = [];
  if (m.code !== undefined) issues.push(...codeIssues(spec.code, m.code, what, m.kind, otherKindsWith(kinds, m.kind, m.code)));
  if (m.window !== undefined && spec.time === 'none') issues.push({ path: ['window'], message: `${what} carry no time: a window matches none of them` });
  if (m.ended !== undefined && spec.time !== 'span') issues.push({ path: ['ended'], message: `${what} are ${spec.time === 'none' ? 'not timed' : 'instants'}, not spans: 'ended' matches none of them` });
  if (m.fields !== undefined) {
    const codeOk = m.code !== undefined && issues.every((i) => i.path[0] !== 'code');
    const narrowed = codeOk ? fieldsFor(spec, m.code) : spec.fields;
    const where = narrowed === spec.fields ? what : `${device}'s ${m.kind} ${showCode(m.code, isHex(spec.code))} records`;
    issues.push(...fieldIssues(narrowed, m.fields, ['fields'], where, narrowed === spec.fields ? undefined : spec.fields));
  }
  return issues;
}

function isHex(code: RecordCodeSpec): boolean {
  return code.type === 'enum' && !!code.hex;
}

function codeIssues(spec: RecordCodeSpec, code: number | string, what: string, kind: string, elsewhere: string[]): PathIssue[] {
  const at = (message: string): PathIssue[] => [{ path: ['code'], message }];
  switch (spec.type) {
    case 'none':
      return at(`${what} carry no code`);
    case 'free': {
      const parsed = spec.schema.safeParse(code);
      return parsed.success ? [] : at(`code ${shown(code)} is not a code of ${what}: their code is ${spec.description} (${plain(parsed.error.issues[0]!.message)})`);
    }
    case 'enum': {
      if (declaredCode(spec, code)) return [];
      const numeric = spec.values.every((v) => typeof v.value === 'number');
      const list = spec.values.map((v) => showCode(v.value, !!spec.hex)).join(', ');
      const other = elsewhere.length ? ` (it is a code of ${elsewhere.map((k) => `'${k}'`).join(', ')} records)` : '';
      const codes = `${kind} codes are: ${list}`;
      if (numeric && typeof code === 'string' && codeNumber(code) === undefined) {
        // a name where the record has a number: point at the number that name stands for
        const byName = closest(code, spec.values.flatMap((v) => (v.name ? [v.name] : [])), 3);
        const hit = byName ? spec.values.find((v) => v.name === byName)! : undefined;
        const hint = hit ? ` (did you mean ${showCode(hit.value, !!spec.hex)}, ${hit.name}?)` : '';
        return at(`code ${shown(code)} is not a code of ${what}: their code is ${spec.description ?? 'a number'}, written as a number${hint}; ${codes}`);
      }
      const suggestion = typeof code === 'string' && !numeric ? closest(code, spec.values.map((v) => String(v.value))) : undefined;
      return at(`code ${typeof code === 'number' ? showCode(code, !!spec.hex) : shown(code)} is not a code of ${what}${other}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; ${codes}`);
    }
  }
}

/** The other kinds of the device whose declared codes include this one (0x35 under `kind: event` is a fault). */
function otherKindsWith(kinds: RecordKinds, kind: string, code: number | string): string[] {
  return Object.entries(kinds).flatMap(([name, spec]) => (name !== kind && spec.code.type === 'enum' && declaredCode(spec.code, code) ? [name] : []));
}

/** `absent: { device: vu, code: 0x07 }` without a kind: each constraint must fit some kind of the device. */
function kindlessIssues(kinds: RecordKinds, m: Partial<RecordMatcher>, device: string): PathIssue[] {
  const specs = Object.values(kinds);
  const issues: PathIssue[] = [];
  if (m.code !== undefined && !specs.some((s) => codeIssues(s.code, m.code!, '', '', []).length === 0)) {
    issues.push({ path: ['code'], message: `no record kind of ${device} has code ${shown(m.code)}; name the kind (${Object.keys(kinds).join(', ')})` });
  }
  if (m.fields !== undefined) {
    const known = [...new Set(specs.flatMap((s) => Object.keys(s.fields.shape)))];
    for (const name of Object.keys(m.fields)) {
      if (known.includes(name)) continue;
      const suggestion = closest(name, known);
      issues.push({ path: ['fields', name], at: 'key', message: `no record kind of ${device} has a field '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}` });
    }
  }
  return issues;
}

/**
 * A matcher's `fields` are compared deeply and partially: an object names some of the keys it must have,
 * anything else must equal. So an object is walked key by key, and anything else must fit the declared type
 * whole. `wider` is the kind's fields where the code narrowed them, to say "not for this code" rather than
 * "unknown".
 */
function fieldIssues(schema: z.ZodType, value: unknown, path: IssuePath, where: string, wider?: z.ZodObject): PathIssue[] {
  if (schema.safeParse(value).success) return [];
  const objects = unwrapSchema(schema).filter((s) => s._zod.def.type === 'object') as z.ZodObject[];
  if (isPlainObject(value) && objects.length) {
    let best: PathIssue[] | undefined;
    for (const o of objects) {
      const keys = Object.keys(o.shape);
      const issues = Object.entries(value).flatMap(([k, v]): PathIssue[] => {
        if (Object.hasOwn(o.shape, k)) return fieldIssues(o.shape[k]!, v, [...path, k], where);
        if (wider && Object.hasOwn(wider.shape, k)) {
          return [{ path: [...path, k], at: 'key', message: `${where} do not carry field '${k}'; they carry: ${keys.join(', ')}` }];
        }
        const suggestion = closest(k, keys);
        const whose = path.length > 1 ? `${path.slice(1).join('.')} of ${where}` : where;
        return [{ path: [...path, k], at: 'key', message: `unknown field '${k}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; ${whose} have: ${keys.join(', ')}` }];
      });
      if (issues.length === 0) return [];
      if (!best || issues.length < best.length) best = issues;
    }
    return best!;
  }
  const parsed = schema.safeParse(value);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        path: [...path, ...(issue.path as IssuePath)],
        message: issue.code === 'invalid_value' ? valueMessage(issue, valueAt(value, issue.path as IssuePath)) : plain(issue.message),
      }));
}

function valueAt(value: unknown, path: IssuePath): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

function plain(message: string): string {
  return message.replace(/^Invalid (input|option): /, '');
}

