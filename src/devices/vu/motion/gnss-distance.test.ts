import { describe, expect, it } from 'vitest';
import { ferryTrainMsBetween } from '../specific-conditions/crossing-time.ts';
import { SPECIFIC_CONDITION_TYPE, type VuSpecificCondition } from '../specific-conditions/specific-conditions.ts';
import { checkGnssDistance, createGnssDistance, explainedDistanceKm, gnssDistanceKm, odometerDifferenceKm, type DistanceCheckInput, type GnssDistanceState } from './gnss-distance.ts';
import { compareMotion, comparePositions, createMotionConflict, type MotionConflictOutcome, type MotionConflictState } from './motion-conflict.ts';

/** TimeReal of the VU clock at monotonic time 0. */
const S0 = Date.UTC(2026, 2, 2, 8, 0, 0) / 1000;
const MIN = 60_000;
/** App. 1 GeoCoordinates: 50°00.0' N, 4°21.0' E; one unit of latitude is 0.1 arc minute. */
const LAT0 = 50000;
const LON0 = 4210;
/** 0.1 arc minute of a meridian on the mean Earth sphere (6371.0088 km), km. */
const UNIT_KM = (6371.0088 * Math.PI) / 180 / 600;

const BEGIN = SPECIFIC_CONDITION_TYPE['ferry-train-begin'];
const END = SPECIFIC_CONDITION_TYPE['ferry-train-end'];

/** A position `units` tenths of an arc minute north of LAT0 at monotonic minute `min`, the odometer at `odo` km. */
function at(min: number, units: number, odo: number, extra: Partial<DistanceCheckInput> = {}): DistanceCheckInput {
  return { at: min * MIN, stamp: S0 + min * 60, latitude: LAT0 + units, longitude: LON0, odometerKm: odo, calibrationMode: false, crossingOpen: false, ferryTrainMs: () => 0, ...extra };
}

describe('GNS_42 trigger 2: the condition', () => {
  it('distance between GeoCoordinates on the mean Earth sphere, height left out; across the odometer roll-over', () => {
    expect(gnssDistanceKm({ latitude: LAT0, longitude: LON0 }, { latitude: LAT0 + 76, longitude: LON0 })).toBeCloseTo(76 * UNIT_KM, 9);
    expect(76 * UNIT_KM).toBeCloseTo(14.0847, 4);
    // a degree of longitude at 50° N is cos(50°) of one of latitude
    expect(gnssDistanceKm({ latitude: LAT0, longitude: 0 }, { latitude: LAT0, longitude: 1000 })).toBeCloseTo(111.1951 * Math.cos((50 * Math.PI) / 180), 2);
    expect(odometerDifferenceKm(9_999_999.5, 0.5)).toBeCloseTo(1, 9);
    expect(odometerDifferenceKm(100, 112.5)).toBe(12.5);
  });

  it('OdometerDifference × 1.1 + min(10 km, OdometerDifference × 0.2) + 1 km + 200 km/h × tFerryTrain', () => {
    expect(explainedDistanceKm(0, 0)).toBe(1);
    expect(explainedDistanceKm(10, 0)).toBeCloseTo(14, 12); // 11 + 2 + 1
    expect(explainedDistanceKm(100, 0)).toBeCloseTo(121, 12); // 110 + 10 (the slip's upper limit) + 1
    expect(explainedDistanceKm(10, 30 * MIN)).toBeCloseTo(114, 12); // a 30-minute crossing: 100 km more
  });

  it("the crossings' time in an interval: end flag minus begin flag, clipped to it; an open one to its end", () => {
    const ms = (s: number) => (S0 + s) * 1000;
    const records: VuSpecificCondition[] = [
      { entryTime: ms(120), type: BEGIN },
      { entryTime: ms(1920), type: END },
      { entryTime: ms(3000), type: SPECIFIC_CONDITION_TYPE['out-of-scope-begin'] },
      { entryTime: ms(3600), type: BEGIN },
      { entryTime: ms(3660), type: END },
    ];
    expect(ferryTrainMsBetween(records, null, ms(0), ms(1980))).toBe(30 * MIN);
    expect(ferryTrainMsBetween(records, null, ms(1020), ms(4000))).toBe(15 * MIN + 1 * MIN); // the first clipped at 1020 s
    expect(ferryTrainMsBetween(records, null, ms(1980), ms(3500))).toBe(0);
    expect(ferryTrainMsBetween(records, ms(4000), ms(3900), ms(4300))).toBe(5 * MIN);
    // an end whose begin is no longer kept counts from the interval's start
    expect(ferryTrainMsBetween([{ entryTime: ms(600), type: END }], null, ms(0), ms(900))).toBe(10 * MIN);
  });
});

