import { describe, expect, it } from 'vitest';
import { AnswerMeter, answerTimes, nearestRank, type FrameCodec } from './answer-timing.ts';
import type { LineCrossing } from './link.ts';

describe('answer time statistics', () => {
  it('takes p50 and p99 by nearest rank: always a value that was measured', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(nearestRank(hundred, 0.5)).toBe(50);
    expect(nearestRank(hundred, 0.99)).toBe(99); // 0.99 × 100 is 99.000…01 in floating point: still rank 99
    expect(nearestRank([7], 0.99)).toBe(7);
    expect(nearestRank([3, 9], 0.5)).toBe(3);
    expect(nearestRank([3, 9], 0.99)).toBe(9);
    expect(() => nearestRank([], 0.5)).toThrow(RangeError);
  });

  it('sorts, rounds to the microsecond, and gives null for no exchange', () => {
    expect(answerTimes([21.1458333, 3, 500.0000004, 20])).toEqual({ p50: 20, p99: 500, max: 500 });
    const skewed = [...Array.from({ length: 98 }, () => 10), 900, 1000]; // p99 is rank 99 of 100
    expect(answerTimes(skewed)).toEqual({ p50: 10, p99: 900, max: 1000 });
    expect(answerTimes([])).toBeNull();
  });
});

/** A toy codec: a frame is a length byte and that many bytes; a frame starting 0xFF is refused. */
const lengthCodec: FrameCodec = {
  createDeframer() {
    let held: number[] = [];
    return {
      push(bytes) {
        const out: Uint8Array[] = [];
        for (const b of bytes) {
          held.push(b);
          if (held.length === held[0]! + 1) {
            out.push(Uint8Array.from(held));
            held = [];
          }
        }
        return out;
      },
    };
  },
  describe(frame) {
    if (frame[1] === 0xff) throw new Error('refused');
    return {};
  },
};

const crossing = (from: string, to: string, bytes: number[], at: number[]): LineCrossing => ({ direction: from === 'a.p' ? 'a->b' : 'b->a', from, to, bytes: Uint8Array.from(bytes), at });

describe('AnswerMeter', () => {
  it('times each answer from the request\'s last byte to the answer\'s first; counts requests left unanswered', () => {
    const meter = new AnswerMeter({ link: 'l', requester: 'a.p', answerer: 'b.p', requests: lengthCodec, answers: lengthCodec, window: { name: 'W', ms: 50, of: 'a' } });
    meter.observe(crossing('a.p', 'b.p', [1, 7], [0, 1])); // a request, ends at 1
    meter.observe(crossing('b.p', 'a.p', [1], [4])); // the answer starts at 4 (its first byte) ...
    meter.observe(crossing('b.p', 'a.p', [9], [5])); // ... and ends at 5: 3 ms
    meter.observe(crossing('b.p', 'a.p', [0], [6])); // a frame nobody asked for: no exchange
    meter.observe(crossing('a.p', 'b.p', [1, 7], [10, 11])); // unanswered: another request follows
    meter.observe(crossing('a.p', 'b.p', [1, 7], [20, 21]));
    meter.observe(crossing('b.p', 'a.p', [1, 0xff], [30, 31])); // a refused frame: not the answer, but its first byte starts the clock
    meter.observe(crossing('b.p', 'a.p', [0], [32]));
    expect(meter.summary()).toEqual({ link: 'l', requester: 'a.p', answerer: 'b.p', exchanges: 2, unanswered: 1, answerMs: { p50: 3, p99: 9, max: 9 }, window: { name: 'W', ms: 50, of: 'a' } });
  });

  it('forgets an answer broken off when a new request comes, and ignores other ports', () => {
    const meter = new AnswerMeter({ link: 'l', requester: 'a.p', answerer: 'b.p', requests: lengthCodec, answers: lengthCodec });
    meter.observe(crossing('a.p', 'b.p', [0], [0]));
    meter.observe(crossing('b.p', 'a.p', [3, 1], [2, 3])); // two bytes of a four-byte answer, then nothing
    meter.observe(crossing('a.p', 'b.p', [0], [100])); // sent again: the broken answer is forgotten
    meter.observe(crossing('b.p', 'a.p', [0], [107]));
    meter.observe({ direction: 'a->b', from: 'x.q', to: 'b.p', bytes: Uint8Array.of(0), at: [108] });
    expect(meter.summary()).toMatchObject({ exchanges: 1, unanswered: 1, answerMs: { p50: 7, p99: 7, max: 7 } });
    expect(meter.summary()).not.toHaveProperty('window');
  });
});
