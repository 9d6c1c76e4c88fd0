import { fromHex } from '../../../crypto/bytes.ts';
import { CertificateChainError } from '../../../crypto/pki/chain.ts';
import { verifyG1Chain } from '../../../crypto/pki-g1/chain-g1.ts';
import { decodeEuropeanPublicKey } from '../../../crypto/pki-g1/european-public-key.ts';
import { G1_CERTIFICATE_BYTES, G1_EQUIPMENT_TYPE, g1CertificateCar, openG1Certificate } from '../../../crypto/pki-g1/rsa-certificate.ts';
import type { RsaKeyPair, RsaPublicKey } from '../../../crypto/pki-g1/rsa-keys.ts';
import type { Rng } from '../../../crypto/random.ts';
import { authenticationCryptogram, openAuthenticationCryptogram, PRND_BYTES, SESSION_HALF_BYTES } from '../../../crypto/sm-g1/authentication-token.ts';
import { sessionSpentG1, unwrapResponseG1, wrapCommandG1 } from '../../../crypto/sm-g1/secure-messaging-g1.ts';
import { startSessionG1, type SmG1Session } from '../../../crypto/sm-g1/session-key.ts';
import { readBinary, selectByAid, selectByFid, swHex, SW, type CommandApdu, type ResponseApdu } from '../../../protocols/apdu/index.ts';
import { verifyPin } from '../../../protocols/apdu/card-commands.ts';
import { internalAuthenticate, mseSetG1, psoVerifyCertificateG1 } from '../../../protocols/apdu/gen1-security-commands.ts';
import { externalAuthenticate, getChallenge } from '../../../protocols/apdu/security-commands.ts';
import { FID } from '../../../protocols/card-files/index.ts';
import type { CardType } from '../../../protocols/app1/card-type.ts';
import { closeCardSessionG1, openCardSessionG1 } from './card-session-g1.ts';
import { runCardSession, securedChannel, type OpenSession, type SecuredSend } from './card-session.ts';

/**
 * The VU's side of a first generation card at insertion (App. 11 Part A §4, CSM_020, with the App. 2 commands):
 * it selects DF Tachograph, reads EF Card_Certificate and EF CA_Certificate and unwraps them down from the
 * European key it trusts (CSM_019: EUR.PK → MS certificate → card certificate, CHA of the card's type), presents
 * its own Member State and VU certificates (MSE: SET, PSO: VERIFY CERTIFICATE, each under the key set before),
 * makes its key current (MSE: SET VU.CHR), has the card sign its challenge RND1 with K1 (INTERNAL AUTHENTICATE,
 * opened with its VU.SK and the card's Card.PK), signs the card's RND3 with K2 (GET CHALLENGE, EXTERNAL
 * AUTHENTICATE), and reads CardIdentification under gen1 secure messaging with the session key K1 ⊕ K2 (§5).
 *
 * Choices: the order of the steps is CSM_020's figure's (certificates, then the card's proof, then the VU's);
 * a workshop card gets its PIN (VERIFY) right before INTERNAL AUTHENTICATE, which is PWD on it (TCS_25).
 */
export interface G1VuCredentials {
  /** The VU's gen1 key pair (CSM_009). */
  key: RsaKeyPair;
  /** Its VU certificate and the Member State certificate that issued it, 194 bytes hex each. */
  certificate: string;
  memberStateCertificate: string;
  /** The European public key the VU trusts, 144 bytes hex (KID ‖ n ‖ e). */
  eurPublicKey: string;
}

export interface G1ReaderEnv {
  credentials: G1VuCredentials;
  /** VU time (ms): the card's certificates' end of validity is judged on it (CSM_019). */
  at: number;
  /** The VU's random source: RND1, PRND4, K2. */
  rng: Rng;
  cardType: CardType;
  pin?: string;
  /** As card-reader.ts ReaderEnv: the card session data to open or close (driver and workshop cards), and what the VU reads and writes then. */
  cardSession?: { open: { at: number; vehicleRegistrationNation: number; vehicleRegistrationNumber: string } } | { close: true };
  secured?: (send: SecuredSend, lastSession: OpenSession | null) => void;
}

export type G1Failure = 'authentication' | 'integrity' | 'expired-certificate' | 'pin' | 'write';
export type G1ReaderOutcome = { ok: true; session: SmG1Session; cardIdentification: Uint8Array; lastSession: OpenSession | null } | { ok: false; failure: G1Failure; detail: string };

