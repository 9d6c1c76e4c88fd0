import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { decodeCertificate } from '../../../crypto/pki/cv-certificate.ts';
import { verifyPlain } from '../../../crypto/pki/ec-keys.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { verifyDataG1 } from '../../../crypto/pki-g1/data-signature.ts';
import { publicKeyOf } from '../../../crypto/pki-g1/rsa-keys.ts';
import { createRng } from '../../../crypto/random.ts';
import { cardCredentials, cardG1Credentials } from '../card-credentials.ts';
import { driverCardSchema, type VirtualCard } from '../card-schema.ts';
import { acme, anna, wendy } from '../test-cards.ts';
import { CardEmulator } from './card-emulator.ts';

const device = (card: VirtualCard = anna, seed = 1) => new CardEmulator(card, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(seed, 'card-test') });
/** Sends a command given in hex, gives the answer in hex: data then SW. */
const session = (emulator: CardEmulator) => (command: string) => toHex(emulator.transmit(fromHex(command.replace(/ /g, '')))).toUpperCase();
const ascii = (text: string) => Buffer.from(text, 'latin1').toString('hex').toUpperCase();

describe('the card file system (App. 2 TCS_142, TCS_148, TCS_152)', () => {
  it('selects the MF, a DF by AID and an EF by FID, and reads EF DIR as TCS_145 gives it', () => {
    const tx = session(device());
    expect(tx('00 A4 00 0C 02 3F00')).toBe('9000');
    expect(tx('00 A4 02 0C 02 2F00')).toBe('9000');
    expect(tx('00 B0 00 00 14')).toBe('61084F06FF544143484F61084F06FF534D524454' + '9000');
    // DF Tachograph_G2 by its AID, EF Identification: CardIdentification opens with the nation (B: 06) and the card number
    expect(tx('00 A4 04 0C 06 FF534D524454')).toBe('9000');
    expect(tx('00 A4 02 0C 02 0520')).toBe('9000');
    expect(tx('00 B0 00 00 11')).toBe('06' + ascii('B000000012345601') + '9000');
    // DF Tachograph by its AID, and by its FID '0500' from the MF
    expect(tx('00 A4 04 0C 06 FF544143484F')).toBe('9000');
    expect(tx('00 A4 00 0C 02 3F00')).toBe('9000');
    expect(tx('00 A4 01 0C 02 0500')).toBe('9000');
    expect(tx('00 A4 02 0C 02 0520')).toBe('9000');
    expect(tx('00 B0 00 00 01')).toBe('06' + '9000');
  });

  it("answers what is not there: '6A82' for a file or application, '6986' without a current EF, '6B00' past the end, '6282' for a read cut at the end", () => {
    const tx = session(device());
    expect(tx('00 B0 00 00 08')).toBe('6986');
    expect(tx('00 A4 02 0C 02 0540')).toBe('6A82'); // not in the MF
    expect(tx('00 A4 04 0C 06 FF445445474D')).toBe('6A82'); // the EGF's AID
    expect(tx('00 A4 04 0C 06 FF534D524454')).toBe('9000');
    expect(tx('00 A4 02 0C 02 0540')).toBe('6A82'); // EF VU_Configuration: version 2 of gen2 only
    expect(tx('00 A4 02 0C 02 050E')).toBe('9000'); // EF Card_Download: 4 bytes
    expect(tx('00 B0 00 04 01')).toBe('6B00');
    expect(tx('00 B0 00 02 08')).toBe('0000' + '6282');
    expect(tx('00 A4 02 0C 01 05')).toBe('6700');
    expect(tx('00 A4 02 00 02 0520')).toBe('6A86');
    expect(tx('00 A4 02 0C 02 0520')).toBe('9000');
    expect(tx('00 B0 00 00')).toBe('6700'); // no Le
  });

  it('a gen1 card has no DF Tachograph_G2', () => {
    const tx = session(device(driverCardSchema.parse({ ...anna, generation: 1 })));
    expect(tx('00 A4 04 0C 06 FF534D524454')).toBe('6A82');
    expect(tx('00 A4 04 0C 06 FF544143484F')).toBe('9000');
  });

  it('reads by short EF identifier (P1 b8 set, TCS_152 SFIDs) and with odd INS (offset in DO 54, data in DO 53)', () => {
    const tx = session(device());
    expect(tx('00 A4 04 0C 06 FF534D524454')).toBe('9000');
    // SFID 6 = EF Identification, offset 1
    expect(tx('00 B0 86 01 10')).toBe(ascii('B000000012345601') + '9000');
    // it is the current EF now
    expect(tx('00 B0 00 00 01')).toBe('06' + '9000');
    expect(tx('00 B0 9F 00 01')).toBe('6A82'); // SFID 31: none
    expect(tx('00 B1 00 00 04 5402 0001 12')).toBe('5310' + ascii('B000000012345601') + '9000');
    expect(tx('00 B1 00 00 04 5402 0001 01')).toBe('6700');
    // Ne past the end of the EF (143 bytes): the rest, '6282'
    expect(tx('00 B1 00 00 04 5402 008D 10')).toBe('5302' + ascii('en') + '6282'); // cardHolderPreferredLanguage
    expect(tx('00 B1 00 00 03 5301 00 12')).toBe('6A80');
  });

  it("refuses a class it does not know ('6E00') and an instruction ('6D00')", () => {
    const tx = session(device());
    expect(tx('A0 A4 00 0C 02 3F00')).toBe('6E00');
    expect(tx('00 CA 00 00 00')).toBe('6D00');
    expect(tx('00 88 00 00 08 0102030405060708 00')).toBe('6D00'); // INTERNAL AUTHENTICATE: gen1 authentication is not emulated yet
  });
});

