import { describe, expect, it } from 'vitest';
import {
  comparisonDue,
  compareMotion,
  createMotionConflict,
  freshGnssSpeed,
  noteGnssSpeed,
  trimmedMeanKmh,
  trimmedValues,
  type MotionConflictOutcome,
  type MotionConflictState,
} from './motion-conflict.ts';

/** TimeReal of the VU clock at monotonic time 0. */
const S0 = Date.UTC(2026, 2, 2, 8, 0, 0) / 1000;
const MIN = 60;

/** A speed pair: [sensor, GNSS] km/h; GNSS null = no fresh position; `cal` = calibration mode. */
type Pair = readonly [number, number | null] | 'cal';

/** Feeds comparisons every `periodS` seconds from monotonic time `from` s on; collects outcomes with their second. */
class Feed {
  state: MotionConflictState = createMotionConflict();
  t = 0;
  readonly outcomes: [number, MotionConflictOutcome][] = [];
  constructor(readonly periodS = 10) {}

  /** `n` comparisons of the same pair. */
  run(n: number, pair: Pair): this {
    for (let i = 0; i < n; i++) {
      this.t += this.periodS;
      const r = compareMotion(this.state, {
        at: this.t * 1000,
        stamp: S0 + this.t,
        sensorKmh: pair === 'cal' ? 80 : pair[0],
        gnssKmh: pair === 'cal' ? 0 : pair[1],
        calibrationMode: pair === 'cal',
      });
      this.state = r.state;
      if (r.outcome.kind !== 'none') this.outcomes.push([this.t, r.outcome]);
    }
    return this;
  }
}

const agree: Pair = [80, 80];
const minus20: Pair = [60, 80];
const stop: Pair = [0, 0];

describe('vehicle motion conflict, trigger 1: trimmed mean of |GNSS − sensor| (GNS_42)', () => {
  it('a 20 km/h misreading from a full window of agreement: above 10 km/h from the 19th comparison, the event 5 minutes later, backdated', () => {
    const f = new Feed().run(30, agree); // 5 min of agreement: t = 10 .. 300 s
    f.run(18, minus20); // t = 310 .. 480: 18 of 30 values at 20 km/h, 6 dropped: 12 × 20 / 24 = 10, not above
    expect(trimmedMeanKmh(f.state)).toBe(10);
    expect(f.state.meanAbove).toBeNull();
    f.run(1, minus20); // t = 490: 13 × 20 / 24 = 10.83
    expect(f.state.meanAbove).toEqual({ movementMs: 490_000, stamp: S0 + 490 });
    f.run(29, minus20); // t = 780: 4 min 50 s above
    expect(f.outcomes).toEqual([]);
    f.run(1, minus20); // t = 790: 5 min above
    expect(f.outcomes).toEqual([[790, { kind: 'began', begin: S0 + 490, trigger: 'speed-difference' }]]);
    // The sensor reads true again: the mean stays above while 19 of the 30 values are still the misreading
    f.run(11, agree); // t = 900: 19 of 30
    expect(f.outcomes).toHaveLength(1);
    f.run(1, agree); // t = 910: 18 of 30, the mean is 10 again
    expect(f.outcomes[1]).toEqual([910, { kind: 'ended', end: S0 + 910 }]);
    expect(f.state.conflict).toBeNull();
  });

  it('five uninterrupted minutes: exactly 5 min of the mean above gives the event, 4 min 59 s does not (comparisons each second)', () => {
    const short = new Feed(1).run(300, minus20); // from an empty window the mean is 20 at once: above from t = 1 s to 300 s
    expect(short.state.meanAbove?.stamp).toBe(S0 + 1);
    expect(short.outcomes).toEqual([]); // 299 s of movement after the first
    short.run(1, stop);
    expect(short.state.meanAbove).toBeNull();

    const full = new Feed(1).run(301, minus20);
    expect(full.outcomes).toEqual([[301, { kind: 'began', begin: S0 + 1, trigger: 'speed-difference' }]]);
  });

  it('a stop in the middle interrupts the five minutes; the window keeps the values of the last 5 minutes of movement across it', () => {
    const f = new Feed().run(30, [40, 80]);
    f.run(1, stop).run(6 * 6, stop); // parked 6 min: no movement, nothing enters the window
    expect(f.state.meanAbove).toBeNull();
    expect(f.state.window).toHaveLength(30);
    f.run(1, [40, 80]); // moving again: the mean is still 40 (the window spans movement, not the clock)
    expect(trimmedMeanKmh(f.state)).toBe(40);
    f.run(29, [40, 80]).run(1, stop).run(30, [40, 80]);
    expect(f.outcomes).toEqual([]);
    f.run(1, [40, 80]); // 5 min since the stop
    expect(f.outcomes).toEqual([[f.t, { kind: 'began', begin: S0 + f.t - 300, trigger: 'speed-difference' }]]);
    f.run(1, stop);
    expect(f.outcomes[1]).toEqual([f.t, { kind: 'ended', end: S0 + f.t }]);
  });

  it('the trimming drops the highest fifth: six outliers in 30 values change nothing, a seventh counts', () => {
    expect(trimmedValues([5, 100, 1, 7, 3])).toEqual([1, 3, 5, 7]);
    expect(trimmedValues([100, 90, 80, 70])).toEqual([70, 80, 90, 100]);
    expect(trimmedValues(Array.from({ length: 30 }, (_, i) => i))).toEqual(Array.from({ length: 24 }, (_, i) => i));
    // 24 comparisons 9 km/h apart and 6 wildly off in every 5 minutes, for an hour: the mean stays 9
    const f = new Feed();
    for (let i = 0; i < 72; i++) f.run(4, [71, 80]).run(1, [0, 80]);
    expect(trimmedMeanKmh(f.state)).toBe(9);
    expect(f.state.meanAbove).toBeNull();
    expect(f.outcomes).toEqual([]);
    // the untrimmed mean would have been (24 × 9 + 6 × 80) / 30 = 23.2 km/h; one more outlier is in the mean
    f.run(1, [0, 80]);
    expect(trimmedMeanKmh(f.state)).toBeCloseTo((23 * 9 + 80) / 24, 12);
  });

  it('a step change of 80 km/h with the GNSS speed a period late is absorbed: stop-and-go for an hour gives nothing', () => {
    const f = new Feed().run(30, stop);
    for (let i = 0; i < 20; i++) {
      f.run(2, [80, 0]); // moving off: the sensor at once, the GNSS position up to 20 s old
      f.run(10, agree);
      f.run(2, [0, 80]); // stopping: the same the other way
      f.run(6, stop);
    }
    expect(f.outcomes).toEqual([]);
  });

  it('a trimmed mean of exactly 10 km/h is not above it; 10.1 km/h is (whole tenths, no float noise)', () => {
    expect(new Feed().run(120, [70, 80]).state.meanAbove).toBeNull();
    const f = new Feed().run(31, [70, 80.1]);
    expect(f.state.meanAbove?.stamp).toBe(S0 + 10);
    expect(f.outcomes).toEqual([[310, { kind: 'began', begin: S0 + 10, trigger: 'speed-difference' }]]);
  });

  it('a comparison without a fresh GNSS speed neither counts nor interrupts the minutes', () => {
    const f = new Feed().run(18, [40, 80]).run(12, [40, null]).run(12, [40, 80]);
    expect(f.outcomes).toEqual([]); // 29 compared comparisons after the first: 4 min 50 s of compared movement
    f.run(1, [40, 80]);
    expect(f.outcomes).toEqual([[430, { kind: 'began', begin: S0 + 10, trigger: 'speed-difference' }]]);
    // a conflict on-going through a GNSS gap stays on until a comparison says otherwise
    f.run(30, [40, null]).run(1, [40, 80]);
    expect(f.outcomes).toHaveLength(1);
  });

  it('calibration mode (Annex IC 84): no conflict builds up, and one on-going ends at the first comparison in it', () => {
    const f = new Feed();
    for (let i = 0; i < 20; i++) f.run(20, [40, 80]).run(1, 'cal');
    expect(f.outcomes).toEqual([]);
    f.run(31, [40, 80]);
    expect(f.outcomes).toHaveLength(1);
    f.run(1, 'cal');
    expect(f.outcomes[1]).toEqual([f.t, { kind: 'ended', end: S0 + f.t }]);
  });
});

