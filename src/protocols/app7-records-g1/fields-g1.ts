import { concatBytes } from '../../crypto/bytes.ts';
import {
  decodeHolderName,
  decodeName,
  decodeOdometerShort,
  decodeTimeReal,
  encodeFullCardNumber,
  encodeHolderName,
  encodeIa5,
  encodeName,
  encodeOdometerShort,
  encodeTimeReal,
  FULL_CARD_NUMBER_SIZE,
  type FullCardNumber,
} from '../app1/app1-codec.ts';
import { cardTypeOfEquipment } from '../app1/card-type.ts';
import { DecodeError } from '../decode-error.ts';
import { decodeExtendedSerialNumber, encodeExtendedSerialNumber, type ExtendedSerialNumber } from '../motion-sensor/payloads.ts';
import type { VehicleRegistrationIdentification } from '../app1/identification-fields.ts';

/**
 * The App. 1 fields of a generation 1 VU download (App. 7 DDP_029..033, gen1 tables) as the gen1 records
 * use them: FullCardNumber (18 bytes, no generation), VehicleRegistrationIdentification (15), Name and
 * Address (36), HolderName (72), IA5 strings, ExtendedSerialNumber (8), TimeReal (4) and OdometerShort (3).
 * Times are ms (TimeReal keeps whole seconds), as in every App. 1 codec of src/protocols/app1.
 */

/** What the gen1 decoders throw on bytes that are not what App. 1 and App. 7 (gen1) say. */
export class App7G1Error extends DecodeError {}

export type { ExtendedSerialNumber, FullCardNumber };

/**
 * Runs an App. 1 field decoder and turns what it refuses (an Error or RangeError naming the value) into an
 * App7G1Error naming the field; a TypeError or ReferenceError is a bug of the rig's and is left alone.
 */
export function field<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof App7G1Error || error instanceof TypeError || error instanceof ReferenceError) throw error;
    throw new App7G1Error(`${what}: ${(error as Error).message}`);
  }
}

export function timeReal(ms: number): Uint8Array {
  return encodeTimeReal(ms);
}
export function readTimeReal(b: Uint8Array, at: number): number {
  return decodeTimeReal(b, at);
}
/**
 * A TimeReal App. 1 leaves unset while nothing happened yet (an end, a withdrawal, a lock-out): 0 and
 * 'FF FF FF FF'H (unset memory; a real VU writes it for a company lock still on) read as null; null writes 0.
 */
export function readOptionalTime(b: Uint8Array, at: number): number | null {
  const ms = decodeTimeReal(b, at);
  return ms === 0 || ms === 0xffffffff * 1000 ? null : ms;
}

export function odometer(km: number): Uint8Array {
  return encodeOdometerShort(km);
}
export function readOdometer(b: Uint8Array, at: number): number {
  return decodeOdometerShort(b, at);
}

export function u16(value: number, what: string): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${what} ${value} does not fit 2 bytes`);
  return Uint8Array.of(value >> 8, value & 0xff);
}
export function readU16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}
export function byte(value: number, what: string): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${what} ${value} does not fit a byte`);
  return Uint8Array.of(value);
}

/** App. 1 `Name` / `Address`: code page, then 35 bytes. */
export function name(text: string): Uint8Array {
  return encodeName(text);
}
export function readName(b: Uint8Array, at: number, what: string): string {
  return field(what, () => decodeName(b, at));
}
export function holderName(holder: { surname: string; firstNames: string }): Uint8Array {
  return encodeHolderName(holder);
}
export function readHolderName(b: Uint8Array, at: number, what: string): { surname: string; firstNames: string } {
  return field(what, () => decodeHolderName(b, at));
}

