import { bytesEqual, concatBytes, fromHex, toHex } from '../../../crypto/bytes.ts';
import { CertificateChainError, verifyChain } from '../../../crypto/pki/chain.ts';
import { decodeCertificate, EQUIPMENT_TYPE as CHA } from '../../../crypto/pki/cv-certificate.ts';
import { deriveKeyPair, signPlain, type CurveName, type EcKeyPair } from '../../../crypto/pki/ec-keys.ts';
import { readTlv } from '../../../crypto/pki/tlv.ts';
import type { Rng } from '../../../crypto/random.ts';
import { authenticationToken, cipherSuiteOf, compressedPoint, deriveSessionKeys, ecdhSecret, sessionExhausted, SM_SW, startSession, unwrapResponse, wrapCommand, type SessionKeys, type SmSession } from '../../../crypto/sm/index.ts';
import { decodeResponse, encodeCommand, readBinary, selectByAid, selectByFid, swHex, SW, type CommandApdu, type ResponseApdu } from '../../../protocols/apdu/index.ts';
import { verifyPin } from '../../../protocols/apdu/card-commands.ts';
import { dynamicAuthenticationData, externalAuthenticate, generalAuthenticate, getChallenge, mseSetAtChipAuthentication, mseSetAtVuAuthentication, mseSetDst, psoVerifyCertificateOf } from '../../../protocols/apdu/security-commands.ts';
import { FID } from '../../../protocols/card-files/index.ts';
import type { CardType } from '../../../protocols/app1/card-type.ts';
import type { VuMaCredentials } from '../gnss-link/types.ts';
import { closeCardSession, openCardSession, runCardSession, securedChannel, type OpenSession, type SecuredSend } from './card-session.ts';
import { authenticateGen1, type G1VuCredentials } from './card-reader-g1.ts';
import type { SmG1Session } from '../../../crypto/sm-g1/session-key.ts';

/**
 * The VU's side of a card at insertion, through APDUs (App. 11 part B §10.2-10.4 with App. 2 §3.5): it
 * selects DF Tachograph_G2, reads EF CardMA_Certificate and EF CA_Certificate and verifies the chain to a root
 * it trusts (CSM_157-160), presents its own chain (MSE: SET DST, PSO: VERIFY CERTIFICATE), authenticates to
 * the card (terminal authentication: MSE: SET AT, GET CHALLENGE, EXTERNAL AUTHENTICATE, CSM_170-174), has
 * the card prove its Card_MA key (chip authentication: MSE: SET AT, GENERAL AUTHENTICATE, CSM_175-180) and
 * reads CardIdentification under secure messaging (CSM_181-192). Every command and answer goes through
 * `transmit` as bytes, and is kept in the transcript.
 */
export type CardPort = (command: Uint8Array) => Uint8Array;

export interface ReaderEnv {
  /** The VU's VU_MA key and chain, and the root it trusts (vu-credentials.ts vuMaCredentials). */
  credentials: VuMaCredentials;
  /** The VU's gen1 key, certificates and European key, for a first generation card (card-reader-g1.ts); without them a gen1 card fails authentication. */
  g1Credentials?: G1VuCredentials;
  /** VU time (ms): the VU judges the card's certificates by its own clock (CSM_160). */
  at: number;
  /** The VU's random source for its ephemeral key (CSM_164). */
  rng: Rng;
  /** The card's type as the slot sees it: MA certificate types (CSM_141), and whether a PIN goes first. */
  cardType: CardType;
  /**
   * A workshop card needs its PIN verified before EXTERNAL AUTHENTICATE (App. 2 TCS_26: PWD). Choice: the
   * holder's PIN as the card options give it (the VU's PIN entry on the keypad is not modelled yet).
   */
  pin?: string;
  /**
   * The card session data once authenticated (driver and workshop cards, card-session.ts): `open` at insertion
   * (Annex IC 145) with the VU's time and vehicle, `close` before release (Annex IC 150); default: neither.
   */
  cardSession?: { open: { at: number; vehicleRegistrationNation: number; vehicleRegistrationNumber: string } } | { close: true };
  /**
   * What the VU reads and writes of the card under the secure messaging just set up (card-writer.ts): run after
   * the card session data is opened (given the session the card held open), or before it is closed (Annex IC
   * 143: the session data is reset after all relevant data is stored). Throws SessionRefused when the card refuses.
   */
  secured?: (send: SecuredSend, lastSession: OpenSession | null) => void;
}

export interface Exchange {
  command: string;
  response: string;
}

