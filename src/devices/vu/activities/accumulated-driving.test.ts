import { describe, expect, it } from 'vitest';
import { countMinute, createAccumulatedDriving, type AccumulatedDriving } from './accumulated-driving.ts';

function feed(acc: AccumulatedDriving, minutes: boolean[]): { acc: AccumulatedDriving; reached: Array<[index: number, minutes: number]> } {
  const reached: Array<[number, number]> = [];
  minutes.forEach((driving, i) => {
    const r = countMinute(acc, driving);
    acc = r.acc;
    if (r.reached !== null) reached.push([i, r.reached]);
  });
  return { acc, reached };
}

const run = (n: number, driving: boolean) => Array.from({ length: n }, () => driving);

describe('accumulated driving time (definition fff)', () => {
  it('reaches 180 once, on the 180th DRIVING minute, across a break', () => {
    // 1 h 30 min driving, 45 min break, 1 h 30 min driving, 10 min more
    const { acc, reached } = feed(createAccumulatedDriving(), [...run(90, true), ...run(45, false), ...run(100, true)]);
    expect(reached).toEqual([[90 + 45 + 89, 180]]);
    expect(acc.minutes).toBe(190);
  });

  it('reaches 360 as the second multiple, once', () => {
    const { acc, reached } = feed(createAccumulatedDriving(), [...run(179, true), false, ...run(181, true), ...run(30, false)]);
    expect(reached).toEqual([[179 + 1 + 0, 180], [179 + 1 + 180, 360]]);
    expect(acc.minutes).toBe(360);
  });

  it('does not count other minutes', () => {
    expect(countMinute({ minutes: 179 }, false)).toEqual({ acc: { minutes: 179 }, reached: null });
    expect(countMinute({ minutes: 179 }, true)).toEqual({ acc: { minutes: 180 }, reached: 180 });
    expect(countMinute({ minutes: 180 }, true)).toEqual({ acc: { minutes: 181 }, reached: null });
  });
});
