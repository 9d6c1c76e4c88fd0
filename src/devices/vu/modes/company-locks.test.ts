import { describe, expect, it } from 'vitest';
import { companyMayReadAt, companyReadablePeriods, type CompanyLock } from './company-locks.ts';

const H = 3_600_000;
const T = Date.parse('2026-03-02T00:00:00Z');

const locks: CompanyLock[] = [
  { lockIn: T + 2 * H, lockOut: T + 4 * H, company: 'D123456789012' }, // us
  { lockIn: T + 4 * H, lockOut: T + 6 * H, company: 'F999999999999' }, // another company
  { lockIn: T + 10 * H, lockOut: null, company: 'F999999999999' }, // still in
];

describe('company locks as read rights (Annex IC 13, 63-68)', () => {
  it('lets a company read unlocked periods and its own locks, not another company\'s', () => {
    expect(companyReadablePeriods(locks, 'D123456789012', { from: T, to: T + 12 * H })).toEqual([
      { from: T, to: T + 4 * H },
      { from: T + 6 * H, to: T + 10 * H },
    ]);
  });

  it('gives the other company everything but the first company\'s lock', () => {
    expect(companyReadablePeriods(locks, 'F999999999999', { from: T, to: T + 12 * H })).toEqual([
      { from: T, to: T + 2 * H },
      { from: T + 4 * H, to: T + 12 * H },
    ]);
  });

  it('gives nothing when the whole period is under another company\'s lock', () => {
    expect(companyReadablePeriods(locks, 'D123456789012', { from: T + 11 * H, to: T + 12 * H })).toEqual([]);
  });

  it('answers for one instant, lock-out excluded', () => {
    expect(companyMayReadAt(locks, 'D123456789012', T + 3 * H)).toBe(true);
    expect(companyMayReadAt(locks, 'D123456789012', T + 4 * H)).toBe(false);
    expect(companyMayReadAt(locks, 'D123456789012', T + 6 * H)).toBe(true);
    expect(companyMayReadAt(locks, 'D123456789012', T + 100 * H)).toBe(false);
  });
});