describe('vehicle motion conflict, trigger 3: the sensor stationary while the GNSS shows movement (GNS_42)', () => {
  it('10 minutes of the sensor at 0 with the GNSS at 5 km/h or more give the event, backdated; 9 min 50 s do not', () => {
    const f = new Feed().run(30, [8, 8]); // crawling at 8 km/h: a difference of 8 is never a trigger-1 conflict
    f.run(60, [0, 8]); // t = 310 .. 900: the first discrepancy at 310, the 60th at 9 min 50 s after it
    expect(f.outcomes).toEqual([]);
    f.run(1, [0, 8]);
    expect(f.outcomes).toEqual([[910, { kind: 'began', begin: S0 + 310, trigger: 'sensor-standstill' }]]);
    expect(f.state.meanAbove).toBeNull();
    f.run(1, [8, 8]);
    expect(f.outcomes[1]).toEqual([920, { kind: 'ended', end: S0 + 920 }]);
  });

  it('below 5 km/h of GNSS speed nothing, for hours; one comparison where the sensor moves starts the count again', () => {
    expect(new Feed().run(6 * 360, [0, 4.9]).outcomes).toEqual([]);
    const f = new Feed().run(59, [0, 6]).run(1, [1, 6]).run(60, [0, 6]);
    expect(f.outcomes).toEqual([]);
  });

  it('a sensor at 0 with the GNSS at 80 km/h: the trimmed mean fires first, and one 0x0A covers both', () => {
    const f = new Feed().run(30, agree).run(100, [0, 80]);
    expect(f.outcomes).toEqual([[f.outcomes[0]![0], { kind: 'began', begin: S0 + 300 + 100, trigger: 'speed-difference' }]]);
    expect(f.outcomes[0]![0]).toBe(400 + 300);
  });
});

describe('GNSS speed freshness and the comparison period', () => {
  it('uses a GNSS speed up to the given age, none older, none before the first', () => {
    const s = noteGnssSpeed(createMotionConflict(), 80.4, 20_000);
    expect(freshGnssSpeed(createMotionConflict(), 20_000, 22_000)).toBeNull();
    expect(freshGnssSpeed(s, 42_000, 22_000)).toBe(80.4);
    expect(freshGnssSpeed(s, 42_001, 22_000)).toBeNull();
  });

  it('a comparison is due at the first second and every 10 s after', () => {
    const s = compareMotion(createMotionConflict(), { at: 1000, stamp: S0 + 1, sensorKmh: 0, gnssKmh: 0, calibrationMode: false }).state;
    expect(comparisonDue(createMotionConflict(), 1000)).toBe(true);
    expect([comparisonDue(s, 10_999), comparisonDue(s, 11_000)]).toEqual([false, true]);
    expect(comparisonDue(s, 999)).toBe(true); // a restarted timer
  });
});