describe('GNS_42 trigger 2: checks every 15 minutes, on the positions the VU accepts', () => {
  /** Feeds positions to the whole motion conflict state; collects outcomes by minute. */
  class Positions {
    state: MotionConflictState = createMotionConflict();
    readonly outcomes: [number, MotionConflictOutcome][] = [];
    feed(p: DistanceCheckInput): this {
      const r = comparePositions(this.state, p);
      this.state = r.state;
      if (r.outcome.kind !== 'none') this.outcomes.push([p.at / MIN, r.outcome]);
      return this;
    }
  }

  it('the first position starts the interval; a check at 15 min, none before; begun at the previous position, ended at the check that finds it false', () => {
    const f = new Positions().feed(at(0, 0, 0));
    expect(f.state.distance.reference?.stamp).toBe(S0);
    f.feed(at(14.99, 20, 0)); // 3.7 km moved by GNSS, the odometer still: not due yet
    expect(f.outcomes).toEqual([]);
    expect(f.state.distance.reference?.stamp).toBe(S0);
    f.feed(at(15, 20, 0)); // 3.71 km > 1 km
    expect(f.outcomes).toEqual([[15, { kind: 'began', begin: S0, trigger: 'gnss-distance' }]]);
    expect(f.state.distance).toEqual({ reference: { at: 15 * MIN, stamp: S0 + 900, latitude: LAT0 + 20, longitude: LON0, odometerKm: 0 }, holds: { begin: S0 } });
    f.feed(at(30, 47, 5)); // 27 units, 5.0 km, against 5 × 1.1 + 1 + 1 = 7.5 km: false
    expect(f.outcomes[1]).toEqual([30, { kind: 'ended', end: S0 + 1800 }]);
    expect(f.state.distance.reference?.stamp).toBe(S0 + 1800);
  });

  it('at the boundary: 76 units (14.08 km) against 10 km of odometer (14 km explained) hold, 75 units (13.90 km) do not', () => {
    expect(checkGnssDistance({ reference: at(0, 0, 100), holds: null }, at(15, 76, 110))).toMatchObject({ checked: true, state: { holds: { begin: S0 } } });
    expect(checkGnssDistance({ reference: at(0, 0, 100), holds: null }, at(15, 75, 110))).toMatchObject({ checked: true, state: { holds: null } });
  });

  it('a check due while positions were missing is made at the first position after', () => {
    const f = new Positions().feed(at(0, 0, 0)).feed(at(47, 20, 0));
    expect(f.outcomes).toEqual([[47, { kind: 'began', begin: S0, trigger: 'gnss-distance' }]]);
  });

  it('a run that goes on keeps its begin; a trigger 1 conflict open already is not opened again', () => {
    const f = new Positions().feed(at(0, 0, 0)).feed(at(15, 20, 0)).feed(at(30, 40, 0));
    expect(f.outcomes).toEqual([[15, { kind: 'began', begin: S0, trigger: 'gnss-distance' }]]);
    expect(f.state.distance.holds).toEqual({ begin: S0 });
  });

  describe('Annex IC 84 and the ferry/train case (FerryTrainDistance)', () => {
    // the vehicle on a train for 30 minutes (2 to 32 min), 50 km north, its wheels still; then 30 s of driving
    const crossing = (endMin: number) => (from: number, to: number) =>
      ferryTrainMsBetween(
        [
          { entryTime: (S0 + 120) * 1000, type: BEGIN },
          { entryTime: (S0 + endMin * 60) * 1000, type: END },
        ],
        null,
        from * 1000,
        to * 1000,
      );
    const ride = (f: Positions, endMin: number | null) => {
      const ferryTrainMs = endMin === null ? () => 0 : crossing(endMin);
      f.feed(at(0, 0, 0));
      // during the declared crossing nothing is checked, the interval's start kept
      if (endMin !== null) f.feed(at(15, 135, 0, { crossingOpen: endMin > 15 })).feed(at(30, 270, 0, { crossingOpen: endMin > 30 }));
      else f.feed(at(15, 135, 0)).feed(at(30, 270, 0));
      f.feed(at(33, 273, 0.5, { ferryTrainMs }));
      return f;
    };

    it('the train ride declared as a crossing: none, neither during it nor at the check after its end (50.6 km against 101.65 km explained)', () => {
      const f = ride(new Positions(), 32);
      expect(f.outcomes).toEqual([]);
      expect(f.state.distance.reference?.stamp).toBe(S0 + 33 * 60);
    });

    it('positive control: the same ride undeclared is a conflict at the first check, begun at the first position', () => {
      const f = ride(new Positions(), null);
      expect(f.outcomes).toEqual([[15, { kind: 'began', begin: S0, trigger: 'gnss-distance' }]]);
    });

    it('positive control: a crossing ended after 1 minute while the train went on explains 3.3 km of the 50.6: a conflict at the first check after its end, begun before the crossing', () => {
      const f = new Positions().feed(at(0, 0, 0)).feed(at(15, 135, 0)); // the crossing (2 to 3 min) ended before this check
      expect(f.outcomes).toEqual([[15, { kind: 'began', begin: S0, trigger: 'gnss-distance' }]]);
      const g = new Positions().feed(at(0, 0, 0)).feed(at(15, 135, 0, { ferryTrainMs: crossing(3) }));
      expect(g.outcomes).toEqual([[15, { kind: 'began', begin: S0, trigger: 'gnss-distance' }]]);
    });
  });

  it('calibration mode: no check, and the interval starts again at the first position outside it', () => {
    const f = new Positions().feed(at(0, 0, 0)).feed(at(15, 20, 0, { calibrationMode: true }));
    expect(f.outcomes).toEqual([]);
    expect(f.state.distance).toEqual(createGnssDistance());
    f.feed(at(16, 20, 0)).feed(at(30, 40, 0));
    expect(f.outcomes).toEqual([]); // 14 min since the new start
    f.feed(at(31, 40, 0));
    expect(f.outcomes).toEqual([[31, { kind: 'began', begin: S0 + 16 * 60, trigger: 'gnss-distance' }]]);
  });

  it('an on-going trigger 2 conflict: a stop does not end it, a comparison in calibration mode (or during a crossing) does', () => {
    const f = new Positions().feed(at(0, 0, 0)).feed(at(15, 20, 0));
    const stopped = compareMotion(f.state, { at: 15 * MIN + 10_000, stamp: S0 + 910, sensorKmh: 0, gnssKmh: 0, calibrationMode: false });
    expect(stopped.outcome).toEqual({ kind: 'none' });
    const calibration = compareMotion(stopped.state, { at: 15 * MIN + 20_000, stamp: S0 + 920, sensorKmh: 0, gnssKmh: 0, calibrationMode: true });
    expect(calibration.outcome).toEqual({ kind: 'ended', end: S0 + 920 });
    // the discrepancy is recorded: the next interval starts at the next position
    expect(calibration.state.distance).toEqual({ reference: null, holds: null });
  });

  it('a trigger 1 conflict that ends starts a new interval, so trigger 2 does not record the same discrepancy again, backdated over it', () => {
    let state: MotionConflictState = { ...createMotionConflict(), distance: { reference: at(0, 0, 0), holds: null } as GnssDistanceState, conflict: { begin: S0 + 60, trigger: 'speed-difference' } };
    const r = compareMotion(state, { at: 12 * MIN, stamp: S0 + 720, sensorKmh: 80, gnssKmh: 80, calibrationMode: false });
    expect(r.outcome).toEqual({ kind: 'ended', end: S0 + 720 });
    state = r.state;
    expect(state.distance.reference).toBeNull();
    const next = comparePositions(state, at(15, 20, 0));
    expect(next.outcome).toEqual({ kind: 'none' });
    expect(next.state.distance.reference?.stamp).toBe(S0 + 900);
  });
});
