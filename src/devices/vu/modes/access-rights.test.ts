import { describe, expect, it } from 'vitest';
import { blankCardNumber, blankHolderName, canRead, isFunctionAvailable, recentDaysPeriod, type Slots } from './access-rights.ts';

const DRIVER = { type: 'driver', cardNumber: 'DF00001234567801' } as const;
const DRIVER_2 = { type: 'driver', cardNumber: 'DF00009876543200' } as const;
const CONTROL = { type: 'control', cardNumber: 'NL00000000042A01' } as const;
const WORKSHOP = { type: 'workshop', cardNumber: 'D1234567890120' + '00' } as const;
const COMPANY = { type: 'company', cardNumber: 'D555555555555' + '0' + '00' } as const;
const COMPANY_2 = { type: 'company', cardNumber: 'F999999999999' + '0' + '00' } as const;

const slots = (driver: Slots['driver'], coDriver: Slots['coDriver'] = null): Slots => ({ driver, coDriver });
const download = { channel: 'download' } as const;
const printer = { channel: 'printer' } as const;

describe('functions bound to a mode (Annex IC 12)', () => {
  it.each([
    ['calibration', 'calibration'],
    ['roadsideCalibrationCheck', 'control'],
    ['companyLocksManagement', 'company'],
    ['controlActivityMonitoring', 'control'],
  ] as const)('%s only in %s mode', (fn, only) => {
    for (const mode of ['operational', 'control', 'calibration', 'company'] as const) {
      expect(isFunctionAvailable(mode, fn)).toBe(mode === only);
    }
  });
});

describe('download rights (Annex IC 12, 193)', () => {
  it('refuses VU data in operational mode', () => {
    expect(canRead(slots(DRIVER), 'activities', download)).toEqual({
      allowed: false,
      mode: 'operational',
      reason: 'downloading is not accessible in operational mode',
      requirement: 'Annex IC 12',
    });
    expect(canRead(slots(null), 'overview', download).allowed).toBe(false);
  });

  it('lets a driver card be downloaded in operational mode when no other card type is inserted (Annex IC 12 b)', () => {
    expect(canRead(slots(DRIVER, DRIVER_2), 'driverCard', download)).toEqual({ allowed: true, mode: 'operational', restrictions: [] });
    // control + workshop is operational (a conflict) but holds other card types
    expect(canRead(slots(CONTROL, WORKSHOP), 'driverCard', download).allowed).toBe(false);
  });

  it('gives control and calibration modes everything, unrestricted', () => {
    expect(canRead(slots(CONTROL, DRIVER), 'activities', download)).toEqual({ allowed: true, mode: 'control', restrictions: [] });
    expect(canRead(slots(WORKSHOP), 'technicalData', download)).toEqual({ allowed: true, mode: 'calibration', restrictions: [] });
  });

  it('limits a company to unlocked or own-lock periods for driver related data only', () => {
    expect(canRead(slots(DRIVER, COMPANY), 'activities', download)).toEqual({
      allowed: true,
      mode: 'company',
      restrictions: [{ kind: 'company-lock-periods', company: 'D555555555555', requirement: 'Annex IC 13' }],
    });
    expect(canRead(slots(COMPANY), 'eventsAndFaults', download)).toEqual({ allowed: true, mode: 'company', restrictions: [] });
  });

  it('with two company cards, uses the one in the driver slot (Annex IC 10 footnote)', () => {
    expect(canRead(slots(COMPANY_2, COMPANY), 'activities', download)).toMatchObject({
      restrictions: [{ kind: 'company-lock-periods', company: 'F999999999999' }],
    });
  });

  // Mutation testing: which slot the company card is read from, whatever holds the other slot
  it('reads the company from the company card, in either slot', () => {
    const company = (s: Slots) => canRead(s, 'activities', download);
    expect(company(slots(COMPANY))).toEqual({ allowed: true, mode: 'company', restrictions: [{ kind: 'company-lock-periods', company: 'D555555555555', requirement: 'Annex IC 13' }] });
    expect(company(slots(COMPANY, DRIVER))).toMatchObject({ restrictions: [{ kind: 'company-lock-periods', company: 'D555555555555' }] });
    expect(company(slots(null, COMPANY_2))).toMatchObject({ restrictions: [{ kind: 'company-lock-periods', company: 'F999999999999' }] });
  });

  it('serves a remotely authenticated company in any mode with company rights (Annex IC 193)', () => {
    expect(canRead(slots(DRIVER), 'activities', { channel: 'remote-download', company: 'F999999999999' })).toEqual({
      allowed: true,
      mode: 'operational',
      restrictions: [{ kind: 'company-lock-periods', company: 'F999999999999', requirement: 'Annex IC 13' }],
    });
    // Data that is not driver related carries no lock periods, remotely as at the IDE
    expect(canRead(slots(DRIVER), 'technicalData', { channel: 'remote-download', company: 'F999999999999' })).toEqual({ allowed: true, mode: 'operational', restrictions: [] });
    expect(canRead(slots(null), 'activities', { channel: 'remote-download' })).toEqual({
      allowed: false,
      mode: 'operational',
      reason: 'no company is authenticated on the remote channel',
      requirement: 'Annex IC 193',
    });
  });
});

describe('output restrictions on display and printer (Annex IC 13)', () => {
  it('blanks other holders in operational mode, and keeps 9 days of driver data with no card', () => {
    expect(canRead(slots(DRIVER), 'activities', printer)).toEqual({
      allowed: true,
      mode: 'operational',
      restrictions: [{ kind: 'blank-other-cards', requirement: 'Annex IC 13' }],
    });
    expect(canRead(slots(null), 'activities', { channel: 'display' })).toEqual({
      allowed: true,
      mode: 'operational',
      restrictions: [
        { kind: 'blank-other-cards', requirement: 'Annex IC 13' },
        { kind: 'recent-days', days: 9, requirement: 'Annex IC 13' },
      ],
    });
    expect(canRead(slots(null), 'technicalData', printer)).toEqual({
      allowed: true,
      mode: 'operational',
      restrictions: [{ kind: 'blank-other-cards', requirement: 'Annex IC 13' }],
    });
  });

  it('keeps every day of driver data while a card is in either slot (the 9 days are for no card at all)', () => {
    const onlyBlanking = { allowed: true, mode: 'operational', restrictions: [{ kind: 'blank-other-cards', requirement: 'Annex IC 13' }] };
    expect(canRead(slots(null, DRIVER), 'activities', printer)).toEqual(onlyBlanking);
    expect(canRead(slots(DRIVER, null), 'activities', printer)).toEqual(onlyBlanking);
  });

  it('restricts nothing on the printer in control mode', () => {
    expect(canRead(slots(null, CONTROL), 'activities', printer)).toEqual({ allowed: true, mode: 'control', restrictions: [] });
  });

  it('gives the 9-day window from 00:00 UTC eight days back', () => {
    const now = Date.parse('2026-03-10T15:20:00Z');
    expect(recentDaysPeriod(now)).toEqual({ from: Date.parse('2026-03-02T00:00:00Z'), to: now });
  });

  it('blanks every odd character of a card number, left to right, and a whole name', () => {
    expect(blankCardNumber('DF00001234567801')).toBe(' F 0 0 2 4 6 8 1');
    expect(blankHolderName()).toEqual({ surname: '', firstNames: '' });
  });
});
