import { fromHex } from '../../../crypto/bytes.ts';
import { decodeCertificate } from '../../../crypto/pki/cv-certificate.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { G1_EQUIPMENT_TYPE } from '../../../crypto/pki-g1/rsa-certificate.ts';
import { TestPkiG1 } from '../../../crypto/pki-g1/test-pki-g1.ts';
import { createRng, type Rng } from '../../../crypto/random.ts';
import { cardPkiSeed } from '../../cards/card-credentials.ts';
import type { VirtualCard } from '../../cards/card.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { cardIdentityKey } from '../../cards/emulator/card-memory.ts';
import { readCardMemoryFile, writeCardMemoryFile } from '../../cards/emulator/card-memory-file.ts';
import type { VuMaCredentials } from '../gnss-link/types.ts';
import { authenticateThroughApdus, type Exchange, type ReaderEnv } from './card-reader.ts';
import type { G1VuCredentials } from './card-reader-g1.ts';
import type { OpenSession } from './card-session.ts';

/**
 * What a second generation VU checks of a second generation card at insertion before it trusts it (Annex IC
 * 16, definition ee "a card ... which authentication failed"; App. 11 part B), through the APDU exchange of
 * card-reader.ts with the card's emulator (cards/emulator/): the Card_MA certificate chain to a European root
 * the VU trusts (CSM_157), the card's authentication of the VU (terminal authentication, CSM_170-174), that the
 * card holds the Card_MA private key (chip authentication, CSM_176: TPICC), and that the data it reads under
 * secure messaging arrives intact (CSM_192: the response MAC).
 *
 * A first generation card goes through App. 11 part A instead (card-reader-g1.ts): its certificate chain down
 * from the European key of the VU's seed, INTERNAL and EXTERNAL AUTHENTICATE, the read under gen1 secure
 * messaging. Not done yet: link certificates (the test PKI has one root).
 */
export type CardAuthentication =
  /** Nothing found against the card (a certificate out of its dates is left to the date rules) */
  | { ok: true; lastSession?: OpenSession }
  /**
   * 'authentication': the chain or chip authentication failed ('12'H); 'integrity': the secured read did not
   * verify ('14'H); 'pin': a workshop card's PIN was not verified (wrong, or the card blocked it); 'write': a
   * write still refused after three retries (Annex IC 149: faulty, '40'H card fault).
   */
  | { ok: false; failure: 'authentication' | 'integrity' | 'pin' | 'write'; detail: string };

export interface VuTrust {
  /** The VU's test PKI seed: the European root it trusts, and the default PKI of a card with none of its own. */
  pkiSeed: number;
  /** VU time, ms. */
  at: number;
  /** The VU's random source, for its ephemeral key (CSM_164). */
  rng: Rng;
  /** The VU's VU_MA key and chain (vu-credentials.ts); default: the test PKI's for the default VU serial number. */
  credentials?: VuMaCredentials;
  /** The card session data to open (at insertion) or close (before release), card-session.ts; default: neither. */
  cardSession?: ReaderEnv['cardSession'];
  /** Reads and writes under the secure messaging of this authentication (card-reader.ts ReaderEnv.secured). */
  secured?: ReaderEnv['secured'];
  /** Issue 15: the PIN a workshop card's holder keyed in (the insertCard stimulus's `pin`); default: the card's own `pin`. */
  pin?: string;
}

/** The VU serial number of vu-options.ts's default, for a VuTrust without credentials. */
const DEFAULT_VU_SERIAL = { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 };

function defaultCredentials(pkiSeed: number): VuMaCredentials {
  const vu = TestPki.of({ seed: pkiSeed }).vu(DEFAULT_VU_SERIAL);
  return { privateKey: vu.vuMa.key.privateKey, curve: vu.vuMa.key.curve as VuMaCredentials['curve'], certificate: vu.vuMa.certificate, mscaCertificate: vu.mscaCertificate, rootCertificate: vu.rootCertificate };
}

/**
 * A card device for `card`, its randomness a stream of its own PKI seed: its memory read from its `memoryFile`
 * and written back after every change when it has one, else as personalised.
 */
