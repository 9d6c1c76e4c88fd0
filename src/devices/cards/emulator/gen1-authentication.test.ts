import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../crypto/bytes.ts';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { G1_EQUIPMENT_TYPE } from '../../../crypto/pki-g1/rsa-certificate.ts';
import { publicKeyOf } from '../../../crypto/pki-g1/rsa-keys.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { createRng } from '../../../crypto/random.ts';
import { authenticationCryptogram } from '../../../crypto/sm-g1/authentication-token.ts';
import { unwrapResponseG1, wrapCommandG1 } from '../../../crypto/sm-g1/secure-messaging-g1.ts';
import { startSessionG1, type SmG1Session } from '../../../crypto/sm-g1/session-key.ts';
import { decodeResponse, encodeCommand, readBinary, selectByAid, selectByFid, updateBinary, type CommandApdu } from '../../../protocols/apdu/index.ts';
import { verifyPin } from '../../../protocols/apdu/card-commands.ts';
import { internalAuthenticate, mseSetG1, psoVerifyCertificateG1 } from '../../../protocols/apdu/gen1-security-commands.ts';
import { externalAuthenticate, getChallenge } from '../../../protocols/apdu/security-commands.ts';
import { cardExtendedSerialNumber, cardG1Credentials } from '../card-credentials.ts';
import { encodeExtendedSerialNumber } from '../../../crypto/pki/key-identifier.ts';
import { driverCardSchema, workshopCardSchema } from '../card-schema.ts';
import { anna, wendy } from '../test-cards.ts';
import type { VirtualCard } from '../card.ts';
import { CardEmulator } from './card-emulator.ts';

/** The card's side of the gen1 mutual authentication and secure messaging (App. 11 part A; App. 2 §3.5), command by command. */
const annaG1 = driverCardSchema.parse({ ...anna, generation: 1 });
const pki = TestPkiG1.of({ seed: TEST_PKI_DEFAULT_SEED });
const VU_CHR = fromHex('0000000101260640');
const vu = pki.equipment(VU_CHR, G1_EQUIPMENT_TYPE.vehicleUnit, Date.UTC(2040, 0, 1));
const ms = fromHex(pki.ms.certificate);
const EUR_KID = fromHex(pki.eurPublicKey.slice(0, 16));
const MS_KID = fromHex(vu.certificate.slice(-16));
const card = cardG1Credentials(annaG1);
/** anna's CHR (card-credentials.ts: her extended serial number, 8DBA7773 0125 01 40). */
const CARD_CHR = encodeExtendedSerialNumber(cardExtendedSerialNumber(annaG1));

function setUp(c: VirtualCard = annaG1) {
  const device = new CardEmulator(c, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(3, 'card') });
  const send = (command: CommandApdu) => toHex(device.transmit(encodeCommand(command))).toUpperCase();
  return { device, send };
}

const presentChain = (send: (c: CommandApdu) => string) => {
  expect(send(selectByAid(fromHex('FF544143484F')))).toBe('9000');
  expect(send(mseSetG1(EUR_KID))).toBe('9000');
  expect(send(psoVerifyCertificateG1(ms))).toBe('9000');
  expect(send(mseSetG1(MS_KID))).toBe('9000');
  expect(send(psoVerifyCertificateG1(fromHex(vu.certificate)))).toBe('9000');
  expect(send(mseSetG1(VU_CHR))).toBe('9000');
};

/** The VU's half after INTERNAL AUTHENTICATE: RND1 known, K1 opened from the token (crypto/sm-g1 tested alone). */
function authenticate(send: (c: CommandApdu) => string): SmG1Session {
  presentChain(send);
  const rnd1 = fromHex('1122334455667788');
  const token = send(internalAuthenticate(rnd1, VU_CHR));
  expect(token).toMatch(/^[0-9A-F]{256}9000$/);
  const rnd3 = fromHex(send(getChallenge()).slice(0, 16));
  const k2 = new Uint8Array(16).fill(0x22);
  expect(send(externalAuthenticate(authenticationCryptogram({ signer: vu.key, recipient: publicKeyOf(card.card.key), prnd: new Uint8Array(90).fill(0x44), k: k2, challenge: rnd3, recipientChr: CARD_CHR })))).toBe('9000');
  // K1 from the card's stream: createRng(3, 'card'), 90 bytes of PRND2 then K1
  const stream = createRng(3, 'card');
  stream.bytes(90);
  return startSessionG1(stream.bytes(16), k2, rnd3, rnd1);
}

