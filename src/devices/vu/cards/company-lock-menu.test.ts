import { describe, expect, it } from 'vitest';
import { fullCardNumberOf, type VirtualCard } from '../../cards/card.ts';
import { companyCardSchema } from '../../cards/card-schema.ts';
import { acme, anna, bolt, carla, wendy } from '../../cards/test-cards.ts';
import { createEventMemory } from '../data-memory/event-store.ts';
import type { VuCompanyLockRecord } from '../modes/company-locks.ts';
import { createCardSlots, insertCard, type CardSlotsState } from './card-slots.ts';
import { companyLockMenu } from './company-lock-menu.ts';

const T = Date.UTC(2026, 2, 2, 8, 0, 0);
const H = 3_600_000;

/** The slots with these cards in (driver slot first), inserted at T while parked. */
function holding(driver: VirtualCard | null, coDriver: VirtualCard | null = null): CardSlotsState {
  let slots = createCardSlots();
  for (const [slot, card] of [['driver', driver], ['co-driver', coDriver]] as const) {
    if (card) slots = insertCard(slots, slot, card, { at: T, moving: false, odometerKm: 0, events: createEventMemory() }).slots;
  }
  return slots;
}

/** The lock record of acme's card (Annex IC 64, 128): the company by its first 13 characters, the card, name and address. */
const acmeLock = (lockIn: number, lockOut: number | null): VuCompanyLockRecord => ({
  lockIn,
  lockOut,
  company: 'B000000000ACM',
  companyCard: fullCardNumberOf(acme),
  companyName: 'Acme Transport',
  companyAddress: '1 Haven Road, Antwerp',
});

const locked = (slots: CardSlotsState, at = T + H) => {
  const outcome = companyLockMenu(slots, [], 'in', at);
  if (!outcome.ok) throw new Error(outcome.detail);
  return outcome.locks;
};

describe('the company locks menu (Annex IC 12, 63-68, 128)', () => {
  it('locks in at the whole second, keeping the company, its card, name and address', () => {
    expect(companyLockMenu(holding(acme), [], 'in', T + H + 1750)).toEqual({ ok: true, locks: [acmeLock(T + H + 1000, null)] });
  });

  it('locks out the same company at the whole second', () => {
    const locks = locked(holding(acme));
    expect(companyLockMenu(holding(acme), locks, 'out', T + 2 * H + 999)).toEqual({ ok: true, locks: [acmeLock(T + H, T + 2 * H)] });
    expect(companyLockMenu(holding(acme), [], 'out', T + 2 * H)).toMatchObject({ ok: false, reason: 'no-lock-in' });
  });

  it('works in company mode only: not with no card, a driver, control or workshop card, nor a company card beside a control card', () => {
    for (const slots of [holding(null), holding(anna), holding(carla), holding(wendy), holding(carla, acme), holding(acme, wendy)]) {
      expect(companyLockMenu(slots, [], 'in', T + H)).toMatchObject({ ok: false, reason: 'not-in-company-mode' });
      expect(companyLockMenu(slots, [acmeLock(T, null)], 'out', T + H)).toMatchObject({ ok: false, reason: 'not-in-company-mode' });
    }
  });

  it('ignores a non-valid company card (Annex IC 11): an expired one gives no company mode', () => {
    const expired = companyCardSchema.parse({ ...acme, validity: { begin: '2020-01-01', expiry: '2025-12-31' } });
    expect(companyLockMenu(holding(expired), [], 'in', T + H)).toMatchObject({ ok: false, reason: 'not-in-company-mode' });
    // beside a valid company card in the other slot, that one is the mode's card
    expect(locked(holding(expired, bolt)).map((l) => l.company)).toEqual(['B000000000BLT']);
  });

  it('uses the company card wherever it is, and of two company cards the driver slot\'s (Annex IC 10 (*1))', () => {
    expect(locked(holding(anna, acme))).toEqual([acmeLock(T + H, null)]);
    expect(locked(holding(acme, bolt))).toEqual([acmeLock(T + H, null)]);
    expect(locked(holding(bolt, acme)).map((l) => [l.company, l.companyName, l.companyCard.cardNumber])).toEqual([['B000000000BLT', 'Bolt Logistics', 'B000000000BLT000']]);
    // acme's lock can be locked out only by acme's card as the mode's card (Annex IC 66)
    const acmeIn = [acmeLock(T, null)];
    expect(companyLockMenu(holding(bolt, acme), acmeIn, 'out', T + H)).toMatchObject({ ok: false, reason: 'locked-by-another-company' });
    expect(companyLockMenu(holding(acme, bolt), acmeIn, 'out', T + H)).toEqual({ ok: true, locks: [acmeLock(T, T + H)] });
  });

  it('keeps an empty address for a card whose options give none', () => {
    const { address: _unused, ...rest } = acme;
    const noAddress = companyCardSchema.parse(rest);
    expect(locked(holding(noAddress))).toEqual([{ ...acmeLock(T + H, null), companyAddress: '' }]);
  });
});
