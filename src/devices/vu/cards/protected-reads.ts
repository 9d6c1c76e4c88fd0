import { toHex } from '../../../crypto/bytes.ts';
import type { ActivityChangeInfo } from '../../../protocols/app1/activity-change-info.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { readBinary, SW } from '../../../protocols/apdu/index.ts';
import type { VirtualCard } from '../../cards/card-schema.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { authenticateCardWithTranscript, type CardAuthenticationReport } from './card-authentication.ts';
import { writeCardSession } from './card-writer.ts';

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

const DAY = 86_400_000;

/**
 * A long session of the same limit tests: 28 days of a change every 5 minutes (work and `odd` in turn) and a
 * vehicle a day, from 2026-02-01, written on `card` in one session (its applications of `generation` and below),
 * first with availability, then written again with driving: more protected commands than one session allows.
 * Returns the session's report, the UPDATE BINARY count, the card (its memory) and the days written last.
 */
export function twentyEightDaysWritten(card: VirtualCard, generation: 1 | 2) {
  const first = Date.UTC(2026, 1, 1);
  const daysOf = (odd: 'driving' | 'availability') =>
    Array.from({ length: 28 }, (_, d) => ({
      date: first + d * DAY,
      distanceKm: 100 + d,
      changes: Array.from({ length: 288 }, (_, i): ActivityChangeInfo => ({ slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: i % 2 ? odd : 'work', minute: i * 5 })),
    }));
  const days = daysOf('driving');
  const vehicles = days.map((d, i) => ({ odometerBeginKm: 1000 * i, odometerEndKm: 1000 * i + 500, firstUse: d.date + 3_600_000, lastUse: d.date + 7_200_000, vehicle: { nation: 6, number: `B-RIG-${String(i).padStart(3, '0')}` }, vuDataBlockCounter: i + 1, vin: '' }));
  const device = new CardEmulator(card, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card') });
  let writes = 0;
  const report = authenticateCardWithTranscript(card, {
    pkiSeed: TEST_PKI_DEFAULT_SEED,
    at: first + 28 * DAY,
    rng: createRng(1, 'vu'),
    secured: (send) => {
      const records = (d: typeof days) => () => ({ days: d, firstDayFromMinute: 0, events: [], faults: [], vehicles, places: [], vehicleUnit: null, gnssAd: [], specificConditions: [], loadUnloads: [], borderCrossings: [] });
      writes = writeCardSession(send, generation, records(daysOf('availability'))) + writeCardSession(send, generation, records(days));
    },
  }, device);
  return { report, writes, device, days };
}
