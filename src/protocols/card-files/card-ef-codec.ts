import { concatBytes, toHex } from '../../crypto/bytes.ts';
import { encodeExtendedSerialNumber, type ExtendedSerialNumber } from '../../crypto/pki/key-identifier.ts';
import { decodeHolderName, decodeName, decodeTimeReal, encodeHolderName, encodeIa5, encodeName, encodeTimeReal } from '../app1/app1-codec.ts';
import { FID } from './card-file-ids.ts';

/**
 * Pure encoders and decoders for the contents of a driver card's EFs (App. 2 TCS_144, TCS_150, TCS_154 with
 * the App. 1 data types), and the sizes the card's application identification implies (TCS_151, TCS_155).
 * Big-endian throughout (App. 1 1.1).
 */

export type CardAppGeneration = 1 | 2;

/** App. 1 `CardIccIdentification` (EF ICC): 25 bytes. */
export interface CardIccIdentification {
  clockStop: number;
  cardExtendedSerialNumber: ExtendedSerialNumber;
  /** `CardApprovalNumber`: IA5, 8 characters. */
  cardApprovalNumber: string;
  /** `ManufacturerCode` of the personaliser. */
  cardPersonaliserId: number;
  /** `EmbedderIcAssemblerId` (countryCode IA5 2, moduleEmbedder BCD 2, manufacturerInformation 1), 5 bytes hex. */
  embedderIcAssemblerId: string;
  /** 2 bytes hex. */
  icIdentifier: string;
}
export const CARD_ICC_IDENTIFICATION_SIZE = 25;

export function encodeCardIccIdentification(v: CardIccIdentification): Uint8Array {
  return concatBytes(
    Uint8Array.of(v.clockStop),
    encodeExtendedSerialNumber(v.cardExtendedSerialNumber),
    encodeIa5(v.cardApprovalNumber, 8),
    Uint8Array.of(v.cardPersonaliserId),
    fixedHex(v.embedderIcAssemblerId, 5, 'embedderIcAssemblerId'),
    fixedHex(v.icIdentifier, 2, 'icIdentifier'),
  );
}

export function decodeCardIccIdentification(bytes: Uint8Array): CardIccIdentification {
  const b = exact(bytes, CARD_ICC_IDENTIFICATION_SIZE, 'CardIccIdentification');
  return {
    clockStop: b[0]!,
    cardExtendedSerialNumber: decodeExtendedSerialNumber(b, 1),
    cardApprovalNumber: ia5(b, 9, 8),
    cardPersonaliserId: b[17]!,
    embedderIcAssemblerId: toHex(b.subarray(18, 23)),
    icIdentifier: toHex(b.subarray(23, 25)),
  };
}

/** App. 1 `ExtendedSerialNumber`: serialNumber (4), monthYear BCD MMYY (2), type (1), manufacturerCode (1). */
export function decodeExtendedSerialNumber(b: Uint8Array, offset = 0): ExtendedSerialNumber {
  const bcd = (x: number) => x.toString(16).padStart(2, '0');
  return {
    serialNumber: new DataView(b.buffer, b.byteOffset + offset, 4).getUint32(0),
    monthYear: bcd(b[offset + 4]!) + bcd(b[offset + 5]!),
    type: b[offset + 6]!,
    manufacturerCode: b[offset + 7]!,
  };
}

/** App. 1 `CardChipIdentification` (EF IC): icSerialNumber (4) and icManufacturingReferences (4), hex. */
export interface CardChipIdentification {
  icSerialNumber: string;
  icManufacturingReferences: string;
}
export function encodeCardChipIdentification(v: CardChipIdentification): Uint8Array {
  return concatBytes(fixedHex(v.icSerialNumber, 4, 'icSerialNumber'), fixedHex(v.icManufacturingReferences, 4, 'icManufacturingReferences'));
}
export function decodeCardChipIdentification(bytes: Uint8Array): CardChipIdentification {
  const b = exact(bytes, 8, 'CardChipIdentification');
  return { icSerialNumber: toHex(b.subarray(0, 4)), icManufacturingReferences: toHex(b.subarray(4, 8)) };
}

/**
 * App. 1 `DriverCardApplicationIdentification`: 10 bytes in DF Tachograph (gen1: noOfCardPlaceRecords on one
 * byte), 17 in DF Tachograph_G2 (places on two bytes, then GNSS AD, specific condition and vehicle unit
 * record counts). The gen2-only counts are 0 in a gen1 application.
 */
