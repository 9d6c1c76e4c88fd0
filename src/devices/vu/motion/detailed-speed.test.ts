import { describe, expect, it } from 'vitest';
import { createDetailedSpeed, detailedSpeedBlocks, recordSecond } from './detailed-speed.ts';

const M = Date.UTC(2026, 2, 2, 8, 0, 0) / 1000; // a minute boundary, TimeReal

describe('detailed speed', () => {
  it('stores one block of 60 speeds per minute with movement, none for a still minute', () => {
    let s = createDetailedSpeed();
    for (let i = 0; i < 180; i++) s = recordSecond(s, M + i, i >= 60 && i < 120 ? 0 : i % 60 === 30 ? 50 : 0);
    const blocks = detailedSpeedBlocks(s);
    expect(blocks.map((b) => b.begin)).toEqual([M, M + 120]);
    expect(blocks[0]!.speeds[30]).toBe(50);
    expect(blocks[0]!.speeds.filter((x) => x > 0)).toHaveLength(1);
  });

  it('keeps the last 24 hours of moving minutes', () => {
    let s = createDetailedSpeed();
    for (let minute = 0; minute < 24 * 60 + 5; minute++) s = recordSecond(s, M + minute * 60, 10);
    const blocks = detailedSpeedBlocks(s);
    expect(blocks).toHaveLength(24 * 60);
    expect(blocks[0]!.begin).toBe(M + 5 * 60);
  });

  it('stores each second as the App. 1 Speed octet holds it: 255 for 255 km/h or more', () => {
    let s = createDetailedSpeed();
    for (const [i, kmh] of [220, 255, 256, 440, 10_000].entries()) s = recordSecond(s, M + i, kmh);
    expect(detailedSpeedBlocks(s)[0]!.speeds.slice(0, 6)).toEqual([220, 255, 255, 255, 255, 0]);
  });
});