/** App. 2 TCS_142: DF Tachograph's AID, 'FF' "TACHO". */
const AID_TACHOGRAPH = fromHex('FF544143484F');
const CARD_IDENTIFICATION_SIZE = 65;
const CARD_TYPES = { driver: G1_EQUIPMENT_TYPE.driverCard, workshop: G1_EQUIPMENT_TYPE.workshopCard, control: G1_EQUIPMENT_TYPE.controlCard, company: G1_EQUIPMENT_TYPE.companyCard } as const;

class Refused extends Error {
  constructor(
    readonly failure: G1Failure,
    detail: string,
  ) {
    super(detail);
  }
}

/** Ends the reading with a failure of that kind (the secured channel and the card session step call it). */
const refuse = (failure: G1Failure, detail: string): never => {
  throw new Refused(failure, detail);
};

export function authenticateGen1(send: (c: CommandApdu) => ResponseApdu, env: G1ReaderEnv): G1ReaderOutcome {
  const expect = (c: CommandApdu, what: string): ResponseApdu => {
    const r = send(c);
    if (r.sw !== SW.OK) throw new Refused('authentication', `${what}: ${swHex(r.sw)}`);
    return r;
  };
  try {
    expect(selectByAid(AID_TACHOGRAPH), 'SELECT DF Tachograph');
    const cardCertificate = readCertificate(expect, FID.CARD_CERTIFICATE, 'EF Card_Certificate');
    const caCertificate = readCertificate(expect, FID.CA_CERTIFICATE, 'EF CA_Certificate');
    // CSM_019: the card's chain down from the European key the VU trusts
    let card;
    try {
      card = verifyG1Chain({ eqt: cardCertificate, ca: caCertificate, eurPublicKeys: [fromHex(env.credentials.eurPublicKey)], at: env.at, eqtTypes: [CARD_TYPES[env.cardType]] }).eqt;
    } catch (error) {
      if (!(error instanceof CertificateChainError)) throw error;
      if (error.problem === 'expired') throw new Refused('expired-certificate', `Card certificate chain: ${error.message}`);
      throw new Refused('authentication', `Card certificate chain: ${error.message}`);
    }
    // the VU's own chain, each certificate under the key that opens it (TCS_82, TCS_83)
    const ms = fromHex(env.credentials.memberStateCertificate);
    const vuCertificate = fromHex(env.credentials.certificate);
    const vuChr = fromHex(openG1Certificate(vuCertificate, openG1Certificate(ms, decodeEuropeanPublicKey(fromHex(env.credentials.eurPublicKey))).publicKey).chr);
    expect(mseSetG1(fromHex(g1CertificateCar(ms))), 'MSE: SET (European key)');
    expect(psoVerifyCertificateG1(ms), 'PSO: VERIFY CERTIFICATE (Member State)');
    expect(mseSetG1(fromHex(g1CertificateCar(vuCertificate))), 'MSE: SET (Member State key)');
    expect(psoVerifyCertificateG1(vuCertificate), 'PSO: VERIFY CERTIFICATE (VU)');
    expect(mseSetG1(vuChr), 'MSE: SET (VU key)');
    if (env.cardType === 'workshop' && env.pin !== undefined) {
      // as for gen2 (card-reader.ts): a wrong PIN ('63CX') or a blocked one ('6983', TCS_75) is the holder's, not the card's authenticity
      const verified = send(verifyPin(env.pin));
      if (verified.sw !== SW.OK) throw new Refused('pin', `VERIFY (workshop card PIN): ${swHex(verified.sw)}`);
    }
    // CSM_020: the key agreement; CSM_029, §5: the session key and SSC, then the first reads under secure messaging
    const session = agreeSessionKey(expect, env, card, vuChr);
    // TCS_142: selecting a DF is SC1 (ALW OR SM-MAC-G2): a gen1 VU selects it in plain, which leaves the gen1
    // session key (part A has no counterpart of CSM_193)
    const selectsDf = (c: CommandApdu) => c.ins === 0xa4 && c.p1 === 0x04;
    // CSM_013: the key's 240 uses spent, the VU agrees a new one before the next protected command
    const renew = () => renewSessionKey(expect, env, card, vuChr);
    const channel = securedChannel(send, session, { wrap: wrapCommandG1, unwrap: unwrapResponseG1, spent: sessionSpentG1 }, refuse, selectsDf, renew);
    channel.expectOk(selectByFid(FID.IDENTIFICATION), 'secured SELECT of EF Identification');
    const identification = channel.expectOk(readBinary(0, CARD_IDENTIFICATION_SIZE), 'secured read of CardIdentification');
    const cardSession = env.cardType === 'driver' || env.cardType === 'workshop' ? env.cardSession : undefined;
    const close = (send: SecuredSend) => {
      send(selectByAid(AID_TACHOGRAPH), 'SELECT DF Tachograph');
      closeCardSessionG1(send);
    };
    const lastSession = runCardSession(channel.answer, { cardSession, secured: env.secured }, { open: openCardSessionG1, close }, refuse);
    return { ok: true, session: channel.session(), cardIdentification: identification.data, lastSession };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return { ok: false, failure: error.failure, detail: error.message };
  }
}

