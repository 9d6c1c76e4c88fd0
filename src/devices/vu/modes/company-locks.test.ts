import { describe, expect, it } from 'vitest';
import { COMPANY_LOCKS_KEPT, companyMayReadAt, lockIn, lockOut, type CompanyLock, type LockHolder, type VuCompanyLockRecord } from './company-locks.ts';

const H = 3_600_000;
const T = Date.parse('2026-03-02T00:00:00Z');

const locks: CompanyLock[] = [
  { lockIn: T + 2 * H, lockOut: T + 4 * H, company: 'D123456789012' }, // us
  { lockIn: T + 4 * H, lockOut: T + 6 * H, company: 'F999999999999' }, // another company
  { lockIn: T + 10 * H, lockOut: null, company: 'F999999999999' }, // still in
];

describe('company locks as read rights (Annex IC 13, 63-68)', () => {
  it('answers for one instant, lock-out excluded', () => {
    expect(companyMayReadAt(locks, 'D123456789012', T + 3 * H)).toBe(true);
    expect(companyMayReadAt(locks, 'D123456789012', T + 4 * H)).toBe(false);
    expect(companyMayReadAt(locks, 'D123456789012', T + 6 * H)).toBe(true);
    expect(companyMayReadAt(locks, 'D123456789012', T + 100 * H)).toBe(false);
    // The other company: barred from the first one's lock, free in its own and where no lock is
    expect(companyMayReadAt(locks, 'F999999999999', T + 2 * H)).toBe(false);
    expect(companyMayReadAt(locks, 'F999999999999', T + 5 * H)).toBe(true);
    expect(companyMayReadAt(locks, 'F999999999999', T + H)).toBe(true);
    expect(companyMayReadAt(locks, 'F999999999999', T + 100 * H)).toBe(true);
  });
});

describe('locking in and out (Annex IC 63-68, 128)', () => {
  const card = (cardNumber: string) => ({ cardType: 'company' as const, issuingMemberState: 0x0d, cardNumber, generation: 2 as const });
  const us: LockHolder = { company: 'D123456789012', companyCard: card('D123456789012' + '000'), companyName: 'Spedition A', companyAddress: 'Hafen 1' };
  const them: LockHolder = { company: 'F999999999999', companyCard: card('F999999999999' + '000'), companyName: 'Transports B', companyAddress: '' };

  it('locks in, and out by the same company', () => {
    const a = lockIn([], us, T);
    expect(a).toEqual({ ok: true, locks: [{ lockIn: T, lockOut: null, ...us }] });
    expect(lockOut(a.ok ? a.locks : [], us.company, T + H)).toEqual({ ok: true, locks: [{ lockIn: T, lockOut: T + H, ...us }] });
  });

  it('refuses a lock-out by another company, or with no lock in (66)', () => {
    const a = lockIn([], us, T);
    expect(lockOut(a.ok ? a.locks : [], them.company, T + H)).toMatchObject({ ok: false, reason: 'locked-by-another-company' });
    expect(lockOut([], us.company, T)).toMatchObject({ ok: false, reason: 'no-lock-in' });
    expect(lockOut([{ lockIn: T, lockOut: T + H, ...us }], us.company, T + 2 * H)).toMatchObject({ ok: false, reason: 'no-lock-in' });
  });

  it("locks the other company's lock out when a company locks in (67)", () => {
    const a = lockIn([], us, T);
    expect(lockIn(a.ok ? a.locks : [], them, T + H)).toEqual({
      ok: true,
      locks: [
        { lockIn: T, lockOut: T + H, ...us },
        { lockIn: T + H, lockOut: null, ...them },
      ],
    });
  });

  it('keeps the lock in when the same company locks in again (68)', () => {
    const a = lockIn([], us, T);
    expect(lockIn(a.ok ? a.locks : [], us, T + H)).toEqual({ ok: true, locks: [{ lockIn: T, lockOut: null, ...us }] });
  });

  it('keeps the 255 most recent locks; a dropped lock no longer locks (128)', () => {
    let locks: VuCompanyLockRecord[] = [];
    for (let i = 0; i < 256; i++) {
      const r = lockIn(locks, i % 2 === 0 ? them : us, T + i * H);
      if (r.ok) locks = r.locks;
    }
    expect(locks).toHaveLength(COMPANY_LOCKS_KEPT);
    expect(locks[0]!.lockIn).toBe(T + H);
    // the first lock (them, T .. T + 1 h) is gone: we may read that hour again
    expect(companyMayReadAt(locks, us.company, T + 1000)).toBe(true);
    expect(companyMayReadAt(locks, us.company, T + 2 * H + 1000)).toBe(false);
  });
});
