import { describe, it } from 'vitest';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { bytesAround, fuzzDecoder } from '../fuzz/fuzz.ts';
import { verifyDddG1 } from '../ddd/verify-g1.ts';
import { readDddG1, scanDddG1 } from './blocks-g1.ts';
import { App7G1Error } from './fields-g1.ts';
import { g1TestBlocks, g1TestDownload } from './test-treps-g1.ts';
import { decodeTrep01, decodeTrep02, decodeTrep03, decodeTrep04, decodeTrep05 } from './trep-g1.ts';

const blocks = g1TestBlocks();
const roots = { europeanPublicKeys: [TestPkiG1.of().eurPublicKeyBytes()], rootCertificates: [] };
const DECODERS = [decodeTrep01, decodeTrep02, decodeTrep03, decodeTrep04, decodeTrep05];

describe('gen1 VU download decoders under fuzzing: only App7G1Error escapes', () => {
  it('each TREP decoder, on its own block mutated', () => {
    blocks.forEach(({ data }, i) => fuzzDecoder(bytesAround({ valid: [data], maxRandomLength: 300 }), DECODERS[i]!, App7G1Error, { runs: 150 }));
  });

  it('the file splitter throws App7G1Error at most; scanDddG1 and verifyDddG1 never throw', () => {
    const files = bytesAround({ valid: [g1TestDownload()], maxRandomLength: 400 });
    fuzzDecoder(files, readDddG1, App7G1Error, { runs: 300 });
    fuzzDecoder(files, scanDddG1, null, { runs: 300 });
    fuzzDecoder(files, (f) => verifyDddG1(f, roots), null, { runs: 100 });
  });
});
