import type { CardType } from './card-type.ts';
import { readExtendedSerialNumber, type ExtendedSerialNumberField } from './identification-fields.ts';
import { RecordReader } from './record-reader.ts';

/**
 * What identifies a card and its holder: EF ICC (App. 1 2.23 `CardIccIdentification`, 25 bytes), EF IC (2.13
 * `CardChipIdentification`, 8), EF Identification (2.24 `CardIdentification`, 65, then the holder: 2.62 driver
 * 78, 2.237 workshop 146, 2.52 control 146, 2.49 company 74) and EF Driving_Licence_Info (2.18, 53). Names and
 * addresses in their code pages (code-page.ts).
 */
export interface CardIccIdentification {
  clockStop: number;
  cardExtendedSerialNumber: ExtendedSerialNumberField;
  cardApprovalNumber: string;
  cardPersonaliserID: number;
  /** 2.65: countryCode (IA5 2), moduleEmbedder (BCD 2, as its 4 digits), manufacturerInformation. */
  embedderIcAssemblerId: { countryCode: string; moduleEmbedder: string; manufacturerInformation: number };
  icIdentifier: string;
}

export function decodeCardIccIdentification(value: Uint8Array, problems: string[] = []): CardIccIdentification {
  const r = new RecordReader(value, 0, 25, 'CardIccIdentification', problems);
  return {
    clockStop: r.u8(0),
    cardExtendedSerialNumber: readExtendedSerialNumber(r, 1),
    cardApprovalNumber: r.ia5(9, 8),
    cardPersonaliserID: r.u8(17),
    embedderIcAssemblerId: { countryCode: r.ia5(18, 2), moduleEmbedder: r.hex(20, 2), manufacturerInformation: r.u8(22) },
    icIdentifier: r.hex(23, 2),
  };
}

export interface CardChipIdentification {
  icSerialNumber: string;
  icManufacturingReferences: string;
}

export function decodeCardChipIdentification(value: Uint8Array, problems: string[] = []): CardChipIdentification {
  const r = new RecordReader(value, 0, 8, 'CardChipIdentification', problems);
  return { icSerialNumber: r.hex(0, 4), icManufacturingReferences: r.hex(4, 4) };
}

export interface CardIdentification {
  cardIssuingMemberState: number;
  cardNumber: string;
  cardIssuingAuthorityName: string;
  cardIssueDate: string | null;
  cardValidityBegin: string | null;
  cardExpiryDate: string | null;
}

export interface HolderName {
  holderSurname: string;
  holderFirstNames: string;
}

export type CardHolderIdentification =
  | { cardHolderName: HolderName; cardHolderBirthDate: string | null; cardHolderPreferredLanguage: string }
  | { workshopName: string; workshopAddress: string; cardHolderName: HolderName; cardHolderPreferredLanguage: string }
  | { controlBodyName: string; controlBodyAddress: string; cardHolderName: HolderName; cardHolderPreferredLanguage: string }
  | { companyName: string; companyAddress: string; cardHolderPreferredLanguage: string };

/** EF Identification: CardIdentification then the holder identification of the card type. */
export interface CardIdentificationAndHolder {
  cardIdentification: CardIdentification;
  cardHolderIdentification: CardHolderIdentification;
}

export const IDENTIFICATION_SIZES: Readonly<Record<CardType, number>> = { driver: 143, workshop: 211, control: 211, company: 139 };

export function decodeCardIdentificationAndHolder(value: Uint8Array, cardType: CardType, problems: string[] = []): CardIdentificationAndHolder {
  const size = IDENTIFICATION_SIZES[cardType];
  const r = new RecordReader(value, 0, size, `${cardType} card Identification`, problems);
  if (value.length !== size) problems.push(`${r.what}: ${value.length} bytes, App. 1 gives ${size}; the rest is ignored`);
  const cardIdentification: CardIdentification = {
    cardIssuingMemberState: r.u8(0),
    cardNumber: r.ia5(1, 16),
    cardIssuingAuthorityName: r.codePaged(17, 36, 'cardIssuingAuthorityName'),
    cardIssueDate: r.time(53),
    cardValidityBegin: r.time(57),
    cardExpiryDate: r.time(61),
  };
  const holderName = (at: number): HolderName => ({ holderSurname: r.codePaged(at, 36, 'holderSurname'), holderFirstNames: r.codePaged(at + 36, 36, 'holderFirstNames') });
  let holder: CardHolderIdentification;
  if (cardType === 'driver') holder = { cardHolderName: holderName(65), cardHolderBirthDate: readDatef(r, 137, 'cardHolderBirthDate'), cardHolderPreferredLanguage: r.ia5(141, 2) };
  else if (cardType === 'workshop') holder = { workshopName: r.codePaged(65, 36, 'workshopName'), workshopAddress: r.codePaged(101, 36, 'workshopAddress'), cardHolderName: holderName(137), cardHolderPreferredLanguage: r.ia5(209, 2) };
  else if (cardType === 'control') holder = { controlBodyName: r.codePaged(65, 36, 'controlBodyName'), controlBodyAddress: r.codePaged(101, 36, 'controlBodyAddress'), cardHolderName: holderName(137), cardHolderPreferredLanguage: r.ia5(209, 2) };
  else holder = { companyName: r.codePaged(65, 36, 'companyName'), companyAddress: r.codePaged(101, 36, 'companyAddress'), cardHolderPreferredLanguage: r.ia5(137, 2) };
  return { cardIdentification, cardHolderIdentification: holder };
}

/** App. 1 2.57 `Datef`: yyyy mm dd in BCD; 'YYYY-MM-DD', null for App. 2's default {00..00}. */
export function readDatef(r: RecordReader, at: number, field: string): string | null {
  const digits = r.hex(at, 4);
  if (digits === '00000000') return null;
  if (!/^[0-9]{8}$/.test(digits)) r.note(field, `Datef '${digits}' is not BCD`);
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
}

export interface CardDrivingLicenceInformation {
  drivingLicenceIssuingAuthority: string;
  drivingLicenceIssuingNation: number;
  drivingLicenceNumber: string;
}

export function decodeCardDrivingLicenceInformation(value: Uint8Array, problems: string[] = []): CardDrivingLicenceInformation {
  const r = new RecordReader(value, 0, 53, 'CardDrivingLicenceInformation', problems);
  return { drivingLicenceIssuingAuthority: r.codePaged(0, 36, 'drivingLicenceIssuingAuthority'), drivingLicenceIssuingNation: r.u8(36), drivingLicenceNumber: r.ia5(37, 16) };
}