export interface DriverCardApplicationIdentification {
  generation: CardAppGeneration;
  /** `EquipmentType` of the card (1: driver card). */
  typeOfTachographCardId: number;
  /** 2 bytes hex: '0100' for gen2 version 1 (TCS_152 note). */
  cardStructureVersion: string;
  noOfEventsPerType: number;
  noOfFaultsPerType: number;
  /** `CardActivityLengthRange`: bytes of the activity cyclic buffer. */
  activityStructureLength: number;
  noOfCardVehicleRecords: number;
  noOfCardPlaceRecords: number;
  noOfGnssAdRecords: number;
  noOfSpecificConditionRecords: number;
  noOfCardVehicleUnitRecords: number;
}
export const APPLICATION_IDENTIFICATION_SIZE: Readonly<Record<CardAppGeneration, number>> = { 1: 10, 2: 17 };

export function encodeDriverCardApplicationIdentification(v: DriverCardApplicationIdentification): Uint8Array {
  const out = new Uint8Array(APPLICATION_IDENTIFICATION_SIZE[v.generation]);
  const d = new DataView(out.buffer);
  out[0] = v.typeOfTachographCardId;
  out.set(fixedHex(v.cardStructureVersion, 2, 'cardStructureVersion'), 1);
  out[3] = v.noOfEventsPerType;
  out[4] = v.noOfFaultsPerType;
  d.setUint16(5, v.activityStructureLength);
  d.setUint16(7, v.noOfCardVehicleRecords);
  if (v.generation === 1) {
    out[9] = v.noOfCardPlaceRecords;
    return out;
  }
  d.setUint16(9, v.noOfCardPlaceRecords);
  d.setUint16(11, v.noOfGnssAdRecords);
  d.setUint16(13, v.noOfSpecificConditionRecords);
  d.setUint16(15, v.noOfCardVehicleUnitRecords);
  return out;
}

export function decodeDriverCardApplicationIdentification(bytes: Uint8Array, generation: CardAppGeneration): DriverCardApplicationIdentification {
  const b = exact(bytes, APPLICATION_IDENTIFICATION_SIZE[generation], `DriverCardApplicationIdentification (gen ${generation})`);
  const d = new DataView(b.buffer, b.byteOffset, b.length);
  return {
    generation,
    typeOfTachographCardId: b[0]!,
    cardStructureVersion: toHex(b.subarray(1, 3)),
    noOfEventsPerType: b[3]!,
    noOfFaultsPerType: b[4]!,
    activityStructureLength: d.getUint16(5),
    noOfCardVehicleRecords: d.getUint16(7),
    noOfCardPlaceRecords: generation === 1 ? b[9]! : d.getUint16(9),
    noOfGnssAdRecords: generation === 1 ? 0 : d.getUint16(11),
    noOfSpecificConditionRecords: generation === 1 ? 0 : d.getUint16(13),
    noOfCardVehicleUnitRecords: generation === 1 ? 0 : d.getUint16(15),
  };
}

/** EF Identification of a driver card: App. 1 `CardIdentification` (65) then `DriverCardHolderIdentification` (78). */
export interface DriverCardIdentification {
  cardIssuingMemberState: number;
  cardNumber: string;
  cardIssuingAuthorityName: string;
  /** ms (TimeReal). */
  cardIssueDate: number;
  cardValidityBegin: number;
  cardExpiryDate: number;
  cardHolderName: { surname: string; firstNames: string };
  /** `Datef` as YYYY-MM-DD; null is the App. 2 default {00..00}. */
  cardHolderBirthDate: string | null;
  /** `Language`: 2 IA5 characters (ISO 639). */
  cardHolderPreferredLanguage: string;
}
export const IDENTIFICATION_SIZE = 143;

export function encodeDriverCardIdentification(v: DriverCardIdentification): Uint8Array {
  return concatBytes(
    Uint8Array.of(v.cardIssuingMemberState),
    encodeIa5(v.cardNumber, 16),
    encodeName(v.cardIssuingAuthorityName),
    encodeTimeReal(v.cardIssueDate),
    encodeTimeReal(v.cardValidityBegin),
    encodeTimeReal(v.cardExpiryDate),
    encodeHolderName(v.cardHolderName),
    encodeDatef(v.cardHolderBirthDate),
    encodeIa5(v.cardHolderPreferredLanguage, 2),
  );
}

