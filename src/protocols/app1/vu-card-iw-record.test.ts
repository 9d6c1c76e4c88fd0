import { describe, expect, it } from 'vitest';
import { decodeVuCardIWRecord, encodeVuCardIWRecord, readVuCardIWRecord, type VuCardIWRecord } from './vu-card-iw-record.ts';

const DAY = Date.UTC(2026, 2, 3);
const record: VuCardIWRecord = {
  cardHolderName: { surname: 'PEETERS', firstNames: 'Anna' },
  fullCardNumberAndGeneration: { cardType: 'driver', issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 },
  cardExpiryDate: Date.UTC(2030, 11, 31),
  cardInsertionTime: DAY + 6 * 3_600_000,
  vehicleOdometerValueAtInsertion: 1200,
  cardSlotNumber: 'driver',
  cardWithdrawalTime: DAY + 15 * 3_600_000,
  vehicleOdometerValueAtWithdrawal: 1534,
  previousVehicleInfo: { registrationNation: 0x06, registrationNumber: 'B-OLD-007', cardWithdrawalTime: DAY - 86_400_000, vuGeneration: 2 },
  manualInputFlag: false,
};

describe('App. 1 2.177 VuCardIWRecord', () => {
  it('decodes what it encodes', () => {
    expect(decodeVuCardIWRecord(encodeVuCardIWRecord(record))).toEqual(record);
  });

  it("reads the previous vehicle's VehicleRegistrationNumber in its code page (offset 111), not as Latin-1", () => {
    const bytes = encodeVuCardIWRecord(record);
    // 'СВ1234АК' in ISO/IEC 8859-5 is c1 b2 31 32 33 34 b0 ba (python3 codecs)
    bytes.set([5, 0xc1, 0xb2, 0x31, 0x32, 0x33, 0x34, 0xb0, 0xba, 0x20, 0x20, 0x20, 0x20, 0x20], 111);
    expect(decodeVuCardIWRecord(bytes).previousVehicleInfo?.registrationNumber).toBe('СВ1234АК');
  });

  it('an anonymised record without a card number: refused by the decoder, read with the card null by readVuCardIWRecord', () => {
    const bytes = encodeVuCardIWRecord(record);
    bytes.fill(0, 72, 91);
    expect(() => decodeVuCardIWRecord(bytes)).toThrow('VuCardIWRecord without a card number');
    expect(readVuCardIWRecord(bytes)).toEqual({ ...record, fullCardNumberAndGeneration: null });
  });
});
