import { z } from 'zod';
import type { DeviceRecord } from './device-kind.ts';

/**
 * What a device kind's record source can return, declared beside it: each record kind (`event`, `fault`,
 * `frame`, ...) with what its `code` may be, whether it carries a time, and its fields with their types.
 * Two things follow from one declaration:
 *   - a scenario's matchers are checked before anything runs: a misspelt kind, a code the kind never has,
 *     a field it does not carry or a value of the wrong type would otherwise match nothing, and an
 *     `absent` that matches nothing always passes;
 *   - every record a source returns is checked against it (`Rig.records`), so the declaration cannot
 *     drift from what the device really produces.
 */

/** One allowed code value; `name` says what it means (an EventFaultType's name, a reason). */
export interface CodeValue {
  value: number | string;
  name?: string;
}

export type RecordCodeSpec =
  /** Records of this kind carry no code. */
  | { type: 'none' }
  /** A closed list. Numbers may be written in a scenario as numbers or hex strings ('0x0B'). */
  | { type: 'enum'; values: readonly CodeValue[]; hex?: boolean; description?: string }
  /** Any value the schema takes, where the code is data (a card number, a serial number). */
  | { type: 'free'; schema: z.ZodType; description: string };

export interface RecordKindSpec {
  description: string;
  code: RecordCodeSpec;
  /** What `at` and `end` are: an instant (`at`), a span (`at`, and `end` once it ended), or no time at all. */
  time: 'instant' | 'span' | 'none';
  /** Every field a record of this kind may carry, with its type. A strict object: a field not declared is drift. */
  fields: z.ZodObject;
  /** Where the code decides the fields (an event's type-specific data): the fields of one code. */
  fieldsOf?(code: number | string): z.ZodObject | undefined;
  /**
   * Set on a kind only the emulation reveals (read from the device's memory, a message on its display), which
   * the device's own interface (a download) does not carry: a real device under test never gives one. Says
   * why. A scenario that expects one from an external device cannot run (`unmetRequirements`).
   */
  emulatedOnly?: string;
}

export type RecordKinds = Readonly<Record<string, RecordKindSpec>>;

export const noCode: RecordCodeSpec = { type: 'none' };

/** A closed list of code names (strings). */
export function namedCodes(names: readonly string[], description?: string): RecordCodeSpec {
  return { type: 'enum', values: names.map((value) => ({ value })), description };
}

/** A closed list of numeric codes with their names, shown in hex where `hex`. */
export function numberedCodes(values: readonly { value: number; name: string }[], options: { hex?: boolean; description?: string } = {}): RecordCodeSpec {
  return { type: 'enum', values, hex: options.hex, description: options.description };
}

export function freeCode(schema: z.ZodType, description: string): RecordCodeSpec {
  return { type: 'free', schema, description };
}

/** `0x0B` for a hex code, the value itself otherwise. */
export function showCode(value: number | string | undefined, hex = true): string {
  if (typeof value === 'number' && hex) return `0x${value.toString(16).toUpperCase().padStart(2, '0')}`;
  return String(value);
}

/** A code as a number when it reads as one (`0x0B`, `'0x0B'`, `11`), else undefined. */
export function codeNumber(code: unknown): number | undefined {
  if (typeof code === 'number') return code;
  if (typeof code === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(code)) return Number(code);
  return undefined;
}

/** Codes compare as numbers when both read as numbers (`0x0B`, `'0x0B'`, `11`), else as strings. */
export function sameCode(actual: DeviceRecord['code'], expected: number | string): boolean {
  const a = codeNumber(actual);
  const e = codeNumber(expected);
  if (a !== undefined && e !== undefined) return a === e;
  return actual !== undefined && String(actual) === String(expected);
}

/** The declared value a code stands for, or undefined when it is not one of an enum's values. */
export function declaredCode(spec: Extract<RecordCodeSpec, { type: 'enum' }>, code: number | string): CodeValue | undefined {
  return spec.values.find((v) => sameCode(v.value, code));
}

/** The fields records of this kind with this code carry (the kind's fields when the code does not decide them). */
export function fieldsFor(spec: RecordKindSpec, code: number | string | undefined): z.ZodObject {
  return (code !== undefined && spec.fieldsOf?.(code)) || spec.fields;
}

/**
 * Why a record does not fit its device kind's declaration, one sentence each; empty when it fits. The
 * record source's own output is checked, so these are defects of the device (or of its declaration).
 */
export function recordProblems(kinds: RecordKinds, record: DeviceRecord): string[] {
  const spec = Object.hasOwn(kinds, record.kind) ? kinds[record.kind] : undefined;
  if (!spec) return [`record kind '${record.kind}' is not declared (declared: ${Object.keys(kinds).join(', ')})`];
  const problems: string[] = [];
  const extra = Object.keys(record).filter((k) => !['kind', 'code', 'at', 'end', 'fields'].includes(k));
  if (extra.length) problems.push(`keys ${extra.join(', ')} are not part of a record`);
  const code = spec.code;
  if (code.type === 'none' && record.code !== undefined) problems.push(`code ${JSON.stringify(record.code)}: the kind has no code`);
  if (code.type === 'enum' && (record.code === undefined || !declaredCode(code, record.code))) problems.push(`code ${JSON.stringify(record.code)} is not one of the kind's codes`);
  if (code.type === 'free') {
    const parsed = code.schema.safeParse(record.code);
    if (!parsed.success) problems.push(`code ${JSON.stringify(record.code)}: ${plain(parsed.error.issues[0]!.message)}`);
  }
  if (spec.time === 'none' && (record.at !== undefined || record.end !== undefined)) problems.push('at/end: the kind has no time');
  if (spec.time !== 'none' && !Number.isFinite(record.at)) problems.push(`at ${JSON.stringify(record.at)} is not a time (ms)`);
  if (spec.time === 'instant' && record.end !== undefined) problems.push('end: the kind is an instant');
  if (record.end !== undefined && !Number.isFinite(record.end)) problems.push(`end ${JSON.stringify(record.end)} is not a time (ms)`);
  const fields = fieldsFor(spec, record.code).safeParse(record.fields ?? {});
  if (!fields.success) {
    for (const issue of fields.error.issues) problems.push(`fields${issue.path.map((p) => `.${String(p)}`).join('')}: ${plain(issue.message)}`);
  }
  return problems;
}

function plain(message: string): string {
  return message.replace(/^Invalid (input|option): /, '');
}

/** `event 0x07 at 2026-03-02T08:10:00.000Z`: a record in one line, for messages. */
export function describeRecord(r: DeviceRecord): string {
  const code = r.code === undefined ? '' : ` ${showCode(r.code)}`;
  const at = typeof r.at === 'number' && Number.isFinite(r.at) ? ` at ${new Date(Math.floor(r.at)).toISOString()}` : '';
  return `${r.kind}${code}${at}`;
}
