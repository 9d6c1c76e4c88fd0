import { CARD_NUMBER_LENGTH } from './card-number.ts';
import { CODE_PAGE_LATIN_1, decodeCodePaged, encodeCodePaged, type CodePagedText } from './code-page.ts';
import { cardTypeOfEquipment, EQUIPMENT_TYPE, type CardGeneration, type CardType } from './card-type.ts';

/**
 * Pure encoders (and the decoders a download client needs) for the App. 1 data types that identify a card.
 * All multi-byte integers are big-endian, as App. 1 1.1 requires (octet-aligned, most significant first).
 */

/** App. 1 2.73 `FullCardNumber`, as plain data. */
export interface FullCardNumber {
  cardType: CardType;
  /** `NationNumeric` of the issuing Member State. */
  issuingMemberState: number;
  /** `CardNumber`, its 16 characters. */
  cardNumber: string;
}

/** App. 1 2.74 `FullCardNumberAndGeneration`. */
export interface FullCardNumberAndGeneration extends FullCardNumber {
  generation: CardGeneration;
}

export const FULL_CARD_NUMBER_SIZE = 18;
export const FULL_CARD_NUMBER_AND_GENERATION_SIZE = 19;
export const NAME_SIZE = 36;
export const HOLDER_NAME_SIZE = 72;

/** App. 1 `Name` code page 1: ISO/IEC 8859-1. */
export { CODE_PAGE_LATIN_1 };

/** IA5 characters, left-aligned and padded with spaces to `size` bytes. */
export function encodeIa5(text: string, size: number): Uint8Array {
  if (text.length > size) throw new Error(`'${text}' is longer than ${size} characters`);
  const out = new Uint8Array(size).fill(0x20);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7e || code < 0x20) throw new Error(`'${text}' has a character outside printable IA5 at ${i}`);
    out[i] = code;
  }
  return out;
}

/** App. 1 2.162 `TimeReal`: seconds since 1970-01-01T00:00:00Z, 4 bytes. Takes ms; sub-second parts are dropped. */
export function encodeTimeReal(ms: number): Uint8Array {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 0 || seconds > 0xffffffff) throw new Error(`TimeReal out of range: ${new Date(ms).toISOString()}`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, seconds);
  return out;
}

export function decodeTimeReal(bytes: Uint8Array, offset = 0): number {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0) * 1000;
}

/** App. 1 2.113 `OdometerShort`: km, 3 bytes, 0..9 999 999. */
export function encodeOdometerShort(km: number): Uint8Array {
  const value = Math.floor(km);
  if (value < 0 || value > 9_999_999) throw new Error(`OdometerShort out of range: ${km}`);
  return Uint8Array.of(value >>> 16, (value >>> 8) & 0xff, value & 0xff);
}

export function decodeOdometerShort(bytes: Uint8Array, offset = 0): number {
  return (bytes[offset]! << 16) | (bytes[offset + 1]! << 8) | bytes[offset + 2]!;
}

/**
 * App. 1 2.99 `Name`: codePage (1 byte) then 35 bytes. The rig writes code page 1 and pads with spaces, as
 * the App. 2 default value {00, 20..20} pads; an empty name is that default (code page 0, all spaces).
 */
export function encodeName(text: string): Uint8Array {
  const out = new Uint8Array(NAME_SIZE).fill(0x20);
  if (text.length === 0) {
    out[0] = 0;
    return out;
  }
  if (text.length > 35) throw new Error(`name '${text}' is longer than 35 characters`);
  out[0] = CODE_PAGE_LATIN_1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new Error(`name '${text}' has a character outside ISO 8859-1 at ${i}`);
    out[1 + i] = code;
  }
  return out;
}

/**
 * Decodes a `Name` (or an `Address`, the same layout: App. 1 2.2) in any App. 1 code page (chapter 4, see
 * code-page.ts), trailing padding removed. An unknown code page reads as ISO/IEC 8859-1: use
 * `decodeNameField` to learn that it did.
 */
export function decodeName(bytes: Uint8Array, offset = 0): string {
  return decodeNameField(bytes, offset).text;
}

/** A `Name` or `Address` with its code page, and the problem when the code page is unknown. */
export function decodeNameField(bytes: Uint8Array, offset = 0): CodePagedText {
  return decodeCodePaged(bytes, offset, NAME_SIZE);
}

/**
 * App. 1 2.167 `VehicleRegistrationNumber` (14 bytes): codePage, then 13 bytes in it (chapter 4, see
 * code-page.ts); '' for App. 2's default {00, 20..20}. `decodeCodePaged(bytes, offset, 14)` also tells an
 * unknown code page.
 */
export function decodeVehicleRegistrationNumber(bytes: Uint8Array, offset = 0): string {
  return decodeCodePaged(bytes, offset, VEHICLE_REGISTRATION_NUMBER_SIZE).text;
}

