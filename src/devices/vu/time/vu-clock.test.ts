import { describe, expect, it } from 'vitest';
import { createVuClock, setDrift, setVuTime, timeReal, vuTime } from './vu-clock.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

describe('VU clock', () => {
  it('runs off rig time with an offset and a drift', () => {
    const c = createVuClock(T0, 90_000, 10);
    expect(vuTime(c, T0)).toBe(T0 + 90_000);
    expect(vuTime(c, T0 + 86_400_000)).toBe(T0 + 90_000 + 86_400_000 + 864); // 10 ppm of a day
  });

  it('keeps its drift across an adjustment and changes rate without a jump', () => {
    let c = createVuClock(T0, 0, 100);
    c = setVuTime(c, T0 + 1000, T0 + 1000);
    expect(vuTime(c, T0 + 1000)).toBe(T0 + 1000);
    expect(vuTime(c, T0 + 1_001_000)).toBe(T0 + 1_001_000 + 100);
    c = setDrift(c, T0 + 1_001_000, 0);
    expect(vuTime(c, T0 + 2_001_000)).toBe(T0 + 2_001_000 + 100);
  });

  it('gives TimeReal in whole seconds', () => {
    expect(timeReal(Date.UTC(2026, 2, 2, 8, 0, 0, 999))).toBe(1772438400);
  });
});
