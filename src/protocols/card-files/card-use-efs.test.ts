import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/bytes.ts';
import { encodeWorkshopCardApplicationIdentification } from './card-holder-records.ts';
import { FID } from './card-file-ids.ts';
import { emptyUseEf, USE_EFS, useApplicationOf, useEfSizes } from './card-use-efs.ts';

const sizesOf = (g: 1 | 2) => {
  const app = useApplicationOf(encodeWorkshopCardApplicationIdentification(g), g, 'workshop');
  const sizes = useEfSizes(app, 'workshop');
  return Object.fromEntries(USE_EFS[g].map((fid) => [fid.toString(16).toUpperCase(), sizes.get(fid)]));
};

describe("a workshop card's use EFs, as a driver card's (App. 2 TCS_158, TCS_162 sizes at the TCS_159, TCS_163 counts)", () => {
  it('generation 1: events 432, faults 288, activity 202, vehicles 126, places 61, specific conditions 10 (2 records, no pointer)', () => {
    expect(sizesOf(1)).toEqual({ '502': 432, '503': 288, '504': 202, '505': 126, '506': 61, '522': 10 });
  });

  it('generation 2: events 792, faults 288, activity 496, vehicles 386, places 170, specific conditions 22, VUs used 82, GNSS places 434', () => {
    expect(sizesOf(2)).toEqual({ '502': 792, '503': 288, '504': 496, '505': 386, '506': 170, '522': 22, '523': 82, '524': 434 });
  });

  it('reads the counts after noOfCalibrationRecords in a gen2 WorkshopCardApplicationIdentification', () => {
    const app = useApplicationOf(encodeWorkshopCardApplicationIdentification(2), 2, 'workshop');
    expect(app).toMatchObject({ noOfEventsPerType: 3, noOfFaultsPerType: 6, activityStructureLength: 492, noOfCardVehicleRecords: 8, noOfCardPlaceRecords: 8, noOfGnssAdRecords: 24, noOfSpecificConditionRecords: 4, noOfCardVehicleUnitRecords: 8 });
    expect(() => useApplicationOf(new Uint8Array(19), 2, 'workshop')).toThrow(/not a workshop card's EF Application_Identification/);
  });

  it('personalised empty: App. 2 defaults (an event record: zeros, then the VRN code page 00 and 13 spaces)', () => {
    const app = useApplicationOf(encodeWorkshopCardApplicationIdentification(2), 2, 'workshop');
    expect(toHex(emptyUseEf(FID.EVENTS_DATA, app, 'workshop').subarray(0, 24))).toBe('00'.repeat(11) + '20'.repeat(13));
    expect(toHex(emptyUseEf(FID.SPECIFIC_CONDITIONS, app, 'workshop'))).toBe('00'.repeat(22));
  });
});
