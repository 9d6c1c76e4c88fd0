import { describe, expect, it } from 'vitest';
import { eventFaultType, Purpose, type EventFaultTypeSpec } from './event-fault-types.ts';
import { judge, type Judged } from './retention.ts';

/**
 * The tie and boundary rules of the storing rules (Annex IC 117, 118), judged directly: which occurrence of a
 * day, a year or a calibration period is the one kept when the measure or the begin is the same. The choices
 * are retention.ts's (the table is silent on ties): a rank tie goes to the earlier begin, then the earlier
 * recorded; "last" to the later begin, then the later recorded; "first" to the earlier begin, then the earlier
 * recorded.
 */

const DAY = 86_400;
/** 2025-01-01T00:00:00Z as TimeReal. */
const D0 = 1_735_689_600;
const at = (day: number, hh: number, mm = 0) => D0 + day * DAY + hh * 3600 + mm * 60;

const span = (id: number, begin: number, seconds: number): Judged => ({ id, begin, end: begin + seconds, data: {} });
const instant = (id: number, begin: number): Judged => ({ id, begin, end: begin, data: {} });
const overSpeed = (id: number, begin: number, averageSpeed: number): Judged => ({
  id,
  begin,
  end: begin + 120,
  data: { maxSpeed: averageSpeed + 10, averageSpeed },
});

/** id -> purposes, for the ids that have any. */
const purposesOf = (spec: EventFaultTypeSpec, occurrences: Judged[], now: number, calibration: number | null = null) =>
  Object.fromEntries([...judge(spec, occurrences, now, calibration).purposes].sort(([a], [b]) => a - b));

describe('longest of the day (0x0E, Annex IC 117 "the longest event for each of the 10 last days of occurrence")', () => {
  const egf = eventFaultType(0x0e);

  it('gives an equally long event to the one that began earlier, whichever was recorded first', () => {
    expect(purposesOf(egf, [span(1, at(0, 9), 60), span(2, at(0, 8), 60)], at(0, 10))).toEqual({
      2: [Purpose.longestOfDay, Purpose.longestOfYear],
      1: [Purpose.longestOfYear],
    });
  });

  it('gives an equally long event that began at the same second to the one recorded first', () => {
    const verdict = judge(egf, [span(2, at(0, 8), 60), span(1, at(0, 8), 60)], at(0, 10), null);
    expect(verdict.purposes.get(1)).toEqual([Purpose.longestOfDay, Purpose.longestOfYear]);
    expect(verdict.purposes.get(2)).toEqual([Purpose.longestOfYear]);
  });

  it('ranks the 5 longest of the year on length, then begin: a sixth as long and later is not among them', () => {
    const six = [6, 5, 4, 3, 2, 1].map((id) => span(id, at(id, 8), 60));
    const verdict = judge(egf, six, at(6, 10), null);
    expect([...verdict.purposes].filter(([, p]) => p.includes(Purpose.longestOfYear)).map(([id]) => id).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('the 5 longest of the last 365 days: what is kept because it may still rise into them', () => {
  const egf = eventFaultType(0x0e);
  // day 0: one of 100 s; day 1: four of 200 s, then one of 50 s. The 50 s one is sixth, but only four better
  // ones began on its day or later: once day 0 leaves the 365 days it is among the 5 longest.
  const fed = [span(1, at(0, 8), 100), ...[2, 3, 4, 5].map((id) => span(id, at(1, id), 200)), span(6, at(1, 9), 50)];

  it('keeps the sixth while fewer than 5 better ones began on its day or later, with no purpose yet', () => {
    const verdict = judge(egf, fed, at(1, 12), null);
    expect(verdict.purposes.get(6)).toBeUndefined();
    expect(verdict.keep.has(6)).toBe(true);
  });

  it('downloads it as one of the 5 longest once the better, older one has left the 365 days', () => {
    expect(judge(egf, fed, at(364, 12), null).purposes.get(6)).toBeUndefined();
    expect(judge(egf, fed, at(365, 0), null).purposes.get(6)).toEqual([Purpose.longestOfYear]);
  });

  it('drops it once 5 better ones began on its day or later', () => {
    const verdict = judge(egf, [...fed, span(7, at(1, 10), 300)], at(1, 12), null);
    expect(verdict.keep.has(6)).toBe(false);
    expect(verdict.keep.has(1)).toBe(true); // still one of the 5 longest
  });
});

describe('last of the day (0x05, Annex IC 117 "the last event for each of the 10 last days of occurrence")', () => {
  const insertion = eventFaultType(0x05);

  it('gives the day to the later begin, even when it was recorded before', () => {
    expect(purposesOf(insertion, [instant(1, at(0, 10)), instant(2, at(0, 9))], at(0, 12))).toEqual({ 1: [Purpose.lastOfDay] });
  });

  it('gives two at the same second to the one recorded last', () => {
    expect(purposesOf(insertion, [instant(1, at(0, 10)), instant(2, at(0, 10))], at(0, 12))).toEqual({ 2: [Purpose.lastOfDay] });
  });
});

describe('first after the last calibration (0x07, Annex IC 117 "the first event having occurred after the last calibration")', () => {
  const overSpeeding = eventFaultType(0x07);
  const calibration = at(0, 8);

  it('is the earliest begin at or after the calibration, whatever order they were recorded in', () => {
    const verdict = judge(overSpeeding, [overSpeed(1, at(0, 11), 95), overSpeed(2, at(0, 10), 95), overSpeed(3, at(0, 7), 95)], at(0, 12), calibration);
    expect([...verdict.purposes].filter(([, p]) => p.includes(Purpose.firstAfterCalibration)).map(([id]) => id)).toEqual([2]);
  });

  it('counts an event that began in the second of the calibration as after it', () => {
    const verdict = judge(overSpeeding, [overSpeed(1, calibration - 1, 95), overSpeed(2, calibration, 95)], at(0, 12), calibration);
    expect(verdict.purposes.get(2)).toEqual([Purpose.mostSeriousOfYear, Purpose.firstAfterCalibration]);
    expect(verdict.purposes.get(1)).toEqual([Purpose.mostSeriousOfDay, Purpose.mostSeriousOfYear]);
  });

  it('gives two that began at the same second to the one recorded first', () => {
    const verdict = judge(overSpeeding, [overSpeed(2, at(0, 10), 95), overSpeed(1, at(0, 10), 90)], at(0, 12), calibration);
    expect(verdict.purposes.get(1)).toEqual([Purpose.mostSeriousOfYear, Purpose.firstAfterCalibration]);
  });

  it('gives one event all the purposes it qualifies under, in ascending order', () => {
    // the table lists the clauses in ascending purpose; a row written the other way round is sorted all the same
    const reversed: EventFaultTypeSpec = { ...overSpeeding, retention: [...overSpeeding.retention].reverse() };
    expect(purposesOf(reversed, [overSpeed(1, at(0, 10), 95)], at(0, 12), calibration)).toEqual({
      1: [Purpose.mostSeriousOfDay, Purpose.mostSeriousOfYear, Purpose.firstAfterCalibration],
    });
  });
});
