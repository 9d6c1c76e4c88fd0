import { describe, expect, it } from 'vitest';
import { longestActivity, minuteActivity, piecesInMinute, type ActivitySpan } from './minute-rules.ts';

const M = Date.UTC(2026, 2, 2, 10, 5, 0); // a minute start
const s = (seconds: number) => M + seconds * 1000;

describe('pieces of a minute', () => {
  it('cuts spans to the minute and joins adjacent spans of one activity', () => {
    const spans: ActivitySpan[] = [
      { from: s(-90), activity: 'driving' },
      { from: s(20), activity: 'driving' }, // e.g. a card change: still one continuous activity
      { from: s(25), activity: 'work' },
      { from: s(50), activity: 'driving' },
      { from: s(75), activity: 'break-rest' }, // next minute
    ];
    expect(piecesInMinute(spans, M)).toEqual([
      { activity: 'driving', ms: 25_000 },
      { activity: 'work', ms: 25_000 },
      { activity: 'driving', ms: 10_000 },
    ]);
  });

  it('gives no piece for a span that ends where the minute begins', () => {
    // WORK until 10:05:00 then DRIVING: minute 10:05 is DRIVING alone, no empty WORK piece before it
    expect(piecesInMinute([{ from: s(-30), activity: 'work' }, { from: M, activity: 'driving' }], M)).toEqual([{ activity: 'driving', ms: 60_000 }]);
  });

  it('runs the last span on', () => {
    expect(piecesInMinute([{ from: s(-3600), activity: 'work' }], M)).toEqual([{ activity: 'work', ms: 60_000 }]);
  });
});

describe('Annex IC 52: the longest continuous activity, or the latest of equally long ones', () => {
  it('takes the longest', () => {
    expect(longestActivity([{ activity: 'break-rest', ms: 20_000 }, { activity: 'work', ms: 25_000 }, { activity: 'availability', ms: 15_000 }])).toBe('work');
  });

  it('counts continuous stretches, not totals', () => {
    // WORK totals 35 s in two stretches; the one 25 s BREAK/REST is the longest continuous activity
    expect(longestActivity([{ activity: 'work', ms: 20_000 }, { activity: 'break-rest', ms: 25_000 }, { activity: 'work', ms: 15_000 }])).toBe('break-rest');
  });

  it('refuses a minute without activity', () => {
    expect(() => longestActivity([])).toThrow(RangeError);
  });

  it('takes the latest of equally long ones', () => {
    expect(longestActivity([{ activity: 'driving', ms: 30_000 }, { activity: 'work', ms: 30_000 }])).toBe('work');
    expect(longestActivity([{ activity: 'work', ms: 30_000 }, { activity: 'driving', ms: 30_000 }])).toBe('driving');
    expect(longestActivity([{ activity: 'driving', ms: 25_000 }, { activity: 'work', ms: 25_000 }, { activity: 'driving', ms: 10_000 }])).toBe('work');
  });
});

describe('Annex IC 51: DRIVING both sides makes the minute DRIVING', () => {
  it('overrides the longest activity when both neighbours are DRIVING', () => {
    expect(minuteActivity('driving', 'work', 'driving')).toBe('driving');
    expect(minuteActivity('driving', 'break-rest', 'driving')).toBe('driving');
  });

  it('leaves the longest activity otherwise', () => {
    expect(minuteActivity('driving', 'work', 'work')).toBe('work');
    expect(minuteActivity('work', 'work', 'driving')).toBe('work');
    expect(minuteActivity(null, 'availability', 'driving')).toBe('availability');
    expect(minuteActivity('work', 'driving', 'work')).toBe('driving');
  });
});
