import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import { esc, n } from './svg.ts';
import { WIDTH } from './timeline.ts';

/** A position a VU recorded, in degrees, with when and why (an accumulated-driving record or a place entry). */
export interface RecordedPosition {
  t: number;
  lat: number;
  lon: number;
  what: string;
}

/**
 * App. 1 GeoCoordinates: ±DDMM.M × 10 (53012 is 53°01.2'). Undefined for a value no coordinate holds (the
 * unknown position '7FFFFF'H and anything past the poles or the antimeridian).
 */
export function degreesOf(value: unknown, most: 90 | 180): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
  const abs = Math.abs(value) / 10;
  const deg = Math.trunc(abs / 100) + (abs % 100) / 60;
  if (abs % 100 >= 60 || deg > most) return undefined;
  return value < 0 ? -deg : deg;
}

type Place = { latitude?: unknown; longitude?: unknown; timeStamp?: unknown } | null | undefined;

/**
 * The positions in a VU's records, in time order: its GNSS accumulated driving records (Annex IC 3.12.14, one
 * every 3 h of driving) and the GNSS place of each begin or end of a daily work period (App. 1 GNSSPlaceRecord).
 */
export function recordedPositions(records: readonly DeviceRecord[]): RecordedPosition[] {
  const out: RecordedPosition[] = [];
  const add = (at: number | undefined, place: Place, what: string) => {
    const lat = degreesOf(place?.latitude, 90);
    const lon = degreesOf(place?.longitude, 180);
    const t = typeof place?.timeStamp === 'number' ? place.timeStamp : at;
    if (lat !== undefined && lon !== undefined && t !== undefined) out.push({ t, lat, lon, what });
  };
  for (const r of records) {
    if (r.kind === 'gnssAccumulatedDriving') add(r.at, (r.fields as { place?: Place }).place, 'accumulated driving (3 h)');
    else if (r.kind === 'place') add(r.at, (r.fields as { gnssPlace?: Place }).gnssPlace, `place: ${String((r.fields as { type?: unknown }).type ?? r.code)}`);
  }
  return out.sort((a, b) => a.t - b.t);
}

/**
 * The positions a VU recorded as a track on a plain plate carrée, north up, longitude scaled by the cosine of the
 * mean latitude so a degree looks the same both ways; no map tiles, so it draws offline. Undefined with no position.
 */
export function renderGnssTrack(records: readonly DeviceRecord[], device: string): string | undefined {
  const points = recordedPositions(records);
  if (points.length === 0) return undefined;
  const h = 220;
  const pad = 24;
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const k = Math.cos(((Math.min(...lats) + Math.max(...lats)) / 2) * (Math.PI / 180));
  const spanX = Math.max((Math.max(...lons) - Math.min(...lons)) * k, 1e-3);
  const spanY = Math.max(Math.max(...lats) - Math.min(...lats), 1e-3);
  const unit = Math.min((WIDTH - 2 * pad) / spanX, (h - 2 * pad) / spanY);
  const x = (lon: number) => pad + (lon - Math.min(...lons)) * k * unit;
  const y = (lat: number) => h - pad - (lat - Math.min(...lats)) * unit;
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(x(p.lon))} ${n(y(p.lat))}`).join('');
  const dots = points.map(
    (p) =>
      `<circle class="position" cx="${n(x(p.lon))}" cy="${n(y(p.lat))}" r="4"><title>${esc(`${new Date(p.t).toISOString().slice(0, 19)}Z ${p.lat.toFixed(4)}, ${p.lon.toFixed(4)}: ${p.what}`)}</title></circle>`,
  );
  const corner = `<text class="tick" x="4" y="14">${esc(`${Math.max(...lats).toFixed(3)}°N ${Math.min(...lons).toFixed(3)}°E`)}</text><text class="tick" x="4" y="${h - 6}">${esc(`${Math.min(...lats).toFixed(3)}°N`)}</text>`;
  return `<figure><figcaption>${esc(device)}: GNSS positions as recorded (accumulated driving and places, through the download), north up</figcaption><svg class="chart track" data-device="${esc(device)}" viewBox="0 0 ${WIDTH} ${h}" width="100%" role="img" aria-label="GNSS track">${corner}<path class="recorded" d="${line}"/>${dots.join('')}</svg></figure>`;
}
