import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex, xorBytes } from '../../../crypto/bytes.ts';
import { decodeCertificate } from '../../../crypto/pki/cv-certificate.ts';
import { TEST_PKI_DEFAULT_SEED, TestPki } from '../../../crypto/pki/test-pki.ts';
import { G1_EQUIPMENT_TYPE } from '../../../crypto/pki-g1/rsa-certificate.ts';
import { publicKeyOf } from '../../../crypto/pki-g1/rsa-keys.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { createRng } from '../../../crypto/random.ts';
import { openAuthenticationCryptogram } from '../../../crypto/sm-g1/authentication-token.ts';
import { cryptographicChecksumG1, padG1 } from '../../../crypto/sm-g1/retail-mac.ts';
import { cardExtendedSerialNumber, cardG1Credentials } from '../../cards/card-credentials.ts';
import { encodeExtendedSerialNumber } from '../../../crypto/pki/key-identifier.ts';
import { driverCardSchema, workshopCardSchema } from '../../cards/card-schema.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { cardIdentification } from '../../cards/emulator/card-image.ts';
import { anna, wendy } from '../../cards/test-cards.ts';
import { authenticateCardWithTranscript } from './card-authentication.ts';

const AT = Date.UTC(2026, 2, 2, 8);
const vu = () => ({ pkiSeed: TEST_PKI_DEFAULT_SEED, at: AT, rng: createRng(1, 'vu') });
const annaG1 = driverCardSchema.parse({ ...anna, generation: 1 });
const card = (c = annaG1) => new CardEmulator(c, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card') });
/** The default VU's CHR (its extended serial number 00000001 0126 06 40): its gen1 key identifier too. */
const VU_CHR = '0000000101260640';

/**
 * One gen1 mutual authentication of anna's card, issued as a first generation card, by the default VU, both
 * sides seeded (the VU's RND1, PRND4 and K2 from createRng(1, 'vu'), the card's PRND2, K1 and RND3 from
 * createRng(2, 'card')): every command the VU sent and every answer of the card, hex. App. 11 Part A §4
 * (CSM_020) with the App. 2 commands, then secure messaging (§5).
 */
const TRANSCRIPT: [string, string][] = [
  // SELECT DF Tachograph_G2 by AID: a first generation card has none (TCS_142)
  [
      '00A4040C06FF534D524454',
      '6A82',
  ],
  // SELECT DF Tachograph by AID
  [
      '00A4040C06FF544143484F',
      '9000',
  ],
  // SELECT EF Card_Certificate
  [
      '00A4020C02C100',
      '9000',
  ],
  // READ BINARY the 194-byte card certificate (CSM_018)
  [
      '00B00000C2',
      '3AE9F903EF329F87262D0B5A606A261510CD70290B19B2C3DF795979FC86C448FC2DBD30E7C04B9CD542E2FCC2F4552B' +
      'C3B4334301509137050563D8B29E2C5E957C8FD90D1328B3E9A8732549111D3FDF05F44A51D3A455E6D6BD63B143CD1E' +
      '38D72AE530DE6FE04459C95F4A7FA09283122FAFA9F26F5C65A328B14D587DFD9913FDFFF4296BB8E08476A44715A514' +
      '7C77F223EB5C30CBEA41CA0F620EBB8279B911444A433ABA0BFB74CB8735B86BA7E100000000000100010642202001FF' +
      'FF019000',
  ],
  // SELECT EF CA_Certificate
  [
      '00A4020C02C108',
      '9000',
  ],
  // READ BINARY the Member State certificate
  [
      '00B00000C2',
      'E3F2CDA349E84336C80B4AEB1CFF9B61EF29920DF341EFD1CC38A53EE37FB922B443668021D2DF1B7A728125E4A5EE0B' +
      'FD2B27965A0966B3231EC45A75169E15CB52655481F31DDFF6FFAA9E4E42C30963CEEFD43D65DD2F52160A1C9A71FBE6' +
      '435D4F0803E8B92F5CD0E266718BE814BE5D775681CA46F46ED8190F6C45C7B628D1A1698C7FBD826A0F94FC9BC24E8F' +
      '0DA3EB3B72763C47C243CCE49EE71554CD8C4B6E3DBA9B7FE71E19EEB213FDDEDD1D0000000000010001FD45432001FF' +
      'FF019000',
  ],
  // MSE: SET the European key (the CAR of the VU's Member State certificate)
  [
      '0022C1B60A8308FD45432001FFFF01',
      '9000',
  ],
  // PSO: VERIFY CERTIFICATE the VU's Member State certificate (P2 'AE', 194 bytes)
  [
      '002A00AEC2E3F2CDA349E84336C80B4AEB1CFF9B61EF29920DF341EFD1CC38A53EE37FB922B443668021D2DF1B7A7281' +
      '25E4A5EE0BFD2B27965A0966B3231EC45A75169E15CB52655481F31DDFF6FFAA9E4E42C30963CEEFD43D65DD2F52160A' +
      '1C9A71FBE6435D4F0803E8B92F5CD0E266718BE814BE5D775681CA46F46ED8190F6C45C7B628D1A1698C7FBD826A0F94' +
      'FC9BC24E8F0DA3EB3B72763C47C243CCE49EE71554CD8C4B6E3DBA9B7FE71E19EEB213FDDEDD1D0000000000010001FD' +
      '45432001FFFF01',
      '9000',
  ],
  // MSE: SET the Member State key
  [
      '0022C1B60A83080642202001FFFF01',
      '9000',
  ],
  // PSO: VERIFY CERTIFICATE the VU certificate
  [
      '002A00AEC2A3DCEBF4F9266CBA17AEEC8D0A9F8DFE748E71B3116355B043B08125BFD861CBEF38CA91DECB393F643D58' +
      'EB4AC9FA5CE70523DA4A1CB9D278D404D038B1B6AA8C894E9602733EDCA1316E28D81F83FA44D2C0CAE60262AF06CADE' +
      'CB98B7C41B92AC26BF9A2FA9C455F001C778495BF4D35E12CAC6A6AD800DEECECB2F33FA0BD5FB786191C13E7C846C00' +
      '945D99DEC19FCD0154B265006AD0AB04B49578F2AC9C8F7C6BB4039A3077C46D10DE0E4401C9CB000000000001000106' +
      '42202001FFFF01',
      '9000',
  ],
  // MSE: SET the VU key (VU.CHR 00000001 0126 06 40)
  [
      '0022C1B60A83080000000101260640',
      '9000',
  ],
  // INTERNAL AUTHENTICATE RND1 ‖ VU.CHR → VU.PK[Card.SK['6A' ‖ PRND2 ‖ K1 ‖ H ‖ 'BC']]
  [
      '0088000010E4A0CABBCDE3572C000000010126064080',
      '8059085D77830FC9406C29D4633C3EF64C15848E3261C3BC5FB758FAFAC88BF2191257A519AFEFE54B0212BDC8092212' +
      '68D1DE4E2A0A01EE9F589EB63C5685F12BD7BEDAA35C0A9DB2212066A73563870B9719F41C51C52EA8D6DBCD7B4EC627' +
      'DA99B5DF3EDB0DEA30B81DF22C23E6BB32C1C5B81ECC2F1D07B6B4A22CF29B239000',
  ],
  // GET CHALLENGE → RND3
  [
      '0084000008',
      '288DAA2179CF17C19000',
  ],
  // EXTERNAL AUTHENTICATE Card.PK[VU.SK['6A' ‖ PRND4 ‖ K2 ‖ H ‖ 'BC']]
  [
      '008200008076697124E3A6912AD4F7B99E00C651F798CBA554C281DE4CDC15E3CC3CAA652C0AB13BCF93B12D98AD8CCC' +
      '0E146148384A79C5F1A2FC53498019B95F3ED223054607094C682B6E703F317B7B4F110E61517044186DC867D0E8EF71' +
      '2206CE9F42FFFFE39734FA845516B6508A79ED3E8D3A13D7F140E1AA380F0FAF97BB34CB88',
      '9000',
  ],
  // SELECT EF Identification under gen1 SM: '81' the FID, '8E' 04 the retail MAC → '99' 02 9000 '8E' 04
  [
      '0CA4020C0A810205208E049958259200',
      '990290008E04567ACCB49000',
  ],
  // READ BINARY CardIdentification (65 bytes) under gen1 SM: '97' Le → '81' 41 data '8E' 04
  [
      '0CB00000099701418E04F6FCC3D600',
      '814106423030303030303031323334353630310020202020202020202020202020202020202020202020202020202020' +
      '20202020202020677485806774858072BBBA808E04B31C9F799000',
  ],
];

describe('the gen1 mutual authentication of a card at insertion, through APDUs (App. 11 part A)', () => {
  it('holds the exact transcript, both sides', () => {
    const report = authenticateCardWithTranscript(annaG1, vu(), card());
    expect(report.result).toEqual({ ok: true });
    expect(report.transcript.map((e) => [e.command, e.response])).toEqual(TRANSCRIPT);
  });

  it('the transcript says what the gen1 test PKI and the card hold, independently of the exchange', () => {
    const creds = cardG1Credentials(annaG1);
    const pki = TestPkiG1.of({ seed: TEST_PKI_DEFAULT_SEED });
    const vuMa = decodeCertificate(fromHex(TestPki.of({ seed: TEST_PKI_DEFAULT_SEED }).vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 }).vuMa.certificate));
    const vuG1 = pki.equipment(fromHex(VU_CHR), G1_EQUIPMENT_TYPE.vehicleUnit, vuMa.expirationDate);
    const sw = (hex: string) => hex.slice(-4);
    const body = (hex: string) => hex.slice(0, -4);
    // the certificates read are the card's EF Card_Certificate and EF CA_Certificate, 194 bytes each
    expect(body(TRANSCRIPT[3]![1])).toBe(creds.card.certificate.toUpperCase());
    expect(body(TRANSCRIPT[5]![1])).toBe(creds.caCertificate.toUpperCase());
    // MSE: SET names the European test key (FD 'EC ' 20 01 FFFF 01), then the MS key (06 'B  ' 20 01 FFFF 01), then the VU's
    expect(TRANSCRIPT[6]![0]).toBe('0022C1B60A8308' + pki.eurPublicKey.slice(0, 16).toUpperCase());
    expect(TRANSCRIPT[7]![0]).toBe('002A00AEC2' + pki.ms.certificate.toUpperCase());
    // (a gen1 certificate ends with the CAR in clear, CSM_018: the VU certificate's names the MS key)
    expect(TRANSCRIPT[8]![0]).toBe('0022C1B60A8308' + vuG1.certificate.slice(-16).toUpperCase());
    expect(pki.ms.certificate.slice(-16)).toBe(pki.eurPublicKey.slice(0, 16));
    expect(TRANSCRIPT[9]![0]).toBe('002A00AEC2' + vuG1.certificate.toUpperCase());
    expect(TRANSCRIPT[10]![0]).toBe('0022C1B60A8308' + VU_CHR);
    // INTERNAL AUTHENTICATE: RND1 (the VU stream's first 8 bytes) ‖ VU.CHR, Le '80'
    const vuStream = createRng(1, 'vu');
    const rnd1 = vuStream.bytes(8);
    expect(TRANSCRIPT[11]![0]).toBe('0088000010' + toHex(rnd1).toUpperCase() + VU_CHR + '80');
    // its token opens with the VU's key and the card's certified key to K1, the card stream's bytes 90..106 (after PRND2)
    const cardStream = createRng(2, 'card');
    cardStream.bytes(90);
    const k1 = cardStream.bytes(16);
    const rnd3 = cardStream.bytes(8);
    const cardChr = toHex(encodeExtendedSerialNumber(cardExtendedSerialNumber(annaG1)));
    expect(openAuthenticationCryptogram({ recipient: vuG1.key, signer: publicKeyOf(creds.card.key), cryptogram: fromHex(body(TRANSCRIPT[11]![1])), challenge: rnd1, recipientChr: fromHex(VU_CHR) })).toEqual({ ok: true, k: k1 });
    expect(TRANSCRIPT[12]![1]).toBe(toHex(rnd3).toUpperCase() + '9000');
    // EXTERNAL AUTHENTICATE opens with the card's key and the VU's to K2, the VU stream's bytes 98..114 (after PRND4)
    vuStream.bytes(90);
    const k2 = vuStream.bytes(16);
    const cryptogram = fromHex(TRANSCRIPT[13]![0].slice(10));
    expect(openAuthenticationCryptogram({ recipient: creds.card.key, signer: publicKeyOf(vuG1.key), cryptogram, challenge: rnd3, recipientChr: fromHex(cardChr) })).toEqual({ ok: true, k: k2 });
    // secure messaging: KAB = K1 ⊕ K2, SSC = RND3[4..8] ‖ RND1[4..8] (CSM_029); the read's answer is under SSC + 4
    const kab = xorBytes(k1, k2);
    const ssc = (n: number) => toHex(concatBytes(rnd3.subarray(4), rnd1.subarray(4, 7), Uint8Array.of(rnd1[7]! + n))).toUpperCase();
    expect(rnd1[7]! + 4).toBeLessThan(256);
    const read = TRANSCRIPT[15]!;
    const dos = fromHex(read[1].slice(0, -16));
    expect(toHex(dos.subarray(2))).toBe(toHex(cardIdentification(annaG1)));
    expect(read[1].slice(-16, -4)).toBe('8E04' + toHex(cryptographicChecksumG1(kab.subarray(0, 8), kab.subarray(8), fromHex(ssc(4)), padG1(dos))).toUpperCase());
    const readCommand = fromHex(read[0]);
    expect(toHex(readCommand.subarray(5, 8))).toBe('970141');
    expect(toHex(readCommand.subarray(10, 14))).toBe(toHex(cryptographicChecksumG1(kab.subarray(0, 8), kab.subarray(8), fromHex(ssc(3)), concatBytes(padG1(fromHex('0CB00000')), padG1(fromHex('970141'))))));
    expect(sw(read[1])).toBe('9000');
  });

  it('a byte flipped in a secured answer is a card data input integrity error (0x14); a wrong key, another root: an authentication failure (0x12)', () => {
    // the card's contact flips one byte of the secured READ BINARY's answer, after the card's MAC
    const device = card();
    let count = 0;
    const flipping = { transmit: (b: Uint8Array) => {
      const answer = device.transmit(b);
      if (++count === 16) answer[4]! ^= 0x01;
      return answer;
    } } as unknown as CardEmulator;
    Object.assign(flipping, { reset: () => device.reset(), card: annaG1 });
    expect(authenticateCardWithTranscript(annaG1, vu(), flipping).result).toEqual({ ok: false, failure: 'integrity', detail: 'secured read of CardIdentification: wrong cryptographic checksum' });
    expect(authenticateCardWithTranscript({ ...annaG1, alteredResponses: true }, vu()).result).toEqual({ ok: false, failure: 'integrity', detail: 'secured read of CardIdentification: wrong cryptographic checksum' });
    // failAuthentication: a clone with a key of its own signs INTERNAL AUTHENTICATE; the VU opens it with the certified key
    const clone = authenticateCardWithTranscript({ ...annaG1, failAuthentication: true }, vu());
    expect(clone.result).toEqual({ ok: false, failure: 'authentication', detail: "INTERNAL AUTHENTICATE token: the opened signature does not run '6A' … 'BC': the card does not hold the key its certificate names" });
    expect(clone.transcript.at(-1)!.command.slice(0, 10)).toBe('0088000010');
    // a card issued under another gen1 test root: its Member State certificate does not open with the VU's European key
    expect(authenticateCardWithTranscript({ ...annaG1, pki: { seed: 7 } }, vu()).result).toMatchObject({ ok: false, failure: 'authentication', detail: expect.stringMatching(/^Card certificate chain: EQT.CA certificate: the opened signature does not run/) });
    // and the same card in a VU of its own seed passes
    expect(authenticateCardWithTranscript({ ...annaG1, pki: { seed: 7 } }, { ...vu(), pkiSeed: 7 }).result).toEqual({ ok: true });
  });

  it('a workshop card has its PIN verified before INTERNAL AUTHENTICATE (App. 2 TCS_25: PWD); a wrong PIN stops there', () => {
    const wendyG1 = workshopCardSchema.parse({ ...wendy, generation: 1 });
    const report = authenticateCardWithTranscript(wendyG1, vu());
    expect(report.result).toEqual({ ok: true });
    const pinAt = report.transcript.findIndex((e) => e.command.startsWith('00200000'));
    expect(report.transcript[pinAt]).toEqual({ command: '002000000831323334FFFFFFFF', response: '9000' });
    expect(report.transcript[pinAt + 1]!.command.slice(0, 10)).toBe('0088000010');
    const wrongPin = authenticateCardWithTranscript({ ...wendyG1, pin: '4321' }, vu(), new CardEmulator(wendyG1, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card') }));
    expect(wrongPin.result).toEqual({ ok: false, failure: 'pin', detail: 'VERIFY (workshop card PIN): 63C4' });
  });

  it('a card certificate past its end of validity is left to the date rules (Annex IC 72), as for gen2', () => {
    const expired = driverCardSchema.parse({ ...anna, generation: 1, validity: { begin: '2021-01-01', expiry: '2026-01-31' } });
    const report = authenticateCardWithTranscript(expired, vu());
    expect(report.result).toEqual({ ok: true });
    expect(report.transcript).toHaveLength(6);
  });
});