export const VEHICLE_REGISTRATION_NUMBER_SIZE = 14;

/** A `VehicleRegistrationNumber` in `codePage` (ISO/IEC 8859-1 by default), space padded; '' is App. 2's default {00, 20..20}. */
export function encodeVehicleRegistrationNumber(vrn: string, codePage = CODE_PAGE_LATIN_1): Uint8Array {
  return encodeCodePaged(vrn, VEHICLE_REGISTRATION_NUMBER_SIZE, codePage);
}

/** App. 1 2.83 `HolderName`: holderSurname `Name` then holderFirstNames `Name`. */
export function encodeHolderName(holder: { surname: string; firstNames: string }): Uint8Array {
  const out = new Uint8Array(HOLDER_NAME_SIZE);
  out.set(encodeName(holder.surname), 0);
  out.set(encodeName(holder.firstNames), NAME_SIZE);
  return out;
}

export function decodeHolderName(bytes: Uint8Array, offset = 0): { surname: string; firstNames: string } {
  return { surname: decodeName(bytes, offset), firstNames: decodeName(bytes, offset + NAME_SIZE) };
}

/** App. 1 2.26 `CardNumber`: its 16 IA5 characters (both CHOICE alternatives are 16 bytes). */
export function encodeCardNumber(cardNumber: string): Uint8Array {
  if (cardNumber.length !== CARD_NUMBER_LENGTH) throw new Error(`a card number is 16 characters, got '${cardNumber}'`);
  return encodeIa5(cardNumber, CARD_NUMBER_LENGTH);
}

/** App. 1 2.73 `FullCardNumber`: cardType `EquipmentType` (1), cardIssuingMemberState `NationNumeric` (1), cardNumber (16). */
export function encodeFullCardNumber(value: FullCardNumber): Uint8Array {
  const out = new Uint8Array(FULL_CARD_NUMBER_SIZE);
  out[0] = EQUIPMENT_TYPE[value.cardType];
  out[1] = value.issuingMemberState;
  out.set(encodeCardNumber(value.cardNumber), 2);
  return out;
}

/**
 * App. 1 2.74 `FullCardNumberAndGeneration`: `FullCardNumber` then `Generation` (1). `null` (no card in a slot)
 * encodes as 19 zero bytes: App. 1 does not say how an absent card is written; EquipmentType 0 is "reserved"
 * and Generation 0 is RFU, so all zeros cannot be mistaken for a card (a choice).
 */
export function encodeFullCardNumberAndGeneration(value: FullCardNumberAndGeneration | null): Uint8Array {
  const out = new Uint8Array(FULL_CARD_NUMBER_AND_GENERATION_SIZE);
  if (value === null) return out;
  out.set(encodeFullCardNumber(value), 0);
  out[18] = value.generation;
  return out;
}

/**
 * Decodes a `FullCardNumberAndGeneration`; `null` for "no card": a FullCardNumber of all zero (what the rig
 * writes, generation 0 too) or all 'FF'H (what real files hold in an empty slot, e.g. the events of the public
 * gen2 v2 sample: 18 bytes 'FF'H, generation 0; EquipmentType 'FF'H is RFU, so it names no card either),
 * whatever the generation byte. Throws on anything else.
 */
export function decodeFullCardNumberAndGeneration(bytes: Uint8Array, offset = 0): FullCardNumberAndGeneration | null {
  const slice = bytes.subarray(offset, offset + FULL_CARD_NUMBER_AND_GENERATION_SIZE);
  if (slice.length !== FULL_CARD_NUMBER_AND_GENERATION_SIZE) throw new Error('FullCardNumberAndGeneration needs 19 bytes');
  const number = slice.subarray(0, FULL_CARD_NUMBER_SIZE);
  if (number.every((b) => b === 0) || number.every((b) => b === 0xff)) return null;
  const cardType = cardTypeOfEquipment(slice[0]!);
  if (!cardType) throw new Error(`EquipmentType ${slice[0]} is not a card type`);
  const generation = slice[18];
  if (generation !== 1 && generation !== 2) throw new Error(`Generation ${generation} is not 1 or 2`);
  return {
    cardType,
    issuingMemberState: slice[1]!,
    cardNumber: String.fromCharCode(...slice.subarray(2, 18)),
    generation,
  };
}

/** TCS_72 / App. 1 `WorkshopCardPIN`: the PIN's ASCII digits padded on the right with 'FF' to 8 bytes. */
export function encodeWorkshopCardPin(pin: string): Uint8Array {
  if (!/^\d{4,8}$/.test(pin)) throw new Error('a workshop card PIN is 4 to 8 digits');
  const out = new Uint8Array(8).fill(0xff);
  for (let i = 0; i < pin.length; i++) out[i] = pin.charCodeAt(i);
  return out;
}
