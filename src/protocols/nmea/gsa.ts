import { decimalField, frameSentence, NmeaError, parseSentence } from './sentence.ts';

/** App. 12 GNS_5 (NMEA 4.11 GSA): selection mode, fix mode, up to 12 satellites, PDOP, HDOP, VDOP, system ID. */
export interface Gsa {
  talker: string;
  selection: 'A' | 'M';
  /** 1 no fix, 2 2D, 3 3D. */
  fixMode: 1 | 2 | 3;
  satellites: number[];
  /** Absent when the system gives no fix. */
  pdop?: number;
  hdop?: number;
  vdop?: number;
  /** NMEA 4.11 system ID: 1 GPS (and SBAS), 2 GLONASS, 3 Galileo, 4 BeiDou. */
  systemId: number;
}

export function formatGsa(g: Gsa): string {
  if (g.satellites.length > 12) throw new RangeError(`a GSA sentence names at most 12 satellites, got ${g.satellites.length}`);
  const sats = Array.from({ length: 12 }, (_, i) => (g.satellites[i] === undefined ? '' : String(g.satellites[i]).padStart(2, '0')));
  const dop = (v: number | undefined) => (v === undefined ? '' : v.toFixed(1));
  return frameSentence(g.talker, 'GSA', [g.selection, String(g.fixMode), ...sats, dop(g.pdop), dop(g.hdop), dop(g.vdop), g.systemId.toString(16).toUpperCase()]);
}

/** NMEA 4.11 GSA: a DOP is written 0.5..99.9 (99.99 where a receiver gives two decimals); more is no reading. */
const MAX_DOP = 99.99;

/**
 * Reads a GSA sentence (GNS_5), refusing with an NmeaError a field out of its format or range: selection
 * other than A or M, fix mode other than 1..3, a satellite id that is not a number of 1..999, a DOP that is
 * not a plain decimal of 0..99.99 (`NaN` would poison the VU's minimum HDOP), a system ID that is not hex.
 */
export function parseGsa(sentence: string): Gsa {
  const { talker, type, fields: f } = parseSentence(sentence);
  if (type !== 'GSA') throw new NmeaError(`not a GSA sentence: ${type}`);
  if (f.length < 17) throw new NmeaError(`GSA has at least 17 fields, got ${f.length}`);
  if (f[0] !== 'A' && f[0] !== 'M') throw new NmeaError(`GSA selection mode '${f[0]}' is not A or M`);
  if (!/^[123]$/.test(f[1]!)) throw new NmeaError(`GSA fix mode '${f[1]}' is not 1, 2 or 3`);
  const satellites = f.slice(2, 14).filter((s) => s !== '').map((s) => decimalField(s, 'GSA satellite ID', 1, 999));
  if (satellites.some((n) => !Number.isInteger(n))) throw new NmeaError('GSA satellite IDs are whole numbers');
  if (f[17] && !/^[0-9A-F]$/.test(f[17])) throw new NmeaError(`GSA system ID '${f[17]}' is not a hex digit`);
  const out: Gsa = {
    talker,
    selection: f[0],
    fixMode: Number(f[1]) as Gsa['fixMode'],
    satellites,
    systemId: f[17] ? parseInt(f[17], 16) : 1,
  };
  for (const [k, i] of [['pdop', 14], ['hdop', 15], ['vdop', 16]] as const) {
    if (f[i]) out[k] = decimalField(f[i], `GSA ${k.toUpperCase()}`, 0, MAX_DOP);
  }
  return out;
}
