import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../crypto/bytes.ts';
import { aesCmac } from '../../../crypto/cmac.ts';
import { padMethod2 } from '../../../crypto/padding.ts';
import { decodeCertificate } from '../../../crypto/pki/cv-certificate.ts';
import { verifyPlain } from '../../../crypto/pki/ec-keys.ts';
import { TEST_PKI_DEFAULT_SEED, TestPki } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { authenticationToken, cipherSuiteOf, compressedPoint, deriveSessionKeys, ecdhSecret, unwrapResponse, wrapCommand, type SmSession } from '../../../crypto/sm/index.ts';
import { decodeResponse, encodeCommand, readBinary, SW } from '../../../protocols/apdu/index.ts';
import { decodeCardEfContent, FID } from '../../../protocols/card-files/index.ts';
import { cardCredentials } from '../../cards/card-credentials.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { readEf } from '../../cards/emulator/card-memory.ts';
import { anna } from '../../cards/test-cards.ts';
import { protectedReads, twentyEightDaysWritten } from './protected-reads.ts';
import { authenticateThroughApdus } from './card-reader.ts';

/**
 * CSM_192, CSM_193: a gen2 secure messaging session carries at most 240 SM commands and their responses (the
 * manufacturer's limit, 240 at most: the emulated card's and the VU's are 240). The card aborts the session with
 * the 240th pair; the VU authenticates again before the command that would be the 241st (card-reader.ts
 * renewSession: MSE: SET AT, GET CHALLENGE, EXTERNAL AUTHENTICATE, MSE: SET AT, GENERAL AUTHENTICATE, in plain).
 * The session here: the reader's two protected commands (SELECT EF Identification, READ BINARY CardIdentification),
 * then `n` protected READ BINARY of one byte, as a long session's reads and writes. Both sides seeded as in
 * card-reader.test.ts (the VU createRng(1, 'vu'), the card createRng(2, 'card')).
 */
