import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/bytes.ts';
import { decodeCardCurrentUse, encodeCardCurrentUse, NO_SESSION } from './card-current-use.ts';
import { emptyDriverCardEf, FID } from './index.ts';

/** A gen2 driver card's EF Application_Identification (TCS_155 counts): what the EF's default content is sized by. */
const G2_DRIVER = {
  generation: 2,
  typeOfTachographCardId: 1,
  cardStructureVersion: '0100',
  noOfEventsPerType: 12,
  noOfFaultsPerType: 24,
  activityStructureLength: 13_776,
  noOfCardVehicleRecords: 200,
  noOfCardPlaceRecords: 112,
  noOfGnssAdRecords: 336,
  noOfSpecificConditionRecords: 112,
  noOfCardVehicleUnitRecords: 200,
} as const;

describe('CardCurrentUse (App. 1 2.16, EF Current_Usage)', () => {
  it('codes the session open time, the vehicle nation and its VRN in code page 1', () => {
    const bytes = encodeCardCurrentUse({ sessionOpenTime: Date.UTC(2026, 2, 2, 8), vehicleRegistrationNation: 0x06, vehicleRegistrationNumber: '1-ABC-123' });
    // 2026-03-02T08:00:00Z = 1772438400 s = 69A54380
    expect(toHex(bytes)).toBe('69a54380' + '06' + '01' + '312d4142432d313233' + '20202020');
    expect(decodeCardCurrentUse(bytes)).toEqual({ sessionOpenTime: Date.UTC(2026, 2, 2, 8), vehicleRegistrationNation: 6, vehicleRegistrationNumber: '1-ABC-123' });
  });

  it("no session is App. 2's default content", () => {
    expect(toHex(encodeCardCurrentUse(NO_SESSION))).toBe('00000000' + '00' + '00' + '20'.repeat(13));
    expect(toHex(encodeCardCurrentUse(NO_SESSION))).toBe(toHex(emptyDriverCardEf(FID.CURRENT_USAGE, G2_DRIVER)));
    expect(() => decodeCardCurrentUse(new Uint8Array(18))).toThrow('CardCurrentUse is 19 bytes, got 18');
  });
});
