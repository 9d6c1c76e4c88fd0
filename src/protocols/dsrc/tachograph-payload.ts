import { DsrcDecodeError } from './dsrc-error.ts';

/**
 * App. 14 §5.4.5 Table 14.3 (as replaced by Reg. 2021/1228, "M3"): the TachographPayload, RTM1-RTM25, in
 * the order of the table (the ASN.1 module of DSC_40 is an image in every text source; README "DSRC").
 * DSC_43: the payload is OER (ISO/IEC 8825-7, X.696), not PER. The SEQUENCE has no OPTIONAL component and
 * no extension marker, so OER puts no preamble: each component follows the last, fixed size, 62 octets.
 */

/**
 * ISO 14906 `AlphabetIndicator` values App. 14 uses for RTM1 (note 1: latinAlphabetNo2 and
 * latinCyrillicAlphabet are remapped by the reader, ISO/DIS 14906.2 Annex E).
 */
export const ALPHABET_INDICATOR = {
  latinAlphabetNo1: 0,
  latinAlphabetNo2: 1,
  latinAlphabetNo3: 2,
  latinAlphabetNo4: 3,
  latinCyrillicAlphabet: 4,
  latinArabicAlphabet: 5,
  latinGreekAlphabet: 6,
  latinHebrewAlphabet: 7,
  latinAlphabetNo5: 8,
  latinAlphabetNo6: 9,
  twoOctetBMP: 10,
  fourOctetCanonical: 11,
} as const;

/**
 * RTM1: ISO 14906 `LPN` as App. 14 profiles it: countryCode (BIT STRING (SIZE(10)), the ISO 3166-1 numeric
 * code), alphabetIndicator, and a plate number of always 14 octets, zero-padded, with no length determinant:
 * 17 octets in all.
 */
export interface Lpn {
  /** 0..1023: ISO 3166-1 numeric country code. */
  countryCode: number;
  /** 0..63: {@link ALPHABET_INDICATOR}. */
  alphabetIndicator: number;
  /** The plate octets in the indicated alphabet, at most 14; padded with '00' on the wire. */
  licencePlateNumber: Uint8Array;
}

export const LPN_PLATE_LENGTH = 14;
export const LPN_LENGTH = 17;
export const TACHOGRAPH_PAYLOAD_LENGTH = 62;

/** Table 14.3 RTM21-RTM25 (M3): 255 = not available. */
export const DRIVING_TIME_NOT_AVAILABLE = 255;

export interface TachographPayload {
  /** RTM1 */
  vehicleRegistrationPlate: Lpn;
  /** RTM2: the most recent over-speeding event ended in the last 10 days or is ongoing. */
  speedingEvent: boolean;
  /** RTM3 */
  drivingWithoutValidCard: boolean;
  /** RTM4: TRUE when NO valid driver card is in the driver slot (the name reads the other way). */
  driverCard: boolean;
  /** RTM5 */
  cardInsertion: boolean;
  /** RTM6 */
  motionDataError: boolean;
  /** RTM7 */
  vehicleMotionConflict: boolean;
  /** RTM8: TRUE when a valid co-driver card is present. */
  secondDriverCard: boolean;
  /** RTM9: TRUE when the current activity is NOT driving. */
  currentActivityDriving: boolean;
  /** RTM10 */
  lastSessionClosed: boolean;
  /** RTM11: power supply interruption events in the last 10 days, 0..127. */
  powerSupplyInterruption: number;
  /** RTM12: 0..7, Table 14.3's sensor-fault code. */
  sensorFault: number;
  /** RTM13: oldTimeValue of the latest time adjustment, TimeReal; 0 = none. */
  timeAdjustment: number;
  /** RTM14: begin time of the latest security breach attempt, TimeReal; 0 = none. */
  latestBreachAttempt: number;
  /** RTM15: oldTimeValue of the latest calibration record. */
  lastCalibrationData: number;
  /** RTM16: oldTimeValue of the calibration before it. */
  prevCalibrationData: number;
  /** RTM17: date of the first calibration (purpose '03'H) in this vehicle. */
  dateTachoConnected: number;
  /** RTM18: km/h, 0..255. */
  currentSpeed: number;
  /** RTM19: time of this RtmData update. */
  timestamp: number;
  /** RTM20 (M3): time of the latest authenticated position; 0 = never. */
  latestAuthenticatedPosition: number;
  /** RTM21 (M3): 2 min/bit, 250 = >= 500 min, 255 = n/a. */
  continuousDrivingTime: number;
  /** RTM22 (M3): 4 min/bit, 255 = n/a. */
  dailyDrivingTimeShift: number;
  /** RTM23 (M3): 4 min/bit, 255 = n/a. */
  dailyDrivingTimeWeek: number;
  /** RTM24 (M3): 20 min/bit, 255 = n/a. */
  weeklyDrivingTime: number;
  /** RTM25 (M3): 30 min/bit, 255 = n/a. */
  fortnightlyDrivingTime: number;
}

type Field = { [K in keyof TachographPayload]: TachographPayload[K] extends boolean ? { name: K; kind: 'bool' } : TachographPayload[K] extends number ? { name: K; kind: 'u8' | 'u32'; max: number } : never }[keyof TachographPayload];