const AT = Date.UTC(2026, 2, 2, 8);
const vuMa = () => {
  const v = TestPki.of({ seed: TEST_PKI_DEFAULT_SEED }).vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 });
  return { privateKey: v.vuMa.key.privateKey, curve: v.vuMa.key.curve as 'brainpoolP256r1', certificate: v.vuMa.certificate, mscaCertificate: v.mscaCertificate, rootCertificate: v.rootCertificate };
};
const card = () => new CardEmulator(anna, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card') });
const READ_ONE_BYTE = '0CB000000D9701018E08';

const session = (n: number) => protectedReads(anna, n, AT);

/** MSE: SET AT for VU authentication (App. 2 TCS_116): the start of each mutual authentication's key agreement. */
const isVuAuthentication = (command: string) => command.startsWith('002281A4');

/**
 * The renewal before the 241st protected command, every byte: the VU's key set again (the card verified its
 * certificate since its reset, CSM_162), terminal authentication with the card's new challenge, chip authentication
 * with the VU's new ephemeral key, and the 241st command under the new session keys (SSC 1).
 */
const RENEWAL: [string, string][] = [
  // the 240th protected command, answered under the first session: the card's limit is reached with it
  ['0CB000000D9701018E08BEB3E5D5E3152B5500', '810106990290008E08EABE35324537130F9000'],
  // MSE: SET AT, VU authentication: ecdsa-with-SHA256, VU CHR, Comp(VU.PKeph′)
  ['002281A43680082A8648CE3D0403028308000000010126064091205127E9A90A6610917E7AF0824A8773F1958D5C80CD4A9C9CC1BAE6615457FDBD', '9000'],
  // GET CHALLENGE
  ['0084000008', '156D3D6F02EEC9E99000'],
  // EXTERNAL AUTHENTICATE: the VU's signature over Card.CHR ‖ rcard′ ‖ Comp(VU.PKeph′)
  [
    '0082000040211C1B09533D2C0A62EFD3998CAFFE388E3CAB9C083A2533FF5E8406E88F388C4D4063C76B4E05BFF6B6842DD9CD14CF086810C95CA874A420AE9CD5D38A2DD4',
    '9000',
  ],
  // MSE: SET AT, chip authentication: id-CA-ECDH-AES-CBC-CMAC-128
  ['002241A40C800A04007F00070202030202', '9000'],
  // GENERAL AUTHENTICATE: VU.PKeph′; the card's NPICC′ and TPICC′
  [
    '00860000457C438041045127E9A90A6610917E7AF0824A8773F1958D5C80CD4A9C9CC1BAE6615457FDBDA18F95E364DCC56BD5434799EDEB107716EC625EBAB7C79836948111C450306F00',
    '7C1481086AED58152D613593820842C9DD8379BA6A639000',
  ],
  // the 241st: READ BINARY 1 byte under the new session
  ['0CB000000D9701018E0868C59067AA8697BF00', '810106990290008E086B67106ED38945A49000'],
];

describe('gen2 secure messaging session limit (CSM_192, CSM_193): the card ends the session with its 240th pair, the VU renews it first', () => {
  it("the card answers the 240th pair under SM, then aborts the session: a protected command after it is '6988', plain (CSM_193, CSM_194)", () => {
    // the reader's session handed over after `n` of the caller's commands: 2 + n pairs spent
    const after = (n: number) => {
      const device = card();
      const outcome = authenticateThroughApdus((bytes) => device.transmit(bytes), {
        credentials: vuMa(),
        at: AT,
        rng: createRng(1, 'vu'),
        cardType: 'driver',
        secured: (send) => {
          for (let i = 0; i < n; i++) send(readBinary(0, 1), 'read');
        },
      });
      if (!outcome.ok || outcome.generation !== 2) throw new Error('authentication failed');
      const next = (s: SmSession) => {
        const w = wrapCommand(s, readBinary(0, 1));
        return { command: w, response: decodeResponse(device.transmit(encodeCommand({ ...w.command, extended: false }))) };
      };
      return { session: outcome.session, next };
    };
    // positive control: 239 pairs spent, the 240th is served under SM
    const a = after(237);
    expect(a.session.pairs).toBe(239);
    const fortieth = a.next(a.session);
    const unwrapped = unwrapResponse(fortieth.command.session, fortieth.response);
    expect(unwrapped.ok && [toHex(unwrapped.response.data), unwrapped.response.sw]).toEqual(['06', SW.OK]);
    // the 241st, with the right MAC for the SSC that would follow: no session any more
    const spent = unwrapped.ok ? unwrapped.session : a.session;
    expect(spent.pairs).toBe(240);
    expect(a.next(spent).response).toEqual({ data: new Uint8Array(0), sw: 0x6988 });
    // the same straight from a reader's session of 240 pairs
    const b = after(238);
    expect(b.session.pairs).toBe(240);
    expect(b.next(b.session).response).toEqual({ data: new Uint8Array(0), sw: 0x6988 });
  });

  it('240 protected commands: one key agreement, every answer under it', () => {
    const { report, answers, protectedCommands } = session(238);
    expect(report.result).toEqual({ ok: true });
    expect(protectedCommands).toHaveLength(240);
    expect(report.transcript.filter((e) => isVuAuthentication(e.command))).toHaveLength(1);
    // EF Identification's first byte: App. 1 CardIdentification's cardIssuingMemberState, 'B' = 06
    expect(new Set(answers)).toEqual(new Set(['06']));
  });

  it('the 241st: the renewal in plain right before it, every byte, then it goes under the new session keys (SSC 1)', () => {
    const { report, answers, protectedCommands } = session(239);
    expect(report.result).toEqual({ ok: true });
    expect(answers).toHaveLength(239);
    expect(new Set(answers)).toEqual(new Set(['06']));
    expect(protectedCommands).toHaveLength(241);
    const t = report.transcript.map((e) => [e.command, e.response] as [string, string]);
    const last = t.findIndex(([c]) => c === protectedCommands[240]!.command);
    expect(t.slice(last - 6, last + 1)).toEqual(RENEWAL);
    // nothing after it, and only the insertion's and this key agreement
    expect(last).toBe(t.length - 1);
    expect(t.filter(([c]) => isVuAuthentication(c))).toHaveLength(2);

    // checked from the card's side, with its own Card_MA key: the VU's signature (CSM_174), the keys (CSM_176, CSM_179), the 241st's MAC
    const [, [setAt], [, challenge], [external], , [general, npicc]] = RENEWAL;
    const cardMa = cardCredentials(anna, TEST_PKI_DEFAULT_SEED).cardMa;
    const cardChr = fromHex(decodeCertificate(fromHex(cardMa.certificate)).chr);
    const vu = decodeCertificate(fromHex(vuMa().certificate));
    const ephPoint = fromHex(general!.slice(18, 18 + 130));
    expect(setAt!.slice(-64)).toBe(toHex(compressedPoint(ephPoint)).toUpperCase());
    expect(verifyPlain(vu.curve, fromHex(vu.publicPoint), concatBytes(cardChr, fromHex(challenge!.slice(0, 16)), compressedPoint(ephPoint)), fromHex(external!.slice(10)))).toBe(true);
    const keys = deriveSessionKeys(ecdhSecret(cardMa.key, ephPoint), fromHex(npicc!.slice(8, 24)), cipherSuiteOf(cardMa.key.curve).keyBits);
    expect(toHex(authenticationToken(keys.kMac, ephPoint)).toUpperCase()).toBe(npicc!.slice(28, 44));
    const ssc1 = fromHex('00'.repeat(15) + '01');
    const mac = aesCmac(keys.kMac, concatBytes(ssc1, padMethod2(fromHex('0CB00000')), padMethod2(fromHex('970101')))).slice(0, 8);
    expect(RENEWAL[6]![0]).toBe(`${READ_ONE_BYTE}${toHex(mac).toUpperCase()}00`);
  });

  it("a card that no longer knows the VU's key (MSE: SET AT '6A88', CSM_162): the VU presents its chain again, then sets its key", () => {
    const device = card();
    let setAts = 0;
    // the renewal's first MSE: SET AT answered '6A88' as a card that kept no verified certificate would; the rest reaches the card
    const port = (bytes: Uint8Array) => {
      if (isVuAuthentication(toHex(bytes).toUpperCase()) && ++setAts === 2) return Uint8Array.of(0x6a, 0x88);
      return device.transmit(bytes);
    };
    const outcome = authenticateThroughApdus(port, {
      credentials: vuMa(),
      at: AT,
      rng: createRng(1, 'vu'),
      cardType: 'driver',
      secured: (send) => {
        for (let i = 0; i < 239; i++) expect(send(readBinary(0, 1), 'read').sw).toBe(SW.OK);
      },
    });
    expect(outcome.ok).toBe(true);
    const t = outcome.transcript.map((e) => [e.command.slice(0, 8), e.response.slice(-4)]);
    const renewal = t.findIndex(([c], i) => i > 0 && isVuAuthentication(c!) && t.slice(0, i).some(([x]) => x!.startsWith('0C')));
    expect(t.slice(renewal, renewal + 11)).toEqual([
      ['002281A4', '6A88'],
      ['002281B6', '9000'], // MSE: SET DST, the root key
      ['002A00BE', '9000'], // PSO: VERIFY CERTIFICATE, the MSCA certificate
      ['002281B6', '9000'], // MSE: SET DST, the MSCA key
      ['002A00BE', '9000'], // PSO: VERIFY CERTIFICATE, the VU_MA certificate
      ['002281A4', '9000'], // MSE: SET AT again, the same ephemeral key
      ['00840000', '9000'],
      ['00820000', '9000'],
      ['002241A4', '9000'],
      ['00860000', '9000'],
      ['0CB00000', '9000'], // the 241st, under the new session
    ]);
    // the same MSE: SET AT both times (one ephemeral key for the renewal, CSM_164)
    expect(outcome.transcript[renewal]!.command).toBe(outcome.transcript[renewal + 5]!.command);
  });

  it('a long session keeps working: 28 days of a change every 5 minutes and a vehicle a day written on both applications of a gen2 card, then written again changed, in one session: renewed on the way, every day on the card', () => {
    const { report, writes, device, days } = twentyEightDaysWritten(anna, 2);
    // no integrity error (0x14) and no authentication failure (0x12): the card answered every protected command
    expect(report.result).toEqual({ ok: true });
    const protectedCommands = report.transcript.filter((e) => e.command.startsWith('0C')).length;
    const agreements = report.transcript.filter((e) => isVuAuthentication(e.command)).length;
    // every protected command answered under a live session: one agreement per 240 of them
    expect(agreements).toBe(Math.ceil(protectedCommands / 240));
    expect(agreements).toBeGreaterThan(2);
    expect(report.transcript.filter((e) => e.command.startsWith('0C') && !e.response.endsWith('9000'))).toEqual([]);
    expect([protectedCommands > 480, writes > 120]).toEqual([true, true]);
    for (const df of ['tachograph', 'tachograph-g2'] as const) {
      const generation = df === 'tachograph' ? 1 : 2;
      const content = decodeCardEfContent(FID.DRIVER_ACTIVITY_DATA, readEf(device.memory, df, FID.DRIVER_ACTIVITY_DATA)!, { cardType: 'driver', generation }, []);
      const record = content!.record as { activityDailyRecords: { activityRecordDate: string; activityDayDistance: number; activityChangeInfo: unknown[] }[] };
      const held = record.activityDailyRecords.map((d) => [d.activityRecordDate.slice(0, 10), d.activityDayDistance, d.activityChangeInfo.length]);
      // the cyclic file keeps the newest days it has room for (Annex IC 148), the last of them the 28th
      expect(held.at(-1)).toEqual(['2026-02-28', 127, 288]);
      expect(held.length).toBeGreaterThan(10);
      expect(held).toEqual(days.slice(-held.length).map((d) => [new Date(d.date).toISOString().slice(0, 10), d.distanceKm, 288]));
    }
  });
});
