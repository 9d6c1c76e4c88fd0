import type { RecordReader } from './record-reader.ts';

/**
 * App. 1 fields that identify a vehicle, a card or a piece of equipment inside card records, as a decoded card
 * file gives them (codes as numbers, strings trimmed). Each reads from a RecordReader at a byte offset.
 */

/** App. 1 2.166 `VehicleRegistrationIdentification` (15 bytes): NationNumeric, then 2.167 `VehicleRegistrationNumber`. */
export interface VehicleRegistrationIdentification {
  vehicleRegistrationNation: number;
  /** codePage (1) then 13 bytes in it; '' for App. 2's default {00, 20..20}. */
  vehicleRegistrationNumber: string;
}
export const VEHICLE_REGISTRATION_IDENTIFICATION_SIZE = 15;

export function readVehicleRegistration(r: RecordReader, at: number, field: string): VehicleRegistrationIdentification {
  return { vehicleRegistrationNation: r.u8(at), vehicleRegistrationNumber: r.codePaged(at + 1, 14, `${field}.vehicleRegistrationNumber`) };
}

/**
 * App. 1 2.73 `FullCardNumber` (18 bytes): cardType (EquipmentType), cardIssuingMemberState (NationNumeric),
 * cardNumber (IA5, 16). null for App. 2's default (type 0, nation 0, spaces): no card.
 */
export interface FullCardNumberField {
  cardType: number;
  cardIssuingMemberState: number;
  cardNumber: string;
}
export const FULL_CARD_NUMBER_FIELD_SIZE = 18;

export function readFullCardNumber(r: RecordReader, at: number, field: string): FullCardNumberField | null {
  if (r.unused(at, FULL_CARD_NUMBER_FIELD_SIZE)) return null;
  const cardType = r.u8(at);
  // App. 1 2.67: EquipmentType 1..4 are the cards
  if (cardType < 1 || cardType > 4) r.note(`${field}.cardType`, `EquipmentType ${cardType} is not a card`);
  return { cardType, cardIssuingMemberState: r.u8(at + 1), cardNumber: r.ia5(at + 2, 16) };
}

/** App. 1 2.72 `ExtendedSerialNumber` (8 bytes): serialNumber, monthYear (BCD MMYY, as its 4 digits), type, manufacturerCode. */
export interface ExtendedSerialNumberField {
  serialNumber: number;
  monthYear: string;
  type: number;
  manufacturerCode: number;
}

export function readExtendedSerialNumber(r: RecordReader, at: number): ExtendedSerialNumberField {
  return { serialNumber: r.u32(at), monthYear: r.hex(at + 4, 2), type: r.u8(at + 6), manufacturerCode: r.u8(at + 7) };
}
