import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../crypto/bytes.ts';
import { aesCmac } from '../../../crypto/cmac.ts';
import { padMethod2 } from '../../../crypto/padding.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { cipherSuiteOf, deriveSessionKeys, ecdhSecret } from '../../../crypto/sm/index.ts';
import { cardCredentials } from '../../cards/card-credentials.ts';
import { cardSchema, type VirtualCard } from '../../cards/card-schema.ts';
import { anna } from '../../cards/test-cards.ts';
import { protectedReads } from './protected-reads.ts';
import { SM_ABORT_RETRIES } from './card-session.ts';

/**
 * CSM_192 (third case), CSM_193-195: a card whose own limit of SM commands and responses is below the VU's 240
 * (the smSessionLimit option) aborts the session with its last pair and answers the next protected command '6988'
 * in plain (CSM_194). The VU then drops its keys, sets up a new session at once (VU and chip authentication in
 * plain, as its renewal before 240: card-reader.ts renewSession) and sends the same command again under it. A card
 * that aborts every command (abortsSecureMessaging) gets SM_ABORT_RETRIES new sessions for one command, then is
 * declared faulty (failure 'write': fault '40'H, as Annex IC 149's write error). Both sides seeded as in
 * card-session-renewal-g2.test.ts (the VU createRng(1, 'vu'), the card createRng(2, 'card')).
 */
const AT = Date.UTC(2026, 2, 2, 8);
const cardWith = (options: Partial<VirtualCard>): VirtualCard => cardSchema.parse({ ...anna, ...options });
const READ_ONE_BYTE = '0CB000000D9701018E08';
/** MSE: SET AT for VU authentication (App. 2 TCS_116): the start of each key agreement. */
const isVuAuthentication = (command: string) => command.startsWith('002281A4');

function session(card: VirtualCard, n: number) {
  const { report, answers, protectedCommands } = protectedReads(card, n, AT);
  return { report, answers, transcript: report.transcript.map((e) => [e.command, e.response] as [string, string]), protectedCommands: protectedCommands.map((e) => [e.command, e.response] as [string, string]) };
}

/**
 * A card of limit 20: the reader's two protected commands (SELECT EF Identification, READ BINARY CardIdentification)
 * and 18 reads fill its session; the 19th read is the 21st protected command: aborted, the session set up again,
 * the read sent again under it (SSC 1), every byte.
 */
const ABORT_AND_REESTABLISHMENT: [string, string][] = [
  // the 20th protected command, the card's last of the session, still answered under SM
  ['0CB000000D9701018E089D38927D0581881200', '810106990290008E08D77CE04F77B5CE039000'],
  // the 21st: the card has no session any more: '6988' in plain (CSM_193, CSM_194)
  ['0CB000000D9701018E0886388400101EEA2000', '6988'],
  // CSM_195 at once: MSE: SET AT, VU authentication with a new ephemeral key (the card knows the VU's certificate, CSM_162)
  ['002281A43680082A8648CE3D0403028308000000010126064091205127E9A90A6610917E7AF0824A8773F1958D5C80CD4A9C9CC1BAE6615457FDBD', '9000'],
  ['0084000008', '156D3D6F02EEC9E99000'],
  [
    '0082000040211C1B09533D2C0A62EFD3998CAFFE388E3CAB9C083A2533FF5E8406E88F388C4D4063C76B4E05BFF6B6842DD9CD14CF086810C95CA874A420AE9CD5D38A2DD4',
    '9000',
  ],
  ['002241A40C800A04007F00070202030202', '9000'],
  [
    '00860000457C438041045127E9A90A6610917E7AF0824A8773F1958D5C80CD4A9C9CC1BAE6615457FDBDA18F95E364DCC56BD5434799EDEB107716EC625EBAB7C79836948111C450306F00',
    '7C1481086AED58152D613593820842C9DD8379BA6A639000',
  ],
  // the same READ BINARY again, under the new session keys (SSC 1), answered
  ['0CB000000D9701018E0868C59067AA8697BF00', '810106990290008E086B67106ED38945A49000'],
];

