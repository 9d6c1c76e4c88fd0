import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import { toHex } from '../../../crypto/bytes.ts';
import { nationByNumeric } from '../../cards/nations.ts';
import { entryKindOf } from './entry-type.ts';
import type { PlaceRefusal, VuPlace } from './places.ts';
import { NO_REGION, regionByNumeric } from './regions.ts';

/**
 * A place as scenarios see it, the same whether read from a download (TREP 22) or in-process: `code` is the
 * EntryTypeDailyWorkPeriod, `at` the entry time; the country and region as the card holder typed them
 * (NationAlpha, RegionAlpha; '' for no region) with their numeric codes, the odometer, the GNSS place
 * (App. 1 GNSSPlaceRecord: time stamp in ms, GeoCoordinates ±DDMM.M × 10) and the card.
 */
export function placeRecord(p: VuPlace): DeviceRecord {
  return {
    kind: 'place',
    code: p.entryType,
    at: p.entryTime,
    fields: {
      type: entryKindOf(p.entryType),
      card: p.card,
      country: nationByNumeric(p.country)?.alpha ?? codeOf(p.country),
      countryCode: p.country,
      region: p.region === NO_REGION ? '' : (regionByNumeric(p.region)?.alpha ?? codeOf(p.region)),
      regionCode: p.region,
      odometerKm: p.odometerKm,
      gnssPlace: { ...p.place },
    },
  };
}

export function placeRecords(places: readonly VuPlace[]): DeviceRecord[] {
  return places.map(placeRecord);
}

/** The VU's refusals of place entries (in-process: no download carries them); `code` is the reason. */
export function placeRefusalRecords(refusals: readonly PlaceRefusal[]): DeviceRecord[] {
  return refusals.map((r) => ({ kind: 'placeRefused', code: r.reason, at: r.at, fields: { ...r } }));
}

/** A code outside the lists, as '0x..' so it cannot be mistaken for an alpha code. */
function codeOf(n: number): string {
  return `0x${toHex(Uint8Array.of(n))}`;
}