/** A fixed-size IA5String, left-aligned and padded with spaces. */
export function ia5(text: string, size: number): Uint8Array {
  return encodeIa5(text, size);
}
/** A fixed-size IA5String read back, trailing spaces (and the NUL padding some VUs write) removed. */
export function readIa5(b: Uint8Array, at: number, size: number): string {
  return String.fromCharCode(...b.subarray(at, at + size)).replace(/[ \0]+$/, '');
}

/**
 * App. 1 2.73 `FullCardNumber` (18 bytes), where a gen1 record may hold none (an empty slot at an event's
 * begin or end, an automatic time adjustment). Choice: `null` writes 18 zero bytes, and a cardType of 0
 * (EquipmentType 'reserved', the App. 2 default) or 'FF'H (unset memory) reads as no card, whatever follows;
 * any other EquipmentType that is not a card's is refused.
 */
export function fullCardNumber(card: FullCardNumber | null): Uint8Array {
  return card === null ? new Uint8Array(FULL_CARD_NUMBER_SIZE) : encodeFullCardNumber(card);
}
export function readFullCardNumber(b: Uint8Array, at: number, what: string): FullCardNumber | null {
  const type = b[at]!;
  if (type === 0 || type === 0xff) return null;
  const cardType = cardTypeOfEquipment(type);
  if (!cardType) throw new App7G1Error(`${what}: EquipmentType ${type} is not a card type (App. 1 2.67: 1..4)`);
  return { cardType, issuingMemberState: b[at + 1]!, cardNumber: String.fromCharCode(...b.subarray(at + 2, at + 18)) };
}
export function readCard(b: Uint8Array, at: number, what: string): FullCardNumber {
  const card = readFullCardNumber(b, at, what);
  if (!card) throw new App7G1Error(`${what}: no card number where App. 1 requires one`);
  return card;
}

// App. 1 2.166 `VehicleRegistrationIdentification`: the data dictionary's type, the same in every generation.
export type { VehicleRegistrationIdentification };
export const VEHICLE_REGISTRATION_IDENTIFICATION_SIZE = 15;

/**
 * App. 1 2.167 `VehicleRegistrationNumber`: codePage (1) then 13 bytes, space padded; an empty number is
 * code page 0 and spaces (the App. 2 default). The rig writes code page 1 (ISO/IEC 8859-1). Choice when
 * reading: the 13 bytes are read as ISO/IEC 8859-1 whatever the code page says (registration numbers are
 * letters and digits, the same in every 8859 part), so no code page refuses a file.
 */
export function vehicleRegistrationIdentification(v: VehicleRegistrationIdentification): Uint8Array {
  const number = v.vehicleRegistrationNumber;
  if (number.length > 13) throw new RangeError(`VRN '${number}' is longer than 13 characters`);
  const out = new Uint8Array(VEHICLE_REGISTRATION_IDENTIFICATION_SIZE).fill(0x20);
  out[0] = byte(v.vehicleRegistrationNation, 'vehicleRegistrationNation')[0]!;
  out[1] = number.length === 0 ? 0 : 1;
  for (let i = 0; i < number.length; i++) {
    const code = number.charCodeAt(i);
    if (code > 0xff) throw new RangeError(`VRN '${number}' has a character outside ISO 8859-1`);
    out[2 + i] = code;
  }
  return out;
}
export function readVehicleRegistrationIdentification(b: Uint8Array, at: number): VehicleRegistrationIdentification {
  return { vehicleRegistrationNation: b[at]!, vehicleRegistrationNumber: String.fromCharCode(...b.subarray(at + 2, at + 15)).replace(/[ \0]+$/, '') };
}

/** App. 1 2.72 `ExtendedSerialNumber` (8 bytes). */
export function extendedSerialNumber(s: ExtendedSerialNumber): Uint8Array {
  return encodeExtendedSerialNumber(s);
}
export function readExtendedSerialNumber(b: Uint8Array, at: number, what: string): ExtendedSerialNumber {
  return field(what, () => decodeExtendedSerialNumber(b.subarray(at, at + 8)));
}

export { concatBytes };
