import { fullCardNumberOf, ownerIdentificationOf } from '../../cards/card.ts';
import { isFunctionAvailable } from '../modes/access-rights.ts';
import { lockIn, lockOut, type VuCompanyLockRecord } from '../modes/company-locks.ts';
import { currentMode, modeCard, type CardSlotsState } from './card-slots.ts';

export type LockAction = 'in' | 'out';

export type LockMenuOutcome =
  | { ok: true; locks: VuCompanyLockRecord[] }
  | { ok: false; reason: 'not-in-company-mode' | 'no-lock-in' | 'locked-by-another-company'; detail: string };

/**
 * The company card holder locks in or out through the VU's menu at VU time `at` (ms; kept in whole seconds,
 * "in real time only", Annex IC 65). The function works in company mode only (Annex IC 12), for the company
 * card the mode uses (the driver slot's of two, Annex IC 10 (*1)); the lock keeps that card, the company name
 * and its address (Annex IC 128; an address the card options do not give is empty).
 */
export function companyLockMenu(slots: CardSlotsState, locks: readonly VuCompanyLockRecord[], action: LockAction, at: number): LockMenuOutcome {
  const card = modeCard(slots);
  if (!isFunctionAvailable(currentMode(slots), 'companyLocksManagement') || !card || card.type !== 'company') {
    return { ok: false, reason: 'not-in-company-mode', detail: 'company locks are managed in company mode only (Annex IC 12)' };
  }
  const company = ownerIdentificationOf(card)!;
  const second = Math.floor(at / 1000) * 1000;
  if (action === 'out') return lockOut(locks, company, second);
  return lockIn(locks, { company, companyCard: fullCardNumberOf(card), companyName: card.companyName, companyAddress: card.address ?? '' }, second);
}
