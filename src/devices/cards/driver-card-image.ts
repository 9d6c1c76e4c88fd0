import { fromHex } from '../../crypto/bytes.ts';
import {
  emptyDriverCardEf,
  encodeCardDownload,
  encodeCardChipIdentification,
  encodeCardDrivingLicenceInformation,
  encodeCardIccIdentification,
  encodeDriverCardApplicationIdentification,
  encodeDriverCardIdentification,
  encodeLastCardDownload,
  FID,
  type CardDf,
  type CardEf,
  type CardIccIdentification,
  type CardImage,
  type DriverCardApplicationIdentification,
  type DriverCardIdentification,
} from '../../protocols/card-files/index.ts';
import { cardCredentials, cardExtendedSerialNumber, cardG1Credentials, cardSigner, cardSignerG1 } from './card-credentials.ts';
import { cardExpiryDate, cardValidityBegin } from './card.ts';
import type { DriverCard, VirtualCard } from './card-schema.ts';
import { EQUIPMENT_TYPE } from '../../protocols/app1/card-type.ts';
import { v2CardEfs } from '../../protocols/card-files/card-v2-efs.ts';

/**
 * The EF image of an emulated driver card (App. 2 TCS_142 MF, TCS_148/150 DF Tachograph, TCS_152/154 DF
 * Tachograph_G2 of a gen2 version 1 card), from the card's options. What the rig knows of the card is
 * written (ICC, IC, application identification, identification, the gen1 and gen2 certificates); every file the VU
 * would write while the card is used (events, faults, activities, vehicles, places, current usage, controls,
 * specific conditions, vehicle units, GNSS places, last download) holds its App. 2 default content, at the
 * exact size its record counts give, until a VU writes the sessions into it (vu/cards/card-writer.ts, issue 15).
 */

/** TCS_155: a gen2 driver card's record counts (the minimum is the maximum in gen2). */
export const DRIVER_CARD_G2_COUNTS = {
  noOfEventsPerType: 12,
  noOfFaultsPerType: 24,
  // 56 days of 117 activity changes: 13 776 bytes
  activityStructureLength: 13_776,
  noOfCardVehicleRecords: 200,
  noOfCardPlaceRecords: 112,
  noOfGnssAdRecords: 336,
  noOfSpecificConditionRecords: 112,
  noOfCardVehicleUnitRecords: 200,
} as const;

/** TCS_151 maxima for the gen1 application (DF Tachograph) of a gen2 card, and for a gen1 card (a choice within min..max). */
export const DRIVER_CARD_G1_COUNTS = {
  noOfEventsPerType: 12,
  noOfFaultsPerType: 24,
  activityStructureLength: 13_776,
  noOfCardVehicleRecords: 200,
  noOfCardPlaceRecords: 112,
  noOfGnssAdRecords: 0,
  noOfSpecificConditionRecords: 0,
  noOfCardVehicleUnitRecords: 0,
} as const;

export function driverCardApplicationIdentification(generation: 1 | 2, structureVersion: 1 | 2 = 1): DriverCardApplicationIdentification {
  return {
    generation,
    typeOfTachographCardId: EQUIPMENT_TYPE.driver,
    // TCS_152 note: {01 00} for version 1 of the gen2 driver card, {01 01} for version 2; the gen1 application writes {00 00} (a choice)
    cardStructureVersion: generation === 2 ? (structureVersion === 2 ? '0101' : '0100') : '0000',
    ...(generation === 2 ? DRIVER_CARD_G2_COUNTS : DRIVER_CARD_G1_COUNTS),
  };
}

/** EF ICC (any card type). Approval number 'e1-TC-01' and personaliser 0x40 are the rig's (choices); the embedder and IC identifiers keep their App. 2 defaults. */
export function driverCardIcc(card: VirtualCard): CardIccIdentification {
  return {
    clockStop: 0,
    cardExtendedSerialNumber: cardExtendedSerialNumber(card),
    cardApprovalNumber: 'e1-TC-01',
    cardPersonaliserId: 0x40,
    embedderIcAssemblerId: '0000000000',
    icIdentifier: '0000',
  };
}

/**
 * EF Identification from the options: the issue date is cardValidityBegin, the issuing authority name and the
 * birth date keep their App. 2 defaults (the options have neither), the language is the card's.
 */
export function driverCardIdentification(card: DriverCard): DriverCardIdentification {
  return {
    cardIssuingMemberState: card.issuingMemberState.numeric,
    cardNumber: card.cardNumber,
    cardIssuingAuthorityName: '',
    cardIssueDate: cardValidityBegin(card),
    cardValidityBegin: cardValidityBegin(card),
    cardExpiryDate: cardExpiryDate(card),
    cardHolderName: card.holder,
    cardHolderBirthDate: null,
    cardHolderPreferredLanguage: card.language,
  };
}

