import { bytesEqual, fromHex } from '../../../crypto/bytes.ts';
import { CertificateChainError, verifyChain } from '../../../crypto/pki/chain.ts';
import { EQUIPMENT_TYPE as CHA } from '../../../crypto/pki/cv-certificate.ts';
import { deriveKeyPair, type CurveName } from '../../../crypto/pki/ec-keys.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { authenticationToken, cipherSuiteOf, deriveSessionKeys, ecdhSecret } from '../../../crypto/sm/key-agreement.ts';
import { startSession, unwrapResponse } from '../../../crypto/sm/secure-messaging.ts';
import type { Rng } from '../../../crypto/random.ts';
import { cardCertificates, chipAuthenticate, readCardIdentification } from '../../cards/card-chip.ts';
import { cardPkiSeed } from '../../cards/card-credentials.ts';
import type { VirtualCard } from '../../cards/card.ts';

/**
 * What a second generation VU checks of a second generation card at insertion before it trusts it (Annex IC
 * 16, definition ee "a card ... which authentication failed"; App. 11 part B): the Card_MA certificate chain to
 * a European root the VU trusts (CSM_157: Card = MA of the card's type, Card.CA = MSCA, Card.Link = ERCA), that
 * the card holds the Card_MA private key (chip authentication, CSM_176 steps 7-9: TPICC), and then that the data
 * it reads under secure messaging arrives intact (CSM_192: the response MAC). The card's side is
 * cards/card-chip.ts.
 *
 * Not done here (the ISO 7816 card protocol is a later issue): the card's authentication of the VU (CSM_161,
 * CSM_170-174), link certificates (the test PKI has one root), and first generation cards' mutual
 * authentication (App. 11 part A): a gen1 card passes this check; its `failAuthentication` flag still makes it
 * fail, as it does for a gen2 card.
 */
export type CardAuthentication =
  /** Nothing found against the card (a certificate out of its dates is left to the date rules) */
  | { ok: true }
  /** 'authentication': the chain or chip authentication failed ('12'H); 'integrity': the secured read did not verify ('14'H). */
  | { ok: false; failure: 'authentication' | 'integrity'; detail: string };

/** Card MA equipment types by card type (CSM_141). */
const MA_TYPE = { driver: CHA.driverCard, workshop: CHA.workshopCard, control: CHA.controlCard, company: CHA.companyCard } as const;

export interface VuTrust {
  /** The VU's test PKI seed: the European root it trusts, and the default PKI of a card with none of its own. */
  pkiSeed: number;
  /** VU time, ms. */
  at: number;
  /** The VU's random source, for its ephemeral key (CSM_164). */
  rng: Rng;
}

export function authenticateCard(card: VirtualCard, vu: VuTrust): CardAuthentication {
  if (card.failAuthentication) return { ok: false, failure: 'authentication', detail: 'mutual authentication with the card failed' };
  if (card.generation === 1) return { ok: true };
  const seed = cardPkiSeed(card, vu.pkiSeed);
  const { cardMa, ca } = cardCertificates(card, seed);
  let point: Uint8Array;
  let curve: CurveName;
  try {
    const chain = verifyChain({ eqt: cardMa, ca, roots: [fromHex(TestPki.of({ seed: vu.pkiSeed }).erca.certificate)], at: vu.at, eqtTypes: [MA_TYPE[card.type]] });
    point = fromHex(chain.eqt.publicPoint);
    curve = chain.eqt.curve;
  } catch (error) {
    if (!(error instanceof CertificateChainError)) throw error;
    // CSM_160: a certificate out of its validity (on the VU's clock) is refused: the card cannot be used, but
    // that is the card's dates, which definition ee and Annex IC 72 make a non-valid card ('01'H), not a
    // security breach (a choice, README): the date rules of insertion-validity.ts report it.
    if (error.problem === 'expired' || error.problem === 'not-yet-valid') return { ok: true };
    return { ok: false, failure: 'authentication', detail: `Card_MA certificate chain: ${error.message}` };
  }
  // CSM_164, CSM_176: a fresh ephemeral key pair on the card certificate's curve; the card answers NPICC, TPICC
  const eph = deriveKeyPair(vu.rng, curve);
  const ephPoint = fromHex(eph.publicPoint);
  const answer = chipAuthenticate(card, seed, ephPoint);
  const keys = deriveSessionKeys(ecdhSecret(eph, point), answer.nonce, cipherSuiteOf(curve).keyBits);
  if (!bytesEqual(authenticationToken(keys.kMac, ephPoint), answer.token)) {
    return { ok: false, failure: 'authentication', detail: 'TPICC does not verify: the card does not hold the Card_MA private key' };
  }
  // CSM_192: the first secured read (CardIdentification); a response whose MAC fails is not card data
  const read = readCardIdentification(card, answer.session);
  const unwrapped = unwrapResponse(startSession(keys), { data: read.data, sw: read.sw });
  if (!unwrapped.ok) return { ok: false, failure: 'integrity', detail: `secured read of CardIdentification: ${unwrapped.reason}` };
  return { ok: true };
}
