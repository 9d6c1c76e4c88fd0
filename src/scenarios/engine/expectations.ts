import { isDeepStrictEqual } from 'node:util';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { sameCode, showCode } from '../../harness/devices/record-kinds.ts';
import { formatDuration } from './duration.ts';
import type { Expectation, Instant, RecordMatcher } from './schema.ts';


/** A record as a result record shows it: times as ISO 8601 instants. */
export interface ResultRecord {
  kind: string;
  code?: number | string;
  at?: string;
  end?: string;
  fields?: Record<string, unknown>;
}

/** A matcher as the file gave it: a window's offsets as durations ('5m25s'), instants as written. */
export type ShownExpectation = { name?: string; records: ShownMatcher & { count?: number | { min?: number; max?: number } } } | { name?: string; absent: Partial<ShownMatcher> };
type ShownMatcher = Omit<RecordMatcher, 'window' | 'ended'> & { window?: { from?: string; to?: string }; ended?: { from?: string; to?: string } };

/** One constraint of a matcher a near miss did not meet. */
export interface Difference {
  /** `code`, `window`, or a field's path (`maxSpeed`, `cardsAtEnd.driver.cardNumber`). */
  constraint: string;
  expected: unknown;
  actual: unknown;
}

/** A record of the same device and kind that came close to a `records` expectation that saw too few. */
export interface NearMiss {
  record: ResultRecord;
  /** Constraints of the matcher (code, window, each field) this record meets, of how many. */
  met: number;
  of: number;
  differences: Difference[];
}

export interface ExpectationResult {
  name: string;
  outcome: 'pass' | 'fail';
  /** What was asked for, as written. */
  expected: ShownExpectation;
  /** How many records matched. */
  count: number;
  /** The records that matched (for `absent`: the unexpected ones), at most {@link MAX_SEEN}. */
  seen: ResultRecord[];
  /** When a `records` expectation saw fewer than asked: the closest records of that device and kind. */
  nearMisses?: NearMiss[];
  message: string;
}

const MAX_SEEN = 20;
const MAX_NEAR_MISSES = 3;

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
    const all = recordsOf(m.device);
    const matching = all.filter((r) => matches(r, m, start));
    for (const r of matching) claimed.add(r);
    const { min, max } = bounds(m.count);
    const ok = matching.length >= min && matching.length <= max;
    const nearMisses = !ok && matching.length < min ? closestRecords(all, m, start) : undefined;
    return {
      name: expectation.name ?? describeMatcher(m),
      outcome: ok ? 'pass' : 'fail',
      expected: shown(expectation),
      count: matching.length,
      seen: matching.slice(0, MAX_SEEN).map(resultRecord),
      ...(nearMisses ? { nearMisses } : {}),
      message: ok ? `${matching.length} matching` : `expected ${describeCount(min, max)} matching, saw ${matching.length}${nearMisses ? nearMissSummary(nearMisses, m) : ''}`,
    };
  });
  return expectations.map((expectation, i) => {
    if (!('absent' in expectation)) return results[i]!;
    const m = expectation.absent;
    const unexpected = recordsOf(m.device).filter((r) => !claimed.has(r) && matches(r, m, start));
    return {
      name: expectation.name ?? `nothing else: ${describeMatcher(m)}`,
      outcome: unexpected.length === 0 ? 'pass' : 'fail',
      expected: shown(expectation),
      count: unexpected.length,
      seen: unexpected.slice(0, MAX_SEEN).map(resultRecord),
      message: unexpected.length === 0 ? 'none unexpected' : `${unexpected.length} unexpected: ${unexpected.slice(0, 5).map(describeRecord).join('; ')}`,
    };
  });
}

export function resolveInstant(value: Instant, start: number): number {
  return typeof value === 'number' ? start + value : Date.parse(value);
}

function matches(record: DeviceRecord, m: Partial<RecordMatcher>, start: number): boolean {
  if (m.kind !== undefined && record.kind !== m.kind) return false;
  return differences(record, m, start).length === 0;
}

/** The matcher's constraints beyond device and kind, each met or not: code, window, ended, and each named field. */
function differences(record: DeviceRecord, m: Partial<RecordMatcher>, start: number): Difference[] {
  const out: Difference[] = [];
  if (m.code !== undefined && !sameCode(record.code, m.code)) out.push({ constraint: 'code', expected: m.code, actual: record.code });
  if (m.window && !inWindow(record.at, m.window, start)) {
    out.push({ constraint: 'window', expected: shownWindow(m.window), actual: record.at === undefined ? undefined : iso(record.at) });
  }
  if (m.ended && !inWindow(record.end, m.ended, start)) {
    out.push({ constraint: 'ended', expected: shownWindow(m.ended), actual: record.end === undefined ? undefined : iso(record.end) });
  }
  for (const [key, expected] of Object.entries(m.fields ?? {})) out.push(...fieldDifferences((record.fields ?? {})[key], expected, key));
  return out;
}

/** Whether a record's time (`at`, or `end` for `ended`) lies in [from, to]; a record without that time is in none. */
function inWindow(t: number | undefined, window: NonNullable<RecordMatcher['window']>, start: number): boolean {
  if (t === undefined) return false;
  if (window.from !== undefined && t < resolveInstant(window.from, start)) return false;
  if (window.to !== undefined && t > resolveInstant(window.to, start)) return false;
  return true;
}

