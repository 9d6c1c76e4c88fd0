import { z } from 'zod';
import { nationByAlpha } from '../../cards/nations.ts';
import { NO_REGION, REGION_COUNTRY, regionByAlpha } from './regions.ts';

/**
 * What the card holder types in the VU's place dialog (Annex IC 56, 57): begin or end, a country as App. 1
 * NationAlpha, and for Spain optionally a region as RegionAlpha. A real VU offers only its lists, so a code
 * outside them is the scenario's mistake, refused when the scenario is checked, not a VU refusal.
 */
export const placeEntrySchema = z
  .strictObject({
    slot: z.enum(['driver', 'co-driver']),
    type: z.enum(['begin', 'end']),
    country: z.string(),
    region: z.string().optional(),
  })
  .superRefine((entry, ctx) => {
    const nation = nationByAlpha(entry.country);
    if (!nation || nation.numeric === 0) {
      ctx.addIssue({ code: 'custom', path: ['country'], message: `'${entry.country}' is not an App. 1 NationAlpha (e.g. B, D, F, NL, E)` });
      return;
    }
    if (entry.region === undefined) return;
    // Annex IC 57: a region "where applicable": App. 1 lists regions for Spain only
    if (nation.alpha !== REGION_COUNTRY) ctx.addIssue({ code: 'custom', path: ['region'], message: `a region is entered for ${REGION_COUNTRY} (Spain) only, not for ${nation.alpha}` });
    else if (!regionByAlpha(entry.region)) ctx.addIssue({ code: 'custom', path: ['region'], message: `'${entry.region}' is not an App. 1 RegionAlpha of Spain (e.g. M, CAT, AN)` });
  });

export type PlaceEntryArgs = z.output<typeof placeEntrySchema>;

/** The entry as the VU stores it: App. 1 NationNumeric and RegionNumeric. */
export interface PlaceEntry {
  type: 'begin' | 'end';
  country: number;
  region: number;
}

/** NationAlpha / RegionAlpha to their numeric codes; throws on a code the schema would refuse. */
export function placeEntryOf(args: Pick<PlaceEntryArgs, 'type' | 'country' | 'region'>): PlaceEntry {
  const nation = nationByAlpha(args.country);
  if (!nation || nation.numeric === 0) throw new RangeError(`'${args.country}' is not an App. 1 NationAlpha`);
  let region = NO_REGION;
  if (args.region !== undefined) {
    const found = nation.alpha === REGION_COUNTRY ? regionByAlpha(args.region) : undefined;
    if (!found) throw new RangeError(`'${args.region}' is not a RegionAlpha of ${nation.alpha}`);
    region = found.numeric;
  }
  return { type: args.type, country: nation.numeric, region };
}
