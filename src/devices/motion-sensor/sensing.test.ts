import { describe, expect, it } from 'vitest';
import { cumulativePulses } from './pulses.ts';
import { sensedDistance, setSpeedFactor, trueSensing } from './sensing.ts';

describe('sensed distance', () => {
  it('is the world distance bit for bit while the sensor measures truly', () => {
    for (const m of [0, 0.1, 0.29, 1234.5678, 90_000, 1e9 + 0.125]) expect(sensedDistance(trueSensing(), m)).toBe(m);
  });

  it('scales the travel from the change on, continuous at the change, and a factor of 1 restores the true speed', () => {
    // 1 km true, then 0.75 for 2 km true (1.5 km sensed), then true again for 1 km
    let s = setSpeedFactor(trueSensing(), 0.75, 1000);
    expect(sensedDistance(s, 1000)).toBe(1000);
    expect(sensedDistance(s, 3000)).toBe(2500);
    s = setSpeedFactor(s, 1, 3000);
    expect(sensedDistance(s, 3000)).toBe(2500);
    expect(sensedDistance(s, 4000)).toBe(3500);
    // k = 8000: 28 000 pulses for 3.5 km sensed
    expect(cumulativePulses(sensedDistance(s, 4000), 8000)).toBe(28_000);
  });

  it('factor 0 holds the distance still while the world moves on', () => {
    const s = setSpeedFactor(setSpeedFactor(trueSensing(), 0.5, 200), 0, 600);
    expect(sensedDistance(s, 600)).toBe(400);
    expect(sensedDistance(s, 50_000)).toBe(400);
  });

  it('integrates a non-round factor over many world changes without drifting: the result of one product', () => {
    // 80 km/h for 6 min is 8000 m; at 0.75 the sensor counts 6000 m, however often it is asked.
    const s = setSpeedFactor(trueSensing(), 0.75, 0);
    let pulses = 0;
    let last = 0;
    for (let ms = 100; ms <= 360_000; ms += 100) {
      const now = cumulativePulses(sensedDistance(s, (80 * ms) / 3600), 8000);
      expect(now).toBeGreaterThanOrEqual(last);
      pulses += now - last;
      last = now;
    }
    expect(pulses).toBe(48_000);
  });

  it('refuses a negative factor', () => {
    expect(() => setSpeedFactor(trueSensing(), -0.1, 0)).toThrow('speed factor must be a non-negative number, got -0.1');
  });
});
