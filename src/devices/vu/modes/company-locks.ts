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

/** A half-open period [from, to), ms. */
export interface Period {
  from: number;
  to: number;
}

/**
 * Annex IC 13: the parts of `period` whose driver related data `company` may read: where no lock exists or
 * where the lock is its own. Sorted, disjoint, non-empty.
 */
export function companyReadablePeriods(locks: readonly CompanyLock[], company: string, period: Period): Period[] {
  const barred = locks
    .filter((lock) => lock.company !== company)
    .map((lock) => ({ from: lock.lockIn, to: lock.lockOut ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.from - b.from);
  const readable: Period[] = [];
  let cursor = period.from;
  for (const bar of barred) {
    if (bar.to <= cursor) continue;
    if (bar.from >= period.to) break;
    if (bar.from > cursor) readable.push({ from: cursor, to: Math.min(bar.from, period.to) });
    cursor = Math.max(cursor, bar.to);
    if (cursor >= period.to) break;
  }
  if (cursor < period.to) readable.push({ from: cursor, to: period.to });
  return readable;
}

/** Annex IC 13: whether `company` may read driver related data stamped `at`. */
export function companyMayReadAt(locks: readonly CompanyLock[], company: string, at: number): boolean {
  return !locks.some((lock) => lock.company !== company && lock.lockIn <= at && (lock.lockOut === null || at < lock.lockOut));
}