describe("the card's side of gen1 mutual authentication (App. 11 part A §4, App. 2 TCS_84-107)", () => {
  it("MSE: SET: an unknown key '6A88', no tag '83' '6987', a key identifier not 8 bytes '6988' (TCS_107)", () => {
    const { send } = setUp();
    expect(send(mseSetG1(fromHex('0102030405060708')))).toBe('6A88');
    expect(send({ cla: 0, ins: 0x22, p1: 0xc1, p2: 0xb6, data: concatBytes(fromHex('8408'), EUR_KID), extended: false })).toBe('6987');
    expect(send({ cla: 0, ins: 0x22, p1: 0xc1, p2: 0xb6, data: fromHex('8307 01020304050607'), extended: false })).toBe('6988');
    // the VU key is unknown until its certificate is verified
    expect(send(mseSetG1(VU_CHR))).toBe('6A88');
  });

  it("PSO: VERIFY CERTIFICATE: no key set '6A88'; a certificate the current key did not issue '6688'; a VU key as issuer '6985' (TCS_85)", () => {
    const { send } = setUp();
    expect(send(psoVerifyCertificateG1(ms))).toBe('6A88');
    expect(send(mseSetG1(EUR_KID))).toBe('9000');
    expect(send(psoVerifyCertificateG1(fromHex(vu.certificate)))).toBe('6688');
    const changed = ms.slice();
    changed[10]! ^= 0x01;
    expect(send(psoVerifyCertificateG1(changed))).toBe('6688');
    // another root's Member State certificate: the same CAR, but it does not open with this card's European key
    expect(send(psoVerifyCertificateG1(fromHex(TestPkiG1.of({ seed: 7 }).ms.certificate)))).toBe('6688');
    presentChain(send);
    expect(send(psoVerifyCertificateG1(fromHex(vu.certificate)))).toBe('6985');
  });

  it("INTERNAL AUTHENTICATE: VU.CHR not the current key '6A88'; right after a DF selection (TCS_104: no current key) '6A88'", () => {
    const { send } = setUp();
    presentChain(send);
    expect(send(internalAuthenticate(fromHex('1122334455667788'), fromHex('0000000201260640')))).toBe('6A88');
    expect(send(selectByAid(fromHex('FF544143484F')))).toBe('9000');
    expect(send(internalAuthenticate(fromHex('1122334455667788'), VU_CHR))).toBe('6A88');
  });

  it("EXTERNAL AUTHENTICATE: not right after GET CHALLENGE '6985' (TCS_69, TCS_99); a wrong cryptogram '6688', the challenge spent; a key not a VU's '6F00'", () => {
    const { send } = setUp();
    presentChain(send);
    expect(send(internalAuthenticate(fromHex('1122334455667788'), VU_CHR))).toMatch(/9000$/);
    const rnd3 = fromHex(send(getChallenge()).slice(0, 16));
    // a VU that signs with a key its certificate does not name
    const forged = authenticationCryptogram({ signer: card.card.key, recipient: publicKeyOf(card.card.key), prnd: new Uint8Array(90), k: new Uint8Array(16), challenge: rnd3, recipientChr: CARD_CHR });
    expect(send(externalAuthenticate(forged))).toBe('6688');
    expect(send(externalAuthenticate(forged))).toBe('6985');
    send(getChallenge());
    expect(send(selectByFid(0x0520))).toBe('9000');
    expect(send(externalAuthenticate(forged))).toBe('6985');
    expect(send(mseSetG1(MS_KID))).toBe('9000');
    expect(send(externalAuthenticate(forged))).toBe('6F00');
  });

  it("a workshop card authenticates only with its PIN verified (TCS_25: INTERNAL AUTHENTICATE is PWD): '6982'", () => {
    const wendyG1 = workshopCardSchema.parse({ ...wendy, generation: 1 });
    const { send } = setUp(wendyG1);
    presentChain(send);
    expect(send(internalAuthenticate(fromHex('1122334455667788'), VU_CHR))).toBe('6982');
    expect(send(verifyPin('1234'))).toBe('9000');
    expect(send(internalAuthenticate(fromHex('1122334455667788'), VU_CHR))).toMatch(/^[0-9A-F]{256}9000$/);
  });
});

