import type { CardType } from './card-type.ts';
import { cardTypeOfEquipment } from './card-type.ts';
import { RecordReader } from './record-reader.ts';

/**
 * EF Application_Identification of each card type (App. 1 2.61, 2.234, 2.50, 2.48): typeOfTachographCardId
 * (EquipmentType), cardStructureVersion (2.36: '0000' gen1, '0100' gen2 v1, '0101' gen2 v2), then the record
 * counts that size the card's other EFs (App. 2 TCS_150..178). Gen1 driver 10 bytes, gen2 17; workshop 11 and
 * 19; control and company 5. EF Application_Identification_V2 (2.61a, 2.234a, 2.50a, 2.48a, gen2 v2):
 * lengthOfFollowingData, then for driver and workshop cards the border crossing, load/unload and load type
 * counts and VuConfigurationLengthRange (10 bytes; App. 2 TCS_154/162), for control and company cards
 * VuConfigurationLengthRange alone (4).
 */
interface Common {
  typeOfTachographCardId: number;
  cardStructureVersion: string;
}

export interface DriverCardApplicationIdentification extends Common {
  noOfEventsPerType: number;
  noOfFaultsPerType: number;
  activityStructureLength: number;
  noOfCardVehicleRecords: number;
  noOfCardPlaceRecords: number;
  /** Gen2 only. */
  noOfGNSSADRecords?: number;
  noOfSpecificConditionRecords?: number;
  noOfCardVehicleUnitRecords?: number;
}

export interface WorkshopCardApplicationIdentification extends DriverCardApplicationIdentification {
  noOfCalibrationRecords: number;
}

export interface ControlCardApplicationIdentification extends Common {
  noOfControlActivityRecords: number;
}

export interface CompanyCardApplicationIdentification extends Common {
  noOfCompanyActivityRecords: number;
}

export type CardApplicationIdentification =
  | ({ cardType: 'driver' } & DriverCardApplicationIdentification)
  | ({ cardType: 'workshop' } & WorkshopCardApplicationIdentification)
  | ({ cardType: 'control' } & ControlCardApplicationIdentification)
  | ({ cardType: 'company' } & CompanyCardApplicationIdentification);

export const APPLICATION_IDENTIFICATION_SIZES: Readonly<Record<CardType, Readonly<Record<1 | 2, number>>>> = {
  driver: { 1: 10, 2: 17 },
  workshop: { 1: 11, 2: 19 },
  control: { 1: 5, 2: 5 },
  company: { 1: 5, 2: 5 },
};

/**
 * The card type comes from typeOfTachographCardId; `fallback` (the card type other EFs or the certificate
 * show) is used when that byte names no card, and the mismatch noted. The size must be the type's.
 */
export function decodeCardApplicationIdentification(value: Uint8Array, generation: 1 | 2, problems: string[] = [], fallback?: CardType): CardApplicationIdentification {
  const named = cardTypeOfEquipment(value[0] ?? 0);
  const cardType = named ?? fallback ?? inferFromSize(value.length, generation);
  if (!named) problems.push(`CardApplicationIdentification typeOfTachographCardId: ${value[0] ?? '(none)'} names no card type; read as a ${cardType} card's`);
  const r = new RecordReader(value, 0, APPLICATION_IDENTIFICATION_SIZES[cardType][generation], `${cardType} card ApplicationIdentification`, problems);
  if (value.length !== r.bytes.length) problems.push(`${r.what}: ${value.length} bytes, App. 1 gives ${r.bytes.length}; the rest is ignored`);
  const common = { typeOfTachographCardId: r.u8(0), cardStructureVersion: r.hex(1, 2) };
  if (cardType === 'control') return { cardType, ...common, noOfControlActivityRecords: r.u16(3) };
  if (cardType === 'company') return { cardType, ...common, noOfCompanyActivityRecords: r.u16(3) };
  const counts = { noOfEventsPerType: r.u8(3), noOfFaultsPerType: r.u8(4), activityStructureLength: r.u16(5), noOfCardVehicleRecords: r.u16(7) };
  if (cardType === 'driver') {
    if (generation === 1) return { cardType, ...common, ...counts, noOfCardPlaceRecords: r.u8(9) };
    return { cardType, ...common, ...counts, noOfCardPlaceRecords: r.u16(9), noOfGNSSADRecords: r.u16(11), noOfSpecificConditionRecords: r.u16(13), noOfCardVehicleUnitRecords: r.u16(15) };
  }
  if (generation === 1) return { cardType, ...common, ...counts, noOfCardPlaceRecords: r.u8(9), noOfCalibrationRecords: r.u8(10) };
  return {
    cardType,
    ...common,
    ...counts,
    noOfCardPlaceRecords: r.u16(9),
    noOfCalibrationRecords: r.u16(11),
    noOfGNSSADRecords: r.u16(13),
    noOfSpecificConditionRecords: r.u16(15),
    noOfCardVehicleUnitRecords: r.u16(17),
  };
}

/** Without a type byte: the sizes tell driver (10/17) and workshop (11/19); 5 bytes could be control or company. */
function inferFromSize(size: number, generation: 1 | 2): CardType {
  if (size === APPLICATION_IDENTIFICATION_SIZES.workshop[generation]) return 'workshop';
  if (size === APPLICATION_IDENTIFICATION_SIZES.control[generation]) return 'control';
  return 'driver';
}

export interface CardApplicationIdentificationV2 {
  lengthOfFollowingData: number;
  /** Driver and workshop cards. */
  noOfBorderCrossingRecords?: number;
  noOfLoadUnloadRecords?: number;
  noOfLoadTypeEntryRecords?: number;
  vuConfigurationLengthRange: number;
}

export function decodeCardApplicationIdentificationV2(value: Uint8Array, cardType: CardType, problems: string[] = []): CardApplicationIdentificationV2 {
  const holdsRecords = cardType === 'driver' || cardType === 'workshop';
  const r = new RecordReader(value, 0, holdsRecords ? 10 : 4, `${cardType} card ApplicationIdentificationV2`, problems);
  const lengthOfFollowingData = r.u16(0);
  // 2.89a LengthOfFollowingData: what follows; a later version may add fields after the ones App. 1 names
  if (lengthOfFollowingData !== value.length - 2) problems.push(`${r.what} lengthOfFollowingData: ${lengthOfFollowingData}, but ${value.length - 2} bytes follow`);
  if (!holdsRecords) return { lengthOfFollowingData, vuConfigurationLengthRange: r.u16(2) };
  return { lengthOfFollowingData, noOfBorderCrossingRecords: r.u16(2), noOfLoadUnloadRecords: r.u16(4), noOfLoadTypeEntryRecords: r.u16(6), vuConfigurationLengthRange: r.u16(8) };
}
