import { describe, expect, it } from 'vitest';
import { createEventMemory, listRecords, type EventMemory } from '../data-memory/event-store.ts';
import { NO_CARDS } from '../../../protocols/app1/slot-cards.ts';
import type { SensorLinkReport } from '../sensor-link/types.ts';
import { compareCounts, createSensorWatch, watchPaired, watchResumed, watchSensor, type SensorWatch, type WatchContext } from './sensor-watch.ts';

const POLICY = { tolerancePulses: 100, toleranceFraction: 0.02, faultAfterNoAnswers: 3 };
const T = 1_772_438_400; // 2026-03-02T08:00:00Z

/** Feeds reports in order, one second apart unless given, and gives what the event memory then lists. */
function run(steps: { report: SensorLinkReport; pulses?: number; calibrationMode?: boolean; at?: number }[]) {
  let watch: SensorWatch = createSensorWatch();
  let events: EventMemory = createEventMemory();
  steps.forEach((s, i) => {
    const ctx: WatchContext = { at: s.at ?? T + i, cards: NO_CARDS, calibrationMode: s.calibrationMode ?? false, pulses: s.pulses ?? 0, events };
    ({ watch, events } = watchSensor(watch, s.report, ctx, POLICY));
  });
  const records = occurrences(events, T + 3600).map((r) => [r.type, r.begin - T, r.end === null ? null : r.end - T]);
  return { watch, events, records };
}

/** Each occurrence once, whatever purposes a download would list it under. */
function occurrences(events: EventMemory, now: number) {
  const seen = new Set<number>();
  return listRecords(events, now).filter((r) => !seen.has(r.id) && seen.add(r.id));
}

const counter = (value: number, pulses: number) => ({ report: { type: 'sensor.counter' as const, value }, pulses });

describe('the counter check (Annex IC 3.9 motion data error)', () => {
  it('compares the rise of the authenticated counter with the pulses counted, within the larger tolerance', () => {
    expect(compareCounts({ counter: 1000, pulses: 50 }, 3000, 2050, POLICY)).toEqual({ rise: 2000, counted: 2000, tolerance: 100, agree: true });
    expect(compareCounts({ counter: 1000, pulses: 50 }, 3000, 1950, POLICY)).toEqual({ rise: 2000, counted: 1900, tolerance: 100, agree: true });
    expect(compareCounts({ counter: 1000, pulses: 50 }, 3000, 1949, POLICY)).toEqual({ rise: 2000, counted: 1899, tolerance: 100, agree: false });
    // 2 % of a rise of 20 000 is 400
    expect(compareCounts({ counter: 0, pulses: 0 }, 20_000, 19_600, POLICY).agree).toBe(true);
    expect(compareCounts({ counter: 0, pulses: 0 }, 20_000, 19_599, POLICY).agree).toBe(false);
  });

  it('counts across the counter wrapping at 2^32', () => {
    expect(compareCounts({ counter: 0xffff_ff00, pulses: 0 }, 0x100, 512, POLICY)).toMatchObject({ rise: 512, agree: true });
  });

  it('opens one 0x09 at the first check that disagrees and ends it at the first that agrees', () => {
    const { records, watch } = run([
      counter(0, 0), // the baseline: no verdict
      counter(2000, 2000),
      counter(4000, 3000), // 1000 pulses missing
      counter(6000, 3500), // still disagreeing: the same event
      counter(8000, 5500),
      counter(10_000, 7450),
    ]);
    expect(records).toEqual([[0x09, 2, 4]]);
    expect(watch).toMatchObject({ last: { counter: 10_000, pulses: 7450 }, motionDataError: null });
  });

  it('starts afresh after a pairing or a power-up: the first counter is a baseline again', () => {
    const { watch, events } = run([counter(0, 0), counter(2000, 2000)]);
    expect(watchResumed(watch).last).toBeNull();
    const paired = watchPaired(watch, { at: T + 10, cards: NO_CARDS, calibrationMode: true, pulses: 2000, events });
    expect(paired.watch.last).toBeNull();
  });
});

