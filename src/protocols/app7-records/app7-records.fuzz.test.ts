import { describe, it } from 'vitest';
import { testDownloadSigner } from '../ddd/test-download.ts';
import { bytesAround, fuzzDecoder } from '../fuzz/fuzz.ts';
import { App7RecordError, readRecordArray } from './record-array.ts';
import { decodeTrep21, decodeTrep22, decodeTrep23, decodeTrep24, decodeTrep25 } from './trep-decode.ts';
import { richTrepBlocks } from './test-treps.ts';
import { richTrepV2Blocks } from './test-treps-v2.ts';
import { decodeTrep00, decodeTrep31, decodeTrep32, decodeTrep33, decodeTrep35 } from './trep-v2-decode.ts';
import { readTrepArrays, trepDataLength } from './trep.ts';

/**
 * Each TREP's data as a VU sends it (gen2 v1 and v2, records in every array, signed with the test PKI), alone and with SID 76
 * and the TREP in front. Each decoder is fed mostly its own TREP damaged, so its record decoders are reached,
 * and the other TREPs too.
 */
const blocks = [...richTrepBlocks(testDownloadSigner), ...richTrepV2Blocks(testDownloadSigner).filter((b) => b.trep !== 0x24)];
const around = (trep: number) => {
  const own = blocks.find((b) => b.trep === trep)!;
  return bytesAround({ valid: [own.data, own.data, own.data, Uint8Array.of(0x76, trep, ...own.data), ...blocks.map((b) => b.data)], maxRandomLength: 400 });
};
const treps = bytesAround({ valid: blocks.map((b) => b.data), maxRandomLength: 400 });
const DECODERS: [number, (b: Uint8Array) => unknown][] = [
  [0x21, decodeTrep21],
  [0x22, decodeTrep22],
  [0x23, decodeTrep23],
  [0x24, decodeTrep24],
  [0x25, decodeTrep25],
  [0x00, decodeTrep00],
  [0x31, decodeTrep31],
  [0x32, decodeTrep32],
  [0x33, decodeTrep33],
  [0x35, decodeTrep35],
];

describe('App. 7 record decoders under fuzzing: only App7RecordError escapes, no NaN comes out', () => {
  for (const [trep, decode] of DECODERS) {
    it(`TREP ${trep.toString(16)}`, () => fuzzDecoder(around(trep), decode, App7RecordError, { runs: 400 }));
  }

  it('record arrays, a TREP split into arrays, a TREP length in a file', () => {
    fuzzDecoder(treps, (b) => [readRecordArray(b, 0), readTrepArrays(b), trepDataLength(b, 0)], App7RecordError);
  });
});
