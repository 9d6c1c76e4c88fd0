import { encodeFullCardNumberAndGeneration, type FullCardNumberAndGeneration } from '../../protocols/app1/app1-codec.ts';
import { parseCardNumber } from '../../protocols/app1/card-number.ts';
import type { VirtualCard } from './card-schema.ts';

export type { VirtualCard } from './card-schema.ts';

const DAY_MS = 86_400_000;

/** The card's identity as App. 1 `FullCardNumberAndGeneration` (the generation is the card's own). */
export function fullCardNumberOf(card: VirtualCard): FullCardNumberAndGeneration {
  return {
    cardType: card.type,
    issuingMemberState: card.issuingMemberState.numeric,
    cardNumber: card.cardNumber,
    generation: card.generation,
  };
}

/** The 19 bytes of the card's `FullCardNumberAndGeneration`. */
export function encodeCardIdentity(card: VirtualCard): Uint8Array {
  return encodeFullCardNumberAndGeneration(fullCardNumberOf(card));
}

/** `cardValidityBegin` as a rig time (ms): 00:00 UTC of the begin date. */
export function cardValidityBegin(card: VirtualCard): number {
  return Date.parse(`${card.validity.begin}T00:00:00Z`);
}

/**
 * `cardExpiryDate` as stored on the card (TimeReal, ms): 00:00 UTC of the expiry date. The card stays valid
 * until that day has passed (Annex IC definition ee: "whose expiry date has passed"); see {@link cardValidUntil}.
 */
export function cardExpiryDate(card: VirtualCard): number {
  return Date.parse(`${card.validity.expiry}T00:00:00Z`);
}

/** The first instant the card is no longer valid: 00:00 UTC the day after its expiry date. */
export function cardValidUntil(card: VirtualCard): number {
  return cardExpiryDate(card) + DAY_MS;
}

export type CardValidity = 'valid' | 'not-yet-valid' | 'expired';

/** Whether the card's validity period covers rig time `at` (ms). Annex IC definition ee. */
export function cardValidityAt(card: VirtualCard, at: number): CardValidity {
  if (at < cardValidityBegin(card)) return 'not-yet-valid';
  if (at >= cardValidUntil(card)) return 'expired';
  return 'valid';
}

/**
 * The App. 1 `HolderName` a VU records for the card. A company card has no holder: App. 1 2.83 puts the
 * company name in holderSurname when a card is not personal.
 */
export function holderNameOf(card: VirtualCard): { surname: string; firstNames: string } {
  return card.type === 'company' ? { surname: card.companyName, firstNames: '' } : card.holder;
}

/**
 * The 13 characters that identify a company, workshop or control body (App. 1 `ownerIdentification`);
 * company locks name the company by these (Annex IC 66). Undefined for a driver card.
 */
export function ownerIdentificationOf(card: Pick<VirtualCard, 'type' | 'cardNumber'>): string | undefined {
  const parts = parseCardNumber(card.type, card.cardNumber);
  return parts.kind === 'owner' ? parts.ownerIdentification : undefined;
}

/** A one-line label for traces and reports, e.g. `driver card D DF000012345678 0 1 (gen 2, MUSTERMANN Max)`. */
export function cardLabel(card: VirtualCard): string {
  const parts = parseCardNumber(card.type, card.cardNumber);
  const number =
    parts.kind === 'driver'
      ? `${parts.driverIdentification} ${parts.replacementIndex} ${parts.renewalIndex}`
      : `${parts.ownerIdentification} ${parts.consecutiveIndex} ${parts.replacementIndex} ${parts.renewalIndex}`;
  const who =
    card.type === 'company'
      ? card.companyName
      : card.type === 'workshop'
        ? `${card.holder.surname} ${card.holder.firstNames}, ${card.workshopName}`
        : card.type === 'control'
          ? `${card.holder.surname} ${card.holder.firstNames}, ${card.controlBodyName}`
          : `${card.holder.surname} ${card.holder.firstNames}`;
  return `${card.type} card ${card.issuingMemberState.alpha || card.issuingMemberState.numeric} ${number} (gen ${card.generation}, ${who})`;
}