describe('sensor conditions', () => {
  it('an unanswered request is a motion data error at once, a sensor fault at the third in a row; an answer ends the fault', () => {
    const noAnswer = (consecutive: number) => ({ report: { type: 'sensor.noAnswer' as const, instruction: 0x70, consecutive } });
    const { records } = run([
      counter(0, 0),
      noAnswer(1),
      noAnswer(2),
      noAnswer(3),
      noAnswer(4),
      { report: { type: 'sensor.authenticated' } },
      counter(5000, 1000), // pulses were lost while unplugged: still disagreeing
      counter(7000, 3000),
    ]);
    expect(records).toEqual([
      [0x09, 1, 7],
      [0x35, 3, 5],
    ]);
  });

  it('a swapped sensor is 0x13, a failed authentication 0x11, each until the sensor authenticates; neither in calibration mode', () => {
    const changed = { type: 'sensor.authFailed' as const, reason: 'sensor-changed' as const, detail: 'another sensor' };
    const invalid = { type: 'sensor.authFailed' as const, reason: 'invalid-answer' as const, detail: 'padding' };
    const { records } = run([
      { report: changed },
      { report: changed },
      { report: invalid },
      { report: { type: 'sensor.authenticated' } },
      { report: changed, calibrationMode: true },
      { report: invalid, calibrationMode: true },
    ]);
    expect(records).toEqual([
      [0x11, 2, 3],
      [0x13, 0, 3],
    ]);
  });

  // Annex IC 83 (0x09) and 88 (recording equipment faults, 0x35): "while not in calibration mode"
  it('no motion data error and no sensor fault from an unanswered request in calibration mode', () => {
    const { records } = run([1, 2, 3].map((consecutive) => ({ report: { type: 'sensor.noAnswer' as const, instruction: 0x70, consecutive }, calibrationMode: true })));
    expect(records).toEqual([]);
  });

  it('Annex IC 83: a counter check that disagrees, or an unusable answer, in calibration mode is no 0x09; the checks go on', () => {
    const linkError = { report: { type: 'sensor.linkError' as const, code: 'bad-checksum', detail: 'bad-checksum', instruction: 0x70 }, calibrationMode: true };
    const { records, watch } = run([
      counter(0, 0),
      { ...counter(2000, 1000), calibrationMode: true }, // 1000 pulses missing, in calibration mode
      linkError,
      counter(4000, 3000), // the check goes on from the last counter: agrees
      counter(6000, 4000), // 1000 missing, not in calibration mode
    ]);
    expect(records).toEqual([[0x09, 4, null]]);
    expect(watch.last).toEqual({ counter: 6000, pulses: 4000 });
  });

  it('a 0x09 begun before calibration mode ends with the first check that agrees, in calibration mode too', () => {
    const { records } = run([counter(0, 0), counter(2000, 1000), { ...counter(4000, 3000), calibrationMode: true }]);
    expect(records).toEqual([[0x09, 1, 2]]);
  });

  it('an unusable answer is a motion data error; noise before an answer and frames nobody asked for are not', () => {
    const linkError = (code: string, instruction: number | null) => ({ report: { type: 'sensor.linkError' as const, code, detail: code, instruction } });
    expect(run([linkError('bad-header', 0x70), linkError('unexpected-reply', null)]).records).toEqual([]);
    expect(run([linkError('bad-checksum', 0x70)]).records).toEqual([[0x09, 0, null]]);
  });

  // Annex IC 85 (security breach attempts, '21'H..'25'H among them): "while not in calibration mode". The
  // VU learns of the sensor's events when it reads their counts (file 03 holds no times): the mode at reading.
  it("records the sensor's own events when the VU reads them, at most 10 a reading, none read in calibration mode", () => {
    const { events } = run([
      { report: { type: 'sensor.securityEvent', code: 0x24, occurrences: 1 } },
      { report: { type: 'sensor.securityEvent', code: 0x25, occurrences: 200 } },
      { report: { type: 'sensor.securityEvent', code: 0x22, occurrences: 3 }, calibrationMode: true },
      { report: { type: 'sensor.securityEvent', code: 0x24, occurrences: 1 }, calibrationMode: true },
    ]);
    const records = occurrences(events, T + 10);
    expect(records.filter((r) => r.type === 0x24).map((r) => r.begin - T)).toEqual([0]);
    expect(records.filter((r) => r.type === 0x25).map((r) => [r.begin - T, r.end! - T])).toEqual(Array.from({ length: 10 }, () => [1, 1]));
    expect(records.filter((r) => r.type === 0x22)).toEqual([]);
  });

  it('keeps the 10 most recent of each sensor event type (Annex IC 117, "Security breach attempt"), each type apart', () => {
    const { events } = run([
      ...Array.from({ length: 12 }, (_, i) => ({ report: { type: 'sensor.securityEvent' as const, code: 0x24 as const, occurrences: 1 }, at: T + 10 * i })),
      ...Array.from({ length: 3 }, (_, i) => ({ report: { type: 'sensor.securityEvent' as const, code: 0x21 as const, occurrences: 1 }, at: T + 5 + 10 * i })),
    ]);
    const records = occurrences(events, T + 200);
    expect(records.filter((r) => r.type === 0x24).map((r) => r.begin - T)).toEqual([20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
    expect(records.filter((r) => r.type === 0x21).map((r) => r.begin - T)).toEqual([5, 15, 25]);
  });

  it('a pairing ends every condition about the sensor fitted before', () => {
    const { watch, events } = run([counter(0, 0), { report: { type: 'sensor.noAnswer', instruction: 0x70, consecutive: 3 } }]);
    const paired = watchPaired(watch, { at: T + 60, cards: NO_CARDS, calibrationMode: true, pulses: 0, events });
    expect(occurrences(paired.events, T + 60).map((r) => [r.type, r.begin - T, r.end! - T])).toEqual([
      [0x09, 1, 60],
      [0x35, 1, 60],
    ]);
    expect(paired.watch).toEqual(createSensorWatch());
  });
});
