import { describe, expect, it } from 'vitest';
import { byteArrivals, type LineClock } from './line-times.ts';

/** 9600 baud 8E1: 11 bits a character. */
const C = 11_000 / 9600;

describe('byte arrivals on the line', () => {
  it('stamped: a paced delivery\'s stamp is its last byte; those before it came one character apart, never before the previous byte', () => {
    const line: LineClock = { lastAt: -Infinity };
    expect(byteArrivals('stamped', 3, 100, C, line)).toEqual([100 - 2 * C, 100 - C, 100]);
    expect(line.lastAt).toBe(100);
    // a group delivered 1 ms after the last: its bytes cannot have come before it
    expect(byteArrivals('stamped', 4, 101, C, line)).toEqual([100, 100, 100, 101]);
  });

  it('clocked: a UART clocks a write out from the write, after what it still had to send', () => {
    const line: LineClock = { lastAt: -Infinity };
    expect(byteArrivals('clocked', 2, 50, C, line)).toEqual([50 + C, 50 + 2 * C]);
    // written 1 ms later, while the UART still sends the second byte: it follows it
    expect(byteArrivals('clocked', 1, 51, C, line)).toEqual([50 + 3 * C]);
    // written once the line is idle: from the write
    expect(byteArrivals('clocked', 1, 80, C, line)).toEqual([80 + C]);
  });

  it('instant: as written between two rig ends with pacing off; as read from an OS port, never early', () => {
    const line: LineClock = { lastAt: -Infinity };
    expect(byteArrivals('instant', 3, 7, C, line)).toEqual([7, 7, 7]);
    expect(line.lastAt).toBe(7);
    expect(byteArrivals('instant', 2, 6, C, line)).toEqual([7, 7]);
  });
});
