import { describe, expect, it } from 'vitest';
import { cumulativePulses, initialPulseLine, pulseStep, setTamper } from './pulses.ts';

describe('pulse accounting', () => {
  it('is floor(distance_m * k / 1000), safe from float rounding', () => {
    expect(cumulativePulses(90_000, 8000)).toBe(720_000);
    expect(cumulativePulses(2.5, 8000)).toBe(20);
    expect(cumulativePulses(0.1249, 8000)).toBe(0);
    expect(cumulativePulses(0.125, 8000)).toBe(1);
    // 0.29 m at 100 000 imp/km is 29 pulses, but 0.29 * 100000 / 1000 is 28.999999999999996 in doubles
    expect(cumulativePulses(0.29, 100_000)).toBe(29);
    expect(cumulativePulses((50 * 3_600_000) / 3600, 6437)).toBe(321_850);
  });

  it('puts every true pulse on the line once, however the steps fall', () => {
    let s = initialPulseLine(0);
    let sent = 0;
    for (const total of [0, 3, 3, 10, 11, 400]) {
      const r = pulseStep(s, total, 0);
      s = r.state;
      sent += r.count;
    }
    expect(sent).toBe(400);
    expect(s.lineSent).toBe(400);
  });

  it('injects pulses at the given rate and suppresses the given fraction, exactly', () => {
    let s = setTamper(initialPulseLine(0), { mode: 'inject', pulsesPerSecond: 30 }, 1000);
    let r = pulseStep(s, 100, 1100); // +3 injected
    expect(r.count).toBe(103);
    r = pulseStep(r.state, 200, 2000); // +27 more
    expect(r.count).toBe(127);
    s = setTamper(r.state, { mode: 'suppress', fraction: 0.5 }, 2000);
    r = pulseStep(s, 301, 2100); // 101 true, floor(101 / 2) = 50 withheld
    expect(r.count).toBe(51);
    r = pulseStep(r.state, 401, 2200); // 100 more: withheld floor(201 / 2) - 50 = 50
    expect(r.count).toBe(50);
    s = setTamper(r.state, { mode: 'suppress', fraction: 1 }, 2200);
    expect(pulseStep(s, 1000, 3000).count).toBe(0);
    expect(pulseStep(setTamper(s, { mode: 'none' }, 3000), 1000, 3000).count).toBe(599);
  });
});
