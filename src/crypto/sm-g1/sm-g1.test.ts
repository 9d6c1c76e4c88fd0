import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../bytes.ts';
import { seededDrbg } from '../pki-g1/hmac-drbg.ts';
import { bigintOf, bytesOf, deriveRsaKeyPair, publicKeyOf } from '../pki-g1/rsa-keys.ts';
import { modPow } from '../pki-g1/rsa-test-helpers.ts';
import { authenticationCryptogram, openAuthenticationCryptogram, signWithRecovery, tokenMessage } from './authentication-token.ts';
import { desDecrypt, desEncrypt } from './des.ts';
import { cryptographicChecksumG1, padG1, retailMacFull } from './retail-mac.ts';
import { G1_SM_SW, unwrapCommandG1, unwrapResponseG1, wrapCommandG1, wrapResponseG1 } from './secure-messaging-g1.ts';
import { initialSscG1, sessionKeyG1, startSessionG1, type SmG1Session } from './session-key.ts';

const KA = fromHex('0123456789ABCDEF');
const KB = fromHex('FEDCBA9876543210');
/** "Now is the time for all " padded by method 2 to 32 bytes. */
const NOW = concatBytes(new TextEncoder().encode('Now is the time for all '), fromHex('8000000000000000'));

describe('DES (FIPS 46-3) through two-key EDE under (K, K)', () => {
  it('gives the FIPS 81 Appendix B vector: K 0123456789ABCDEF, "Now is t" → 3FA40E8A984D4815, and back', () => {
    expect(toHex(desEncrypt(KA, NOW.subarray(0, 8)))).toBe('3fa40e8a984d4815');
    expect(toHex(desDecrypt(KA, fromHex('3fa40e8a984d4815')))).toBe(toHex(NOW.subarray(0, 8)));
  });
});

describe('retail MAC (ISO/IEC 9797-1 MAC algorithm 3, ANSI X9.19; App. 11 Part A CSM_028)', () => {
  // Outside reference, OpenSSL 3.0 CLI: single-DES CBC over all but the last block with key Ka‖Ka (EDE under
  // (Ka, Ka) is DES), then the last block through two-key TDES-CBC (Ka, Kb) from the chaining value:
  //   head=first n-1 blocks; y=$(echo $head | xxd -r -p | openssl enc -des-ede-cbc -K $KA$KA -iv 0000000000000000 -nopad | tail -c 8)
  //   echo $last | xxd -r -p | openssl enc -des-ede-cbc -K $KA$KB -iv $y -nopad | xxd -p
  it('matches OpenSSL over "Now is the time for all " ‖ 80 00..', () => {
    expect(toHex(retailMacFull(KA, KB, NOW))).toBe('e9086230ca3be796');
  });
  it('the CSM_028 checksum takes the SSC as initial block and keeps the 4 most significant bytes (OpenSSL over SSC ‖ data)', () => {
    expect(toHex(retailMacFull(KA, KB, concatBytes(fromHex('0000000000000001'), NOW)))).toBe('ee77ff082d6789f4');
    expect(toHex(cryptographicChecksumG1(KA, KB, fromHex('0000000000000001'), NOW))).toBe('ee77ff08');
    expect(toHex(cryptographicChecksumG1(KA, KB, fromHex('0000000000000002'), NOW))).not.toBe('ee77ff08');
  });
  it('with Ka = Kb it is the plain DES CBC-MAC (the final stage cancels out)', () => {
    let cbc: Uint8Array = new Uint8Array(8);
    for (const at of [0, 8, 16, 24]) cbc = desEncrypt(KA, cbc.map((b, i) => b ^ NOW[at + i]!));
    expect(toHex(retailMacFull(KA, KA, NOW))).toBe(toHex(cbc));
  });
  it('takes whole blocks only; padding method 2 always adds 80', () => {
    expect(() => retailMacFull(KA, KB, NOW.subarray(0, 7))).toThrow('whole 8-byte blocks');
    expect(toHex(padG1(fromHex('0CB00000')))).toBe('0cb0000080000000');
    expect(toHex(padG1(fromHex('0102030405060708')))).toBe('01020304050607088000000000000000');
  });
});

