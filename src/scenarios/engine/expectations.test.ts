import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { evaluateExpectations } from './expectations.ts';
import { uniqueNames } from './runner.ts';
import { expectationSchema } from './schema.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const at = (s: number) => T0 + s * 1000;

const records: DeviceRecord[] = [
  { kind: 'event', code: 0x05, at: at(30), end: at(30), fields: { ongoing: false } },
  { kind: 'event', code: 0x07, at: at(421), end: at(482), fields: { maxSpeed: 100, averageSpeed: 100, ongoing: false } },
  { kind: 'event', code: 0x07, at: at(900), end: at(961), fields: { maxSpeed: 90, averageSpeed: 88, ongoing: false } },
  { kind: 'fault', code: 0x07, at: at(421), fields: { maxSpeed: 101 } },
];

const evaluate = (...raw: unknown[]) => evaluateExpectations(raw.map((e) => expectationSchema.parse(e)), () => records, T0);

describe('a records expectation that sees too few shows the near misses', () => {
  it('lists the records of that device and kind closest to it, with what differed (issue 11: maxSpeed 101 against 100)', () => {
    const [result] = evaluate({ records: { device: 'vu', kind: 'event', code: 0x07, count: 2, fields: { maxSpeed: 101 } } });
    expect(result!.outcome).toBe('fail');
    expect(result!.seen).toEqual([]);
    expect(result!.message).toBe('expected exactly 2 matching, saw 0; closest: event 0x07 at 2026-03-02T08:07:01.000Z (maxSpeed: expected 101, was 100)');
    // the fault with maxSpeed 101 is another kind: not a near miss; the 0x05 meets no constraint and comes last
    expect(result!.nearMisses).toEqual([
      {
        record: { kind: 'event', code: 7, at: '2026-03-02T08:07:01.000Z', end: '2026-03-02T08:08:02.000Z', fields: { maxSpeed: 100, averageSpeed: 100, ongoing: false } },
        met: 1,
        of: 2,
        differences: [{ constraint: 'maxSpeed', expected: 101, actual: 100 }],
      },
      {
        record: { kind: 'event', code: 7, at: '2026-03-02T08:15:00.000Z', end: '2026-03-02T08:16:01.000Z', fields: { maxSpeed: 90, averageSpeed: 88, ongoing: false } },
        met: 1,
        of: 2,
        differences: [{ constraint: 'maxSpeed', expected: 101, actual: 90 }],
      },
      {
        record: { kind: 'event', code: 5, at: '2026-03-02T08:00:30.000Z', end: '2026-03-02T08:00:30.000Z', fields: { ongoing: false } },
        met: 0,
        of: 2,
        differences: [
          { constraint: 'code', expected: 7, actual: 5 },
          { constraint: 'maxSpeed', expected: 101, actual: undefined },
        ],
      },
    ]);
  });

  it('ranks by constraints met (code, window, each field) and says how the window missed, as the file gave it', () => {
    const [result] = evaluate({ records: { device: 'vu', kind: 'event', code: 0x07, window: { from: '14m', to: '14m30s' }, fields: { maxSpeed: 100 } } });
    expect(result!.expected).toEqual({ records: { device: 'vu', kind: 'event', code: 7, window: { from: '14m', to: '14m30s' }, fields: { maxSpeed: 100 } } });
    expect(result!.nearMisses!.map((n) => [n.record.at, n.met, n.differences])).toEqual([
      ['2026-03-02T08:07:01.000Z', 2, [{ constraint: 'window', expected: { from: '14m', to: '14m30s' }, actual: '2026-03-02T08:07:01.000Z' }]],
      ['2026-03-02T08:15:00.000Z', 1, [
        { constraint: 'window', expected: { from: '14m', to: '14m30s' }, actual: '2026-03-02T08:15:00.000Z' },
        { constraint: 'maxSpeed', expected: 100, actual: 90 },
      ]],
      ['2026-03-02T08:00:30.000Z', 0, [
        { constraint: 'code', expected: 7, actual: 5 },
        { constraint: 'window', expected: { from: '14m', to: '14m30s' }, actual: '2026-03-02T08:00:30.000Z' },
        { constraint: 'maxSpeed', expected: 100, actual: undefined },
      ]],
    ]);
    expect(result!.message).toBe('expected at least 1 matching, saw 0; closest: event 0x07 at 2026-03-02T08:07:01.000Z (window: expected 14m to 14m30s, was 2026-03-02T08:07:01.000Z)');
  });

  it('names the nested field that differed', () => {
    const [result] = evaluate({ records: { device: 'vu', kind: 'fault', fields: { maxSpeed: 101, nested: { a: 1 } } } });
    expect(result!.nearMisses![0]!.differences).toEqual([{ constraint: 'nested', expected: { a: 1 }, actual: undefined }]);
  });

  it('says so when the device has no record of that kind at all, and shows no near miss for too many', () => {
    expect(evaluate({ records: { device: 'vu', kind: 'timeAdjustment' } })[0]!.message).toBe('expected at least 1 matching, saw 0; no vu timeAdjustment record at all');
    const tooMany = evaluate({ records: { device: 'vu', kind: 'event', code: 0x07, count: 1 } })[0]!;
    expect(tooMany.message).toBe('expected exactly 1 matching, saw 2');
    expect(tooMany.nearMisses).toBeUndefined();
    expect(tooMany.seen.map((r) => r.at)).toEqual(['2026-03-02T08:07:01.000Z', '2026-03-02T08:15:00.000Z']);
  });

  it('gives the unexpected records of an absence with ISO times', () => {
    const [, absent] = evaluate({ records: { device: 'vu', kind: 'event', code: 0x07, count: 2 } }, { absent: { device: 'vu', kind: 'event' } });
    expect(absent!.message).toBe('1 unexpected: event 0x05 at 2026-03-02T08:00:30.000Z');
    expect(absent!.seen).toEqual([{ kind: 'event', code: 5, at: '2026-03-02T08:00:30.000Z', end: '2026-03-02T08:00:30.000Z', fields: { ongoing: false } }]);
  });
});

