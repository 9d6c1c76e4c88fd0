/**
 * App. 1 2.100 `NationAlpha` and 2.101 `NationNumeric`: the distinguishing signs of the 1968 Vienna
 * Convention and their numeric codes. The current list is kept by the interoperability laboratory (Annex IC
 * 440); this is the list as printed in the data dictionary of the first generation (Annex IB), which the
 * laboratory's list extends, plus the later additions 0x34..0x37. A card or scenario may name a country
 * outside it by giving both codes.
 */
export interface Nation {
  /** `NationAlpha`: up to 3 characters (IA5String(SIZE(3)), space padded on encoding). */
  alpha: string;
  /** `NationNumeric`: INTEGER(0..255). */
  numeric: number;
  name: string;
}

const LIST: readonly [number, string, string][] = [
  [0x00, '', 'no information available'],
  [0x01, 'A', 'Austria'],
  [0x02, 'AL', 'Albania'],
  [0x03, 'AND', 'Andorra'],
  [0x04, 'ARM', 'Armenia'],
  [0x05, 'AZ', 'Azerbaijan'],
  [0x06, 'B', 'Belgium'],
  [0x07, 'BG', 'Bulgaria'],
  [0x08, 'BIH', 'Bosnia and Herzegovina'],
  [0x09, 'BY', 'Belarus'],
  [0x0a, 'CH', 'Switzerland'],
  [0x0b, 'CY', 'Cyprus'],
  [0x0c, 'CZ', 'Czech Republic'],
  [0x0d, 'D', 'Germany'],
  [0x0e, 'DK', 'Denmark'],
  [0x0f, 'E', 'Spain'],
  [0x10, 'EST', 'Estonia'],
  [0x11, 'F', 'France'],
  [0x12, 'FIN', 'Finland'],
  [0x13, 'FL', 'Liechtenstein'],
  // The regulation prints 'FR' for the Faroe Islands (not the ISO 'FO').
  [0x14, 'FR', 'Faroe Islands'],
  [0x15, 'UK', 'United Kingdom'],
  [0x16, 'GE', 'Georgia'],
  [0x17, 'GR', 'Greece'],
  [0x18, 'H', 'Hungary'],
  [0x19, 'HR', 'Croatia'],
  [0x1a, 'I', 'Italy'],
  [0x1b, 'IRL', 'Ireland'],
  [0x1c, 'IS', 'Iceland'],
  [0x1d, 'KZ', 'Kazakhstan'],
  [0x1e, 'L', 'Luxembourg'],
  [0x1f, 'LT', 'Lithuania'],
  [0x20, 'LV', 'Latvia'],
  [0x21, 'M', 'Malta'],
  [0x22, 'MC', 'Monaco'],
  [0x23, 'MD', 'Moldova'],
  [0x24, 'MK', 'North Macedonia'],
  [0x25, 'N', 'Norway'],
  [0x26, 'NL', 'Netherlands'],
  [0x27, 'P', 'Portugal'],
  [0x28, 'PL', 'Poland'],
  [0x29, 'RO', 'Romania'],
  [0x2a, 'RSM', 'San Marino'],
  [0x2b, 'RUS', 'Russia'],
  [0x2c, 'S', 'Sweden'],
  [0x2d, 'SK', 'Slovakia'],
  [0x2e, 'SLO', 'Slovenia'],
  [0x2f, 'TM', 'Turkmenistan'],
  [0x30, 'TR', 'Turkey'],
  [0x31, 'UA', 'Ukraine'],
  [0x32, 'V', 'Vatican City'],
  [0x33, 'YU', 'Yugoslavia'],
  [0x34, 'MNE', 'Montenegro'],
  [0x35, 'SRB', 'Serbia'],
  [0x36, 'UZ', 'Uzbekistan'],
  [0x37, 'TJ', 'Tajikistan'],
  [0xfd, 'EC', 'European Community'],
  [0xfe, 'EUR', 'Rest of Europe'],
  [0xff, 'WLD', 'Rest of the world'],
];

export const NATIONS: readonly Nation[] = LIST.map(([numeric, alpha, name]) => ({ alpha, numeric, name }));

const BY_ALPHA = new Map(NATIONS.map((n) => [n.alpha, n]));
const BY_NUMERIC = new Map(NATIONS.map((n) => [n.numeric, n]));

export function nationByAlpha(alpha: string): Nation | undefined {
  return BY_ALPHA.get(alpha.trim().toUpperCase());
}

export function nationByNumeric(numeric: number): Nation | undefined {
  return BY_NUMERIC.get(numeric);
}