const DYNAMIC_G1 = [FID.EVENTS_DATA, FID.FAULTS_DATA, FID.DRIVER_ACTIVITY_DATA, FID.VEHICLES_USED, FID.PLACES, FID.CURRENT_USAGE, FID.CONTROL_ACTIVITY_DATA, FID.SPECIFIC_CONDITIONS];
const DYNAMIC_G2 = [...DYNAMIC_G1, FID.VEHICLE_UNITS_USED, FID.GNSS_PLACES];

/** The card's EFs, each DF in the App. 2 table order (TCS_148, TCS_152). `pkiSeed` picks the test PKIs (gen1 and gen2) of the certificates. */
export function driverCardImage(card: DriverCard, options: { pkiSeed?: number } = {}): CardImage {
  const icc = driverCardIcc(card);
  const identification = encodeDriverCardIdentification(driverCardIdentification(card));
  // the options carry no driving licence: the App. 2 defaults
  const licence = encodeCardDrivingLicenceInformation({ drivingLicenceIssuingAuthority: '', drivingLicenceIssuingNation: 0, drivingLicenceNumber: '' });
  const efs: CardEf[] = [
    { df: 'mf', fid: FID.ICC, data: encodeCardIccIdentification(icc) },
    // EF IC: the chip's serial number is taken to be the card's (a choice)
    { df: 'mf', fid: FID.IC, data: encodeCardChipIdentification({ icSerialNumber: icc.cardExtendedSerialNumber.serialNumber.toString(16).padStart(8, '0'), icManufacturingReferences: '00000000' }) },
  ];
  const application = (df: CardDf, generation: 1 | 2, certificates: CardEf[]) => {
    const app = driverCardApplicationIdentification(generation, generation === 2 ? card.structureVersion : 1);
    efs.push({ df, fid: FID.APPLICATION_IDENTIFICATION, data: encodeDriverCardApplicationIdentification(app) }, ...certificates);
    efs.push({ df, fid: FID.IDENTIFICATION, data: identification });
    efs.push({ df, fid: FID.CARD_DOWNLOAD, data: encodeLastCardDownload(0) });
    efs.push({ df, fid: FID.DRIVING_LICENCE_INFO, data: licence });
    for (const fid of generation === 2 ? DYNAMIC_G2 : DYNAMIC_G1) efs.push({ df, fid, data: emptyDriverCardEf(fid, app) });
    // Issue 15: a version 2 card's EFs (App. 2 TCS_154, TCS_155), App. 2 default content (card-v2-efs.ts)
    if (generation === 2 && card.structureVersion === 2) efs.push(...v2CardEfs(df, app));
  };
  const g1 = cardG1Credentials(card, options.pkiSeed);
  application('tachograph', 1, [
    { df: 'tachograph', fid: FID.CARD_CERTIFICATE, data: fromHex(g1.card.certificate) },
    { df: 'tachograph', fid: FID.CA_CERTIFICATE, data: fromHex(g1.caCertificate) },
  ]);
  if (card.generation === 2) {
    const creds = cardCredentials(card, options.pkiSeed);
    // no Link_Certificate: the test PKI has one root generation
    application('tachograph-g2', 2, [
      { df: 'tachograph-g2', fid: FID.CARD_CERTIFICATE, data: fromHex(creds.cardMa.certificate) },
      { df: 'tachograph-g2', fid: FID.CARD_SIGN_CERTIFICATE, data: fromHex(creds.cardSign!.certificate) },
      { df: 'tachograph-g2', fid: FID.CA_CERTIFICATE, data: fromHex(creds.mscaCertificate) },
    ]);
  }
  return { generation: card.generation, efs };
}

/**
 * What a VU forwards for TRTP 06 (DDP_049) and an IDE stores (§3.4.2): the card's files in DDP_035 order, DF
 * Tachograph's each signed with the card's gen1 RSA key (App. 11 Part A, CSM_034), a gen2 card's DF
 * Tachograph_G2 files each signed with its Card_Sign key (Part B).
 */
export function driverCardDownload(card: DriverCard, options: { pkiSeed?: number } = {}): Uint8Array {
  const image = driverCardImage(card, options);
  const g1 = cardSignerG1(card, options.pkiSeed);
  return encodeCardDownload(image, card.generation === 2 ? { g1, g2: cardSigner(card, options.pkiSeed) } : { g1 });
}
