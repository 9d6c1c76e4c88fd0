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
  /**
   * The ISO 3166-1 numeric code of the country, where it has one: what ISO 14906's CountryCode carries (DSRC
   * RTM1). The tachograph codes are the ERCA policy's list (App. 1 2.100 refers to it).
   */
  iso3166?: number;
}

const LIST: readonly [number, string, string, number?][] = [
  [0x00, '', 'no information available'],
  [0x01, 'A', 'Austria', 40],
  [0x02, 'AL', 'Albania', 8],
  [0x03, 'AND', 'Andorra', 20],
  [0x04, 'ARM', 'Armenia', 51],
  [0x05, 'AZ', 'Azerbaijan', 31],
  [0x06, 'B', 'Belgium', 56],
  [0x07, 'BG', 'Bulgaria', 100],
  [0x08, 'BIH', 'Bosnia and Herzegovina', 70],
  [0x09, 'BY', 'Belarus', 112],
  [0x0a, 'CH', 'Switzerland', 756],
  [0x0b, 'CY', 'Cyprus', 196],
  [0x0c, 'CZ', 'Czech Republic', 203],
  [0x0d, 'D', 'Germany', 276],
  [0x0e, 'DK', 'Denmark', 208],
  [0x0f, 'E', 'Spain', 724],
  [0x10, 'EST', 'Estonia', 233],
  [0x11, 'F', 'France', 250],
  [0x12, 'FIN', 'Finland', 246],
  [0x13, 'FL', 'Liechtenstein', 438],
  // The regulation prints 'FR' for the Faroe Islands (not the ISO 'FO').
  [0x14, 'FR', 'Faroe Islands', 234],
  [0x15, 'UK', 'United Kingdom', 826],
  [0x16, 'GE', 'Georgia', 268],
  [0x17, 'GR', 'Greece', 300],
  [0x18, 'H', 'Hungary', 348],
  [0x19, 'HR', 'Croatia', 191],
  [0x1a, 'I', 'Italy', 380],
  [0x1b, 'IRL', 'Ireland', 372],
  [0x1c, 'IS', 'Iceland', 352],
  [0x1d, 'KZ', 'Kazakhstan', 398],
  [0x1e, 'L', 'Luxembourg', 442],
  [0x1f, 'LT', 'Lithuania', 440],
  [0x20, 'LV', 'Latvia', 428],
  [0x21, 'M', 'Malta', 470],
  [0x22, 'MC', 'Monaco', 492],
  [0x23, 'MD', 'Moldova', 498],
  [0x24, 'MK', 'North Macedonia', 807],
  [0x25, 'N', 'Norway', 578],
  [0x26, 'NL', 'Netherlands', 528],
  [0x27, 'P', 'Portugal', 620],
  [0x28, 'PL', 'Poland', 616],
  [0x29, 'RO', 'Romania', 642],
  [0x2a, 'RSM', 'San Marino', 674],
  [0x2b, 'RUS', 'Russia', 643],
  [0x2c, 'S', 'Sweden', 752],
  [0x2d, 'SK', 'Slovakia', 703],
  [0x2e, 'SLO', 'Slovenia', 705],
  [0x2f, 'TM', 'Turkmenistan', 795],
  [0x30, 'TR', 'Turkey', 792],
  [0x31, 'UA', 'Ukraine', 804],
  [0x32, 'V', 'Vatican City', 336],
  [0x33, 'YU', 'Yugoslavia'],
  [0x34, 'MNE', 'Montenegro', 499],
  [0x35, 'SRB', 'Serbia', 688],
  [0x36, 'UZ', 'Uzbekistan'],
  [0x37, 'TJ', 'Tajikistan'],
  [0xfd, 'EC', 'European Community'],
  [0xfe, 'EUR', 'Rest of Europe'],
  [0xff, 'WLD', 'Rest of the world'],
];

export const NATIONS: readonly Nation[] = LIST.map(([numeric, alpha, name, iso3166]) => (iso3166 === undefined ? { alpha, numeric, name } : { alpha, numeric, name, iso3166 }));

const BY_ALPHA = new Map(NATIONS.map((n) => [n.alpha, n]));
const BY_NUMERIC = new Map(NATIONS.map((n) => [n.numeric, n]));

export function nationByAlpha(alpha: string): Nation | undefined {
  return BY_ALPHA.get(alpha.trim().toUpperCase());
}

export function nationByNumeric(numeric: number): Nation | undefined {
  return BY_NUMERIC.get(numeric);
}
