import { describe, expect, it } from 'vitest';
import { DAY, GnssVu, HOUR, MIN, real } from './test-support.ts';

/** A VU that has had a fix at T0 with a correct clock, then driven on. */
function synced() {
  return new GnssVu().at(0).fix();
}

describe('time conflict 0x0B (Annex IC 86 as amended, App. 12 §6)', () => {
  it('a 61 s skew gives one 0x0B with VU time and GNSS time, and an automatic adjustment to GNSS time', () => {
    const vu = synced().at(20_000).skew(61).fix();
    expect(vu.stored()).toEqual([[0x0b, real(20_000, 61), real(20_000), { gnssTime: real(20_000) }]]);
    expect(vu.adjustments).toEqual([{ oldTime: real(20_000, 61), newTime: real(20_000), kind: 'automatic' }]);
    expect(vu.vuNow()).toBe(vu.rigNow);
  });

  it('a 59 s skew and a 60 s skew give none (more than one minute), and no adjustment within the 12 h', () => {
    expect(synced().at(20_000).skew(59).fix().stored()).toEqual([]);
    const sixty = synced().at(20_000).skew(60).fix();
    expect(sixty.stored()).toEqual([]);
    expect(sixty.adjustments).toEqual([]);
  });

  it('compares whole seconds: a 59 s skew read with an RMC time 1.3 s old is still no conflict', () => {
    const vu = synced().at(20_300).skew(59).fix(1_300);
    expect(vu.stored()).toEqual([]);
  });

  it('no further 0x0B for 12 h: a second skew 2 h later gives none (and no adjustment); after 12 h, one', () => {
    const vu = synced().at(20_000).skew(90).fix();
    vu.at(2 * HOUR).skew(90).fix();
    expect(vu.stored()).toHaveLength(1);
    expect(vu.adjustments).toHaveLength(1);
    // Still locked one period before the 12 h are up (the clock is still 90 s ahead).
    vu.at(12 * HOUR).fix();
    expect(vu.stored()).toHaveLength(1);
    vu.at(12 * HOUR + 20_000).fix();
    expect(vu.stored()).toEqual([
      [0x0b, real(20_000, 90), real(20_000), { gnssTime: real(20_000) }],
      [0x0b, real(12 * HOUR + 20_000, 90), real(12 * HOUR + 20_000), { gnssTime: real(12 * HOUR + 20_000) }],
    ]);
    expect(vu.adjustments).toEqual([
      { oldTime: real(20_000, 90), newTime: real(20_000), kind: 'automatic' },
      { oldTime: real(12 * HOUR + 20_000, 90), newTime: real(12 * HOUR + 20_000), kind: 'automatic' },
    ]);
  });

  it('no valid fix for 31 days, then a skew: no 0x0B, but the clock is adjusted once GNSS is back', () => {
    const vu = synced();
    for (let d = 1; d <= 31; d++) vu.at(d * DAY - MIN).report({ type: 'gnss.noFix', time: null });
    vu.at(31 * DAY).skew(90).fix();
    expect(vu.stored()).toEqual([]);
    expect(vu.adjustments).toEqual([{ oldTime: real(31 * DAY, 90), newTime: real(31 * DAY), kind: 'automatic' }]);
    expect(vu.vuNow()).toBe(vu.rigNow);
    vu.at(31 * DAY + 20_000).fix();
    expect(vu.adjustments).toHaveLength(1);
  });

  it('the last fix 29 days ago: the same skew is a 0x0B', () => {
    const vu = synced().at(29 * DAY).skew(90).fix();
    expect(vu.stored()).toEqual([[0x0b, real(29 * DAY, 90), real(29 * DAY), { gnssTime: real(29 * DAY) }]]);
  });

  it('the last fix exactly 30 days ago is still within the last 30 days: the skew is a 0x0B (boundary included)', () => {
    const vu = synced().at(30 * DAY).skew(90).fix();
    expect(vu.stored()).toEqual([[0x0b, real(30 * DAY, 90), real(30 * DAY), { gnssTime: real(30 * DAY) }]]);
  });

  it('the first fix ever is no conflict (nothing seen in the last 30 days): the clock is set from it', () => {
    const vu = new GnssVu('external', 90_000).at(0).fix();
    expect(vu.stored()).toEqual([]);
    expect(vu.adjustments).toEqual([{ oldTime: real(0, 90), newTime: real(0), kind: 'automatic' }]);
  });

  it('in calibration mode: no 0x0B and no automatic adjustment; the adjustment follows when the mode is left', () => {
    const vu = synced();
    vu.calibrationMode = true;
    vu.at(20_000).skew(90).fix();
    expect(vu.stored()).toEqual([]);
    expect(vu.adjustments).toEqual([]);
    vu.calibrationMode = false;
    vu.at(40_000).fix();
    expect(vu.stored()).toEqual([[0x0b, real(40_000, 90), real(40_000), { gnssTime: real(40_000) }]]);
  });

  it('the internal receiver gives the same rule (GNS_34)', () => {
    const vu = new GnssVu('internal').at(0).fix().at(20_000).skew(61).fix();
    expect(vu.stored()).toEqual([[0x0b, real(20_000, 61), real(20_000), { gnssTime: real(20_000) }]]);
  });
});

