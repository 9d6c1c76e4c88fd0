import type { FullCardNumberAndGeneration } from '../../../protocols/app1/app1-codec.ts';

/**
 * Company locks as data access rights (Annex IC 63-68, 13): a lock is a period during which only the company
 * that locked in may read the VU's driver related data in company mode. A company is named by the first 13
 * characters of its company card number (App. 1 `ownerIdentification`; Annex IC 66, 13).
 */
export interface CompanyLock {
  /** Lock-in time, ms. */
  lockIn: number;
  /** Lock-out time, ms; null while the lock is still in. */
  lockOut: number | null;
  /** The locking company's 13-character owner identification. */
  company: string;
}

/** Annex IC 13: whether `company` may read driver related data stamped `at`. */
export function companyMayReadAt(locks: readonly CompanyLock[], company: string, at: number): boolean {
  return !locks.some((lock) => lock.company !== company && lock.lockIn <= at && (lock.lockOut === null || at < lock.lockOut));
}

/**
 * One lock as the VU keeps it (Annex IC 128, App. 1 VuCompanyLocksRecord): the lock and, from the card used at
 * lock-in, its number and generation and the company's name and address. Times are VU time, ms, whole seconds.
 */
export interface VuCompanyLockRecord extends CompanyLock {
  companyCard: FullCardNumberAndGeneration;
  companyName: string;
  companyAddress: string;
}

/** Annex IC 128: the 255 most recent locks are kept; a lock dropped from memory no longer locks anything. */
export const COMPANY_LOCKS_KEPT = 255;

/** The company card holder who locks in or out: the company (13 characters) and what the record keeps of its card. */
export interface LockHolder {
  company: string;
  companyCard: FullCardNumberAndGeneration;
  companyName: string;
  companyAddress: string;
}

export type LockChange = { ok: true; locks: VuCompanyLockRecord[] } | { ok: false; reason: 'no-lock-in' | 'locked-by-another-company'; detail: string };

/** The lock still in, if any: only the most recent lock can be (67 locks the previous one out). */
function lockStillIn(locks: readonly VuCompanyLockRecord[]): VuCompanyLockRecord | undefined {
  const last = locks[locks.length - 1];
  return last && last.lockOut === null ? last : undefined;
}

/**
 * Annex IC 63-68, 128: `holder` locks in at VU time `at` (65: in real time only). The same company's lock
 * still in stays in, unchanged (68); another company's lock still in is locked out at `at` (67). The memory
 * keeps the 255 most recent locks (128).
 */
export function lockIn(locks: readonly VuCompanyLockRecord[], holder: LockHolder, at: number): LockChange {
  const current = lockStillIn(locks);
  if (current && current.company === holder.company) return { ok: true, locks: [...locks] }; // Annex IC 68
  const kept = current ? [...locks.slice(0, -1), { ...current, lockOut: at }] : [...locks]; // Annex IC 67
  kept.push({ lockIn: at, lockOut: null, ...holder });
  return { ok: true, locks: kept.slice(-COMPANY_LOCKS_KEPT) };
}

/** Annex IC 66: only the company whose lock is in can lock out; the lock-out time is `at` (65). */
export function lockOut(locks: readonly VuCompanyLockRecord[], company: string, at: number): LockChange {
  const current = lockStillIn(locks);
  if (!current) return { ok: false, reason: 'no-lock-in', detail: 'no company lock is in' };
  if (current.company !== company) {
    return { ok: false, reason: 'locked-by-another-company', detail: `the lock in is company ${current.company}'s, not ${company}'s (Annex IC 66)` };
  }
  return { ok: true, locks: [...locks.slice(0, -1), { ...current, lockOut: at }] };
}
