import { describe, it } from 'vitest';
import { bytesAround, fuzzDecoder } from '../fuzz/fuzz.ts';
import { richTrepBlocks } from '../app7-records/test-treps.ts';
import { DddError, readDdd, verifyDdd, writeDdd } from './ddd-file.ts';
import { decodeDdd, decodeDddFile } from './decode-ddd.ts';
import { TEST_DOWNLOAD_DAY, testDownload, testDownloadRoots, testDownloadSigner } from './test-download.ts';

/** A small download and one with records in every array, both genuine (verifyDdd says ok). */
const files = bytesAround({ valid: [testDownload(), writeDdd(richTrepBlocks(testDownloadSigner))], maxRandomLength: 400 });

describe('.DDD decoders under fuzzing: only DddError escapes', () => {
  it('readDdd and decodeDdd throw DddError at most', () => {
    fuzzDecoder(files, (f) => [readDdd(f), decodeDdd(f)], DddError, { runs: 300 });
  });

  it('decodeDddFile (rig decode) and verifyDdd never throw: they say what is wrong', () => {
    fuzzDecoder(files, decodeDddFile, null, { runs: 300 });
    fuzzDecoder(files, (f) => verifyDdd(f, testDownloadRoots, TEST_DOWNLOAD_DAY), null, { runs: 150 });
  });
});
