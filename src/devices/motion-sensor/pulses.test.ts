import { describe, expect, it } from 'vitest';
import { cumulativePulses, initialPulseLine, lineSignal, lineStep, setTamper } from './pulses.ts';

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

  it('sends a rate frame when the rate changes, nothing while it holds, and the same again when asked to restate', () => {
    let s = initialPulseLine();
    expect(lineStep(s, { pulses: 0, pulsesPerSecond: 0 }, 0)).toEqual({ state: s });
    const moving = lineStep(s, { pulses: 12.5, pulsesPerSecond: 200 }, 1000);
    expect(moving.frame).toEqual({ at: 1000, position: 12.5, pulsesPerSecond: 200 });
    s = moving.state;
    expect(lineStep(s, { pulses: 212.5, pulsesPerSecond: 200 }, 2000).frame).toBeUndefined();
    expect(lineStep(s, { pulses: 212.5, pulsesPerSecond: 200 }, 2000, true).frame).toEqual({ at: 2000, position: 212.5, pulsesPerSecond: 200 });
    expect(lineStep(s, { pulses: 300, pulsesPerSecond: 0 }, 3000)).toEqual({ state: { ...s, sentRate: 0 }, frame: { at: 3000, position: 300, pulsesPerSecond: 0 } });
  });

  it('injects pulses at the given rate and suppresses the given fraction; what tampering did stays on the line', () => {
    const at = (pulses: number, pulsesPerSecond = 100) => ({ pulses, pulsesPerSecond });
    let s = setTamper(initialPulseLine(), { mode: 'inject', pulsesPerSecond: 30 }, at(100), 1000);
    expect(lineSignal(s, at(100), 1000)).toMatchObject({ position: 100, pulsesPerSecond: 130 });
    expect(lineSignal(s, at(200), 2000)).toMatchObject({ position: 230, pulsesPerSecond: 130 });
    s = setTamper(s, { mode: 'suppress', fraction: 0.5 }, at(200), 2000);
    expect(lineSignal(s, at(200), 2000)).toMatchObject({ position: 230, pulsesPerSecond: 50 });
    expect(lineSignal(s, at(301), 3010)).toMatchObject({ position: 280.5, pulsesPerSecond: 50 });
    s = setTamper(s, { mode: 'suppress', fraction: 1 }, at(301), 3010);
    expect(lineSignal(s, at(1000), 10_000)).toMatchObject({ position: 280.5, pulsesPerSecond: 0 });
    s = setTamper(s, { mode: 'none' }, at(1000), 10_000);
    // 30 injected and 50.5 + 699 withheld: the line runs 719.5 pulses behind the sensed count from now on
    expect(lineSignal(s, at(1000), 10_000)).toMatchObject({ position: 280.5, pulsesPerSecond: 100 });
    expect(lineSignal(s, at(1100), 11_000)).toMatchObject({ position: 380.5, pulsesPerSecond: 100 });
  });
});
