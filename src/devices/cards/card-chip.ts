import { createHash } from 'node:crypto';
import { concatBytes, fromHex } from '../../crypto/bytes.ts';
import { cipherSuiteOf, deriveSessionKeys, ecdhSecret, authenticationToken } from '../../crypto/sm/key-agreement.ts';
import { startSession, wrapResponse, type SmSession } from '../../crypto/sm/secure-messaging.ts';
import { encodeIa5, encodeName, encodeTimeReal } from '../../protocols/app1/app1-codec.ts';
import { cardCredentials, cardExtendedSerialNumber } from './card-credentials.ts';
import { encodeExtendedSerialNumber } from '../../crypto/pki/key-identifier.ts';
import { cardExpiryDate, cardValidityBegin, type VirtualCard } from './card.ts';

/**
 * The card's side of what a second generation VU does with it at insertion, as plain functions over the
 * card's options and its test-PKI credentials (card-credentials.ts): the certificates it gives in plain, chip
 * authentication (App. 11 CSM_176 steps 5-6, with its Card_MA private key) and one read under secure
 * messaging (CSM_181-191, authentication-only mode). The APDU exchange around them is not emulated yet (the
 * ISO 7816 card is a later issue); the cryptography is the real one, so a card issued under another root, or
 * whose answers are altered on the way, fails exactly where a real one would.
 */

/** EF Card_MA_Certificate and EF CA_Certificate of DF Tachograph_G2, DER (read in plain before authentication). */
export function cardCertificates(card: VirtualCard, pkiSeed: number): { cardMa: Uint8Array; ca: Uint8Array } {
  const creds = cardCredentials(card, pkiSeed);
  return { cardMa: fromHex(creds.cardMa.certificate), ca: fromHex(creds.mscaCertificate) };
}

/**
 * GENERAL AUTHENTICATE (CSM_176 steps 5, 6): K = ECDH(Card_MA.SK, VU.PKeph), NPICC, the session keys (CSM_179)
 * and TPICC = CMAC(KMAC, VU.PKeph). Choice: the card's 8-byte nonce is the first 8 bytes of SHA-256 over its CHR
 * and the VU's point (the card's random generator is not modelled; the VU's point is fresh each time).
 */
export function chipAuthenticate(card: VirtualCard, pkiSeed: number, vuEphemeralPoint: Uint8Array): { nonce: Uint8Array; token: Uint8Array; session: SmSession } {
  const key = cardCredentials(card, pkiSeed).cardMa.key;
  const chr = encodeExtendedSerialNumber(cardExtendedSerialNumber(card));
  const nonce = new Uint8Array(createHash('sha256').update(concatBytes(chr, vuEphemeralPoint)).digest()).slice(0, 8);
  const keys = deriveSessionKeys(ecdhSecret(key, vuEphemeralPoint), nonce, cipherSuiteOf(key.curve).keyBits);
  return { nonce, token: authenticationToken(keys.kMac, vuEphemeralPoint), session: startSession(keys) };
}

/**
 * App. 1 CardIdentification (65 bytes), the first part of EF Identification every card type has: issuing
 * Member State, card number, issuing authority (App. 2 default: empty), issue date (= validity begin, as the
 * driver card image writes it), validity begin, expiry date.
 */
export function cardIdentificationBytes(card: VirtualCard): Uint8Array {
  return concatBytes(
    Uint8Array.of(card.issuingMemberState.numeric),
    encodeIa5(card.cardNumber, 16),
    encodeName(''),
    encodeTimeReal(cardValidityBegin(card)),
    encodeTimeReal(cardValidityBegin(card)),
    encodeTimeReal(cardExpiryDate(card)),
  );
}

/**
 * READ BINARY of CardIdentification under secure messaging: the card's protected answer (CSM_188: '81' data,
 * '99' status, '8E' MAC). With `alteredResponses` one bit of the data flips on the way to the VU, after the
 * card computed the MAC.
 */
export function readCardIdentification(card: VirtualCard, session: SmSession): { session: SmSession; data: Uint8Array; sw: number } {
  const wrapped = wrapResponse(session, { data: cardIdentificationBytes(card), sw: 0x9000 });
  const data = wrapped.response.data.slice();
  if (card.alteredResponses) data[5] = data[5]! ^ 0x01; // inside the '81' DO: a data byte, not its tag or length
  return { session: wrapped.session, data, sw: wrapped.response.sw };
}
