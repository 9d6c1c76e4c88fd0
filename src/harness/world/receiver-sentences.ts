import { CONSTELLATIONS, type ConstellationId, type SkyView } from './gnss-sky.ts';
import type { World } from './world.ts';
import { formatGsa, formatRmc, knotsFromKmh, type ReceiverSentences } from '../../protocols/nmea/index.ts';

// The world (harness) speaks NMEA through the codecs (protocols): kept here so a codec never imports the harness.
/** NMEA talker and 4.11 system ID per constellation. SBAS has no system ID of its own: NMEA numbers its satellites 33-64 under GPS. */
const SYSTEMS: Record<ConstellationId, { talker: string; systemId: number }> = {
  gps: { talker: 'GP', systemId: 1 },
  glonass: { talker: 'GL', systemId: 2 },
  galileo: { talker: 'GA', systemId: 3 },
  beidou: { talker: 'GB', systemId: 4 },
  sbas: { talker: 'GP', systemId: 1 },
};

/**
 * What a GNSS receiver reports at rig time t, from the world: the vehicle's position, speed and heading when the
 * sky gives a fix, else status V with the receiver's time kept (it still has a clock). Talker GN for the combined
 * RMC, as multi-constellation receivers do.
 */
export function sentencesFromWorld(world: World, t: number): ReceiverSentences {
  const sky = world.gnss.viewAt(t);
  const sbas = sky.fix && sky.constellations.sbas.satellites.length > 0;
  const p = world.vehicle.positionAt(t);
  const rmc = formatRmc({
    talker: 'GN',
    time: world.gnss.timeAt(t),
    valid: sky.fix,
    ...(sky.fix ? { lat: p.lat, lon: p.lon, speedKnots: knotsFromKmh(world.vehicle.speedAt(t)), courseDegrees: world.vehicle.headingAt(t) } : {}),
    mode: !sky.fix ? 'N' : sbas ? 'D' : 'A',
    navStatus: sky.fix ? 'S' : 'V',
  });
  const gsa = gsaOf(sky);
  return { at: t, rmc, gsa };
}

/**
 * The five GSA sentences of a sky view: they hold no time, so they change only with the sky. Issue 18: made
 * once per view (the sky shares one view per state, gnss-sky.ts), not at every second's reading.
 */
const gsaByView = new WeakMap<SkyView, string[]>();

function gsaOf(sky: SkyView): string[] {
  const cached = gsaByView.get(sky);
  if (cached) return [...cached];
  const gsa = CONSTELLATIONS.map((id) => {
    const c = sky.constellations[id];
    const used = sky.fix && c.satellites.length > 0;
    return formatGsa({
      talker: SYSTEMS[id].talker,
      selection: 'A',
      fixMode: used ? 3 : 1,
      satellites: used ? c.satellites : [],
      ...(used ? { pdop: c.pdop, hdop: c.hdop, vdop: c.vdop } : {}),
      systemId: SYSTEMS[id].systemId,
    });
  });
  gsaByView.set(sky, gsa);
  return [...gsa];
}
