import type { CardType } from './card-type.ts';

/**
 * App. 1 2.26 `CardNumber`, 16 IA5 characters, a CHOICE by card type:
 *   driver card:                  driverIdentification (14) + cardReplacementIndex + cardRenewalIndex;
 *   workshop, control, company:   ownerIdentification (13) + cardConsecutiveIndex + cardReplacementIndex +
 *                                 cardRenewalIndex.
 * A card number is written here as its 16 characters, e.g. 'DF000012345678' + '0' + '1'.
 */
export type CardNumberParts =
  | { kind: 'driver'; driverIdentification: string; replacementIndex: string; renewalIndex: string }
  | { kind: 'owner'; ownerIdentification: string; consecutiveIndex: string; replacementIndex: string; renewalIndex: string };

export const CARD_NUMBER_LENGTH = 16;

// The identification is issued by each Member State; the rig accepts digits and upper-case letters, the
// characters every issuing scheme uses (a choice: App. 1 only says IA5String).
const IDENTIFICATION = /^[0-9A-Z]+$/;
/** App. 1 2.14: consecutive index order '0..9, A..Z, a..z'. */
export const CONSECUTIVE_INDEX_ORDER = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** App. 1 2.30, 2.31: renewal and replacement index order '0..9, A..Z'. */
export const RENEWAL_INDEX_ORDER = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const REPLACEMENT_INDEX_ORDER = RENEWAL_INDEX_ORDER;

function describeLayout(type: CardType): string {
  return type === 'driver'
    ? 'a driver card number is 16 characters: 14 of driver identification, then the replacement index and the renewal index'
    : `a ${type} card number is 16 characters: 13 of owner identification, then the consecutive, replacement and renewal indexes`;
}

/** What is wrong with `text` as the card number of a card of this type; empty when it is valid. */
export function cardNumberProblems(type: CardType, text: string): string[] {
  if (text.length !== CARD_NUMBER_LENGTH) return [`${describeLayout(type)} (got ${text.length}: '${text}')`];
  const problems: string[] = [];
  const idLength = type === 'driver' ? 14 : 13;
  const identification = text.slice(0, idLength);
  if (!IDENTIFICATION.test(identification)) {
    problems.push(`the ${type === 'driver' ? 'driver' : 'owner'} identification '${identification}' must be digits and upper-case letters`);
  }
  const check = (name: string, char: string, order: string, orderText: string) => {
    if (!order.includes(char)) problems.push(`the ${name} '${char}' must be one of ${orderText}`);
  };
  if (type !== 'driver') check('consecutive index', text[13]!, CONSECUTIVE_INDEX_ORDER, '0-9, A-Z, a-z');
  check('replacement index', text[14]!, REPLACEMENT_INDEX_ORDER, '0-9, A-Z');
  check('renewal index', text[15]!, RENEWAL_INDEX_ORDER, '0-9, A-Z');
  return problems;
}

/** Splits a card number into its App. 1 parts. Throws on an invalid number. */
export function parseCardNumber(type: CardType, text: string): CardNumberParts {
  const problems = cardNumberProblems(type, text);
  if (problems.length > 0) throw new Error(`invalid ${type} card number: ${problems.join('; ')}`);
  return type === 'driver'
    ? { kind: 'driver', driverIdentification: text.slice(0, 14), replacementIndex: text[14]!, renewalIndex: text[15]! }
    : {
        kind: 'owner',
        ownerIdentification: text.slice(0, 13),
        consecutiveIndex: text[13]!,
        replacementIndex: text[14]!,
        renewalIndex: text[15]!,
      };
}
