import type { FullCardNumber } from '../../../protocols/app1/app1-codec.ts';
import { cardValidityAt, type VirtualCard } from '../../cards/card.ts';
import { RENEWAL_INDEX_ORDER, REPLACEMENT_INDEX_ORDER } from '../../../protocols/app1/card-number.ts';

/** App. 1 2.70 `EventFaultType` '01'H: insertion of a non-valid card. */
export const NON_VALID_CARD_EVENT = 0x01;

/** A card session the card still held open at insertion (cards/card-session.ts): '06'H's data (Annex IC 77). */
export interface LastCardSession {
  /** ms */
  insertion: number;
  vehicleRegistrationNation: number;
  vehicleRegistrationNumber: string;
  vuGeneration: 1 | 2;
}

export type NonValidReason =
  | 'faulty'
  | 'authentication-failed'
  | 'data-integrity'
  | 'pin-not-verified'
  | 'write-failed'
  | 'gen1-workshop-card'
  | 'gen1-cards-suppressed'
  | 'superseded'
  | 'not-yet-valid'
  | 'expired';

/** What the VU knows that bears on a card's validity. The VU is of the second generation. */
export interface VuCardContext {
  /** MIG_003 / Annex IC 203: a workshop has suppressed the use of first generation cards in this VU. */
  gen1CardsSuppressed?: boolean;
  /** Cards this VU has already seen (Annex IC 16: from its data memory, requirement 133). */
  knownCards?: readonly FullCardNumber[];
  /**
   * What the VU's authentication of the card found (vu/cards/card-authentication.ts): the certificate chain and
   * chip authentication, then the integrity of the first secured read. Absent: only the card's
   * `failAuthentication` flag counts.
   */
  authentication?: { ok: true; lastSession?: LastCardSession } | { ok: false; failure: 'authentication' | 'integrity' | 'pin' | 'write'; detail: string };
}

export type InsertionCheck =
  | { valid: true }
  | {
      valid: false;
      reason: NonValidReason;
      /** Always 0x01: each reason is an "insertion of a non-valid card" (Annex IC 72). */
      event: typeof NON_VALID_CARD_EVENT;
      requirement: string;
      /**
       * Annex IC 11: the VU ignores a non-valid card, except that the data held on an expired card can still
       * be displayed, printed or downloaded.
       */
      dataReadable: boolean;
      detail: string;
    };

function nonValid(reason: NonValidReason, requirement: string, detail: string): InsertionCheck {
  return { valid: false, reason, event: NON_VALID_CARD_EVENT, requirement, dataReadable: reason === 'expired', detail };
}

/**
 * Whether a card inserted at rig time `at` is valid for a second generation VU (Annex IC 16, definition ee).
 * A card that is non-valid for several reasons reports the first of: faulty, authentication failed, data integrity
 * (its secured read failed), first generation workshop card, first generation cards suppressed, superseded, not yet valid, expired: the order
 * a VU learns them in (it must talk to the card and authenticate it before it can trust the card's dates).
 *
 * First generation cards: a second generation VU uses any valid first generation driver, control or company
 * card (MIG_001, MIG_002) until a workshop suppresses that (Annex IC 17, MIG_003); a first generation
 * workshop card is always non-valid in it (Annex IC 18, MIG_004).
 */
export function checkCardInsertion(card: VirtualCard, at: number, vu: VuCardContext = {}): InsertionCheck {
  if (card.faulty) return nonValid('faulty', 'Annex IC definition ee', 'the card is detected as faulty');
  const auth = vu.authentication;
  // the exchange's verdict when the VU ran one (gen1 and gen2 cards fail it for real); the flag alone otherwise
  if (auth ? !auth.ok && auth.failure === 'authentication' : card.failAuthentication) {
    return nonValid('authentication-failed', 'Annex IC definition ee', auth && !auth.ok ? auth.detail : 'mutual authentication with the card failed');
  }
  // Issue 15, choice: a workshop card whose PIN was not verified (wrong, or blocked: App. 2 TCS_75) cannot authenticate
  // the VU (TCS_26 PWD): its authentication failed, a non-valid card (0x01); the holder's wrong PIN is no security
  // breach attempt of the card (no 0x12), the card's own retry counter guards against guessing
  if (auth && !auth.ok && auth.failure === 'pin') return nonValid('pin-not-verified', 'Annex IC definition ee, App. 2 TCS_26', auth.detail);
  // Annex IC 149: a write the card still refused after three retries: the card is declared faulty and non-valid
  if (auth && !auth.ok && auth.failure === 'write') return nonValid('write-failed', 'Annex IC 149', auth.detail);
  // Choice: a card whose data cannot be read intact cannot be identified or trusted: "detected as faulty"
  if (auth && !auth.ok) return nonValid('data-integrity', 'Annex IC definition ee', auth.detail);
  if (card.generation === 1 && card.type === 'workshop') {
    return nonValid('gen1-workshop-card', 'Annex IC 18, MIG_004', 'a first generation workshop card is non-valid in a second generation VU');
  }
  if (card.generation === 1 && vu.gen1CardsSuppressed) {
    return nonValid('gen1-cards-suppressed', 'Annex IC 17, MIG_003', 'first generation cards have been suppressed in this VU');
  }
  const newer = (vu.knownCards ?? []).find((known) => supersedes(known, card));
  if (newer) {
    return nonValid('superseded', 'Annex IC definition ee, 72', `card ${newer.cardNumber} (a renewal or replacement of this card) has already been inserted`);
  }
  const validity = cardValidityAt(card, at);
  if (validity === 'not-yet-valid') {
    return nonValid('not-yet-valid', 'Annex IC definition ee', `the card is valid from ${card.validity.begin}`);
  }
  if (validity === 'expired') return nonValid('expired', 'Annex IC definition ee, 72', `the card expired on ${card.validity.expiry}`);
  return { valid: true };
}

/**
 * Annex IC definition ee: `known` makes `card` non-valid when both are issued by the same Member State to the
 * same driver identification (or owner identification and consecutive index) and `known` has a higher
 * renewal index, or the same renewal index and a higher replacement index. The first 14 characters of a
 * card number are exactly that identity for both kinds of card number. The types must match too (a choice:
 * the definition does not say, and a company card should not retire a workshop card of the same owner).
 */
export function supersedes(known: FullCardNumber, card: Pick<VirtualCard, 'type' | 'cardNumber' | 'issuingMemberState'>): boolean {
  if (known.cardType !== card.type || known.issuingMemberState !== card.issuingMemberState.numeric) return false;
  if (known.cardNumber.slice(0, 14) !== card.cardNumber.slice(0, 14)) return false;
  const renewal = RENEWAL_INDEX_ORDER.indexOf(known.cardNumber[15]!) - RENEWAL_INDEX_ORDER.indexOf(card.cardNumber[15]!);
  const replacement = REPLACEMENT_INDEX_ORDER.indexOf(known.cardNumber[14]!) - REPLACEMENT_INDEX_ORDER.indexOf(card.cardNumber[14]!);
  return renewal > 0 || (renewal === 0 && replacement > 0);
}