describe('expectation names', () => {
  it('are unique within a scenario: a repeated generated name gets #2, #3', () => {
    expect(uniqueNames([{ name: 'vu event code 0x0A' }, { name: 'other' }, { name: 'vu event code 0x0A' }, { name: 'vu event code 0x0A' }]).map((e) => e.name)).toEqual([
      'vu event code 0x0A',
      'other',
      'vu event code 0x0A #2',
      'vu event code 0x0A #3',
    ]);
  });
});

describe("'ended': where a span's end lies", () => {
  const spans: DeviceRecord[] = [
    { kind: 'fault', code: 0x36, at: at(60), end: at(300), fields: { ongoing: false } },
    { kind: 'fault', code: 0x37, at: at(60), fields: { ongoing: true } },
  ];
  const evaluateSpans = (...raw: unknown[]) => evaluateExpectations(raw.map((e) => expectationSchema.parse(e)), () => spans, T0);

  it('matches a span whose end is in [from, to], and not one that ended elsewhere or goes on', () => {
    const [inside, outside, ongoing] = evaluateSpans(
      { records: { device: 'vu', kind: 'fault', code: 0x36, count: 1, ended: { from: '5m', to: '5m' } } },
      { records: { device: 'vu', kind: 'fault', code: 0x36, count: 0, ended: { from: '4m', to: '4m59s' } } },
      { records: { device: 'vu', kind: 'fault', code: 0x37, count: 0, ended: { from: '0s' } } },
    );
    expect([inside!.outcome, outside!.outcome, ongoing!.outcome]).toEqual(['pass', 'pass', 'pass']);
  });

  it('says how the end missed, as the file gave it', () => {
    const [result] = evaluateSpans({ records: { device: 'vu', kind: 'fault', code: 0x36, ended: { from: '4m', to: '4m59s' } } });
    expect(result!.message).toBe(
      'expected at least 1 matching, saw 0; closest: fault 0x36 at 2026-03-02T08:01:00.000Z (ended: expected 4m to 4m59s, was 2026-03-02T08:05:00.000Z)',
    );
  });
});