type Expect = (c: CommandApdu, what: string) => ResponseApdu;

/**
 * CSM_020's key agreement, the VU's key current on the card: the card proves Card.SK over RND1 and VU.CHR (K1
 * inside its INTERNAL AUTHENTICATE token), the VU proves VU.SK over the card's RND3 and Card.CHR (K2 inside its
 * EXTERNAL AUTHENTICATE cryptogram); the session key K1 ⊕ K2 and the SSC RND3 ‖ RND1 (CSM_029).
 */
function agreeSessionKey(expect: Expect, env: G1ReaderEnv, card: { publicKey: RsaPublicKey; chr: string }, vuChr: Uint8Array): SmG1Session {
  const rnd1 = env.rng.bytes(8);
  const token = expect(internalAuthenticate(rnd1, vuChr), 'INTERNAL AUTHENTICATE');
  const k1 = openAuthenticationCryptogram({ recipient: env.credentials.key, signer: card.publicKey, cryptogram: token.data, challenge: rnd1, recipientChr: vuChr });
  if (!k1.ok) throw new Refused('authentication', `INTERNAL AUTHENTICATE token: ${k1.reason}: the card does not hold the key its certificate names`);
  const rnd3 = expect(getChallenge(), 'GET CHALLENGE').data;
  if (rnd3.length !== 8) throw new Refused('authentication', `GET CHALLENGE gave ${rnd3.length} bytes`);
  const prnd4 = env.rng.bytes(PRND_BYTES);
  const k2 = env.rng.bytes(SESSION_HALF_BYTES);
  expect(externalAuthenticate(authenticationCryptogram({ signer: env.credentials.key, recipient: card.publicKey, prnd: prnd4, k: k2, challenge: rnd3, recipientChr: fromHex(card.chr) })), 'EXTERNAL AUTHENTICATE');
  return startSessionG1(k1.k, k2, rnd3, rnd1);
}

/**
 * CSM_013: the session key expires after 240 uses (a protected command and its response); the card then answers
 * '6A88' (TCS_47). The VU renews it before that: its own key made current again (MSE: SET VU.CHR: a DF selection
 * since may have dropped it, TCS_104; the card keeps the certificates it verified until its reset), then CSM_020's
 * key agreement. Choices: in plain, as at insertion; the selected EF stays (security commands select nothing) and
 * so does a verified PIN (until the card's reset); a card that refuses it fails authentication ('12'H).
 */
function renewSessionKey(expect: Expect, env: G1ReaderEnv, card: { publicKey: RsaPublicKey; chr: string }, vuChr: Uint8Array): SmG1Session {
  expect(mseSetG1(vuChr), 'MSE: SET (VU key, renewing the session key)');
  return agreeSessionKey(expect, env, card, vuChr);
}

/** SELECT and READ BINARY of a gen1 certificate EF: 194 bytes (CSM_018), one short read. */
function readCertificate(expect: (c: CommandApdu, what: string) => ResponseApdu, fid: number, what: string): Uint8Array {
  expect(selectByFid(fid), `SELECT ${what}`);
  const r = expect(readBinary(0, G1_CERTIFICATE_BYTES), `READ BINARY ${what}`);
  if (r.data.length !== G1_CERTIFICATE_BYTES) throw new Refused('authentication', `${what} holds ${r.data.length} bytes, not a ${G1_CERTIFICATE_BYTES}-byte certificate`);
  return r.data;
}