/** Every key the expectation names must be there with an equal value; objects compare key by key. */
function fieldDifferences(actual: unknown, expected: unknown, path: string): Difference[] {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object') return [{ constraint: path, expected, actual }];
    return Object.entries(expected).flatMap(([k, v]) => fieldDifferences((actual as Record<string, unknown>)[k], v, `${path}.${k}`));
  }
  return isDeepStrictEqual(actual, expected) ? [] : [{ constraint: path, expected, actual }];
}

/**
 * The records of the matcher's device and kind that did not match, closest first: by how many of the
 * matcher's constraints (code, window, each field) they meet, then in record order.
 */
function closestRecords(all: readonly DeviceRecord[], m: RecordMatcher, start: number): NearMiss[] {
  const constraints = (m.code !== undefined ? 1 : 0) + (m.window ? 1 : 0) + (m.ended ? 1 : 0) + Object.keys(m.fields ?? {}).length;
  return all
    .filter((r) => r.kind === m.kind)
    .map((r) => {
      const diffs = differences(r, m, start);
      const missed = new Set(diffs.map((d) => (d.constraint === 'code' || d.constraint === 'window' || d.constraint === 'ended' ? d.constraint : d.constraint.split('.')[0])));
      return { record: r, met: constraints - missed.size, diffs };
    })
    .filter((x) => x.diffs.length > 0)
    .map((x, index) => ({ ...x, index }))
    .sort((a, b) => b.met - a.met || a.index - b.index)
    .slice(0, MAX_NEAR_MISSES)
    .map(({ record, met, diffs }) => ({ record: resultRecord(record), met, of: constraints, differences: diffs }));
}

/** The closest record, in the message; the others are in `nearMisses`. */
function nearMissSummary(misses: readonly NearMiss[], m: RecordMatcher): string {
  if (misses.length === 0) return `; no ${m.device} ${m.kind} record at all`;
  return `; closest: ${describeNearMiss(misses[0]!)}`;
}

/** `event 0x07 at 2026-03-02T08:10:00.000Z (maxSpeed: expected 101, was 100)`. */
export function describeNearMiss(n: NearMiss): string {
  return `${describeShown(n.record)} (${describeDifferences(n.differences)})`;
}

/** `maxSpeed: expected 101, was 100`. */
export function describeDifferences(differences: readonly Difference[]): string {
  return differences.map((d) => `${d.constraint}: expected ${value(d.expected, d.constraint)}, was ${value(d.actual, d.constraint)}`).join(', ');
}

function value(v: unknown, constraint: string): string {
  if (constraint === 'code' && typeof v === 'number') return showCode(v);
  if (v === undefined) return 'absent';
  if ((constraint === 'window' || constraint === 'ended') && v && typeof v === 'object') {
    const w = v as { from?: string; to?: string };
    return `${w.from ?? '…'} to ${w.to ?? '…'}`;
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function resultRecord(r: DeviceRecord): ResultRecord {
  return {
    kind: r.kind,
    ...(r.code !== undefined ? { code: r.code } : {}),
    ...(r.at !== undefined ? { at: iso(r.at) } : {}),
    ...(r.end !== undefined ? { end: iso(r.end) } : {}),
    ...(r.fields !== undefined ? { fields: r.fields } : {}),
  };
}

function shown(e: Expectation): ShownExpectation {
  const name = e.name !== undefined ? { name: e.name } : {};
  // key order kept: the matcher reads as in the file
  const matcher = <M extends Partial<RecordMatcher>>(m: M) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k === 'window' || k === 'ended' ? shownWindow(v as NonNullable<RecordMatcher['window']>) : v]));
  if ('records' in e) return { ...name, records: matcher(e.records) as Extract<ShownExpectation, { records: unknown }>['records'] };
  return { ...name, absent: matcher(e.absent) as Partial<ShownMatcher> };
}

/** Offsets as the file wrote them (`5m25s`), instants as written. */
function shownWindow(w: NonNullable<RecordMatcher['window']>): { from?: string; to?: string } {
  const one = (i: Instant | undefined) => (i === undefined ? undefined : typeof i === 'number' ? formatDuration(i) : i);
  return { ...(w.from !== undefined ? { from: one(w.from) } : {}), ...(w.to !== undefined ? { to: one(w.to) } : {}) };
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
  if (m.code !== undefined) parts.push(`code ${typeof m.code === 'number' ? showCode(m.code) : m.code}`);
  return parts.join(' ');
}

function describeRecord(r: DeviceRecord): string {
  return describeShown(resultRecord(r));
}

/** `event 0x07 at 2026-03-02T08:10:00.000Z`. */
export function describeShown(r: ResultRecord): string {
  const code = r.code === undefined ? '' : ` ${typeof r.code === 'number' ? showCode(r.code) : r.code}`;
  return `${r.kind}${code}${r.at ? ` at ${r.at}` : ''}`;
}

function iso(t: number): string {
  return new Date(Math.floor(t)).toISOString();
}
