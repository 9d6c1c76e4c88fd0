import { describe, expect, it } from 'vitest';
import { cardExpiryDate, cardLabel, cardValidityAt, cardValidityBegin, cardValidUntil, encodeCardIdentity, holderNameOf, ownerIdentificationOf } from './card.ts';
import { cardSchema } from './card-schema.ts';
import { max } from './test-cards.ts';

const driver = max;

const company = cardSchema.parse({
  type: 'company',
  generation: 1,
  issuingMemberState: 'F',
  cardNumber: 'F123456789012' + 'a' + '0' + '0',
  companyName: 'Transports Dupont',
  validity: { begin: '2025-01-01', expiry: '2029-12-31' },
});

describe('card validity (Annex IC definition ee)', () => {
  it('runs from 00:00 UTC of the begin date to the end of the expiry date', () => {
    expect(new Date(cardValidityBegin(driver)).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(new Date(cardExpiryDate(driver)).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(new Date(cardValidUntil(driver)).toISOString()).toBe('2029-03-01T00:00:00.000Z');
  });

  it('is not yet valid before the begin date, valid through the expiry date, expired after it', () => {
    expect(cardValidityAt(driver, Date.parse('2024-02-29T23:59:59.999Z'))).toBe('not-yet-valid');
    expect(cardValidityAt(driver, Date.parse('2024-03-01T00:00:00Z'))).toBe('valid');
    expect(cardValidityAt(driver, Date.parse('2029-02-28T23:59:59.999Z'))).toBe('valid');
    expect(cardValidityAt(driver, Date.parse('2029-03-01T00:00:00Z'))).toBe('expired');
  });
});

describe('card helpers', () => {
  it('gives the holder name; a company card puts its name in the surname (App. 1 2.83)', () => {
    expect(holderNameOf(driver)).toEqual({ surname: 'MUSTERMANN', firstNames: 'Max' });
    expect(holderNameOf(company)).toEqual({ surname: 'Transports Dupont', firstNames: '' });
  });

  it('gives the 13-character owner identification of a non-driver card', () => {
    expect(ownerIdentificationOf(company)).toBe('F123456789012');
    expect(ownerIdentificationOf(driver)).toBeUndefined();
  });

  it('labels a card with type, state, number parts, generation and holder', () => {
    expect(cardLabel(driver)).toBe('driver card D DF000012345678 0 1 (gen 2, MUSTERMANN Max)');
    expect(cardLabel(company)).toBe('company card F F123456789012 a 0 0 (gen 1, Transports Dupont)');
  });
});

describe('encodeCardIdentity', () => {
  it('writes a card as App. 1 FullCardNumberAndGeneration', () => {
    const card = cardSchema.parse({
      type: 'driver',
      issuingMemberState: 'D',
      cardNumber: 'DF00001234567801',
      holder: { surname: 'MUSTERMANN', firstNames: 'Max' },
      validity: { begin: '2024-03-01', expiry: '2029-02-28' },
    });
    // EquipmentType 01 (driver card), NationNumeric 0D (D), "DF00001234567801" in IA5, Generation 02
    expect(Buffer.from(encodeCardIdentity(card)).toString('hex')).toBe('010d' + '4446303030303132333435363738' + '3031' + '02');
  });
});
