/**
 * App. 1 2.121 `RegionAlpha` and 2.122 `RegionNumeric`: the regions a place may name, Spain's only (Annex IC
 * 57: "the country and, in addition where applicable, the region"). Generation 2 leaves the list to the
 * interoperability laboratory; this is the generation 1 list the data dictionary prints, which the
 * laboratory's list carries on (the same choice as the nation codes, `cards/nations.ts`).
 */
export interface Region {
  /** `RegionAlpha`: up to 3 characters. */
  alpha: string;
  /** `RegionNumeric`: one octet. */
  numeric: number;
  name: string;
}

/** The one country whose places carry a region. */
export const REGION_COUNTRY = 'E';

/** `RegionNumeric` '00'H: no information available (every place outside Spain, and a Spanish one without a region). */
export const NO_REGION = 0x00;

const LIST: readonly [number, string, string][] = [
  [0x01, 'AN', 'Andalucía'],
  [0x02, 'AR', 'Aragón'],
  [0x03, 'AST', 'Asturias'],
  [0x04, 'C', 'Cantabria'],
  [0x05, 'CAT', 'Cataluña'],
  [0x06, 'CL', 'Castilla-León'],
  [0x07, 'CM', 'Castilla-La-Mancha'],
  [0x08, 'CV', 'Valencia'],
  [0x09, 'EXT', 'Extremadura'],
  [0x0a, 'G', 'Galicia'],
  [0x0b, 'IB', 'Baleares'],
  [0x0c, 'IC', 'Canarias'],
  [0x0d, 'LR', 'La Rioja'],
  [0x0e, 'M', 'Madrid'],
  [0x0f, 'MU', 'Murcia'],
  [0x10, 'NA', 'Navarra'],
  [0x11, 'PV', 'País Vasco'],
];

export const REGIONS: readonly Region[] = LIST.map(([numeric, alpha, name]) => ({ numeric, alpha, name }));

const BY_ALPHA = new Map(REGIONS.map((r) => [r.alpha, r]));
const BY_NUMERIC = new Map(REGIONS.map((r) => [r.numeric, r]));

export function regionByAlpha(alpha: string): Region | undefined {
  return BY_ALPHA.get(alpha.trim().toUpperCase());
}

export function regionByNumeric(numeric: number): Region | undefined {
  return BY_NUMERIC.get(numeric);
}
