import { describe, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { driverCardDownload } from './driver-card-image.ts';
import { anna } from './test-cards.ts';
import { bytesAround, fuzzDecoder } from '../../protocols/fuzz/fuzz.ts';
import { CardFileError, readCardTlvs } from '../../protocols/card-files/card-download-file.ts';
import { verifyCardDownload, verifyCardFile } from '../../protocols/card-files/verify-card-download.ts';
import { decodeCardDownload } from '../../protocols/card-files/decode-card-download.ts';
import { decodeCardFile } from '../../protocols/card-files/decode-card-file.ts';
import { decodeCardChipIdentification, decodeCardDrivingLicenceInformation, decodeCardIccIdentification, decodeDriverCardApplicationIdentification, decodeDriverCardIdentification } from '../../protocols/card-files/card-ef-codec.ts';

/** The rig's gen2 and gen1 driver card files (66 kB and 30 kB), genuine, and a few of their EFs alone. */
const gen2 = driverCardDownload(anna);
const gen1 = driverCardDownload({ ...anna, generation: 1 });
const efs = readCardTlvs(gen2).slice(0, 12);
const files = bytesAround({ valid: [gen2, gen1, ...efs.map((t) => Uint8Array.of(t.fid >> 8, t.fid & 0xff, t.appendix, t.value.length >> 8, t.value.length & 0xff, ...t.value))] });
const AT = Date.UTC(2026, 2, 2, 8);
const roots = [fromHex(TestPki.of().erca.certificate)];
const eur = [TestPkiG1.of().eurPublicKeyBytes()];

describe('card file decoders under fuzzing: only CardFileError escapes', () => {
  it('readCardTlvs and decodeCardFile (rig decode) throw CardFileError at most', () => {
    fuzzDecoder(files, (f) => [readCardTlvs(f), decodeCardFile(f)], CardFileError, { runs: 150 });
  });

  it('verifyCardDownload (and verifyCardFile, its adapter) never throw: they list what is wrong', () => {
    fuzzDecoder(files, (f) => verifyCardDownload(f, { rootCertificates: roots, europeanPublicKeys: eur }), null, { runs: 60 });
    fuzzDecoder(files, (f) => verifyCardFile(f, roots, AT, eur), null, { runs: 20 });
  });

  it('decodeCardDownload never throws', () => {
    fuzzDecoder(files, (f) => decodeCardDownload(f), null, { runs: 100 });
  });

  it('the EF decoders, on the EFs of the file damaged', () => {
    const values = bytesAround({ valid: efs.map((t) => t.value) });
    const decoders = [decodeCardIccIdentification, decodeCardChipIdentification, (b: Uint8Array) => decodeDriverCardApplicationIdentification(b, 2), (b: Uint8Array) => decodeDriverCardApplicationIdentification(b, 1), decodeDriverCardIdentification, decodeCardDrivingLicenceInformation];
    fuzzDecoder(values, (v) => decoders.map((d) => { try { return d(v); } catch (error) { if (error instanceof TypeError || error instanceof ReferenceError) throw error; return null; } }), null);
  });
});
