import { describe, expect, it } from 'vitest';
import { frameSentence } from '../../../protocols/nmea/index.ts';
import { readPosition } from './position.ts';

describe('readPosition (GNS_23 step 5)', () => {
  const FIX = ['080100.25', 'A', '5051.018', 'N', '00422.384', 'E', '48.6', '90.0', '020326', '', '', 'D', 'S'];
  const GSA = frameSentence('GP', 'GSA', ['A', '3', '02', '05', '', '', '', '', '', '', '', '', '', '', '1.6', '0.9', '1.3', '1']);

  it('a valid fix gives a position in App. 1 GeoCoordinates, its speed in km/h and the HDOP', () => {
    expect(readPosition(frameSentence('GN', 'RMC', FIX), [GSA])).toEqual({
      ok: true,
      position: { time: Date.UTC(2026, 2, 2, 8, 1, 0, 250), latitude: 50510, longitude: 4224, speedKmh: 90, hdop: 0.9 },
    });
  });

  it('a checksum-valid RMC with a speed of NaN gives no position, with the reason (was a position with speedKmh NaN)', () => {
    const nan = frameSentence('GN', 'RMC', FIX.map((v, i) => (i === 6 ? 'NaN' : v)));
    expect(readPosition(nan, [GSA])).toEqual({ ok: false, time: null, reason: "RMC speed over ground (knots) 'NaN' is not a decimal number" });
  });

  it('a GSA with an HDOP of NaN is a system without data, not a NaN minimum', () => {
    const bad = frameSentence('GP', 'GSA', ['A', '3', '02', '05', '', '', '', '', '', '', '', '', '', '', '1.6', 'NaN', '1.3', '1']);
    expect(readPosition(frameSentence('GN', 'RMC', FIX), [bad])).toMatchObject({ ok: true, position: { hdop: null } });
  });
});
