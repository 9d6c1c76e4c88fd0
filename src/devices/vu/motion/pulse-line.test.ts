import { describe, expect, it } from 'vitest';
import { countLine, createPulseInput, lineCut, observeLine, pauseCounting, resumeCounting, takeLine } from './pulse-line.ts';

/** A rate frame: the line at `position` at rig time `at`, `pulsesPerSecond` from then on. */
const rate = (at: number, position: number, pulsesPerSecond: number) => ({ rate: { at, position, pulsesPerSecond } });

describe("the VU's pulse input as a signal (issue 18)", () => {
  it('counts the pulses of a rate frame in closed form from its instant, whenever it looks', () => {
    let input = takeLine(createPulseInput(), rate(10_000, 1000.5, 200), 10_027).input; // counting from the frame's own position
    const looks = [10_500, 11_000, 11_002, 11_003, 20_000].map((t) => {
      const r = countLine(input, t);
      input = r.input;
      return r.pulses;
    });
    // 100 by 10.5 s (1100.5), 100 more by 11 s, none by 11.002 s (1200.9), one by 11.003 s (1201.1), 1799 by 20 s
    expect(looks).toEqual([100, 100, 0, 1, 1799]);
  });

  it('counts the old signal up to the new one\'s instant, not up to its arrival, and never a pulse twice', () => {
    let input = takeLine(createPulseInput(), rate(0, 0, 200), 27).input;
    // the speed halved at 1.5 s; the frame saying so arrives 27 ms later
    let r = takeLine(input, rate(1_500, 300, 100), 1_527);
    expect(r.pulses).toBe(300);
    input = r.input;
    expect(countLine(input, 2_500).pulses).toBe(100);
    // a look between a change and its frame counted the old rate a little too long: held until the line passes it
    input = countLine(input, 2_500).input; // 400
    input = countLine(input, 3_010).input; // 451 on the old rate
    r = takeLine(input, rate(3_000, 450, 0), 3_027);
    expect(r.pulses).toBe(0);
    expect(countLine(r.input, 9_000).pulses).toBe(0);
    r = takeLine(r.input, rate(9_000, 450, 100), 9_027);
    expect(countLine(r.input, 9_010).pulses).toBe(0); // 451: already counted
    expect(countLine(r.input, 9_020).pulses).toBe(1);
  });

  it('loses the pulses of a damaged frame or a cut line until the next good frame', () => {
    let input = takeLine(createPulseInput(), rate(0, 0, 100), 27).input;
    const damaged = takeLine(input, { damaged: true }, 1_000);
    expect(damaged.pulses).toBe(100);
    expect(countLine(damaged.input, 60_000).pulses).toBe(0);
    const again = takeLine(damaged.input, rate(60_000, 6_000, 100), 60_027);
    expect(again.pulses).toBe(0);
    expect(countLine(again.input, 61_000).pulses).toBe(100);
    input = again.input;
    const cut = lineCut(input, 62_000);
    expect(cut.pulses).toBe(200);
    expect(countLine(cut.input, 70_000).pulses).toBe(0);
  });

  it('takes a no-signal frame as the cut: counts up to its instant at the latest, nothing from it on, until a rate frame', () => {
    const input = takeLine(createPulseInput(), rate(0, 0, 100), 27).input;
    // the frame arrives after its instant: the look (100 ms behind) is still before it, and stops there
    const early = takeLine(input, { cut: 2_000 }, 1_910);
    expect(early.pulses).toBe(191);
    expect(early.input).toEqual(createPulseInput());
    expect(countLine(early.input, 70_000).pulses).toBe(0);
    // a look past the instant counts nothing the line did not carry
    expect(takeLine(input, { cut: 2_000 }, 5_000).pulses).toBe(200);
    // the sensor restates its rate at the reconnect: counting from that frame's own position
    const back = takeLine(early.input, rate(10_000, 1_000, 100), 10_027);
    expect(back.pulses).toBe(0);
    expect(countLine(back.input, 11_000).pulses).toBe(100);
    // without supply, the same
    expect(observeLine(input, { cut: 2_000 })).toEqual(createPulseInput());
  });

  it('without supply, sees the signal and counts nothing; at power-up counts on from the line as it stands', () => {
    let input = takeLine(createPulseInput(), rate(0, 0, 100), 27).input;
    input = countLine(input, 1_000).input;
    input = pauseCounting(input);
    input = observeLine(input, rate(5_000, 500, 50)); // the speed changed while the VU had no supply
    input = resumeCounting(input, 7_000); // the line at 600
    expect(countLine(input, 8_000).pulses).toBe(50);
  });
});
