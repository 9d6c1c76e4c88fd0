import { describe, expect, it } from 'vitest';
import { cardIWRecordAtInsertion, closeCardIWRecord } from './card-iw-record.ts';
import { decodeVuCardIWRecord, encodeVuCardIWRecord, VU_CARD_IW_RECORD_SIZE } from '../../protocols/app1/vu-card-iw-record.ts';
import { cardSchema } from './card-schema.ts';
import { max } from './test-cards.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const driver = max;

describe('VuCardIWRecord (App. 1 2.177, generation 2)', () => {
  const inserted = cardIWRecordAtInsertion(driver, {
    slot: 'co-driver',
    at: Date.UTC(2026, 0, 1, 8, 0, 0),
    odometerKm: 123_456,
    previousVehicle: { registrationNation: 0x06, registrationNumber: '1-ABC-123', cardWithdrawalTime: Date.UTC(2025, 11, 31, 18, 0, 0), vuGeneration: 2 },
    manualInput: true,
  });
  const closed = closeCardIWRecord(inserted, { at: Date.UTC(2026, 0, 1, 17, 30, 0), odometerKm: 123_987 });

  it('encodes every field at its App. 1 offset, 131 bytes', () => {
    const bytes = encodeVuCardIWRecord(closed);
    expect(bytes.length).toBe(VU_CARD_IW_RECORD_SIZE);
    expect(hex(bytes)).toBe(
      // cardHolderName: surname, first names (Name = code page 1 + 35 bytes)
      '01' + '4d55535445524d414e4e' + '20'.repeat(25) +
      '01' + '4d6178' + '20'.repeat(32) +
      // fullCardNumberAndGeneration
      '010d' + '44463030303031323334353637383031' + '02' +
      // cardExpiryDate 2029-02-28T00:00Z, cardInsertionTime 2026-01-01T08:00Z, odometer 123 456 km
      '6f471c00' + '69562980' + '01e240' +
      // cardSlotNumber co-driver
      '01' +
      // cardWithdrawalTime 2026-01-01T17:30Z, odometer 123 987 km
      '6956af18' + '01e453' +
      // previousVehicleInfo: B (06), code page 1, '1-ABC-123' padded to 13, withdrawal 2025-12-31T18:00Z, VU gen 2
      '06' + '01' + '312d4142432d313233' + '20202020' + '695564a0' + '02' +
      // manualInputFlag: manualEntries
      '01',
    );
  });

  it('writes an open cycle and a card without a previous vehicle with zeros and App. 2 defaults', () => {
    const fresh = cardIWRecordAtInsertion(driver, { slot: 'driver', at: Date.UTC(2026, 0, 1, 8), odometerKm: 0 });
    const bytes = encodeVuCardIWRecord(fresh);
    expect(hex(bytes.subarray(102, 131))).toBe('00' + '00000000' + '000000' + '00' + '00' + '20'.repeat(13) + '00000000' + '00' + '00');
    expect(decodeVuCardIWRecord(bytes)).toEqual(fresh);
  });

  it('decodes what it encodes', () => {
    expect(decodeVuCardIWRecord(encodeVuCardIWRecord(closed))).toEqual(closed);
  });

  it('is only opened for driver and workshop cards (Annex IC 102)', () => {
    const control = cardSchema.parse({
      type: 'control',
      issuingMemberState: 'NL',
      cardNumber: 'NL00000000042A01',
      controlBodyName: 'ILT',
      holder: { surname: 'DE VRIES', firstNames: 'Anna' },
      validity: { begin: '2025-01-01', expiry: '2026-12-31' },
    });
    expect(() => cardIWRecordAtInsertion(control, { slot: 'driver', at: 0, odometerKm: 0 })).toThrow('not a control card');
  });
});
