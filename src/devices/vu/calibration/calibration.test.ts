import { describe, expect, it } from 'vitest';
import { anna, wendy } from '../../cards/test-cards.ts';
import type { VirtualCard } from '../../cards/card-schema.ts';
import { createCardSlots, insertCard, type CardSlotsState } from '../cards/card-slots.ts';
import { createEventMemory } from '../data-memory/event-store.ts';
import { vuOptionsSchema } from '../vu-options.ts';
import { calibrate, calibrationChangeSchema, initialCalibration } from './calibration.ts';
import { calibrationAccess } from './calibration-access.ts';

const AT = Date.UTC(2026, 2, 2, 8, 0, 0);
const workshop = wendy;
const driver = anna;

function slots(...cards: [slot: 'driver' | 'co-driver', card: VirtualCard][]): CardSlotsState {
  let state = createCardSlots();
  for (const [slot, card] of cards) state = insertCard(state, slot, card, { at: AT, moving: false, odometerKm: 0, events: createEventMemory() }).slots;
  return state;
}

describe('calibration function (Annex IC 119)', () => {
  const current = initialCalibration(vuOptionsSchema.parse({}).calibration);

  it('keeps a VuCalibrationRecord with what changed and what stayed', () => {
    const change = calibrationChangeSchema.parse({ purpose: 'installation', k: 6000, w: 6000, registrationNumber: '1-ABC-234', odometerKm: 120_000 });
    const { parameters, record } = calibrate({ current, change, card: workshop, at: AT / 1000, odometerKm: 1234.9 });
    expect(parameters).toEqual({ ...current, k: 6000, w: 6000, registrationNumber: '1-ABC-234' });
    expect(record).toEqual({
      calibrationPurpose: 0x03,
      workshopName: 'Rig Tachograph Workshop',
      workshopAddress: '2 Calibration Lane, Brussels',
      workshopCardNumber: { cardType: 'workshop', issuingMemberState: 0x06, cardNumber: 'B000000000777000' },
      workshopCardExpiryDate: Date.UTC(2030, 11, 31) / 1000,
      vehicleIdentificationNumber: 'WDB9634031L000001',
      vehicleRegistrationIdentification: { vehicleRegistrationNation: 0x06, vehicleRegistrationNumber: '1-ABC-234' },
      wVehicleCharacteristicConstant: 6000,
      kConstantOfRecordingEquipment: 6000,
      lTyreCircumference: 3200,
      tyreSize: '315/70R22.5',
      authorisedSpeed: 90,
      oldOdometerValue: 1234,
      newOdometerValue: 120_000,
      oldTimeValue: AT / 1000,
      newTimeValue: AT / 1000,
      nextCalibrationDate: Date.UTC(2028, 2, 2) / 1000,
      sealDataVu: [],
      // Annex IC 120 (version 2): the by-default load type in force (the options' goods); no country given, none kept
      byDefaultLoadType: 'goods',
    });
  });

  it('keeps the by-default load type entered and the country it was performed in (Annex IC 120, version 2)', () => {
    const change = calibrationChangeSchema.parse({ byDefaultLoadType: 'passengers' });
    const { parameters, record } = calibrate({ current, change, card: workshop, at: AT / 1000, odometerKm: 0, country: { nation: 13, positionTime: AT / 1000 - 20 } });
    expect(parameters.byDefaultLoadType).toBe('passengers');
    expect([record.byDefaultLoadType, record.calibrationCountry, record.calibrationCountryTimestamp]).toEqual(['passengers', 13, AT / 1000 - 20]);
    expect(() => calibrationChangeSchema.parse({ byDefaultLoadType: 'cattle' })).toThrow();
  });

  it('is a periodic inspection unless told otherwise; the next one two years on, or when the workshop says', () => {
    const leap = Date.UTC(2028, 1, 29, 12, 0, 0) / 1000;
    const { record } = calibrate({ current, change: calibrationChangeSchema.parse({}), card: workshop, at: leap, odometerKm: 0 });
    expect(record.calibrationPurpose).toBe(0x04);
    expect(record.nextCalibrationDate).toBe(Date.UTC(2030, 2, 1) / 1000);
    const told = calibrate({ current, change: calibrationChangeSchema.parse({ nextCalibrationDate: '2027-06-30' }), card: workshop, at: leap, odometerKm: 0 });
    expect(told.record.nextCalibrationDate).toBe(Date.UTC(2027, 5, 30) / 1000);
  });

  it('refuses values App. 1 cannot hold', () => {
    expect(() => calibrationChangeSchema.parse({ k: 70_000 })).toThrow();
    expect(() => calibrationChangeSchema.parse({ authorisedSpeedKmh: 250 })).toThrow();
    expect(() => calibrationChangeSchema.parse({ purpose: 'repair' })).toThrow();
  });
});

describe('who may calibrate (Annex IC 10)', () => {
  it('a valid workshop card in calibration mode, the driver slot first', () => {
    expect(calibrationAccess(slots(['co-driver', workshop]))).toMatchObject({ ok: true, slot: 'co-driver' });
    expect(calibrationAccess(slots(['driver', workshop], ['co-driver', driver]))).toMatchObject({ ok: true, slot: 'driver' });
    const other = { ...workshop, cardNumber: 'B000000000888000' };
    expect(calibrationAccess(slots(['driver', workshop], ['co-driver', other]))).toMatchObject({ ok: true, slot: 'driver', card: { cardNumber: 'B000000000777000' } });
  });

  it('no one else', () => {
    expect(calibrationAccess(slots(['driver', driver]))).toEqual({ ok: false, reason: 'not-in-calibration-mode', detail: 'the VU is in operational mode: calibration needs a valid workshop card inserted' });
    const expired = { ...workshop, validity: { begin: '2020-01-01', expiry: '2025-12-31' } };
    expect(calibrationAccess(slots(['driver', expired]))).toMatchObject({ ok: false, reason: 'not-in-calibration-mode' });
  });
});
