/**
 * The identity of a tachograph card as the VU's event and fault records keep it: App. 1 §2.74
 * FullCardNumberAndGeneration (§2.73 FullCardNumber plus §2.75 Generation), as plain data.
 */

import { CARD_TYPES } from './card-type.ts';
import type { FullCardNumberAndGeneration } from './app1-codec.ts';

export type { FullCardNumberAndGeneration };

/** The cards in the driver (slot 1) and co-driver (slot 2) slots at one instant; null for an empty slot. */
export interface SlotCards {
  driver: FullCardNumberAndGeneration | null;
  codriver: FullCardNumberAndGeneration | null;
}

export const NO_CARDS: SlotCards = Object.freeze({ driver: null, codriver: null }) as SlotCards;

/** A copy in the canonical key order, after checking every field (the memory must stay plain, valid data). */
export function checkSlotCards(cards: SlotCards, where: string): SlotCards {
  if (cards === null || typeof cards !== 'object') throw new Error(`${where}: expected { driver, codriver }`);
  return { driver: checkCard(cards.driver, `${where}.driver`), codriver: checkCard(cards.codriver, `${where}.codriver`) };
}

function checkCard(card: FullCardNumberAndGeneration | null, where: string): FullCardNumberAndGeneration | null {
  if (card === null) return null;
  if (typeof card !== 'object') throw new Error(`${where}: expected a card or null`);
  const { cardType, issuingMemberState, cardNumber, generation } = card;
  if (!CARD_TYPES.includes(cardType)) throw new Error(`${where}.cardType: ${String(cardType)} is not a card type (${CARD_TYPES.join(', ')})`);
  if (!Number.isInteger(issuingMemberState) || issuingMemberState < 0 || issuingMemberState > 255) {
    throw new Error(`${where}.issuingMemberState: ${String(issuingMemberState)} is not a NationNumeric (0..255)`);
  }
  // App. 1 §2.26: every card number is 16 IA5 characters (driver: 14 + replacement + renewal index)
  if (typeof cardNumber !== 'string' || !/^[\x20-\x7e]{16}$/.test(cardNumber)) {
    throw new Error(`${where}.cardNumber: ${JSON.stringify(cardNumber)} is not 16 printable ASCII characters`);
  }
  if (generation !== 1 && generation !== 2) throw new Error(`${where}.generation: ${String(generation)} is not 1 or 2`);
  return { cardType, issuingMemberState, cardNumber, generation };
}
