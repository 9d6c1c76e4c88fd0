import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { TEST_PKI_DEFAULT_SEED, TestPki } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { decodeResponse, encodeCommand, type CommandApdu } from '../../../protocols/apdu/index.ts';
import { FID } from '../../../protocols/card-files/index.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { readEf } from '../../cards/emulator/card-memory.ts';
import { anna } from '../../cards/test-cards.ts';
import type { VuMaCredentials } from '../gnss-link/types.ts';
import { authenticateCard, vuG1Credentials } from './card-authentication.ts';
import { authenticateGen1 } from './card-reader-g1.ts';
import { authenticateThroughApdus } from './card-reader.ts';
import { wrapCommandG1 } from '../../../crypto/sm-g1/secure-messaging-g1.ts';

/**
 * Annex IC 144 with App. 2 TCS_81, TCS_91, TCS_96: a second generation card's DF Tachograph is the first
 * generation application, "designed to be also used in first generation vehicle units" (Annex IC ch. 4): a gen1
 * VU (the VU side of App. 11 part A, card-reader-g1.ts, as a gen1 VU runs it) authenticates a gen2 card there with
 * the card's gen1 keys and works under gen1 secure messaging; DF Tachograph_G2 stays out of its reach.
 */
const AT = Date.UTC(2026, 2, 2, 8);
const B_RIG_001 = { vehicleRegistrationNation: 6, vehicleRegistrationNumber: 'B-RIG-001' };
const vuMa = (): VuMaCredentials => {
  const vu = TestPki.of({ seed: TEST_PKI_DEFAULT_SEED }).vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 });
  return { privateKey: vu.vuMa.key.privateKey, curve: vu.vuMa.key.curve as VuMaCredentials['curve'], certificate: vu.vuMa.certificate, mscaCertificate: vu.mscaCertificate, rootCertificate: vu.rootCertificate };
};
const device = () => new CardEmulator(anna, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card') });

/** A gen1 VU's insertion of `card` (a gen2 card): its commands, and the card's answers, as hex. */
function gen1Vu(card: CardEmulator) {
  const transcript: [string, string][] = [];
  const send = (c: CommandApdu) => {
    const bytes = encodeCommand(c);
    const answer = card.transmit(bytes);
    transcript.push([toHex(bytes).toUpperCase(), toHex(answer).toUpperCase()]);
    return decodeResponse(answer);
  };
  card.reset();
  const outcome = authenticateGen1(send, { credentials: vuG1Credentials(TEST_PKI_DEFAULT_SEED, vuMa()), at: AT, rng: createRng(1, 'vu'), cardType: 'driver', cardSession: { open: { at: AT, ...B_RIG_001 } } });
  return { outcome, transcript };
}

describe("a gen2 card in a gen1 VU: its DF Tachograph answers App. 11 part A with the card's gen1 keys", () => {
  it('authenticates (INTERNAL and EXTERNAL AUTHENTICATE), reads CardIdentification and sets the card session data of DF Tachograph under gen1 SM; DF Tachograph_G2 untouched', () => {
    const card = device();
    const g2Before = card.memory.files['tachograph-g2/0507'];
    const { outcome, transcript } = gen1Vu(card);
    expect(outcome).toMatchObject({ ok: true, lastSession: null });
    if (!outcome.ok) throw new Error(outcome.detail);
    expect(toHex(outcome.cardIdentification)).toBe(toHex(readEf(card.memory, 'tachograph', FID.IDENTIFICATION)!.subarray(0, 65)));
    // the gen1 sequence (CSM_020) in DF Tachograph, each '9000'
    const heads = transcript.map(([c, r]) => [c.slice(0, 8), r.slice(-4)]);
    expect(heads.slice(0, 13)).toEqual([
      ['00A4040C', '9000'], // SELECT DF Tachograph
      ['00A4020C', '9000'], // EF Card_Certificate
      ['00B00000', '9000'],
      ['00A4020C', '9000'], // EF CA_Certificate
      ['00B00000', '9000'],
      ['0022C1B6', '9000'], // MSE: SET European key
      ['002A00AE', '9000'], // PSO: VERIFY CERTIFICATE (Member State, 194 bytes)
      ['0022C1B6', '9000'],
      ['002A00AE', '9000'], // (VU)
      ['0022C1B6', '9000'], // the VU key current
      ['00880000', '9000'], // INTERNAL AUTHENTICATE
      ['00840000', '9000'], // GET CHALLENGE
      ['00820000', '9000'], // EXTERNAL AUTHENTICATE
    ]);
    // then only gen1 secure messaging: '8E' 04, a 4-byte retail MAC (CSM_025)
    expect(transcript.slice(13).every(([c]) => c.startsWith('0C') && /8E04[0-9A-F]{8}00$/.test(c))).toBe(true);
    expect(card.memory.files['tachograph/0507']).toBe((AT / 1000).toString(16) + '06' + '01' + '422d5249472d303031' + '20202020');
    expect(card.memory.files['tachograph-g2/0507']).toBe(g2Before);
  });

  it('withdrawn from the gen1 VU without closing, then inserted in a gen2 VU: 0x06 material, the session of a gen1 VU (Annex IC 77)', () => {
    const card = device();
    expect(gen1Vu(card).outcome.ok).toBe(true);
    const later = AT + 3_600_000;
    expect(authenticateCard(anna, { pkiSeed: TEST_PKI_DEFAULT_SEED, at: later, rng: createRng(3, 'vu'), cardSession: { open: { at: later, ...B_RIG_001 } } }, card)).toEqual({
      ok: true,
      lastSession: { insertion: AT, ...B_RIG_001, vuGeneration: 1 },
    });
  });

  it("keeps the two generations apart: INTERNAL AUTHENTICATE outside DF Tachograph '6D00' (TCS_91); a gen2 EXTERNAL AUTHENTICATE erases the gen1 key (TCS_97)", () => {
    const card = device();
    const tx = (hex: string) => toHex(card.transmit(fromHex(hex.replace(/ /g, '')))).toUpperCase();
    expect(tx('00A4040C06 FF534D524454')).toBe('9000');
    expect(tx('0088000010 0102030405060708 0000000101260640 80')).toBe('6D00');
    /** After a gen1 VU's session (and `between`), a plain SELECT of DF Tachograph, then SELECT EF Identification under the gen1 VU's key. */
    const gen1KeyAfter = (between: () => void) => {
      const first = gen1Vu(card).outcome;
      if (!first.ok) throw new Error(first.detail);
      between();
      expect(tx('00A4040C06 FF544143484F')).toBe('9000');
      const wrapped = wrapCommandG1(first.session, { cla: 0, ins: 0xa4, p1: 0x02, p2: 0x0c, data: fromHex('0520') });
      return toHex(card.transmit(encodeCommand({ ...wrapped.command, extended: false }))).toUpperCase().slice(-4);
    };
    // positive control: a plain command leaves the gen1 key (part A has no CSM_193)
    expect(gen1KeyAfter(() => {})).toBe('9000');
    // a gen2 VU's mutual authentication, the card not reset: the gen1 key is gone; no session key of either generation:
    // a protected command is the gen2 card's '6988' (its choice for SM without a session, card-emulator.ts)
    const gen2 = authenticateThroughApdus((b) => card.transmit(b), { credentials: vuMa(), at: AT, rng: createRng(3, 'vu'), cardType: 'driver' });
    expect(gen2.ok).toBe(true);
    expect(gen1KeyAfter(() => authenticateThroughApdus((b) => card.transmit(b), { credentials: vuMa(), at: AT, rng: createRng(3, 'vu'), cardType: 'driver' }))).toBe('6988');
  });
});
