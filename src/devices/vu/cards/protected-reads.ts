import { toHex } from '../../../crypto/bytes.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { readBinary, SW } from '../../../protocols/apdu/index.ts';
import type { VirtualCard } from '../../cards/card-schema.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { authenticateCardWithTranscript, type CardAuthenticationReport } from './card-authentication.ts';

/**
 * The session of the secure messaging limit tests (CSM_013 for gen1, CSM_192-195 for gen2): the VU (createRng(1,
 * 'vu')) authenticates `card`, reads it as at an insertion (two protected commands: SELECT EF Identification, READ
 * BINARY CardIdentification), then sends `n` protected READ BINARY of one byte, as a long session's reads and
 * writes. The card is seeded createRng(2, 'card'), as in card-reader.test.ts. Each answer is kept as hex, or
 * `sw XXXX` when refused.
 */
export function protectedReads(card: VirtualCard, n: number, at: number): { report: CardAuthenticationReport; answers: string[]; protectedCommands: CardAuthenticationReport['transcript'] } {
  const device = new CardEmulator(card, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card') });
  const answers: string[] = [];
  const report = authenticateCardWithTranscript(card, {
    pkiSeed: TEST_PKI_DEFAULT_SEED,
    at,
    rng: createRng(1, 'vu'),
    secured: (send) => {
      for (let i = 0; i < n; i++) {
        const r = send(readBinary(0, 1), `read ${i}`);
        answers.push(r.sw === SW.OK ? toHex(r.data) : `sw ${r.sw.toString(16)}`);
      }
    },
  }, device);
  return { report, answers, protectedCommands: report.transcript.filter((e) => e.command.startsWith('0C')) };
}