describe('access conditions (App. 2 TCS_148, TCS_152)', () => {
  it("lets a plain UPDATE BINARY write EF Card_Download (SC1) and nothing the VU records under SM ('6982'), nor a NEV file", () => {
    const emulator = device();
    const tx = session(emulator);
    tx('00 A4 04 0C 06 FF534D524454');
    expect(tx('00 A4 02 0C 02 050E')).toBe('9000');
    expect(tx('00 D6 00 00 04 6A0B1C00')).toBe('9000');
    expect(tx('00 B0 00 00 04')).toBe('6A0B1C00' + '9000');
    expect(tx('00 D6 00 02 04 01020304')).toBe('6700'); // past the end
    expect(tx('00 D6 00 04 01 01')).toBe('6B00');
    expect(tx('00 A4 02 0C 02 0502')).toBe('9000'); // EF Events_Data: SM-MAC-G2
    expect(tx('00 D6 00 00 01 05')).toBe('6982');
    expect(tx('00 A4 02 0C 02 0520')).toBe('9000'); // EF Identification: NEV
    expect(tx('00 D6 00 00 01 07')).toBe('6982');
    // DF Tachograph: Events_Data is SC3 (SM-MAC-G1 OR SM-MAC-G2), refused in plain too
    tx('00 A4 04 0C 06 FF544143484F');
    tx('00 A4 02 0C 02 0502');
    expect(tx('00 D6 00 00 01 05')).toBe('6982');
    // the MF: NEV
    tx('00 A4 00 0C 02 3F00');
    tx('00 A4 02 0C 02 0002');
    expect(tx('00 D6 00 00 01 05')).toBe('6982');
    // the one write landed in the memory, nothing else changed
    expect(emulator.memory.files['tachograph-g2/050E']).toBe('6a0b1c00');
    expect(emulator.memory.files['tachograph/050E']).toBe('00000000');
  });

  it("answers a protected command without session keys '6988' (CSM_194)", () => {
    const tx = session(device());
    expect(tx('0C A4 02 0C 04 8102 0520 00')).toBe('6988');
  });
});