export type ReaderOutcome =
  /** `lastSession`: the card session the card held open when `cardSession.open` ran (Annex IC 77), else null. */
  | { ok: true; generation: 2; session: SmSession; cardIdentification: Uint8Array; lastSession: OpenSession | null; transcript: Exchange[] }
  /** A card without DF Tachograph_G2: a first generation card, authenticated by App. 11 part A (card-reader-g1.ts). */
  | { ok: true; generation: 1; session: SmG1Session; cardIdentification: Uint8Array; lastSession: OpenSession | null; transcript: Exchange[] }
  | { ok: false; failure: 'authentication' | 'integrity' | 'expired-certificate' | 'pin' | 'write'; detail: string; transcript: Exchange[] };

/** Card MA equipment types by card type (CSM_141). */
const MA_TYPE = { driver: CHA.driverCard, workshop: CHA.workshopCard, control: CHA.controlCard, company: CHA.companyCard } as const;
/** App. 2 TCS_142: DF Tachograph_G2's AID. */
const AID_G2 = fromHex('FF534D524454');
/** App. 1 CardIdentification, the first 65 bytes of EF Identification. */
const CARD_IDENTIFICATION_SIZE = 65;

class Refused extends Error {
  constructor(
    readonly failure: 'authentication' | 'integrity' | 'expired-certificate' | 'pin' | 'write',
    detail: string,
  ) {
    super(detail);
  }
}

/** Ends the reading with a failure of that kind (the secured channel and the card session step call it). */
const refuse = (failure: 'authentication' | 'integrity' | 'expired-certificate' | 'pin' | 'write', detail: string): never => {
  throw new Refused(failure, detail);
};

export function authenticateThroughApdus(port: CardPort, env: ReaderEnv): ReaderOutcome {
  const transcript: Exchange[] = [];
  const send = (c: CommandApdu): ResponseApdu => {
    const bytes = encodeCommand(c);
    const answer = port(bytes);
    transcript.push({ command: toHex(bytes).toUpperCase(), response: toHex(answer).toUpperCase() });
    return decodeResponse(answer);
  };
  const expect = (c: CommandApdu, what: string): ResponseApdu => {
    const r = send(c);
    if (r.sw !== SW.OK) throw new Refused('authentication', `${what}: ${swHex(r.sw)}`);
    return r;
  };
  try {
    // App. 2 TCS_142: a first generation card has no DF Tachograph_G2 ('6A82')
    const g2 = send(selectByAid(AID_G2));
    if (g2.sw === SW.FILE_NOT_FOUND) {
      if (!env.g1Credentials) throw new Refused('authentication', 'a first generation card, and the VU holds no gen1 key');
      const g1 = authenticateGen1(send, { credentials: env.g1Credentials, at: env.at, rng: env.rng, cardType: env.cardType, ...(env.pin !== undefined ? { pin: env.pin } : {}), ...(env.cardSession ? { cardSession: env.cardSession } : {}), ...(env.secured ? { secured: env.secured } : {}) });
      return g1.ok ? { ok: true, generation: 1, session: g1.session, cardIdentification: g1.cardIdentification, lastSession: g1.lastSession, transcript } : { ok: false, failure: g1.failure, detail: g1.detail, transcript };
    }
    if (g2.sw !== SW.OK) throw new Refused('authentication', `SELECT DF Tachograph_G2: ${swHex(g2.sw)}`);
    const cardMa = readCertificate(send, FID.CARD_CERTIFICATE, 'EF CardMA_Certificate');
    const ca = readCertificate(send, FID.CA_CERTIFICATE, 'EF CA_Certificate');
    const card = verifyCardChain(env, cardMa, ca);
    // CSM_161-167 with Figure 5: the VU's chain, the MSCA certificate first, each under the key that issued it
    presentVuChain(expect, env);
    // App. 2 TCS_26: a workshop card authenticates a VU only with its PIN verified
    if (env.cardType === 'workshop' && env.pin !== undefined) {
      // issue 15: a wrong PIN ('63CX', X tries left) or a blocked one ('6983', TCS_75) is the holder's, not the card's authenticity
      const verified = send(verifyPin(env.pin));
      if (verified.sw !== SW.OK) throw new Refused('pin', `VERIFY (workshop card PIN): ${swHex(verified.sw)}`);
    }
    // CSM_164: a fresh ephemeral key pair on the card certificate's domain parameters
    const keys = agreeSessionKeys(expect, env, card, (eph) => expect(mseSetAtVuAuthentication(vuChrOf(env), compressedPoint(fromHex(eph.publicPoint))), 'MSE: SET AT (VU authentication)'));
    // CSM_192, CSM_193: a session carries 240 SM commands and responses at most (this VU's limit, and a card's at
    // most); the VU authenticates again before the command that would be one too many (renewSession), and at once
    // when a card whose own limit is lower aborts the session ('6988', CSM_195: abortedByCard)
    const renew = () => startSession(renewSession(send, expect, env, cardMa, ca));
    const channel = securedChannel(send, startSession(keys), { wrap: wrapCommand, unwrap: unwrapResponse, spent: (s) => sessionExhausted(s), abortedByCard }, refuse, undefined, renew);
    // CSM_181-192: the first reads under secure messaging; an answer whose MAC fails is not card data
    channel.expectOk(selectByFid(FID.IDENTIFICATION), 'secured SELECT of EF Identification');
    const identification = channel.expectOk(readBinary(0, CARD_IDENTIFICATION_SIZE), 'secured read of CardIdentification');
    const cardSession = env.cardType === 'driver' || env.cardType === 'workshop' ? env.cardSession : undefined;
    const lastSession = runCardSession(channel.answer, { cardSession, secured: env.secured }, { open: openCardSession, close: closeCardSession }, refuse);
    return { ok: true, generation: 2, session: channel.session(), cardIdentification: identification.data, lastSession, transcript };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return { ok: false, failure: error.failure, detail: error.message, transcript };
  }
}

