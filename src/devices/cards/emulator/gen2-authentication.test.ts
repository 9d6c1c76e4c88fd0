import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../crypto/bytes.ts';
import { decodeCertificate } from '../../../crypto/pki/cv-certificate.ts';
import { deriveKeyPair, signPlain } from '../../../crypto/pki/ec-keys.ts';
import { readTlv } from '../../../crypto/pki/tlv.ts';
import { TEST_PKI_DEFAULT_SEED, TestPki } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { compressedPoint } from '../../../crypto/sm/index.ts';
import { encodeCommand, type CommandApdu } from '../../../protocols/apdu/index.ts';
import { externalAuthenticate, generalAuthenticate, getChallenge, mseSetAtChipAuthentication, mseSetAtVuAuthentication, mseSetDst, psoVerifyCertificate } from '../../../protocols/apdu/security-commands.ts';
import { cardCredentials } from '../card-credentials.ts';
import { anna } from '../test-cards.ts';
import { CardEmulator } from './card-emulator.ts';

/** The card's checks of the VU in terminal authentication (App. 11 CSM_161-174), command by command. */
const SERIAL = { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 };
const vuOf = (seed: number) => TestPki.of({ seed }).vu(SERIAL);
const body = (der: string) => readTlv(fromHex(der), 0).value;
const car = (der: string) => fromHex(decodeCertificate(fromHex(der)).car);

function setUp() {
  const device = new CardEmulator(anna, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(3, 'card') });
  const send = (c: CommandApdu) => toHex(device.transmit(encodeCommand(c))).toUpperCase();
  return { device, send };
}

describe("the card's side of terminal and chip authentication (App. 11 part B)", () => {
  const vu = vuOf(TEST_PKI_DEFAULT_SEED);
  const eph = deriveKeyPair(createRng(1, 'eph'));
  const comp = compressedPoint(fromHex(eph.publicPoint));
  const vuChr = fromHex(decodeCertificate(fromHex(vu.vuMa.certificate)).chr);
  const cardChr = fromHex(decodeCertificate(fromHex(cardCredentials(anna).cardMa.certificate)).chr);

  const presentChain = (send: (c: CommandApdu) => string) => {
    expect(send(mseSetDst(car(vu.mscaCertificate)))).toBe('9000');
    expect(send(psoVerifyCertificate(body(vu.mscaCertificate)))).toBe('9000');
    expect(send(mseSetDst(car(vu.vuMa.certificate)))).toBe('9000');
    expect(send(psoVerifyCertificate(body(vu.vuMa.certificate)))).toBe('9000');
  };

  it("refuses a VU chain from another root: '6688' (TCS_29: wrong certificate); an unknown DST key '6A88'; PSO without DST '6985'", () => {
    const { send } = setUp();
    const other = vuOf(7);
    expect(send(psoVerifyCertificate(body(other.mscaCertificate)))).toBe('6985');
    // the test roots share their CHR: the card selects its own root's key, whose signature check fails
    expect(send(mseSetDst(car(other.mscaCertificate)))).toBe('9000');
    expect(send(psoVerifyCertificate(body(other.mscaCertificate)))).toBe('6688');
    expect(send(mseSetDst(fromHex('0102030405060708')))).toBe('6A88');
    // the VU_MA certificate cannot be checked before its MSCA's
    expect(send(mseSetDst(car(vu.vuMa.certificate)))).toBe('6A88');
  });

  it('moves its currentAuthenticatedTime forward to the latest certificate it verified (CSM_167)', () => {
    const { device, send } = setUp();
    const before = device.memory.currentAuthenticatedTime;
    presentChain(send);
    // the card's issue date, then the test MSCA's and VU's effective date, six months of the test PKI later
    expect(before).toBe(Date.UTC(2025, 0, 1));
    expect(decodeCertificate(fromHex(vu.vuMa.certificate)).effectiveDate).toBe(decodeCertificate(fromHex(vu.mscaCertificate)).effectiveDate);
    expect(device.memory.currentAuthenticatedTime).toBe(decodeCertificate(fromHex(vu.mscaCertificate)).effectiveDate);
    expect(device.memory.currentAuthenticatedTime).toBeGreaterThan(before);
  });

  it("refuses MSE: SET AT for a VU key it has not verified ('6A88'), a wrong signature ('6300', the challenge spent), chip authentication before ('6985')", () => {
    const { send } = setUp();
    expect(send(mseSetAtVuAuthentication(vuChr, comp))).toBe('6A88');
    presentChain(send);
    expect(send(mseSetAtChipAuthentication())).toBe('6985');
    expect(send(generalAuthenticate(fromHex(eph.publicPoint)))).toBe('6985');
    expect(send(mseSetAtVuAuthentication(vuChr, comp))).toBe('9000');
    const challenge = fromHex(send(getChallenge()).slice(0, 16));
    const wrong = signPlain(vu.vuMa.key, concatBytes(cardChr, challenge, comp.slice().reverse()));
    expect(send(externalAuthenticate(wrong))).toBe('6300');
    const right = signPlain(vu.vuMa.key, concatBytes(cardChr, challenge, comp));
    expect(send(externalAuthenticate(right))).toBe('6985'); // CSM_172: that challenge is gone
    const next = fromHex(send(getChallenge()).slice(0, 16));
    expect(send(externalAuthenticate(signPlain(vu.vuMa.key, concatBytes(cardChr, next, comp))))).toBe('9000');
    expect(send(mseSetAtChipAuthentication())).toBe('9000');
    // CSM_177: the point must be the one MSE: SET AT announced
    const otherPoint = fromHex(deriveKeyPair(createRng(2, 'eph')).publicPoint);
    expect(send(generalAuthenticate(otherPoint))).toBe('6A80');
    expect(send(generalAuthenticate(fromHex(eph.publicPoint)))).toMatch(/^7C148108[0-9A-F]{16}8208[0-9A-F]{16}9000$/);
  });
});