describe('VERIFY of the workshop card PIN (App. 2 TCS_70-72, TCS_29)', () => {
  const pin = (digits: string) => ascii(digits).padEnd(16, 'F');

  it("counts wrong PINs down from 5 ('63C4' .. '63C1', TCS_75), the fifth blocks it ('6983', TCS_78: '63CX' with X > 0), then even the right one is '6983'", () => {
    const emulator = device(wendy);
    const tx = session(emulator);
    expect(tx(`00 20 00 00 08 ${pin('9999')}`)).toBe('63C4');
    expect(tx(`00 20 00 00 08 ${pin('9999')}`)).toBe('63C3');
    expect(tx('00 20 00 00')).toBe('63C3'); // no data: the counter
    expect(tx(`00 20 00 00 08 ${pin('0000')}`)).toBe('63C2');
    expect(tx(`00 20 00 00 08 ${pin('0000')}`)).toBe('63C1');
    expect(tx(`00 20 00 00 08 ${pin('0000')}`)).toBe('6983');
    expect(emulator.memory.pinTriesLeft).toBe(0);
    expect(tx(`00 20 00 00 08 ${pin('1234')}`)).toBe('6983');
    expect(tx('00 20 00 00')).toBe('6983');
  });

  it('a right PIN resets the counter; the PIN is 8 bytes; a driver card has no VERIFY', () => {
    const emulator = device(wendy);
    const tx = session(emulator);
    expect(tx(`00 20 00 00 08 ${pin('1111')}`)).toBe('63C4');
    expect(tx(`00 20 00 00 08 ${pin('1234')}`)).toBe('9000');
    expect(emulator.memory.pinTriesLeft).toBe(5);
    expect(tx('00 20 00 00')).toBe('9000');
    expect(tx(`00 20 00 00 04 ${ascii('1234')}`)).toBe('6700');
    expect(tx(`00 20 00 01 08 ${pin('1234')}`)).toBe('6A86');
    expect(session(device())(`00 20 00 00 08 ${pin('1234')}`)).toBe('6D00');
  });
});

describe('GET CHALLENGE (App. 2 §3.5.9)', () => {
  it("gives 8 bytes of the card's own seeded stream, a new one each time; other lengths '6700'", () => {
    const tx = session(device());
    const stream = createRng(1, 'card-test');
    expect(tx('00 84 00 00 08')).toBe(toHex(stream.bytes(8)).toUpperCase() + '9000');
    expect(tx('00 84 00 00 08')).toBe(toHex(stream.bytes(8)).toUpperCase() + '9000');
    expect(tx('00 84 00 00 04')).toBe('6700');
  });
});

describe('PERFORM HASH OF FILE and PSO: COMPUTE DIGITAL SIGNATURE (App. 2 §3.5.13, §3.5.14)', () => {
  it("signs the current EF of DF Tachograph_G2 with Card_Sign (ECDSA over SHA-256) and of DF Tachograph with the gen1 RSA key", () => {
    const emulator = device();
    const tx = session(emulator);
    tx('00 A4 04 0C 06 FF534D524454');
    tx('00 A4 02 0C 02 0520');
    expect(tx('80 2A 90 00')).toBe('9000');
    const g2 = fromHex(tx('00 2A 9E 9A 00'));
    expect(toHex(g2.subarray(g2.length - 2))).toBe('9000');
    const sign = decodeCertificate(fromHex(cardCredentials(anna).cardSign!.certificate));
    const identification = fromHex(emulator.memory.files['tachograph-g2/0520']!);
    expect(verifyPlain(sign.curve, fromHex(sign.publicPoint), identification, g2.subarray(0, 64))).toBe(true);
    expect(g2.length).toBe(66);

    tx('00 A4 04 0C 06 FF544143484F');
    tx('00 A4 02 0C 02 0520');
    expect(tx('80 2A 90 00')).toBe('9000');
    const g1 = fromHex(tx('00 2A 9E 9A 00'));
    expect(g1.length).toBe(130);
    expect(verifyDataG1(publicKeyOf(cardG1Credentials(anna).card.key), fromHex(emulator.memory.files['tachograph/0520']!), g1.subarray(0, 128))).toBe(true);
    // the hash is DF Tachograph's SHA-1: another EF's content does not verify
    expect(verifyDataG1(publicKeyOf(cardG1Credentials(anna).card.key), new Uint8Array(createHash('sha1').update('x').digest()), g1.subarray(0, 128))).toBe(false);
  });

  it("refuses without a kept hash (none yet, or erased by a DF selection: TCS_121) and on a card without a signing key: '6985'", () => {
    const tx = session(device());
    tx('00 A4 04 0C 06 FF534D524454');
    tx('00 A4 02 0C 02 0520');
    expect(tx('00 2A 9E 9A 00')).toBe('6985');
    expect(tx('80 2A 90 00')).toBe('9000');
    tx('00 A4 04 0C 06 FF534D524454');
    expect(tx('00 2A 9E 9A 00')).toBe('6985');
    expect(tx('80 2A 90 00')).toBe('6986'); // no current EF after the DF selection
    expect(tx('00 2A 90 00')).toBe('6E00'); // PERFORM HASH OF FILE is CLA '80'
    const company = session(device(acme));
    company('00 A4 04 0C 06 FF534D524454');
    company('00 A4 02 0C 02 0520');
    expect(company('80 2A 90 00')).toBe('6985');
  });
});
