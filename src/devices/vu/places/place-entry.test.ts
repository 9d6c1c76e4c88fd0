import { describe, expect, it } from 'vitest';
import { placeEntryOf, placeEntrySchema } from './place-entry.ts';
import { REGIONS, regionByAlpha, regionByNumeric } from './regions.ts';

describe('the place a card holder types (Annex IC 57, App. 1 NationAlpha / RegionAlpha)', () => {
  it('takes a country, and a region for Spain only', () => {
    expect(placeEntrySchema.parse({ slot: 'driver', type: 'begin', country: 'B' })).toEqual({ slot: 'driver', type: 'begin', country: 'B' });
    expect(placeEntrySchema.parse({ slot: 'co-driver', type: 'end', country: 'E', region: 'CAT' })).toEqual({ slot: 'co-driver', type: 'end', country: 'E', region: 'CAT' });
  });

  it('refuses what the VU would not offer, naming the field', () => {
    const issues = (args: unknown) => {
      const r = placeEntrySchema.safeParse(args);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ slot: 'driver', type: 'begin', country: 'XX' })).toEqual(["country: 'XX' is not an App. 1 NationAlpha (e.g. B, D, F, NL, E)"]);
    expect(issues({ slot: 'driver', type: 'begin', country: '' })).toEqual(["country: '' is not an App. 1 NationAlpha (e.g. B, D, F, NL, E)"]);
    expect(issues({ slot: 'driver', type: 'begin', country: 'F', region: 'M' })).toEqual(['region: a region is entered for E (Spain) only, not for F']);
    expect(issues({ slot: 'driver', type: 'begin', country: 'E', region: 'ZZ' })).toEqual(["region: 'ZZ' is not an App. 1 RegionAlpha of Spain (e.g. M, CAT, AN)"]);
    expect(issues({ slot: 'driver', type: 'start', country: 'B' })).toHaveLength(1);
    expect(issues({ slot: 'driver', type: 'begin', country: 'B', time: '06:00' })).toHaveLength(1);
  });

  it('stores NationNumeric and RegionNumeric (App. 1 2.101, 2.122)', () => {
    expect(placeEntryOf({ type: 'begin', country: 'B' })).toEqual({ type: 'begin', country: 0x06, region: 0x00 });
    expect(placeEntryOf({ type: 'end', country: 'NL' })).toEqual({ type: 'end', country: 0x26, region: 0x00 });
    expect(placeEntryOf({ type: 'end', country: 'D' })).toEqual({ type: 'end', country: 0x0d, region: 0x00 });
    expect(placeEntryOf({ type: 'begin', country: 'E', region: 'PV' })).toEqual({ type: 'begin', country: 0x0f, region: 0x11 });
    expect(placeEntryOf({ type: 'begin', country: 'E' })).toEqual({ type: 'begin', country: 0x0f, region: 0x00 });
    expect(() => placeEntryOf({ type: 'begin', country: 'B', region: 'M' })).toThrow("'M' is not a RegionAlpha of B");
  });

  it("lists Spain's 17 regions, 01..11H in the order App. 1 prints them", () => {
    expect(REGIONS.map((r) => r.alpha)).toEqual(['AN', 'AR', 'AST', 'C', 'CAT', 'CL', 'CM', 'CV', 'EXT', 'G', 'IB', 'IC', 'LR', 'M', 'MU', 'NA', 'PV']);
    expect(REGIONS.map((r) => r.numeric)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(regionByAlpha('cat')?.name).toBe('Cataluña');
    expect(regionByNumeric(0x0e)?.alpha).toBe('M');
    expect(regionByNumeric(0x00)).toBeUndefined();
  });
});