export function decodeDriverCardIdentification(bytes: Uint8Array): DriverCardIdentification {
  const b = exact(bytes, IDENTIFICATION_SIZE, 'EF Identification (driver card)');
  return {
    cardIssuingMemberState: b[0]!,
    cardNumber: ia5(b, 1, 16),
    cardIssuingAuthorityName: decodeName(b, 17),
    cardIssueDate: decodeTimeReal(b, 53),
    cardValidityBegin: decodeTimeReal(b, 57),
    cardExpiryDate: decodeTimeReal(b, 61),
    cardHolderName: decodeHolderName(b, 65),
    cardHolderBirthDate: decodeDatef(b, 137),
    cardHolderPreferredLanguage: ia5(b, 141, 2),
  };
}

/** App. 1 `Datef`: yyyy mm dd as BCD, 4 bytes; null writes the default {00..00}. */
export function encodeDatef(date: string | null): Uint8Array {
  if (date === null) return new Uint8Array(4);
  const m = /^(\d{2})(\d{2})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`Datef '${date}' is not YYYY-MM-DD`);
  return Uint8Array.from(m.slice(1).map((digits) => parseInt(digits, 16)));
}
export function decodeDatef(b: Uint8Array, offset = 0): string | null {
  const bcd = [...b.subarray(offset, offset + 4)].map((x) => x.toString(16).padStart(2, '0'));
  if (bcd.every((x) => x === '00')) return null;
  return `${bcd[0]}${bcd[1]}-${bcd[2]}-${bcd[3]}`;
}

/** App. 1 `CardDrivingLicenceInformation` (EF Driving_Licence_Info): 53 bytes. */
export interface CardDrivingLicenceInformation {
  drivingLicenceIssuingAuthority: string;
  drivingLicenceIssuingNation: number;
  /** IA5, 16 characters, space padded; empty is the default {20..20}. */
  drivingLicenceNumber: string;
}
export const DRIVING_LICENCE_INFO_SIZE = 53;
export function encodeCardDrivingLicenceInformation(v: CardDrivingLicenceInformation): Uint8Array {
  return concatBytes(encodeName(v.drivingLicenceIssuingAuthority), Uint8Array.of(v.drivingLicenceIssuingNation), encodeIa5(v.drivingLicenceNumber, 16));
}
export function decodeCardDrivingLicenceInformation(bytes: Uint8Array): CardDrivingLicenceInformation {
  const b = exact(bytes, DRIVING_LICENCE_INFO_SIZE, 'CardDrivingLicenceInformation');
  return { drivingLicenceIssuingAuthority: decodeName(b, 0), drivingLicenceIssuingNation: b[36]!, drivingLicenceNumber: ia5(b, 37, 16).replace(/ +$/, '') };
}

/** EF Card_Download of a driver card: `LastCardDownload` (TimeReal); 0 = never (the App. 2 default). */
export function encodeLastCardDownload(ms: number): Uint8Array {
  return encodeTimeReal(ms);
}

/**
 * Sizes of a driver card's EFs in bytes as TCS_150 (gen1) and TCS_154 (gen2) compose them from the record
 * counts of EF Application_Identification. Certificates are not here: their size is the certificate's.
 */