describe('automatic time adjustment (req. 211 as amended)', () => {
  it('every 12 hours from GNSS time: a 5 s error waits for the period, then is corrected', () => {
    const vu = synced().at(HOUR).skew(5).fix();
    expect(vu.adjustments).toEqual([]);
    vu.at(12 * HOUR - 20_000).fix();
    expect(vu.adjustments).toEqual([]);
    vu.at(12 * HOUR).fix();
    expect(vu.adjustments).toEqual([{ oldTime: real(12 * HOUR, 5), newTime: real(12 * HOUR), kind: 'automatic' }]);
    expect(vu.stored()).toEqual([]);
    // The next period runs from this check.
    vu.at(12 * HOUR + HOUR).skew(5).fix().at(24 * HOUR - 20_000).fix();
    expect(vu.adjustments).toHaveLength(1);
    vu.at(24 * HOUR).fix();
    expect(vu.adjustments).toHaveLength(2);
  });

  it('as soon as valid GNSS time is back after it was unavailable', () => {
    const vu = synced().at(HOUR).skew(5).report({ type: 'gnss.noFix', time: null });
    vu.at(HOUR + 20_000).fix();
    expect(vu.adjustments).toEqual([{ oldTime: real(HOUR + 20_000, 5), newTime: real(HOUR + 20_000), kind: 'automatic' }]);
  });

  it('an error of exactly 2 s is past the tolerance: corrected when due', () => {
    const vu = synced().at(HOUR).skew(2).fix();
    expect(vu.adjustments).toEqual([]);
    vu.at(12 * HOUR).fix();
    expect(vu.adjustments).toEqual([{ oldTime: real(12 * HOUR, 2), newTime: real(12 * HOUR), kind: 'automatic' }]);
  });

  it('within the 2 s tolerance the clock is left alone and nothing is recorded, even when due', () => {
    const vu = synced().at(12 * HOUR + 1_300).fix(1_300);
    expect(vu.adjustments).toEqual([]);
    expect(vu.state.lastAutomaticCheck).toBe(vu.rigNow - 1_300);
    vu.at(12 * HOUR + 20_000).skew(2).fix();
    expect(vu.adjustments).toEqual([]);
  });
});

describe('a receiver repeating its last sentence (GNS_30, before the 3 hours)', () => {
  it('is not a time source: no conflict and no adjustment while the RMC time stands still', () => {
    const vu = new GnssVu().at(0).fix();
    const frozen = vu.rigNow;
    // the EGF keeps serving the same RMC for an hour, its time frozen at the last fix
    for (let t = 20_000; t <= 3_600_000; t += 20_000) vu.at(t).fix(vu.rigNow - frozen);
    expect(vu.stored()).toEqual([]);
    expect(vu.adjustments).toEqual([]);
  });
});