export function cardDeviceFor(card: VirtualCard, vuPkiSeed: number): CardEmulator {
  const pkiSeed = cardPkiSeed(card, vuPkiSeed);
  const rng = createRng(pkiSeed, `card/${cardIdentityKey(card)}`);
  const file = card.memoryFile;
  if (!file) return new CardEmulator(card, { pkiSeed, rng });
  const memory = readCardMemoryFile(file, cardIdentityKey(card));
  return new CardEmulator(card, { pkiSeed, rng, ...(memory ? { memory } : {}), onWrite: (m) => writeCardMemoryFile(file, m) });
}

/**
 * The gen1 key material a gen2 VU authenticates a first generation card with (App. 11 Part A applies when one
 * side is gen1). Choice: the VU's one gen1 key pair of vu-credentials.ts vuSignerG1 (the rig's gen1 test PKI of
 * the same seed, CHR = the VU's extended serial number, here read from its VU_MA certificate's CHR, the same
 * key identifier), its certificate ending when the VU_MA certificate ends; it trusts its seed's European key.
 */
export function vuG1Credentials(pkiSeed: number, credentials: VuMaCredentials): G1VuCredentials {
  const vuMa = decodeCertificate(fromHex(credentials.certificate));
  const pki = TestPkiG1.of({ seed: pkiSeed });
  const vu = pki.equipment(fromHex(vuMa.chr), G1_EQUIPMENT_TYPE.vehicleUnit, vuMa.expirationDate);
  return { key: vu.key, certificate: vu.certificate, memberStateCertificate: pki.ms.certificate, eurPublicKey: pki.eurPublicKey };
}

export interface CardAuthenticationReport {
  result: CardAuthentication;
  transcript: Exchange[];
}

/** The check and its APDU transcript. `device` is the card in the slot; default: a card as personalised. */
export function authenticateCardWithTranscript(card: VirtualCard, vu: VuTrust, device: CardEmulator = cardDeviceFor(card, vu.pkiSeed)): CardAuthenticationReport {
  device.reset();
  const outcome = authenticateThroughApdus((bytes) => device.transmit(bytes), {
    credentials: vu.credentials ?? defaultCredentials(vu.pkiSeed),
    g1Credentials: vuG1Credentials(vu.pkiSeed, vu.credentials ?? defaultCredentials(vu.pkiSeed)),
    at: vu.at,
    rng: vu.rng,
    cardType: card.type,
    ...(card.type === 'workshop' ? { pin: vu.pin ?? card.pin } : {}),
    ...(vu.cardSession ? { cardSession: vu.cardSession } : {}),
    ...(vu.secured ? { secured: vu.secured } : {}),
  });
  if (outcome.ok) return { result: outcome.lastSession ? { ok: true, lastSession: outcome.lastSession } : { ok: true }, transcript: outcome.transcript };
  // CSM_160: a certificate out of its validity (on the VU's clock) is refused: the card cannot be used, but
  // that is the card's dates, which definition ee and Annex IC 72 make a non-valid card ('01'H), not a
  // security breach (a choice, README): the date rules of insertion-validity.ts report it.
  if (outcome.failure === 'expired-certificate') return { result: { ok: true }, transcript: outcome.transcript };
  return { result: { ok: false, failure: outcome.failure, detail: outcome.detail }, transcript: outcome.transcript };
}

export function authenticateCard(card: VirtualCard, vu: VuTrust, device?: CardEmulator): CardAuthentication {
  return authenticateCardWithTranscript(card, vu, device).result;
}

/**
 * Annex IC 150: before a driver or workshop card is released, its card session data reset, through a fresh
 * mutual authentication (choice: the VU does not keep the insertion's secure messaging session, which a plain
 * command, such as a card download's, ends: CSM_193). What fails is reported; the card goes out anyway.
 */
export function closeCardSessionOf(card: VirtualCard, vu: VuTrust, device: CardEmulator): CardAuthentication {
  if (card.type !== 'driver' && card.type !== 'workshop') return { ok: true };
  return authenticateCard(card, { ...vu, cardSession: { close: true } }, device);
}

/**
 * Annex IC 146: the VU stores what it recorded for the card while the card is in (before a card download), through a
 * fresh mutual authentication, `secured` doing the writes (a gen1 card's under gen1 secure messaging, card-reader-g1.ts).
 */
export function updateCardOf(card: VirtualCard, vu: VuTrust & { secured: NonNullable<VuTrust['secured']> }, device: CardEmulator): CardAuthentication {
  return authenticateCard(card, vu, device);
}