describe('gen1 session key and SSC (CSM_012, CSM_015, CSM_029)', () => {
  it('KAB = K1 ⊕ K2, Ka its first and Kb its last 8 bytes; SSC = RND3[4..8] ‖ RND1[4..8]', () => {
    const k1 = fromHex('00112233445566778899AABBCCDDEEFF');
    const k2 = fromHex('FFFFFFFFFFFFFFFF0000000000000000');
    const { ka, kb } = sessionKeyG1(k1, k2);
    expect([toHex(ka), toHex(kb)]).toEqual(['ffeeddccbbaa9988', '8899aabbccddeeff']);
    expect(toHex(initialSscG1(fromHex('1111111122222222'), fromHex('3333333344444444')))).toBe('2222222244444444');
    expect(startSessionG1(k1, k2, fromHex('1111111122222222'), fromHex('3333333344444444'))).toEqual({ ka: 'ffeeddccbbaa9988', kb: '8899aabbccddeeff', ssc: '2222222244444444', uses: 0 });
    expect(() => sessionKeyG1(k1.subarray(1), k2)).toThrow('16 bytes');
  });
});

describe('gen1 authentication tokens (CSM_020, TCS_92-99)', () => {
  const card = deriveRsaKeyPair(seededDrbg(3, 'token/card'));
  const vu = deriveRsaKeyPair(seededDrbg(3, 'token/vu'));
  const prnd = new Uint8Array(90).fill(0x5a);
  const k1 = fromHex('000102030405060708090A0B0C0D0E0F');
  const rnd1 = fromHex('A1A2A3A4A5A6A7A8');
  const vuChr = fromHex('0000000101260640');
  const token = authenticationCryptogram({ signer: card, recipient: publicKeyOf(vu), prnd, k: k1, challenge: rnd1, recipientChr: vuChr });

  it('is VU.PK[min(J^d, n − J^d)] over J = 6A ‖ PRND ‖ K1 ‖ SHA-1(PRND ‖ K1 ‖ RND1 ‖ VU.CHR) ‖ BC (textbook RSA agrees with OpenSSL raw RSA)', () => {
    const j = tokenMessage(prnd, k1, rnd1, vuChr);
    expect(j.length).toBe(128);
    expect(toHex(j.subarray(0, 1)) + toHex(j.subarray(-1))).toBe('6abc');
    // SHA-1("Z"×90 ‖ K1 ‖ RND1 ‖ CHR) computed by openssl dgst -sha1 of the same bytes
    expect(toHex(j.subarray(107, 127))).toBe(SHA1_OF_TOKEN_INPUT);
    const n = bigintOf(fromHex(card.modulus));
    const s = modPow(bigintOf(j), bigintOf(fromHex(card.privateExponent)), n);
    const sigma = s < n - s ? s : n - s;
    expect(toHex(signWithRecovery(card, j))).toBe(toHex(bytesOf(sigma, 128)));
    expect(sigma < n / 2n).toBe(true);
    expect(toHex(token)).toBe(toHex(bytesOf(modPow(sigma, 65537n, bigintOf(fromHex(vu.modulus))), 128)));
  });

  it('opens to K1 for the VU with its own challenge and CHR; not with another challenge, CHR, signer key, or a changed byte', () => {
    const open = (over: Partial<Parameters<typeof openAuthenticationCryptogram>[0]>) =>
      openAuthenticationCryptogram({ recipient: vu, signer: publicKeyOf(card), cryptogram: token, challenge: rnd1, recipientChr: vuChr, ...over });
    expect(open({})).toEqual({ ok: true, k: k1 });
    expect(open({ challenge: fromHex('A1A2A3A4A5A6A7A9') })).toEqual({ ok: false, reason: 'the hash in the signature does not cover this challenge and CHR' });
    expect(open({ recipientChr: fromHex('0000000201260640') })).toMatchObject({ ok: false });
    expect(open({ signer: publicKeyOf(vu) })).toMatchObject({ ok: false });
    const changed = token.slice();
    changed[40]! ^= 0x01;
    expect(open({ cryptogram: changed })).toMatchObject({ ok: false });
    expect(open({ cryptogram: token.subarray(1) })).toEqual({ ok: false, reason: 'the cryptogram is 127 bytes, not 128' });
  });

  it('either way round: the VU signs for the card, the card opens it', () => {
    const k2 = fromHex('F0E0D0C0B0A090807060504030201000');
    const rnd3 = fromHex('0102030405060708');
    const cardChr = fromHex('12345678' + '0326' + '01' + '40');
    const cryptogram = authenticationCryptogram({ signer: vu, recipient: publicKeyOf(card), prnd, k: k2, challenge: rnd3, recipientChr: cardChr });
    expect(openAuthenticationCryptogram({ recipient: card, signer: publicKeyOf(vu), cryptogram, challenge: rnd3, recipientChr: cardChr })).toEqual({ ok: true, k: k2 });
  });
});

