import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fc } from '../src/protocols/fuzz/fuzz.ts';
import { bytesAround, FUZZ_SEED, fuzzDecoder } from '../src/protocols/fuzz/fuzz.ts';
import { workOf } from '../src/protocols/fuzz/work-meter.ts';
import { richTrepBlocks } from '../src/protocols/app7-records/test-treps.ts';
import { richTrepV2Blocks } from '../src/protocols/app7-records/test-treps-v2.ts';
import { writeDdd } from '../src/protocols/ddd/ddd-file.ts';
import { decodeDownloadFile } from '../src/protocols/ddd/decode-download-file.ts';
import { downloadJson, downloadText } from '../src/protocols/ddd/download-file-report.ts';
import { testDownload, testDownloadRoots, testDownloadSigner } from '../src/protocols/ddd/test-download.ts';
import { verifyDownloadFile } from '../src/protocols/ddd/verify-download-file.ts';
import { TestPkiG1 } from '../src/crypto/pki-g1/index.ts';
import { driverCardDownload } from '../src/devices/cards/driver-card-image.ts';
import { anna } from '../src/devices/cards/test-cards.ts';
import { driverCardSchema } from '../src/devices/cards/card-schema.ts';

/**
 * `rig decode` and `rig decode --verify` on damaged files of every kind (issue 14): whatever the bytes, the
 * decode and the verification return (they never throw: what is wrong is in their answer, so no stack trace
 * reaches a user), the JSON and the text can be made from the answer, and the work stays in proportion to the
 * file. The files start real-shaped: a gen2 v1 VU download (small, and with records in every array), a gen2 v2
 * one (the encoders of trep-v2.ts), the emulator's gen2 and gen1 driver card downloads, and a gen1 VU file's
 * block headers (TREP 01, 02; the gen1 records' encoders are app7-records-g1's, to be added here when they
 * land). Outside src/protocols: the card files come from the emulated card (src/devices).
 */
const gen1Card = driverCardDownload(driverCardSchema.parse({ ...anna, generation: 1 }));
const gen2Card = driverCardDownload(anna);
const gen1Vu = Uint8Array.from([0x76, 0x01, 0xe2, ...new Uint8Array(193).fill(0x11), 0x76, 0x02, 0x69, 0xa6, 0x64, 0x80, 0x00, 0x01]);
const valid = [testDownload(), writeDdd(richTrepBlocks(testDownloadSigner)), writeDdd(richTrepV2Blocks(testDownloadSigner)), gen1Vu, gen1Card, gen2Card];
const files = bytesAround({ valid, maxRandomLength: 400 });
const roots = { europeanPublicKeys: [TestPkiG1.of().eurPublicKeyBytes()], rootCertificates: testDownloadRoots };

describe('download files of every kind under fuzzing: no exception, no unbounded work', () => {
  it('the starting files decode and verify (positive control: the fuzzer damages working files)', () => {
    for (const f of valid.slice(0, 3)) {
      expect(decodeDownloadFile(f).problems).toEqual([]);
      expect(verifyDownloadFile(f, roots).ok).toBe(true);
    }
    expect(decodeDownloadFile(gen2Card)).toMatchObject({ kind: 'card', generation: 'gen2v1', problems: [] });
    expect(decodeDownloadFile(gen1Card)).toMatchObject({ kind: 'card', generation: 'gen1', problems: [] });
    expect(decodeDownloadFile(gen1Vu)).toMatchObject({ kind: 'vu', generation: 'gen1' });
  });

  it('decodeDownloadFile and its JSON and text never throw', () => {
    fuzzDecoder(files, (f) => {
      const d = decodeDownloadFile(f);
      JSON.stringify(downloadJson(d, f.length));
      downloadText(d, f.length);
      return d;
    }, null, { runs: 300 });
  });

  it('verifyDownloadFile never throws', () => {
    fuzzDecoder(files, (f) => verifyDownloadFile(f, roots, { cardAt: Date.UTC(2026, 2, 3) }), null, { runs: 120 });
  });

  it('the public sample files (test/fixtures/tachograph-files) damaged: decode, JSON, text and verification never throw', () => {
    const publicFiles = ['vu-gen2v2-wp004.ddd', 'vu-gen2v2-wp004-app1types.ddd', 'card-driver-gen1-wp000.ddd', 'card-driver-gen2v1-wp004.ddd'].map(
      (name) => new Uint8Array(readFileSync(`test/fixtures/tachograph-files/${name}`)),
    );
    // real files are 24..99 kB: few runs keep the cost to a few seconds
    fuzzDecoder(bytesAround({ valid: publicFiles, maxRandomLength: 400 }), (f) => {
      const d = decodeDownloadFile(f);
      JSON.stringify(downloadJson(d, f.length));
      downloadText(d, f.length);
      verifyDownloadFile(f, roots);
      return d;
    }, null, { runs: 30 });
  });

  it('decoding is linear in the file: bounded work on damaged and random files', () => {
    fc.assert(
      fc.property(files, (f) => {
        const work = workOf(() => decodeDownloadFile(f));
        return work <= 60 * (f.length + 64);
      }),
      { seed: FUZZ_SEED, numRuns: 150 },
    );
  });
});