describe('a card whose own SM session limit is below 240 aborts early; the VU sets up a new session at once and repeats the command (CSM_192-195)', () => {
  it('smSessionLimit is 1 to 240 SM commands and responses (CSM_193), on a generation 2 card only', () => {
    expect(cardWith({ smSessionLimit: 20 }).smSessionLimit).toBe(20);
    expect(cardWith({ smSessionLimit: 1 }).smSessionLimit).toBe(1);
    expect(cardWith({ smSessionLimit: 240 }).smSessionLimit).toBe(240);
    expect(() => cardWith({ smSessionLimit: 241 })).toThrow('smSessionLimit is at most 240 SM commands and responses per session (CSM_193)');
    expect(() => cardWith({ smSessionLimit: 0 })).toThrow('smSessionLimit is at least 1');
    expect(() => cardWith({ smSessionLimit: 20.5 })).toThrow('smSessionLimit is a whole number');
    expect(() => cardWith({ generation: 1, smSessionLimit: 20 })).toThrow("a generation 2 card's secure messaging (CSM_193)");
    expect(() => cardWith({ generation: 1, abortsSecureMessaging: true })).toThrow("a generation 2 card's secure messaging (CSM_193)");
  });

  it('positive control: 20 protected commands fill a limit-20 session, every answer under it, one key agreement', () => {
    const { report, answers, transcript, protectedCommands } = session(cardWith({ smSessionLimit: 20 }), 18);
    expect(report.result).toEqual({ ok: true });
    expect(protectedCommands).toHaveLength(20);
    expect(new Set(answers)).toEqual(new Set(['06']));
    expect(transcript.filter(([c]) => isVuAuthentication(c))).toHaveLength(1);
  });

  it("the 21st: '6988' in plain, the session set up again at once, the same command under it, every byte", () => {
    const { report, answers, transcript, protectedCommands } = session(cardWith({ smSessionLimit: 20 }), 19);
    // no integrity error (0x14): the read the card aborted is answered under the new session
    expect(report.result).toEqual({ ok: true });
    expect(answers).toEqual(Array(19).fill('06'));
    expect(protectedCommands).toHaveLength(22);
    const aborted = transcript.findIndex(([, r]) => r === '6988');
    expect(transcript.slice(aborted - 1)).toEqual(ABORT_AND_REESTABLISHMENT);
    expect(transcript.filter(([c]) => isVuAuthentication(c))).toHaveLength(2);

    // checked from the card's side: the repeated command is the same READ BINARY, its MAC under the new keys at SSC 1
    const general = ABORT_AND_REESTABLISHMENT[6]!;
    const cardMa = cardCredentials(anna, TEST_PKI_DEFAULT_SEED).cardMa;
    const keys = deriveSessionKeys(ecdhSecret(cardMa.key, fromHex(general[0].slice(18, 18 + 130))), fromHex(general[1].slice(8, 24)), cipherSuiteOf(cardMa.key.curve).keyBits);
    const mac = aesCmac(keys.kMac, concatBytes(fromHex('00'.repeat(15) + '01'), padMethod2(fromHex('0CB00000')), padMethod2(fromHex('970101')))).slice(0, 8);
    expect(ABORT_AND_REESTABLISHMENT[7]![0]).toBe(`${READ_ONE_BYTE}${toHex(mac).toUpperCase()}00`);
  });

  it('a day of a limit-20 card: 300 protected commands, a new session every 20, none lost, no integrity error', () => {
    const { report, answers, transcript, protectedCommands } = session(cardWith({ smSessionLimit: 20 }), 298);
    expect(report.result).toEqual({ ok: true });
    expect(answers).toEqual(Array(298).fill('06'));
    // 300 commands answered, 14 of them first aborted ('6988') and sent again: 15 sessions
    expect(transcript.filter(([, r]) => r === '6988')).toHaveLength(14);
    expect(protectedCommands).toHaveLength(314);
    expect(transcript.filter(([c]) => isVuAuthentication(c))).toHaveLength(15);
  });

  it(`a card that aborts every command: ${SM_ABORT_RETRIES} new sessions for the first, then declared faulty (failure 'write', fault 0x40)`, () => {
    const { report, transcript } = session(cardWith({ abortsSecureMessaging: true }), 0);
    expect(report.result).toEqual({
      ok: false,
      failure: 'write',
      detail: 'secured SELECT of EF Identification: the card aborted secure messaging (6988) again after 3 new sessions (CSM_195): declared faulty',
    });
    const afterFirst = transcript.slice(transcript.findIndex(([c]) => c.startsWith('0C')));
    const reestablishment = ['002281A4', '00840000', '00820000', '002241A4', '00860000'].map((c) => [c, '9000']);
    const secureSelect = ['0CA4020C', '6988'];
    expect(afterFirst.map(([c, r]) => [c.slice(0, 8), r.slice(-4)])).toEqual([secureSelect, ...reestablishment, secureSelect, ...reestablishment, secureSelect, ...reestablishment, secureSelect]);
    const selects = afterFirst.filter(([c]) => c.startsWith('0C')).map(([c]) => c);
    expect(new Set(selects).size).toBe(4);
    // SELECT EF Identification ('81' 0520), each under its own session's keys at SSC 1
    expect(selects).toEqual([
      '0CA4020C0E810205208E08DE7698F576069DA000',
      '0CA4020C0E810205208E084608FF3D316FD7E000',
      '0CA4020C0E810205208E08311317123378FCBA00',
      '0CA4020C0E810205208E08C1CA13CF00816B2B00',
    ]);
  });
});