/** RTM2 onwards in Table 14.3 order, with each component's OER form (X.696 §10-11: fixed 1 or 4 octets). */
const FIELDS: readonly Field[] = [
  { name: 'speedingEvent', kind: 'bool' },
  { name: 'drivingWithoutValidCard', kind: 'bool' },
  { name: 'driverCard', kind: 'bool' },
  { name: 'cardInsertion', kind: 'bool' },
  { name: 'motionDataError', kind: 'bool' },
  { name: 'vehicleMotionConflict', kind: 'bool' },
  { name: 'secondDriverCard', kind: 'bool' },
  { name: 'currentActivityDriving', kind: 'bool' },
  { name: 'lastSessionClosed', kind: 'bool' },
  { name: 'powerSupplyInterruption', kind: 'u8', max: 127 },
  { name: 'sensorFault', kind: 'u8', max: 255 },
  { name: 'timeAdjustment', kind: 'u32', max: 0xffffffff },
  { name: 'latestBreachAttempt', kind: 'u32', max: 0xffffffff },
  { name: 'lastCalibrationData', kind: 'u32', max: 0xffffffff },
  { name: 'prevCalibrationData', kind: 'u32', max: 0xffffffff },
  { name: 'dateTachoConnected', kind: 'u32', max: 0xffffffff },
  { name: 'currentSpeed', kind: 'u8', max: 255 },
  { name: 'timestamp', kind: 'u32', max: 0xffffffff },
  { name: 'latestAuthenticatedPosition', kind: 'u32', max: 0xffffffff },
  { name: 'continuousDrivingTime', kind: 'u8', max: 255 },
  { name: 'dailyDrivingTimeShift', kind: 'u8', max: 255 },
  { name: 'dailyDrivingTimeWeek', kind: 'u8', max: 255 },
  { name: 'weeklyDrivingTime', kind: 'u8', max: 255 },
  { name: 'fortnightlyDrivingTime', kind: 'u8', max: 255 },
];

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} ${value} is outside 0..${max}`);
}

/** RTM1 in OER: the 10 country-code bits left-aligned in 2 octets (X.696 §16: fixed-size BIT STRING, no length). */
export function encodeLpn(lpn: Lpn): Uint8Array {
  checkRange('countryCode', lpn.countryCode, 1023);
  // X.696 §11: an ENUMERATED whose root values are 0..127 is one octet
  checkRange('alphabetIndicator', lpn.alphabetIndicator, 63);
  if (lpn.licencePlateNumber.length > LPN_PLATE_LENGTH) throw new RangeError(`a plate number is at most ${LPN_PLATE_LENGTH} octets, got ${lpn.licencePlateNumber.length}`);
  const out = new Uint8Array(LPN_LENGTH);
  const bits = lpn.countryCode << 6;
  out[0] = bits >> 8;
  out[1] = bits & 0xff;
  out[2] = lpn.alphabetIndicator;
  out.set(lpn.licencePlateNumber, 3);
  return out;
}

export function decodeLpn(bytes: Uint8Array): Lpn {
  if (bytes.length !== LPN_LENGTH) throw new DsrcDecodeError(`an LPN is ${LPN_LENGTH} octets, got ${bytes.length}`);
  // X.696 §16.3: unused trailing bits of a fixed-size BIT STRING are zero
  if (bytes[1]! & 0x3f) throw new DsrcDecodeError(`LPN countryCode: the 6 trailing bits of octet 2 are not zero (${bytes[1]!.toString(16)})`);
  if (bytes[2]! > 63) throw new DsrcDecodeError(`LPN alphabetIndicator ${bytes[2]} is outside 0..63`);
  let end = LPN_LENGTH;
  while (end > 3 && bytes[end - 1] === 0) end--;
  return { countryCode: ((bytes[0]! << 8) | bytes[1]!) >> 6, alphabetIndicator: bytes[2]!, licencePlateNumber: bytes.slice(3, end) };
}

export function encodeTachographPayload(p: TachographPayload): Uint8Array {
  const out = new Uint8Array(TACHOGRAPH_PAYLOAD_LENGTH);
  const view = new DataView(out.buffer);
  out.set(encodeLpn(p.vehicleRegistrationPlate), 0);
  let at = LPN_LENGTH;
  for (const f of FIELDS) {
    const value = p[f.name];
    if (f.kind === 'bool') {
      // X.696 §9: BOOLEAN TRUE is 'FF', FALSE '00'
      out[at++] = value ? 0xff : 0x00;
    } else if (f.kind === 'u8') {
      checkRange(f.name, value as number, f.max);
      out[at++] = value as number;
    } else {
      checkRange(f.name, value as number, f.max);
      view.setUint32(at, value as number);
      at += 4;
    }
  }
  return out;
}

export function decodeTachographPayload(bytes: Uint8Array): TachographPayload {
  if (bytes.length !== TACHOGRAPH_PAYLOAD_LENGTH) throw new DsrcDecodeError(`a TachographPayload is ${TACHOGRAPH_PAYLOAD_LENGTH} octets, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, unknown> = { vehicleRegistrationPlate: decodeLpn(bytes.subarray(0, LPN_LENGTH)) };
  let at = LPN_LENGTH;
  for (const f of FIELDS) {
    if (f.kind === 'bool') {
      const b = bytes[at++]!;
      // X.696 §9.2: a decoder accepts only 00 and FF (canonical OER)
      if (b !== 0x00 && b !== 0xff) throw new DsrcDecodeError(`${f.name}: BOOLEAN octet ${b.toString(16).padStart(2, '0')} is neither 00 nor ff`);
      out[f.name] = b === 0xff;
    } else if (f.kind === 'u8') {
      const v = bytes[at++]!;
      if (v > f.max) throw new DsrcDecodeError(`${f.name} ${v} is outside 0..${f.max}`);
      out[f.name] = v;
    } else {
      out[f.name] = view.getUint32(at);
      at += 4;
    }
  }
  return out as unknown as TachographPayload;
}