/**
 * CSM_192 third case, CSM_194: the card found an SM error in a command (its own session limit reached, CSM_193, or
 * a command it could not verify) and aborted the session: '6987' or '6988', in plain. The VU then sets up a new
 * session at once (CSM_195) and sends the command again (card-session.ts securedChannel).
 */
const abortedByCard = (r: ResponseApdu): boolean => r.data.length === 0 && (r.sw === SM_SW.missingOrUnknown || r.sw === SM_SW.incorrect);

type Send = (c: CommandApdu) => ResponseApdu;
type Expect = (c: CommandApdu, what: string) => ResponseApdu;
/** The card as its verified chain gave it: its Card_MA public point, curve and CHR. */
interface VerifiedCard {
  point: Uint8Array;
  curve: CurveName;
  chr: string;
}

/** CSM_157-160: the card's chain to a root the VU trusts, CHA of the card's type, valid on the VU's clock. */
function verifyCardChain(env: ReaderEnv, cardMa: Uint8Array, ca: Uint8Array): VerifiedCard {
  try {
    const chain = verifyChain({ eqt: cardMa, ca, roots: [fromHex(env.credentials.rootCertificate)], at: env.at, eqtTypes: [MA_TYPE[env.cardType]] });
    return { point: fromHex(chain.eqt.publicPoint), curve: chain.eqt.curve, chr: chain.eqt.chr };
  } catch (error) {
    if (!(error instanceof CertificateChainError)) throw error;
    if (error.problem === 'expired' || error.problem === 'not-yet-valid') throw new Refused('expired-certificate', `Card_MA certificate chain: ${error.message}`);
    throw new Refused('authentication', `Card_MA certificate chain: ${error.message}`);
  }
}

const vuChrOf = (env: ReaderEnv): Uint8Array => fromHex(decodeCertificate(fromHex(env.credentials.certificate)).chr);

/** CSM_161-167 with Figure 5: the VU's chain, the MSCA certificate first, each under the key that issued it. */
function presentVuChain(expect: Expect, env: ReaderEnv): void {
  const msca = decodeCertificate(fromHex(env.credentials.mscaCertificate));
  const vu = decodeCertificate(fromHex(env.credentials.certificate));
  expect(mseSetDst(fromHex(msca.car)), 'MSE: SET DST (root)');
  expect(psoVerifyCertificateOf(fromHex(env.credentials.mscaCertificate)), 'PSO: VERIFY CERTIFICATE (MSCA)');
  expect(mseSetDst(fromHex(vu.car)), 'MSE: SET DST (MSCA)');
  expect(psoVerifyCertificateOf(fromHex(env.credentials.certificate)), 'PSO: VERIFY CERTIFICATE (VU_MA)');
}

/**
 * A fresh ephemeral key pair (CSM_164), its key set for VU authentication by `setAt` (MSE: SET AT), terminal
 * authentication (GET CHALLENGE, EXTERNAL AUTHENTICATE, CSM_170-174) and chip authentication (MSE: SET AT,
 * GENERAL AUTHENTICATE, CSM_175-180): the session keys, TPICC verified.
 */
