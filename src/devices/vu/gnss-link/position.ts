import { parseGsa, parseRmc } from '../../../protocols/nmea/index.ts';
import type { GnssPosition } from './types.ts';

/**
 * App. 1 GeoCoordinates: ±DDMM.M × 10, the RMC's 1/1000 minute rounded to the nearest 1/10 minute (GNS_23),
 * carrying into the degrees.
 */
export function geoCoordinate(degrees: number): number {
  const tenths = Math.round(Math.abs(degrees) * 600);
  const value = Math.floor(tenths / 600) * 1000 + (tenths % 600);
  return degrees < 0 ? -value : value;
}

export type PositionResult = { ok: true; position: GnssPosition } | { ok: false; time: number | null; reason: string };

/**
 * GNS_23 step 5: a position is used only from a valid RMC (status A with latitude and longitude); HDOP is
 * the minimum over the GSA sentences of the systems giving a fix (GNS_5). Choice: a GSA with fix mode 1 or
 * without HDOP is a system that is not available, and is left out of the minimum.
 */
export function readPosition(rmcSentence: string, gsaSentences: readonly string[]): PositionResult {
  let rmc;
  try {
    rmc = parseRmc(rmcSentence);
  } catch (error) {
    return { ok: false, time: null, reason: (error as Error).message };
  }
  if (!rmc.valid || rmc.lat === undefined || rmc.lon === undefined) return { ok: false, time: rmc.time, reason: 'RMC status V' };
  const hdops: number[] = [];
  for (const s of gsaSentences) {
    try {
      const g = parseGsa(s);
      if (g.fixMode !== 1 && g.hdop !== undefined) hdops.push(g.hdop);
    } catch {
      // a sentence that does not parse is a system without data
    }
  }
  return {
    ok: true,
    position: {
      time: rmc.time,
      latitude: geoCoordinate(rmc.lat),
      longitude: geoCoordinate(rmc.lon),
      speedKmh: Math.round((rmc.speedKnots ?? 0) * 1.852 * 10) / 10,
      hdop: hdops.length > 0 ? Math.min(...hdops) : null,
    },
  };
}
