import { describe, expect, it } from 'vitest';
import { type Gsa, formatCoordinate, formatGsa, formatRmc, frameSentence, nmeaChecksum, NmeaError, parseGsa, parseRmc, parseSentence } from './index.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0, 250);

describe('NMEA sentences', () => {
  // Independent vectors: the RMC and GSA examples of the widely quoted NMEA reference (gpsd's "NMEA revealed").
  it('checks the published example sentences', () => {
    expect(parseSentence('$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A').fields[0]).toBe('123519');
    expect(parseSentence('$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39').fields.slice(14)).toEqual(['2.5', '1.3', '2.1']);
    expect(() => parseSentence('$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*38')).toThrow('NMEA checksum 38 should be 39');
    expect(nmeaChecksum('GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1')).toBe(0x39);
  });

  it('formats coordinates at 1/1000 minute (GNS_4), rounding and carrying', () => {
    expect(formatCoordinate(48.1173, 'lat')).toEqual(['4807.038', 'N']);
    expect(formatCoordinate(11.516666667, 'lon')).toEqual(['01131.000', 'E']);
    expect(formatCoordinate(-33.9999999, 'lat')).toEqual(['3400.000', 'S']);
    expect(formatCoordinate(-0.0000001, 'lon')).toEqual(['00000.000', 'E']);
    expect(formatCoordinate(50.85029804938892, 'lat')).toEqual(['5051.018', 'N']);
  });

  it('parses its own sentences back', () => {
    const rmc = { talker: 'GN', time: T0, valid: true, lat: -12.5, lon: -70.25, speedKnots: 10.5, courseDegrees: 359.9, mode: 'A', navStatus: 'S' } as const;
    expect(parseRmc(formatRmc(rmc))).toEqual({ ...rmc });
    const gsa: Gsa = { talker: 'GA', selection: 'A', fixMode: 3, satellites: [1, 36], pdop: 2.5, hdop: 1.3, vdop: 2.1, systemId: 3 };
    expect(parseGsa(formatGsa(gsa))).toEqual({ ...gsa, satellites: [1, 36] });
    expect(() => formatGsa({ ...gsa, satellites: Array.from({ length: 13 }, (_, i) => i + 1) })).toThrow('at most 12 satellites, got 13');
  });

});

describe('checksum-valid sentences with fields out of range are refused', () => {
  // the fields of a valid fix: time, status, lat, N, lon, E, speed, course, date, variation, E/W, mode, nav status
  const FIX = ['080100.25', 'A', '5051.018', 'N', '00422.384', 'E', '48.6', '90.0', '020326', '', '', 'D', 'S'];
  const rmc = (i: number, value: string) => frameSentence('GN', 'RMC', FIX.map((v, j) => (j === i ? value : v)));

  it('a valid fix parses (positive control)', () => {
    expect(parseRmc(frameSentence('GN', 'RMC', FIX))).toEqual({ talker: 'GN', time: Date.UTC(2026, 2, 2, 8, 1, 0, 250), valid: true, lat: 50 + 51.018 / 60, lon: 4 + 22.384 / 60, speedKnots: 48.6, courseDegrees: 90, mode: 'D', navStatus: 'S' });
  });

  it('a speed of NaN, and other speeds that are not a plain decimal within 0..1000 knots', () => {
    expect(() => parseRmc(rmc(6, 'NaN'))).toThrow(new NmeaError("RMC speed over ground (knots) 'NaN' is not a decimal number"));
    for (const speed of ['Infinity', '1e999', '-5', '0x10', ' 5', '5.', '.5']) expect(() => parseRmc(rmc(6, speed)), speed).toThrow(NmeaError);
    expect(() => parseRmc(rmc(6, '1000.1'))).toThrow(new NmeaError('RMC speed over ground (knots) 1000.1 is outside 0..1000'));
    expect(() => parseRmc(rmc(7, '360.5'))).toThrow(new NmeaError('RMC course (degrees true) 360.5 is outside 0..360'));
  });

  it('times, dates and coordinates that do not exist; status, mode and navigational status letters NMEA does not define', () => {
    const refused: [number, string, string][] = [
      [0, '246000', 'RMC time 246000 is not a time of day'],
      [8, '310226', 'RMC date 310226 is not a day of the calendar'],
      [8, '001326', 'RMC date 001326 is not a day of the calendar'],
      [2, '9100.000', 'latitude 9100.000 is beyond 90°'],
      [2, '5060.500', '5060.500: 60.500 minutes'],
      [4, '18100.000', 'longitude 18100.000 is beyond 180°'],
      [4, '0422.384', 'not an NMEA longitude: 0422.384'],
      [3, 'X', "latitude hemisphere 'X' is not N or S"],
      [5, '', "longitude hemisphere '' is not E or W"],
      [1, 'X', "RMC status 'X' is not A or V"],
      [11, 'Z', "RMC mode 'Z' is not an NMEA 4.11 FAA mode"],
      [12, 'Q', "RMC navigational status 'Q' is not S, C, U or V"],
    ];
    for (const [i, value, message] of refused) expect(() => parseRmc(rmc(i, value)), `${i}=${value}`).toThrow(new NmeaError(message));
    // a leap second is a time of day
    expect(parseRmc(rmc(0, '235960')).time).toBe(Date.UTC(2026, 2, 3, 0, 0, 0));
  });

  it('GSA: a DOP of NaN, a fix mode, satellite or system ID out of range', () => {
    const GSA = ['A', '3', '02', '05', '', '', '', '', '', '', '', '', '', '', '1.6', '0.9', '1.3', '1'];
    const gsa = (i: number, value: string) => frameSentence('GP', 'GSA', GSA.map((v, j) => (j === i ? value : v)));
    expect(parseGsa(frameSentence('GP', 'GSA', GSA))).toEqual({ talker: 'GP', selection: 'A', fixMode: 3, satellites: [2, 5], pdop: 1.6, hdop: 0.9, vdop: 1.3, systemId: 1 });
    expect(() => parseGsa(gsa(15, 'NaN'))).toThrow(new NmeaError("GSA HDOP 'NaN' is not a decimal number"));
    expect(() => parseGsa(gsa(15, '100'))).toThrow(new NmeaError('GSA HDOP 100 is outside 0..99.99'));
    expect(() => parseGsa(gsa(1, '4'))).toThrow(new NmeaError("GSA fix mode '4' is not 1, 2 or 3"));
    expect(() => parseGsa(gsa(0, 'X'))).toThrow(new NmeaError("GSA selection mode 'X' is not A or M"));
    expect(() => parseGsa(gsa(2, '1.5'))).toThrow(new NmeaError('GSA satellite IDs are whole numbers'));
    expect(() => parseGsa(gsa(17, 'G'))).toThrow(new NmeaError("GSA system ID 'G' is not a hex digit"));
  });

  it('a sentence longer than GNS_7 allows is refused before it is read', () => {
    expect(() => parseSentence(`$GPTXT,${'A'.repeat(80)}*00`)).toThrow(new NmeaError('NMEA sentence of 90 bytes exceeds 85 (GNS_7)'));
  });
});
