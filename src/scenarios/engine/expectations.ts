import { isDeepStrictEqual } from 'node:util';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import type { Expectation, Instant, RecordMatcher } from './schema.ts';

export interface ExpectationResult {
  name: string;
  outcome: 'pass' | 'fail';
  /** What was asked for, as written. */
  expected: Expectation;
  /** How many records matched. */
  count: number;
  /** The records that matched (for `absent`: the unexpected ones), at most {@link MAX_SEEN}. */
  seen: DeviceRecord[];
  message: string;
}

const MAX_SEEN = 20;

/**
 * Evaluates one check: every `records` expectation against the device's records, then every `absent`
 * expectation against the records no `records` expectation claimed. Pure: the records were read before.
 */
export function evaluateExpectations(
  expectations: readonly Expectation[],
  recordsOf: (device: string) => readonly DeviceRecord[],
  start: number,
): ExpectationResult[] {
  const claimed = new Set<DeviceRecord>();
  const results: (ExpectationResult | undefined)[] = expectations.map((expectation) => {
    if (!('records' in expectation)) return undefined;
    const m = expectation.records;
    const matching = recordsOf(m.device).filter((r) => matches(r, m, start));
    for (const r of matching) claimed.add(r);
    const { min, max } = bounds(m.count);
    const ok = matching.length >= min && matching.length <= max;
    return {
      name: expectation.name ?? describeMatcher(m),
      outcome: ok ? 'pass' : 'fail',
      expected: expectation,
      count: matching.length,
      seen: matching.slice(0, MAX_SEEN),
      message: ok ? `${matching.length} matching` : `expected ${describeCount(min, max)} matching, saw ${matching.length}`,
    };
  });
  return expectations.map((expectation, i) => {
    if (!('absent' in expectation)) return results[i]!;
    const m = expectation.absent;
    const unexpected = recordsOf(m.device).filter((r) => !claimed.has(r) && matches(r, m, start));
    return {
      name: expectation.name ?? `nothing else: ${describeMatcher(m)}`,
      outcome: unexpected.length === 0 ? 'pass' : 'fail',
      expected: expectation,
      count: unexpected.length,
      seen: unexpected.slice(0, MAX_SEEN),
      message: unexpected.length === 0 ? 'none unexpected' : `${unexpected.length} unexpected: ${unexpected.slice(0, 5).map(describeRecord).join('; ')}`,
    };
  });
}

export function resolveInstant(value: Instant, start: number): number {
  return typeof value === 'number' ? start + value : Date.parse(value);
}

function matches(record: DeviceRecord, m: Partial<RecordMatcher>, start: number): boolean {
  if (m.kind !== undefined && record.kind !== m.kind) return false;
  if (m.code !== undefined && !sameCode(record.code, m.code)) return false;
  if (m.window) {
    if (record.at === undefined) return false;
    if (m.window.from !== undefined && record.at < resolveInstant(m.window.from, start)) return false;
    if (m.window.to !== undefined && record.at > resolveInstant(m.window.to, start)) return false;
  }
  if (m.fields && !partialMatch(record.fields ?? {}, m.fields)) return false;
  return true;
}

/** Codes compare as numbers when both read as numbers (`0x0B`, `'0x0B'`, `11`), else as strings. */
export function sameCode(actual: DeviceRecord['code'], expected: number | string): boolean {
  const a = codeNumber(actual);
  const e = codeNumber(expected);
  if (a !== undefined && e !== undefined) return a === e;
  return actual !== undefined && String(actual) === String(expected);
}

function codeNumber(code: unknown): number | undefined {
  if (typeof code === 'number') return code;
  if (typeof code === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(code)) return Number(code);
  return undefined;
}

/** Every key the expectation names must be there with an equal value; objects compare key by key. */
function partialMatch(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([k, v]) => partialMatch((actual as Record<string, unknown>)[k], v));
  }
  return isDeepStrictEqual(actual, expected);
}

function bounds(count: number | { min?: number; max?: number } | undefined): { min: number; max: number } {
  if (count === undefined) return { min: 1, max: Infinity };
  if (typeof count === 'number') return { min: count, max: count };
  return { min: count.min ?? 0, max: count.max ?? Infinity };
}

function describeCount(min: number, max: number): string {
  if (min === max) return `exactly ${min}`;
  if (max === Infinity) return `at least ${min}`;
  return `${min} to ${max}`;
}

function describeMatcher(m: Partial<RecordMatcher>): string {
  const parts = [m.device, m.kind ?? 'any record'];
  if (m.code !== undefined) parts.push(`code ${typeof m.code === 'number' ? `0x${m.code.toString(16).padStart(2, '0').toUpperCase()}` : m.code}`);
  return parts.join(' ');
}

function describeRecord(r: DeviceRecord): string {
  const code = r.code === undefined ? '' : ` ${typeof r.code === 'number' ? `0x${r.code.toString(16).padStart(2, '0').toUpperCase()}` : r.code}`;
  const at = r.at === undefined ? '' : ` at ${new Date(Math.floor(r.at)).toISOString()}`;
  return `${r.kind}${code}${at}`;
}
