import { describe, expect, it } from 'vitest';
import { encodeCutFrame, encodeRateFrame } from '../../protocols/motion-sensor/pulse-frame.ts';
import { countLine, createPulseInput, takeLine } from './motion/pulse-line.ts';
import { decodePulseLine } from './pulse-input.ts';

describe("the VU's pulse input given the line's frames (issue 18)", () => {
  it('gives a no-signal frame as the cut, in order with the rate frames, and counts nothing from its instant', () => {
    const stream = Uint8Array.from([...encodeRateFrame({ at: 0, position: 0, pulsesPerSecond: 100 }), ...encodeCutFrame(2_000), ...encodeRateFrame({ at: 10_000, position: 1_000, pulsesPerSecond: 100 })]);
    // the bytes in two reads, the no-signal frame split between them
    const first = decodePulseLine([], stream.subarray(0, 30));
    const second = decodePulseLine(first.held, stream.subarray(30));
    const line = [...(first.line ?? []), ...(second.line ?? [])];
    expect(line).toEqual([{ rate: { at: 0, position: 0, pulsesPerSecond: 100 } }, { cut: 2_000 }, { rate: { at: 10_000, position: 1_000, pulsesPerSecond: 100 } }]);
    expect(first.pulses + second.pulses).toBe(0);
    // the VU looking at each frame's arrival, 100 ms behind (motion/pulse-line.ts)
    let input = createPulseInput();
    const counted = [27, 2_010, 10_027].map((arrival, i) => {
      const r = takeLine(input, line[i]!, arrival - 100);
      input = r.input;
      return r.pulses;
    });
    // 191 up to the look at the cut; none through the cut (8 s at 100/s without the frame); counting again after
    expect(counted).toEqual([0, 191, 0]);
    expect(countLine(input, 11_000).pulses).toBe(100);
  });
});
