import { describe, expect, it } from 'vitest';
import { rigTimeOn } from './time-base.ts';

describe('a scaled time base', () => {
  const anchor = Date.UTC(2026, 11, 5, 12, 0, 0);

  it('is the wall at its anchor and runs K times faster after it', () => {
    const base = { scale: 10, anchor };
    expect(rigTimeOn(base, anchor)).toBe(anchor);
    expect(rigTimeOn(base, anchor + 1000)).toBe(anchor + 10_000);
    // 3 h 10 min of rig time (gnss-absence) in 19 min of wall time
    expect(rigTimeOn(base, anchor + 19 * 60_000) - anchor).toBe(190 * 60_000);
  });

  it('gives two processes that read it at different moments the same timeline', () => {
    const base = { scale: 4, anchor };
    // the server started at the anchor; the runner reads the base 7.5 s of wall time later
    const runnerStart = rigTimeOn(base, anchor + 7500);
    const serverAfter = anchor + (anchor + 7500 - anchor) * 4;
    expect(runnerStart).toBe(serverAfter);
    expect(rigTimeOn({ scale: 1, anchor }, anchor + 7500)).toBe(anchor + 7500);
  });
});