export function driverCardEfSizes(app: DriverCardApplicationIdentification): Map<number, number> {
  const g2 = app.generation === 2;
  const sizes: [number, number][] = [
    [FID.APPLICATION_IDENTIFICATION, APPLICATION_IDENTIFICATION_SIZE[app.generation]],
    [FID.IDENTIFICATION, IDENTIFICATION_SIZE],
    [FID.CARD_DOWNLOAD, 4],
    [FID.DRIVING_LICENCE_INFO, DRIVING_LICENCE_INFO_SIZE],
    // CardEventData: 6 event types in gen1, 11 in gen2, noOfEventsPerType CardEventRecords (24) each
    [FID.EVENTS_DATA, (g2 ? 11 : 6) * app.noOfEventsPerType * CARD_EVENT_RECORD_SIZE],
    // CardFaultData: 2 fault types (equipment, card)
    [FID.FAULTS_DATA, 2 * app.noOfFaultsPerType * CARD_EVENT_RECORD_SIZE],
    // CardDriverActivity: the two pointers, then the cyclic buffer
    [FID.DRIVER_ACTIVITY_DATA, 4 + app.activityStructureLength],
    [FID.VEHICLES_USED, 2 + app.noOfCardVehicleRecords * CARD_VEHICLE_RECORD_SIZE[app.generation]],
    // placePointerNewestRecord is NoOfCardPlaceRecords: one byte in gen1, two in gen2
    [FID.PLACES, (g2 ? 2 : 1) + app.noOfCardPlaceRecords * PLACE_RECORD_SIZE[app.generation]],
    [FID.CURRENT_USAGE, CARD_CURRENT_USE_SIZE],
    [FID.CONTROL_ACTIVITY_DATA, CARD_CONTROL_ACTIVITY_SIZE],
    // gen1: 56 SpecificConditionRecords without a pointer (TCS_150); gen2: a pointer and n9 records
    [FID.SPECIFIC_CONDITIONS, g2 ? 2 + app.noOfSpecificConditionRecords * 5 : 56 * 5],
  ];
  if (g2) {
    sizes.push([FID.VEHICLE_UNITS_USED, 2 + app.noOfCardVehicleUnitRecords * 10]);
    sizes.push([FID.GNSS_PLACES, 2 + app.noOfGnssAdRecords * 18]);
  }
  return new Map(sizes);
}

export const CARD_EVENT_RECORD_SIZE = 24;
export const CARD_VEHICLE_RECORD_SIZE: Readonly<Record<CardAppGeneration, number>> = { 1: 31, 2: 48 };
export const PLACE_RECORD_SIZE: Readonly<Record<CardAppGeneration, number>> = { 1: 10, 2: 21 };
export const CARD_CURRENT_USE_SIZE = 19;
export const CARD_CONTROL_ACTIVITY_SIZE = 46;

/** App. 2 default of a `VehicleRegistrationNumber`: code page 00, then 13 spaces. */
const DEFAULT_VRN = concatBytes(Uint8Array.of(0), new Uint8Array(13).fill(0x20));

/**
 * An EF of a driver card with nothing recorded yet: every field at its App. 2 default value (zeros, a
 * VehicleRegistrationNumber {00, 20..20}, a CardNumber or VIN {20..20}), pointers 0.
 */
export function emptyDriverCardEf(fid: number, app: DriverCardApplicationIdentification): Uint8Array {
  const size = driverCardEfSizes(app).get(fid);
  if (size === undefined) throw new Error(`EF ${fid.toString(16)} has no default content here`);
  switch (fid) {
    case FID.EVENTS_DATA:
    case FID.FAULTS_DATA:
      // CardEventRecord / CardFaultRecord: type, begin, end, nation, VRN
      return repeat(concatBytes(new Uint8Array(10), DEFAULT_VRN), size / CARD_EVENT_RECORD_SIZE);
    case FID.VEHICLES_USED: {
      const g2 = app.generation === 2;
      const record = concatBytes(new Uint8Array(15), DEFAULT_VRN, new Uint8Array(2), g2 ? new Uint8Array(17).fill(0x20) : new Uint8Array(0));
      return concatBytes(new Uint8Array(2), repeat(record, app.noOfCardVehicleRecords));
    }
    case FID.CURRENT_USAGE:
      return concatBytes(new Uint8Array(5), DEFAULT_VRN);
    case FID.CONTROL_ACTIVITY_DATA:
      // controlType, controlTime, controlCardNumber (type, state, number {20..20}), vehicle, period
      return concatBytes(new Uint8Array(7), new Uint8Array(16).fill(0x20), new Uint8Array(1), DEFAULT_VRN, new Uint8Array(8));
    default:
      return new Uint8Array(size);
  }
}

function repeat(record: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(record.length * times);
  for (let i = 0; i < times; i++) out.set(record, i * record.length);
  return out;
}

function fixedHex(hex: string, size: number, what: string): Uint8Array {
  if (!new RegExp(`^[0-9a-fA-F]{${2 * size}}$`).test(hex)) throw new Error(`${what} is ${size} bytes as hex, got '${hex}'`);
  return Uint8Array.from({ length: size }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

function exact(bytes: Uint8Array, size: number, what: string): Uint8Array {
  if (bytes.length !== size) throw new Error(`${what} is ${size} bytes, got ${bytes.length}`);
  return bytes;
}

function ia5(b: Uint8Array, offset: number, size: number): string {
  return String.fromCharCode(...b.subarray(offset, offset + size));
}