describe('gen1 secure messaging (App. 11 Part A §5, App. 2 TCS_44-47, TCS_58-60)', () => {
  const session: SmG1Session = { ka: toHex(KA), kb: toHex(KB), ssc: '00000000000000ff', uses: 0 };
  const readBinary = { cla: 0, ins: 0xb0, p1: 0, p2: 0, data: new Uint8Array(0), le: 65 };

  it("a READ BINARY: '97' 01 41 ‖ '8E' 04 CC, the CC over SSC + 1 and CH ‖ PB ‖ DOs ‖ PB (CSM_023, CSM_030)", () => {
    const { session: next, command } = wrapCommandG1(session, readBinary);
    expect(next.ssc).toBe('0000000000000100');
    const cc = cryptographicChecksumG1(KA, KB, fromHex('0000000000000100'), fromHex('0CB00000 80000000 970141 8000000000'));
    expect(toHex(command.data)).toBe('970141' + '8e04' + toHex(cc));
    expect([command.cla, command.le]).toEqual([0x0c, 256]);
    const unwrapped = unwrapCommandG1(session, command);
    expect(unwrapped).toEqual({ ok: true, session: next, command: { ...readBinary, cla: 0 } });
  });

  it("the card's errors: MAC '6688', '8E' missing '6987', a CC of 8 bytes '6988', a spent key '6A88'", () => {
    const { command } = wrapCommandG1(session, readBinary);
    const flipped = command.data.slice();
    flipped[2]! ^= 0x01;
    expect(unwrapCommandG1(session, { ...command, data: flipped })).toMatchObject({ ok: false, sw: G1_SM_SW.checksum });
    expect(unwrapCommandG1(session, { ...command, data: command.data.subarray(0, 3) })).toMatchObject({ ok: false, sw: G1_SM_SW.missing });
    expect(unwrapCommandG1(session, { ...command, data: concatBytes(command.data.subarray(0, 3), fromHex('8e080000000000000000')) })).toMatchObject({ ok: false, sw: G1_SM_SW.incorrect });
    expect(unwrapCommandG1({ ...session, uses: 240 }, command)).toMatchObject({ ok: false, sw: G1_SM_SW.noSessionKey });
    // the same command a second time: the SSC moved on, the CC no longer verifies (replay)
    const once = unwrapCommandG1(session, command);
    if (!once.ok) throw new Error(once.reason);
    expect(unwrapCommandG1(once.session, command)).toMatchObject({ ok: false, sw: G1_SM_SW.checksum });
  });

  it("responses: data '81' ‖ '8E' (§5.1 case 1), no data '99' ‖ '8E' (case 3), data with a warning carries '99' too", () => {
    const data = fromHex('0102030405');
    const withData = wrapResponseG1(session, { data, sw: 0x9000 });
    expect(toHex(withData.response.data)).toBe('81050102030405' + '8e04' + toHex(cryptographicChecksumG1(KA, KB, fromHex('0000000000000100'), fromHex('8105010203040580'))));
    expect(withData.session.uses).toBe(1);
    expect(toHex(wrapResponseG1(session, { data: new Uint8Array(0), sw: 0x6a82 }).response.data).slice(0, 12)).toBe('99026a828e04');
    expect(toHex(wrapResponseG1(session, { data, sw: 0x6282 }).response.data).slice(0, 22)).toBe('81050102030405' + '99026282');
    for (const r of [{ data, sw: 0x9000 }, { data: new Uint8Array(0), sw: 0x6a82 }, { data, sw: 0x6282 }]) {
      const w = wrapResponseG1(session, r);
      expect(unwrapResponseG1(session, w.response)).toEqual({ ok: true, session: w.session, response: r });
    }
  });

  it("the VU's checks (CSM_027): a flipped byte, a plain status, an SM error status, a status outside the checksum", () => {
    const w = wrapResponseG1(session, { data: fromHex('0102030405'), sw: 0x9000 });
    const flipped = w.response.data.slice();
    flipped[3]! ^= 0x01;
    expect(unwrapResponseG1(session, { ...w.response, data: flipped })).toMatchObject({ ok: false, kind: 'mac' });
    expect(unwrapResponseG1(session, { data: new Uint8Array(0), sw: 0x6a82 })).toMatchObject({ ok: false, kind: 'plain' });
    expect(unwrapResponseG1(session, { data: new Uint8Array(0), sw: 0x6688 })).toMatchObject({ ok: false, kind: 'sm-error-status' });
    expect(unwrapResponseG1(session, { ...w.response, sw: 0x6282 })).toMatchObject({ ok: false, kind: 'structure' });
  });
});

/** `openssl dgst -sha1` of 90 × 'Z' ‖ K1 ‖ RND1 ‖ VU.CHR of the token test. */
const SHA1_OF_TOKEN_INPUT = '1b9de1235888ae933f281dad347d4fe6530a1368';