describe('gen1 secure messaging on the card (App. 11 part A §5, App. 2 TCS_44-60)', () => {
  const secure = (device: CardEmulator, session: SmG1Session, c: CommandApdu) => {
    const w = wrapCommandG1(session, c);
    const raw = device.transmit(encodeCommand({ ...w.command, extended: false }));
    return { w, raw, unwrapped: unwrapResponseG1(w.session, decodeResponse(raw)) };
  };

  it("serves SELECT, READ BINARY and UPDATE BINARY under SM (SC2, SC3); a plain UPDATE of what the VU records '6982'; a plain command leaves the key", () => {
    const { device, send } = setUp();
    let session = authenticate(send);
    const step = (c: CommandApdu) => {
      const r = secure(device, session, c).unwrapped;
      if (!r.ok) throw new Error(r.reason);
      session = r.session;
      return r.response;
    };
    expect(step(selectByFid(0x0507)).sw).toBe(0x9000);
    const use = fromHex('6a0be10006202031414243202020202020202020');
    expect(step(updateBinary(0, use.subarray(0, 19))).sw).toBe(0x9000);
    expect(device.memory.files['tachograph/0507']!.slice(0, 38)).toBe(toHex(use.subarray(0, 19)));
    expect(toHex(step(readBinary(0, 4)).data)).toBe('6a0be100');
    // TCS_148: EF Current_Usage is SC3 for update: not in plain
    expect(send(updateBinary(0, fromHex('00')))).toBe('6982');
    // Part A has no CSM_193: the plain command left the session key, the next protected one is served
    expect(step(readBinary(0, 2)).data).toEqual(fromHex('6a0b'));
  });

  it("an SM error answers in plain and destroys the key (CSM_026): a wrong MAC '6688', then '6A88'; a replay '6688'", () => {
    const { device, send } = setUp();
    const session = authenticate(send);
    const first = secure(device, session, selectByFid(0x0520));
    expect(first.unwrapped.ok).toBe(true);
    // the same command again: the card's SSC moved on
    expect(toHex(device.transmit(encodeCommand({ ...first.w.command, extended: false })))).toBe('6688');
    expect(toHex(secure(device, first.unwrapped.ok ? first.unwrapped.session : session, readBinary(0, 1)).raw)).toBe('6a88');
  });

  it("without a session key, a protected command is '6A88' (TCS_47); a new INTERNAL AUTHENTICATE erases the key (TCS_95)", () => {
    const { device, send } = setUp();
    expect(toHex(device.transmit(encodeCommand({ ...wrapCommandG1(startSessionG1(new Uint8Array(16), new Uint8Array(16), new Uint8Array(8), new Uint8Array(8)), readBinary(0, 1)).command, extended: false })))).toBe('6a88');
    const session = authenticate(send);
    expect(send(mseSetG1(VU_CHR))).toBe('9000');
    expect(send(internalAuthenticate(fromHex('1122334455667788'), VU_CHR))).toMatch(/9000$/);
    expect(toHex(secure(device, session, readBinary(0, 1)).raw)).toBe('6a88');
  });

  it("a card with altered responses flips a data byte of '81' after its MAC: the VU's check finds it; an answer without data is left", () => {
    const { device, send } = setUp({ ...annaG1, alteredResponses: true });
    const session = authenticate(send);
    const selected = secure(device, session, selectByFid(0x0520)).unwrapped;
    if (!selected.ok) throw new Error(selected.reason);
    expect(secure(device, selected.session, readBinary(0, 65)).unwrapped).toEqual({ ok: false, kind: 'mac', reason: 'wrong cryptographic checksum' });
  });
});