function agreeSessionKeys(expect: Expect, env: ReaderEnv, card: VerifiedCard, setAt: (eph: EcKeyPair) => void): SessionKeys {
  const eph = deriveKeyPair(env.rng, card.curve);
  const ephPoint = fromHex(eph.publicPoint);
  setAt(eph);
  const challenge = expect(getChallenge(), 'GET CHALLENGE');
  if (challenge.data.length !== 8) throw new Refused('authentication', `GET CHALLENGE gave ${challenge.data.length} bytes`);
  // CSM_170, CSM_171: the VU signs Card.CHR ‖ rcard ‖ Comp(VU.PKeph) with VU_MA.SK
  const vuPoint = decodeCertificate(fromHex(env.credentials.certificate)).publicPoint;
  const signature = signPlain({ curve: env.credentials.curve, privateKey: env.credentials.privateKey, publicPoint: vuPoint }, concatBytes(fromHex(card.chr), challenge.data, compressedPoint(ephPoint)));
  expect(externalAuthenticate(signature), 'EXTERNAL AUTHENTICATE');
  expect(mseSetAtChipAuthentication(), 'MSE: SET AT (chip authentication)');
  const answer = expect(generalAuthenticate(ephPoint), 'GENERAL AUTHENTICATE');
  const fields = dynamicAuthenticationData(answer.data);
  if (!fields) throw new Refused('authentication', 'GENERAL AUTHENTICATE answer is not 7C { 81 NPICC, 82 TPICC }');
  // CSM_176 steps 7-9, CSM_179: the same session keys, and TPICC proves the card holds Card_MA.SK
  const keys = deriveSessionKeys(ecdhSecret(eph, card.point), fields.nonce, cipherSuiteOf(card.curve).keyBits);
  if (!bytesEqual(authenticationToken(keys.kMac, ephPoint), fields.token)) throw new Refused('authentication', 'TPICC does not verify: the card does not hold the Card_MA private key');
  return keys;
}

/**
 * CSM_192, CSM_195, CSM_196: a new session before the 240 SM commands and responses of this one are spent, in plain
 * (the first plain command aborts the session on the card, CSM_193). CSM_196 restarts at the card's chain, and
 * CSM_158 lets a VU that knows the card (it verified the chain at this insertion) only judge it again on its clock:
 * no certificate is read again, so the card's selected DF and EF stay what the session left (security commands
 * select nothing) and the command that waited goes on where it was. CSM_162: the VU first tries to set its own key
 * (MSE: SET AT); the card, which verified the VU's chain since its reset, takes it; a card that answers
 * otherwise (it kept none) gets the chain presented again and the key set after it. A workshop card's PIN stays
 * verified until the card's reset. A card that refuses a step fails authentication ('12'H), as at insertion.
 */
function renewSession(send: Send, expect: Expect, env: ReaderEnv, cardMa: Uint8Array, ca: Uint8Array): SessionKeys {
  const known = verifyCardChain(env, cardMa, ca);
  const what = 'MSE: SET AT (VU authentication, renewing the session)';
  return agreeSessionKeys(expect, env, known, (eph) => {
    const setAt = mseSetAtVuAuthentication(vuChrOf(env), compressedPoint(fromHex(eph.publicPoint)));
    if (send(setAt).sw === SW.OK) return;
    presentVuChain(expect, env);
    expect(setAt, what);
  });
}

/**
 * READ BINARY of a certificate EF: its first 5 bytes give the certificate's DER length ('7F21' and a length
 * of up to two octets), then the rest, at most 255 bytes a command (short Le).
 */
function readCertificate(send: (c: CommandApdu) => ResponseApdu, fid: number, what: string): Uint8Array {
  const selected = send(selectByFid(fid));
  if (selected.sw !== SW.OK) throw new Refused('authentication', `SELECT ${what}: ${swHex(selected.sw)}`);
  const head = send(readBinary(0, 5));
  if (head.sw !== SW.OK || head.data.length !== 5 || head.data[0] !== 0x7f || head.data[1] !== 0x21) throw new Refused('authentication', `${what} holds no certificate`);
  const [l0, l1, l2] = [head.data[2]!, head.data[3]!, head.data[4]!];
  const total = l0 < 0x80 ? 3 + l0 : l0 === 0x81 ? 4 + l1 : l0 === 0x82 ? 5 + ((l1 << 8) | l2) : 0;
  if (total === 0) throw new Refused('authentication', `${what} holds no certificate`);
  let bytes = head.data;
  while (bytes.length < total) {
    const part = send(readBinary(bytes.length, Math.min(255, total - bytes.length)));
    if (part.sw !== SW.OK || part.data.length === 0) throw new Refused('authentication', `READ BINARY ${what}: ${swHex(part.sw)}`);
    bytes = concatBytes(bytes, part.data);
  }
  try {
    return bytes.subarray(0, readTlv(bytes, 0).length);
  } catch {
    throw new Refused('authentication', `${what} holds no certificate`);
  }
}

