import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { decodeCertificate } from '../../../crypto/pki/cv-certificate.ts';
import { TEST_PKI_DEFAULT_SEED, TestPki } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { cardCredentials } from '../../cards/card-credentials.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { anna, wendy } from '../../cards/test-cards.ts';
import { unwrapResponse, wrapCommand } from '../../../crypto/sm/index.ts';
import { decodeResponse, encodeCommand, selectByFid, updateBinary, type CommandApdu } from '../../../protocols/apdu/index.ts';
import { authenticateCardWithTranscript } from './card-authentication.ts';
import { authenticateThroughApdus } from './card-reader.ts';

const AT = Date.UTC(2026, 2, 2, 8);
const vu = () => ({ pkiSeed: TEST_PKI_DEFAULT_SEED, at: AT, rng: createRng(1, 'vu') });
const defaultVu = () => {
  const v = TestPki.of({ seed: TEST_PKI_DEFAULT_SEED }).vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 });
  return { privateKey: v.vuMa.key.privateKey, curve: v.vuMa.key.curve as 'brainpoolP256r1', certificate: v.vuMa.certificate, mscaCertificate: v.mscaCertificate, rootCertificate: v.rootCertificate };
};
const card = () => new CardEmulator(anna, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card') });

/**
 * One gen2 mutual authentication of anna's driver card by the default VU, both sides seeded (the VU's
 * ephemeral key from createRng(1, 'vu'), the card's challenge and NPICC from createRng(2, 'card')): every
 * command the VU sent and every answer of the card, hex. App. 11 part B: the VU reads and checks the card's
 * chain, presents its own (CSM_161-167), terminal authentication (CSM_170-174), chip authentication
 * (CSM_175-180), then secure messaging (CSM_181-191).
 */
const TRANSCRIPT: [string, string][] = [
  // SELECT DF Tachograph_G2 by AID
  [
      '00A4040C06FF534D524454',
      '9000',
  ],
  // SELECT EF CardMA_Certificate
  [
      '00A4020C02C100',
      '9000',
  ],
  // READ BINARY its first 5 bytes
  [
      '00B0000005',
      '7F2181C97F9000',
  ],
  // READ BINARY the rest
  [
      '00B00005C8',
      '4E81825F29010042080642202001FFFF015F4C07FF534D524454017F494E06092B2403030208010107864104A6083753' +
      '558F067AE8FD765AEE3416AF4F8CB23D117C1EE1ACA1416F305A22E3250AEEB3E30B1318D8ACB73C49521F6751CD774B' +
      '5A7C5D5DA90233A0426A76E95F20088DBA7773012501405F2504677485805F240472BD0BFF5F3740080A057FB17C052A' +
      'FA1D3AA5768B7905416084EB3C979E1A3257AB51D8C24A6B47C3D77C271C244997B1F37DEF4614B0C7E3EFDAFCF77FC8' +
      'FC5598591F45C76A9000',
  ],
  // SELECT EF CA_Certificate
  [
      '00A4020C02C108',
      '9000',
  ],
  // READ BINARY its first 5 bytes
  [
      '00B0000005',
      '7F2181C97F9000',
  ],
  // READ BINARY the rest
  [
      '00B00005C8',
      '4E81825F2901004208FD45432001FFFF015F4C07FF534D5244540E7F494E06092B2403030208010107864104640EF55B' +
      '028C8E26D427EAD729FF2F594EDA3C10D20CA14D6897BA31EAED5B543E5A02DB4DE094A9BFD951587C1B602C707B1E1C' +
      '39788B83CCD403E06753484D5F20080642202001FFFF015F2504686549705F240488D7B1485F37403329E762B3BF7DE8' +
      '1B63B4CA3800F7FC6FC94F7515CCA524DC5D25A194DB6608555663D57BFCE33149FEE73F3C78636355441BD23249D51B' +
      'D0619288657159479000',
  ],
  // MSE: SET DST, the root (ERCA) key
  [
      '002281B60A8308FD45432001FFFF01',
      '9000',
  ],
  // PSO: VERIFY CERTIFICATE, the MSCA certificate
  [
      '002A00BEC97F4E81825F2901004208FD45432001FFFF015F4C07FF534D5244540E7F494E06092B240303020801010786' +
      '4104640EF55B028C8E26D427EAD729FF2F594EDA3C10D20CA14D6897BA31EAED5B543E5A02DB4DE094A9BFD951587C1B' +
      '602C707B1E1C39788B83CCD403E06753484D5F20080642202001FFFF015F2504686549705F240488D7B1485F37403329' +
      'E762B3BF7DE81B63B4CA3800F7FC6FC94F7515CCA524DC5D25A194DB6608555663D57BFCE33149FEE73F3C7863635544' +
      '1BD23249D51BD061928865715947',
      '9000',
  ],
  // MSE: SET DST, the MSCA key
  [
      '002281B60A83080642202001FFFF01',
      '9000',
  ],
  // PSO: VERIFY CERTIFICATE, the VU_MA certificate
  [
      '002A00BEC97F4E81825F29010042080642202001FFFF015F4C07FF534D524454067F494E06092B240303020801010786' +
      '41043994784B4F76747D86C4C49B10130D4825EEBA7AEB0DFCD3E349FD7AF4829A1D14B3C92DBE7D1705538D82F16660' +
      '9A6B554218FD4F73C67CD378AAA8138EC8775F200800000001012606405F2504686549705F24048514A1885F374049A8' +
      'C169F2121A4F72B374DFA247DA0008688DB9FAE1F9343D22F790CE982D0E5B6E146614983BAAB92031799B4F26E1C7DD' +
      '8AA92588CFF553F99DB465A39D44',
      '9000',
  ],
  // MSE: SET AT, VU authentication: ecdsa-with-SHA256, VU CHR, Comp(VU.PKeph)
  [
      '002281A43680082A8648CE3D040302830800000001012606409120956DF4F01A34BADD2E754FBE3CE81A466CD9D4430D' +
      '95E65E85124F8E817668D5',
      '9000',
  ],
  // GET CHALLENGE
  [
      '0084000008',
      '68AE863366C24DFB9000',
  ],
  // EXTERNAL AUTHENTICATE: the VU signature over Card.CHR ‖ rcard ‖ Comp(VU.PKeph)
  [
      '008200004032DFB382D76B8F9F3D61D93F8791E354EE37077FC0FF205039E5FDF969AB7FA05A43FFC3840658FC24CFA4' +
      '11A1CD90B49DC895A45CCAB9BA0B933752DF77448B',
      '9000',
  ],
  // MSE: SET AT, chip authentication: id-CA-ECDH-AES-CBC-CMAC-128
  [
      '002241A40C800A04007F00070202030202',
      '9000',
  ],
  // GENERAL AUTHENTICATE: VU.PKeph → NPICC, TPICC
  [
      '00860000457C43804104956DF4F01A34BADD2E754FBE3CE81A466CD9D4430D95E65E85124F8E817668D54AE60EA53FB2' +
      '2C269AB4F4DC15537D20F5B98883A3B606EBB6635842079ECE6C00',
      '7C1481083E19201CAC6FD62A82081A512FA68C0511089000',
  ],
  // SELECT EF Identification under SM
  [
      '0CA4020C0E810205208E08DE7698F576069DA000',
      '990290008E0877CE10E54E3E63D69000',
  ],
  // READ BINARY CardIdentification (65 bytes) under SM
  [
      '0CB000000D9701418E0844CD7FBC1372EAF500',
      '814106423030303030303031323334353630310020202020202020202020202020202020202020202020202020202020' +
      '20202020202020677485806774858072BBBA80990290008E0873670F72A99CB0EC9000',
  ],
];

describe('the gen2 mutual authentication of a card at insertion, through APDUs (App. 11 part B)', () => {
  it('holds the exact transcript, both sides', () => {
    const report = authenticateCardWithTranscript(anna, vu(), card());
    expect(report.result).toEqual({ ok: true });
    expect(report.transcript.map((e) => [e.command, e.response])).toEqual(TRANSCRIPT);
  });

  it('the transcript says what the test PKI and the card hold, independently of the exchange', () => {
    const creds = cardCredentials(anna);
    const vuCreds = TestPki.of({ seed: TEST_PKI_DEFAULT_SEED }).vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 });
    // the certificates read are the card's: '7F21 81C9' and 201 bytes more
    expect(TRANSCRIPT[2]![1].slice(0, 10) + TRANSCRIPT[3]![1].slice(0, -4)).toBe(creds.cardMa.certificate.toUpperCase());
    expect(TRANSCRIPT[5]![1].slice(0, 10) + TRANSCRIPT[6]![1].slice(0, -4)).toBe(creds.mscaCertificate.toUpperCase());
    // MSE: SET DST names the ERCA, then the MSCA; PSO: VERIFY CERTIFICATE carries each certificate without its '7F21' header
    expect(TRANSCRIPT[7]![0]).toBe('002281B60A8308' + decodeCertificate(fromHex(vuCreds.rootCertificate)).chr.toUpperCase());
    expect(TRANSCRIPT[8]![0]).toBe('002A00BEC9' + vuCreds.mscaCertificate.toUpperCase().slice(8));
    expect(TRANSCRIPT[10]![0]).toBe('002A00BEC9' + vuCreds.vuMa.certificate.toUpperCase().slice(8));
    // MSE: SET AT names the VU_MA CHR (the VU serial number 00000001 0126 06 40)
    expect(TRANSCRIPT[11]![0].slice(0, 50)).toBe('002281A436' + '80082A8648CE3D040302' + '83080000000101260640');
    // the card's challenge is its seeded stream's first 8 bytes, NPICC the next 8
    const stream = createRng(2, 'card');
    expect(TRANSCRIPT[12]![1]).toBe(toHex(stream.bytes(8)).toUpperCase() + '9000');
    expect(TRANSCRIPT[15]![1].slice(8, 24)).toBe(toHex(stream.bytes(8)).toUpperCase());
    // under secure messaging: CLA '0C', the answer '99 02 9000' and an 8-byte MAC
    expect(TRANSCRIPT[16]![1]).toMatch(/^990290008E08[0-9A-F]{16}9000$/);
    expect(TRANSCRIPT[17]![1]).toMatch(/^8141[0-9A-F]{130}990290008E08[0-9A-F]{16}9000$/);
  });

  it("a workshop card has its PIN verified before it authenticates the VU (App. 2 TCS_26: PWD); without it, '6982'", () => {
    const report = authenticateCardWithTranscript(wendy, vu());
    expect(report.result).toEqual({ ok: true });
    const pinAt = report.transcript.findIndex((e) => e.command.startsWith('00200000'));
    const externalAt = report.transcript.findIndex((e) => e.command.startsWith('00820000'));
    expect(report.transcript[pinAt]).toEqual({ command: '002000000831323334FFFFFFFF', response: '9000' });
    expect(pinAt).toBeLessThan(externalAt);
    const withoutPin = authenticateCardWithTranscript({ ...wendy, pin: '4321' }, vu(), new CardEmulator(wendy, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card') }));
    // issue 15: the holder's wrong PIN is its own failure (a non-valid card, no security breach: insertion-validity.ts)
    expect(withoutPin.result).toEqual({ ok: false, failure: 'pin', detail: 'VERIFY (workshop card PIN): 63C4' });
  });

  it("a card that refuses the VU's signature ('6300' to EXTERNAL AUTHENTICATE) fails authentication", () => {
    const report = authenticateCardWithTranscript({ ...anna, failAuthentication: true }, vu());
    expect(report.result).toEqual({ ok: false, failure: 'authentication', detail: 'EXTERNAL AUTHENTICATE: 6300' });
    expect(report.transcript.at(-1)!.response).toBe('6300');
  });

  it("after it, the VU writes what it records under SM (SM-MAC-G2); a plain command ends the session (CSM_193): the next protected one is '6988'", () => {
    const device = card();
    const outcome = authenticateThroughApdus((b) => device.transmit(b), { credentials: defaultVu(), at: AT, rng: createRng(1, 'vu'), cardType: 'driver' });
    if (!outcome.ok || outcome.generation !== 2) throw new Error('authentication failed');
    let session = outcome.session;
    const secured = (c: CommandApdu) => {
      const w = wrapCommand(session, c);
      const answer = decodeResponse(device.transmit(encodeCommand({ ...w.command, extended: false })));
      const u = unwrapResponse(w.session, answer);
      if (!u.ok) throw new Error(u.reason);
      session = u.session;
      return u.response.sw;
    };
    expect(secured(selectByFid(0x0502))).toBe(0x9000);
    expect(secured(updateBinary(0, fromHex('05')))).toBe(0x9000);
    expect(device.memory.files['tachograph-g2/0502']!.slice(0, 2)).toBe('05');
    // a plain READ BINARY is served (SC1) but ends the session
    expect(toHex(device.transmit(fromHex('00B0000001')))).toBe('059000');
    const w = wrapCommand(session, updateBinary(0, fromHex('06')));
    expect(toHex(device.transmit(encodeCommand({ ...w.command, extended: false })))).toBe('6988');
    expect(device.memory.files['tachograph-g2/0502']!.slice(0, 2)).toBe('05');
  });
});
