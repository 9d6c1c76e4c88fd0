/**
 * App. 1 §2.70 EventFaultType, the names of the codes (generation 2, version 2, which extends version 1 and
 * generation 1 without changing a meaning): for people reading a download, not for rules. A code not listed is
 * RFU ('0F'H before version 2, ...) or manufacturer specific ('80'H..'FF'H).
 */
const NAMES: Readonly<Record<number, string>> = {
  0x00: 'general event, no further details',
  0x01: 'insertion of a non valid card',
  0x02: 'card conflict',
  0x03: 'time overlap',
  0x04: 'driving without an appropriate card',
  0x05: 'card insertion while driving',
  0x06: 'last card session not correctly closed',
  0x07: 'over speeding',
  0x08: 'power supply interruption',
  0x09: 'motion data error',
  0x0a: 'vehicle motion conflict',
  0x0b: 'time conflict (GNSS versus VU internal clock)',
  0x0c: 'communication error with the remote communication facility',
  0x0d: 'absence of position information from GNSS receiver',
  0x0e: 'communication error with the external GNSS facility',
  0x0f: 'GNSS anomaly',
  0x10: 'VU security breach attempt, no further details',
  0x11: 'motion sensor authentication failure',
  0x12: 'tachograph card authentication failure',
  0x13: 'unauthorised change of motion sensor',
  0x14: 'card data input integrity error',
  0x15: 'stored user data integrity error',
  0x16: 'internal data transfer error',
  0x17: 'unauthorised case opening',
  0x18: 'hardware sabotage',
  0x19: 'tamper detection of GNSS',
  0x1a: 'external GNSS facility authentication failure',
  0x1b: 'external GNSS facility certificate expired',
  0x1c: 'inconsistency between motion data and stored driver activity data',
  0x20: 'sensor security breach attempt, no further details',
  0x21: 'sensor authentication failure',
  0x22: 'sensor stored data integrity error',
  0x23: 'sensor internal data transfer error',
  0x24: 'sensor unauthorised case opening',
  0x25: 'sensor hardware sabotage',
  0x30: 'recording equipment fault, no further details',
  0x31: 'VU internal fault',
  0x32: 'printer fault',
  0x33: 'display fault',
  0x34: 'downloading fault',
  0x35: 'sensor fault',
  0x36: 'internal GNSS receiver fault',
  0x37: 'external GNSS facility fault',
  0x38: 'remote communication facility fault',
  0x39: 'ITS interface fault',
  0x40: 'card fault, no further details',
};

/** "'07'H over speeding"; "'8A'H manufacturer specific"; "'3F'H RFU". */
export function eventFaultTypeName(code: number): string {
  const hex = `'${code.toString(16).padStart(2, '0').toUpperCase()}'H`;
  return `${hex} ${NAMES[code] ?? (code >= 0x80 ? 'manufacturer specific' : 'RFU')}`;
}
