import { describe, expect, it } from 'vitest';
import { createSpeedJump, resumeSpeedJump, sampleSpeedJump, type SpeedJumpOutcome, type SpeedJumpState } from './speed-jump.ts';

const T = 1_772_438_400; // 2026-03-02T08:00:00Z

/** Feeds one speed a second (the sample of second i ends at T + i + 1) and gives the jumps, relative to T. */
function jumps(speeds: number[], state: SpeedJumpState = createSpeedJump()): [number, number][] {
  const out: [number, number][] = [];
  speeds.forEach((kmh, i) => {
    const r = sampleSpeedJump(state, kmh, T + i + 1);
    state = r.state;
    if (r.outcome.kind === 'jump') out.push([r.outcome.begin - T, r.outcome.end - T]);
  });
  return out;
}

describe('Annex IC 83: speed from 0 to more than 40 km/h within 1 s, then above 40 km/h for at least 3 s', () => {
  it('a jump held for the three seconds after it is one 0x09, from the last second at 0 to the confirming second', () => {
    // samples: 0 (ends T+1), 80 (ends T+2: the jump second began at T+1), 80, 80, 80 (ends T+5)
    expect(jumps([0, 80, 80, 80, 80, 80, 80])).toEqual([[1, 5]]);
  });

  it('held for only two seconds after the jump second: nothing', () => {
    expect(jumps([0, 80, 80, 80, 0, 0])).toEqual([]);
    expect(jumps([0, 80, 80, 80, 40, 80, 80])).toEqual([]);
  });

  it('more than 40 km/h: 41 jumps, 40 does not, and 40 afterwards breaks the three seconds', () => {
    expect(jumps([0, 41, 41, 41, 41])).toEqual([[1, 5]]);
    expect(jumps([0, 40, 80, 80, 80, 80])).toEqual([]);
    expect(jumps([0, 41, 41, 40, 41, 41])).toEqual([]);
  });

  it('only from 0: from 1 km/h, or from 0 through an intermediate second, is no jump', () => {
    expect(jumps([1, 80, 80, 80, 80])).toEqual([]);
    expect(jumps([0, 30, 80, 80, 80, 80])).toEqual([]);
  });

  it('each jump from a standstill counts; a drive on after the confirmation adds none', () => {
    expect(jumps([0, 90, 90, 90, 90, 90, 90, 0, 0, 50, 50, 50, 50])).toEqual([
      [1, 5],
      [9, 13],
    ]);
  });

  it('the first sample after a start or a power-up only sets the previous speed', () => {
    expect(jumps([80, 80, 80, 80])).toEqual([]);
    const stopped = sampleSpeedJump(createSpeedJump(), 0, T).state;
    expect(stopped.previousKmh).toBe(0);
    expect(jumps([80, 80, 80, 80], resumeSpeedJump())).toEqual([]);
    expect(jumps([80, 80, 80, 80], stopped)).toEqual([[0, 4]]);
  });

  it('gives no outcome but "none" until a jump is confirmed', () => {
    let state = createSpeedJump();
    const outcomes: SpeedJumpOutcome['kind'][] = [];
    for (const kmh of [0, 80, 80, 80]) {
      const r = sampleSpeedJump(state, kmh, T);
      state = r.state;
      outcomes.push(r.outcome.kind);
    }
    expect(outcomes).toEqual(['none', 'none', 'none', 'none']);
    expect(state.pending).toEqual({ begin: T - 1, secondsAbove: 2 });
  });
});
