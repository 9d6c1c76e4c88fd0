import { frameSentence, parseSentence } from './sentence.ts';

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

export function parseGsa(sentence: string): Gsa {
  const { talker, type, fields: f } = parseSentence(sentence);
  if (type !== 'GSA') throw new SyntaxError(`not a GSA sentence: ${type}`);
  if (f.length < 17) throw new SyntaxError(`GSA has at least 17 fields, got ${f.length}`);
  const num = (s: string | undefined) => (s ? Number(s) : undefined);
  const out: Gsa = {
    talker,
    selection: f[0] === 'M' ? 'M' : 'A',
    fixMode: Number(f[1]) as Gsa['fixMode'],
    satellites: f.slice(2, 14).filter((s) => s !== '').map(Number),
    systemId: f[17] ? parseInt(f[17], 16) : 1,
  };
  for (const [k, i] of [['pdop', 14], ['hdop', 15], ['vdop', 16]] as const) {
    const v = num(f[i]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
