import { describe, it } from 'vitest';
import { fuzzDecoder, textAround } from '../fuzz/fuzz.ts';
import { parseGsa } from './gsa.ts';
import { parseRmc } from './rmc.ts';
import { nmeaChecksum, NmeaError, parseSentence } from './sentence.ts';

const SENTENCES = [
  '$GNRMC,080100.25,A,5051.018,N,00422.384,E,48.6,90.0,020326,,,D,S*31',
  '$GNRMC,080100.25,V,,,,,,,020326,,,N,V*12',
  '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A',
  '$GPGSA,A,3,02,05,07,13,15,20,24,30,,,,,1.6,0.9,1.3,1*22',
  '$GBGSA,A,1,,,,,,,,,,,,,,,,4*14',
];
/** Recomputes the `*hh` checksum, so a damaged sentence reaches the field checks: NaN passed the checksum. */
const fixChecksum = (s: string) => {
  const star = s.lastIndexOf('*');
  if (!s.startsWith('$') || star < 1) return s;
  return `${s.slice(0, star)}*${nmeaChecksum(s.slice(1, star)).toString(16).toUpperCase().padStart(2, '0')}`;
};
const sentences = textAround({ valid: SENTENCES, fix: fixChecksum });

describe('NMEA parsers under fuzzing: only NmeaError escapes, no NaN or infinity comes out', () => {
  it('parseSentence', () => fuzzDecoder(sentences, parseSentence, NmeaError, { runs: 600 }));
  it('parseRmc', () => fuzzDecoder(sentences, parseRmc, NmeaError, { runs: 1000 }));
  it('parseGsa', () => fuzzDecoder(sentences, parseGsa, NmeaError, { runs: 1000 }));
});
