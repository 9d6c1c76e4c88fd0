import { describe, expect, it } from 'vitest';
import { createOverSpeeding, sampleSpeed, type OverSpeedingOutcome } from './over-speeding.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

/** Feeds one speed per second, starting with the second that ends at T0 + 1 s. */
function run(speeds: number[], limit = 90): OverSpeedingOutcome[] {
  let state = createOverSpeeding();
  const out: OverSpeedingOutcome[] = [];
  speeds.forEach((kmh, i) => {
    let outcome: OverSpeedingOutcome;
    [state, outcome] = sampleSpeed(state, kmh, limit, T0 + (i + 1) * 1000);
    if (outcome.kind !== 'none') out.push(outcome);
  });
  return out;
}

describe('over speeding (0x07)', () => {
  it('raises one event for 61 s above the limit, backdated to the first second, with max and average', () => {
    const speeds = [80, ...Array(60).fill(95), 100, 80];
    expect(run(speeds)).toEqual([
      { kind: 'began', begin: T0 + 1000 },
      { kind: 'ended', period: { begin: T0 + 1000, end: T0 + 62_000, maxKmh: 100, averageKmh: 95 } },
    ]);
  });

  it('raises nothing for 59 s or exactly 60 s above the limit', () => {
    expect(run([...Array(59).fill(95), 80])).toEqual([]);
    expect(run([...Array(60).fill(95), 80])).toEqual([]);
  });

  it('does not count a speed equal to the limit', () => {
    expect(run([...Array(120).fill(90), 80])).toEqual([]);
  });

  it('stores a speed beyond the App. 1 Speed octet as 255, the average of the measured speeds likewise', () => {
    // 70 s at 440 km/h (a tampered pulse line): refused as 'not a valid speed' before, which stopped the VU
    expect(run([...Array(70).fill(440), 80])).toEqual([
      { kind: 'began', begin: T0 },
      { kind: 'ended', period: { begin: T0, end: T0 + 70_000, maxKmh: 255, averageKmh: 255 } },
    ]);
    // the average is of the speeds measured, then stored as the octet holds it: (31 × 300 + 30 × 190) / 61 = 246
    expect(run([...Array(31).fill(300), ...Array(30).fill(190), 80])).toEqual([
      { kind: 'began', begin: T0 },
      { kind: 'ended', period: { begin: T0, end: T0 + 61_000, maxKmh: 255, averageKmh: 246 } },
    ]);
  });
});
