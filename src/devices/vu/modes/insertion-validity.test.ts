import { describe, expect, it } from 'vitest';
import { cardSchema, type CardInput } from '../../cards/card-schema.ts';
import { checkCardInsertion, supersedes } from './insertion-validity.ts';

const AT = Date.parse('2026-06-15T10:00:00Z');

/** A driver card unless overridden; an override of undefined removes the field. */
function card(overrides: Partial<Record<string, unknown>> = {}) {
  const fields: Record<string, unknown> = {
    type: 'driver',
    issuingMemberState: 'D',
    cardNumber: 'DF00001234567801',
    holder: { surname: 'MUSTERMANN', firstNames: 'Max' },
    validity: { begin: '2024-03-01', expiry: '2029-02-28' },
    ...overrides,
  };
  return cardSchema.parse(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as CardInput);
}

const workshop = { type: 'workshop', workshopName: 'Garage', cardNumber: 'D123456789012' + '0' + '0' + '0', validity: { begin: '2026-01-01', expiry: '2026-12-31' } };

describe('insertion of a non-valid card, event 0x01 (Annex IC 72, definition ee)', () => {
  it('accepts a valid second generation card', () => {
    expect(checkCardInsertion(card(), AT)).toEqual({ valid: true });
  });

  it('refuses an expired card, whose data may still be read (Annex IC 11)', () => {
    const expired = card({ validity: { begin: '2021-06-01', expiry: '2026-06-14' } });
    expect(checkCardInsertion(expired, AT)).toEqual({
      valid: false,
      reason: 'expired',
      event: 0x01,
      requirement: 'Annex IC definition ee, 72',
      dataReadable: true,
      detail: 'the card expired on 2026-06-14',
    });
    expect(checkCardInsertion(expired, Date.parse('2026-06-14T23:59:59Z')).valid).toBe(true);
  });

  it('refuses a card not yet valid, whose data may not be read', () => {
    expect(checkCardInsertion(card({ validity: { begin: '2026-06-16', expiry: '2031-06-15' } }), AT)).toEqual({
      valid: false,
      reason: 'not-yet-valid',
      event: 0x01,
      requirement: 'Annex IC definition ee',
      dataReadable: false,
      detail: 'the card is valid from 2026-06-16',
    });
  });

  it('refuses a card that fails authentication, and a faulty card, before looking at its dates', () => {
    expect(checkCardInsertion(card({ failAuthentication: true, validity: { begin: '2030-01-01', expiry: '2035-01-01' } }), AT)).toMatchObject({
      valid: false,
      reason: 'authentication-failed',
      event: 0x01,
      dataReadable: false,
    });
    expect(checkCardInsertion(card({ faulty: true, failAuthentication: true }), AT)).toMatchObject({ reason: 'faulty', event: 0x01 });
  });

  it("takes the VU's authentication of the card: a failed chain or chip authentication, then a failed secured read", () => {
    expect(checkCardInsertion(card(), AT, { authentication: { ok: false, failure: 'authentication', detail: 'TPICC does not verify' } })).toEqual({
      valid: false,
      reason: 'authentication-failed',
      event: 0x01,
      requirement: 'Annex IC definition ee',
      dataReadable: false,
      detail: 'TPICC does not verify',
    });
    expect(checkCardInsertion(card(), AT, { authentication: { ok: false, failure: 'integrity', detail: 'wrong MAC' } })).toMatchObject({ valid: false, reason: 'data-integrity', event: 0x01, detail: 'wrong MAC' });
    expect(checkCardInsertion(card(), AT, { authentication: { ok: true } })).toEqual({ valid: true });
    // a faulty card is found first
    expect(checkCardInsertion(card({ faulty: true }), AT, { authentication: { ok: false, failure: 'integrity', detail: 'wrong MAC' } })).toMatchObject({ reason: 'faulty' });
  });

  describe('first generation cards in a second generation VU (MIG_001..MIG_005)', () => {
    it('uses a valid gen 1 driver, control or company card (MIG_002)', () => {
      expect(checkCardInsertion(card({ generation: 1 }), AT)).toEqual({ valid: true });
      expect(
        checkCardInsertion(
          card({ type: 'company', generation: 1, holder: undefined, companyName: 'Spedition', cardNumber: 'D123456789012' + '1' + '0' + '0' }),
          AT,
        ),
      ).toEqual({ valid: true });
    });

    it('refuses a gen 1 workshop card always (Annex IC 18, MIG_004), a gen 2 one is fine', () => {
      expect(checkCardInsertion(card({ ...workshop, generation: 1 }), AT)).toMatchObject({
        valid: false,
        reason: 'gen1-workshop-card',
        requirement: 'Annex IC 18, MIG_004',
      });
      expect(checkCardInsertion(card({ ...workshop, generation: 2 }), AT)).toEqual({ valid: true });
    });

    it('refuses every gen 1 card once a workshop has suppressed them (Annex IC 17, MIG_003)', () => {
      expect(checkCardInsertion(card({ generation: 1 }), AT, { gen1CardsSuppressed: true })).toMatchObject({
        valid: false,
        reason: 'gen1-cards-suppressed',
        requirement: 'Annex IC 17, MIG_003',
      });
      expect(checkCardInsertion(card({ generation: 2 }), AT, { gen1CardsSuppressed: true })).toEqual({ valid: true });
    });
  });

  describe('a card already renewed or replaced (definition ee)', () => {
    const known = (cardNumber: string, issuingMemberState = 0x0d, cardType: 'driver' | 'company' = 'driver') => ({ cardType, issuingMemberState, cardNumber });

    it('refuses a card once one with a higher renewal index has been inserted', () => {
      expect(checkCardInsertion(card(), AT, { knownCards: [known('DF000012345678' + '0' + '2')] })).toMatchObject({
        valid: false,
        reason: 'superseded',
        event: 0x01,
        detail: 'card DF00001234567802 (a renewal or replacement of this card) has already been inserted',
      });
    });

    it('refuses a card once one with the same renewal and a higher replacement index has been inserted', () => {
      expect(checkCardInsertion(card(), AT, { knownCards: [known('DF000012345678' + '1' + '1')] })).toMatchObject({ reason: 'superseded' });
    });

    it('accepts it when the other card is older, from another state, of another holder or the card itself', () => {
      const others = [
        known('DF000012345678' + '0' + '0'), // lower renewal
        known('DF000012345678' + '9' + '0'), // higher replacement but lower renewal
        known('DF000012345678' + '0' + '1'), // itself
        known('DF000012345678' + '0' + '2', 0x11), // another state
        known('DF000012345679' + '0' + '2'), // another driver
      ];
      expect(checkCardInsertion(card(), AT, { knownCards: others })).toEqual({ valid: true });
      // A replacement (index 1) after the card it replaced (index 0), same renewal: the older one does not bar it
      expect(supersedes(known('DF000012345678' + '0' + '1'), card({ cardNumber: 'DF000012345678' + '1' + '1' }))).toBe(false);
    });

    it('compares owner cards by owner identification and consecutive index, indexes in App. 1 order', () => {
      const company = card({ type: 'company', holder: undefined, companyName: 'Spedition', cardNumber: 'D123456789012' + 'a' + '0' + '9' });
      expect(supersedes(known('D123456789012' + 'a' + '0' + 'A', 0x0d, 'company'), company)).toBe(true); // 'A' follows '9'
      expect(supersedes(known('D123456789012' + 'b' + '0' + 'A', 0x0d, 'company'), company)).toBe(false); // another card of the owner
      expect(supersedes(known('D123456789012' + 'a' + '0' + 'A', 0x0d, 'driver'), company)).toBe(false); // another type
    });
  });
});
