import { describe, expect, it } from 'vitest';
import { encodeCutFrame, encodePulseFrames, encodeRateFrame } from '../../protocols/motion-sensor/pulse-frame.ts';
import { pulseCodec } from '../../protocols/motion-sensor/port-codecs.ts';
import { comparerFor } from './frame-match.ts';

const frames = (counts: number[]) => counts.map((c, i) => ({ bytes: encodePulseFrames(c), t: 100 * (i + 1) }));

/** The first frame (1-based) the comparer refuses, and why; undefined when it takes them all. */
function firstRefused(recorded: number[], sent: (number | Uint8Array)[]): string | undefined {
  const comparer = comparerFor(pulseCodec.name, frames(recorded));
  for (const [j, s] of sent.entries()) {
    const why = comparer.compare(j, s instanceof Uint8Array ? s : encodePulseFrames(s));
    if (why !== undefined) return `${j + 1}: ${why}`;
  }
  return undefined;
}

describe('pulse frames in a replay', () => {
  // 50 km/h at k = 8000: 111.1 pulses a second, 11 or 12 a frame.
  const recorded = [11, 11, 12, 11, 11, 11, 12, 11, 11, 12, 11, 11, 11, 12, 11, 11, 11, 12, 11, 11];

  it('take the same pulses split otherwise between neighbouring frames, as a late timer splits them', () => {
    // every boundary up to 5 pulses later or earlier, the totals the same
    expect(firstRefused(recorded, [6, 16, 12, 7, 15, 11, 12, 11, 14, 9, 11, 11, 11, 12, 11, 11, 11, 12, 11, 11])).toBeUndefined();
    expect(firstRefused(recorded, recorded)).toBeUndefined();
  });

  it('refuse pulses that drift off: 10 % too fast is caught within two seconds', () => {
    const fast = recorded.map((c) => Math.round(c * 1.1));
    expect(firstRefused(recorded, fast)).toBe("14: carries 13 pulses (50 00 0D 5D) where the recording has 12 (50 00 0C 5C): 172 pulses sent so far against the recording's 158, more apart than the 13 a frame's timing can move");
  });

  it('refuse 60 injected pulses a second within a few frames', () => {
    expect(firstRefused(recorded, recorded.map((c) => c + 6))).toBe("3: carries 18 pulses (50 00 12 62) where the recording has 12 (50 00 0C 5C): 52 pulses sent so far against the recording's 34, more apart than the 13 a frame's timing can move");
  });

  it('take a frame lost at a constant speed (frames alike, the totals by position alike): the player sees the last frame missing', () => {
    // README "Record and replay", limits: a lost or extra frame shows at the end of the pulses, as a frame that
    // does not come (lateMs) or one after the last.
    expect(firstRefused(recorded, [11, 12, 11, 11, 11, 12, 11, 11, 12, 11, 11, 11, 12, 11, 11, 11, 12, 11, 11])).toBeUndefined();
  });

  it('take junk a noisy line left only when it is the same junk', () => {
    const junk = Uint8Array.from([0x50]);
    const comparer = comparerFor(pulseCodec.name, [{ bytes: junk, t: 100 }]);
    expect(comparer.compare(0, junk)).toBeUndefined();
    expect(comparer.compare(0, encodePulseFrames(1))).toBe('differs at byte 1: the recording has 50 (1 bytes), the rig sent 50 00 01 51 (4 bytes)');
  });

  it('are exact on other ports', () => {
    const comparer = comparerFor('app7-download', frames([11]));
    expect(comparer.compare(0, encodePulseFrames(12))).toBe('differs at byte 2: the recording has 50 00 0B 5B (4 bytes), the rig sent 50 00 0C 5C (4 bytes)');
  });
});

describe('rate frames in a replay (issue 18)', () => {
  const T = Date.UTC(2026, 2, 2, 8, 0, 0);
  const recorded = [encodeRateFrame({ at: T, position: 1000, pulsesPerSecond: 200 }), encodeRateFrame({ at: T + 60_000, position: 13_000, pulsesPerSecond: 0 })];
  const compare = (j: number, sent: Uint8Array) => comparerFor(pulseCodec.name, recorded.map((bytes, i) => ({ bytes, t: i * 60_000 }))).compare(j, sent);

  it('match at an instant a late timer moved, the line where the recording puts it then', () => {
    expect(compare(0, encodeRateFrame({ at: T + 40, position: 1008, pulsesPerSecond: 200 }))).toBeUndefined();
    expect(compare(1, encodeRateFrame({ at: T + 60_500, position: 13_000, pulsesPerSecond: 0 }))).toBeUndefined();
  });

  it('refuse another rate, a line elsewhere, an instant too far, or a count frame', () => {
    expect(compare(0, encodeRateFrame({ at: T, position: 1000, pulsesPerSecond: 220 }))).toMatch(
      /^says 220 pulses\/s from 1000 at 2026-03-02T08:00:00.000Z \(52( [0-9A-F]{2}){25}\) where the recording says 200 from 1000 at 2026-03-02T08:00:00.000Z$/,
    );
    expect(compare(0, encodeRateFrame({ at: T + 40, position: 1010, pulsesPerSecond: 200 }))).toMatch(/^says 200 pulses\/s from 1010 at/);
    expect(compare(0, encodeRateFrame({ at: T + 1_500, position: 1300, pulsesPerSecond: 200 }))).toMatch(/^says 200 pulses\/s from 1300 at/);
    expect(compare(0, encodePulseFrames(12))).toMatch(/^differs at byte 0: the recording has 52 .* \(26 bytes\), the rig sent 50 00 0C 5C \(4 bytes\)$/);
  });
});

describe('no-signal frames in a replay (issue 18)', () => {
  const T = Date.UTC(2026, 2, 2, 8, 0, 0);
  const recorded = [encodeRateFrame({ at: T, position: 1000, pulsesPerSecond: 200 }), encodeCutFrame(T + 30_000)];
  const compare = (j: number, sent: Uint8Array) => comparerFor(pulseCodec.name, recorded.map((bytes, i) => ({ bytes, t: i * 30_000 }))).compare(j, sent);

  it('match at an instant a late timer moved; refuse an instant too far, or another frame in its place', () => {
    expect(compare(1, encodeCutFrame(T + 30_400))).toBeUndefined();
    expect(compare(1, encodeCutFrame(T + 31_500))).toBe('says no signal from 2026-03-02T08:00:31.500Z (43 42 79 CA D9 02 70 C0 00 D3) where the recording says from 2026-03-02T08:00:30.000Z');
    expect(compare(1, encodePulseFrames(0))).toMatch(/^differs at byte 0: the recording has 43 .* \(10 bytes\), the rig sent 50 00 00 50 \(4 bytes\)$/);
    expect(compare(0, encodeCutFrame(T))).toMatch(/^differs at byte 0: the recording has 52 /);
  });
});
