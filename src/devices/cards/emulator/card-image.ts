import { concatBytes, fromHex } from '../../../crypto/bytes.ts';
import { encodeHolderName, encodeIa5, encodeName, encodeTimeReal } from '../../../protocols/app1/app1-codec.ts';
import { encodeCardChipIdentification, encodeCardCurrentUse, encodeCardIccIdentification, FID, NO_SESSION, type CardEf, type CardImage } from '../../../protocols/card-files/index.ts';
import { cardCredentials, cardG1Credentials } from '../card-credentials.ts';
import { cardExpiryDate, cardValidityBegin, type VirtualCard } from '../card.ts';
import { driverCardIcc, driverCardImage } from '../driver-card-image.ts';
import { emptyUseEf, USE_EFS, useApplicationOf } from '../../../protocols/card-files/card-use-efs.ts';
import {
  COMPANY_CARD_ACTIVITY_RECORDS,
  CONTROL_CARD_ACTIVITY_RECORDS,
  EMPTY_ACTIVITY_RECORD,
  emptyActivityRecords,
  emptyWorkshopCalibrationData,
  encodeControlOrCompanyApplicationIdentification,
  encodeWorkshopCardApplicationIdentification,
  WORKSHOP_CALIBRATION_RECORDS,
} from '../../../protocols/card-files/card-holder-records.ts';
import { controlOrCompanyV2CardEfs, v2CardEfs, WORKSHOP_CARD_V2_COUNTS } from '../../../protocols/card-files/card-v2-efs.ts';

/**
 * The EFs a card is personalised with, for every card type. A driver card is the full App. 2 image of
 * driver-card-image.ts (TCS_142, TCS_148, TCS_152). Workshop, control and company cards hold, for now, what the
 * VU reads of them at insertion: EF ICC and EF IC (the driver card's choices), EF DIR, the certificates of each
 * application (gen1 Card_Certificate and CA_Certificate; gen2 CardMA_Certificate, CardSignCertificate for a
 * workshop card, CA_Certificate) and EF Identification (App. 1 CardIdentification and the holder's
 * identification of the card type), and a workshop card EF Current_Usage. Issue 15: the EFs the VU writes on
 * them, at their App. 2 sizes (card-holder-records.ts), with EF Application_Identification that sizes them: a
 * control card's EF Controller_Activity_Data (TCS_164, TCS_168), a company card's EF Company_Activity_Data
 * (TCS_172, TCS_176), a workshop card's EF Calibration, EF Card_Download ('0509') and EF Control_Activity_Data
 * (TCS_156, TCS_160), and the records of its use as a driver card's (events, faults, activities, vehicles,
 * places, specific conditions; gen2 the VUs used and GNSS places: card-use-efs.ts).
 */

/** App. 2 TCS_145: EF DIR lists the two applications' AIDs. */
export const EF_DIR = fromHex('61 08 4F 06 FF 54 41 43 48 4F 61 08 4F 06 FF 53 4D 52 44 54');

export function cardImage(card: VirtualCard, pkiSeed?: number): CardImage {
  if (card.type === 'driver') {
    const image = driverCardImage(card, { pkiSeed });
    return { ...image, efs: [...image.efs.slice(0, 2), { df: 'mf', fid: FID_DIR, data: EF_DIR }, ...image.efs.slice(2)] };
  }
  const icc = driverCardIcc(card);
  const efs: CardEf[] = [
    { df: 'mf', fid: FID.ICC, data: encodeCardIccIdentification(icc) },
    { df: 'mf', fid: FID.IC, data: encodeCardChipIdentification({ icSerialNumber: icc.cardExtendedSerialNumber.serialNumber.toString(16).padStart(8, '0'), icManufacturingReferences: '00000000' }) },
    { df: 'mf', fid: FID_DIR, data: EF_DIR },
  ];
  const identification = concatBytes(cardIdentification(card), holderIdentification(card));
  const g1 = cardG1Credentials(card, pkiSeed);
  efs.push(
    { df: 'tachograph', fid: FID.CARD_CERTIFICATE, data: fromHex(g1.card.certificate) },
    { df: 'tachograph', fid: FID.CA_CERTIFICATE, data: fromHex(g1.caCertificate) },
    { df: 'tachograph', fid: FID.IDENTIFICATION, data: identification },
  );
  // TCS_156, TCS_160: a workshop card keeps card session data as a driver card does (Annex IC 145, 150)
  if (card.type === 'workshop') efs.push({ df: 'tachograph', fid: FID.CURRENT_USAGE, data: encodeCardCurrentUse(NO_SESSION) });
  efs.push(...recordEfs(card, 'tachograph', 1));
  if (card.generation === 2) {
    const creds = cardCredentials(card, pkiSeed);
    efs.push({ df: 'tachograph-g2', fid: FID.CARD_CERTIFICATE, data: fromHex(creds.cardMa.certificate) });
    if (creds.cardSign) efs.push({ df: 'tachograph-g2', fid: FID.CARD_SIGN_CERTIFICATE, data: fromHex(creds.cardSign.certificate) });
    efs.push({ df: 'tachograph-g2', fid: FID.CA_CERTIFICATE, data: fromHex(creds.mscaCertificate) }, { df: 'tachograph-g2', fid: FID.IDENTIFICATION, data: identification });
    if (card.type === 'workshop') efs.push({ df: 'tachograph-g2', fid: FID.CURRENT_USAGE, data: encodeCardCurrentUse(NO_SESSION) });
    efs.push(...recordEfs(card, 'tachograph-g2', 2));
  }
  return { generation: card.generation, efs };
}

/** Issue 15: the EFs the VU writes on a workshop, control or company card in one application, as personalised (App. 2 defaults). */
function recordEfs(card: Exclude<VirtualCard, { type: 'driver' }>, df: 'tachograph' | 'tachograph-g2', generation: 1 | 2): CardEf[] {
  const type = card.type;
  // App. 2 TCS_160, TCS_168, TCS_176 notes: version 2 (cardStructureVersion {01 01}) in DF Tachograph_G2 only
  const version2 = generation === 2 && card.structureVersion === 2;
  if (type === 'control' || type === 'company') {
    const [records, activityFid] = type === 'control' ? [CONTROL_CARD_ACTIVITY_RECORDS, FID.CONTROLLER_ACTIVITY_DATA] : [COMPANY_CARD_ACTIVITY_RECORDS, FID.COMPANY_ACTIVITY_DATA];
    return [
      { df, fid: FID.APPLICATION_IDENTIFICATION, data: encodeControlOrCompanyApplicationIdentification(type, generation, records, version2 ? 2 : 1) },
      { df, fid: activityFid, data: emptyActivityRecords(records) },
      // issue 15: TCS_168 / TCS_176's version 2 EFs, EF VU_Configuration at TCS_171 / TCS_179's n13
      ...(version2 ? controlOrCompanyV2CardEfs(df) : []),
    ];
  }
  const application = encodeWorkshopCardApplicationIdentification(generation, version2 ? 2 : 1);
  const app = useApplicationOf(application, generation, 'workshop');
  return [
    { df, fid: FID.APPLICATION_IDENTIFICATION, data: application },
    // TCS_156, TCS_160 (issue 15): the records of the card's use, as a driver card's, at the workshop card's counts
    ...USE_EFS[generation].map((fid) => ({ df, fid, data: emptyUseEf(fid, app, 'workshop') })),
    // App. 1 2.101 NoOfCalibrationsSinceDownload: 0
    { df, fid: FID.WORKSHOP_CARD_DOWNLOAD, data: new Uint8Array(2) },
    { df, fid: FID.CALIBRATION, data: emptyWorkshopCalibrationData(generation) },
    { df, fid: FID.CONTROL_ACTIVITY_DATA, data: EMPTY_ACTIVITY_RECORD },
    // issue 15: TCS_160's version 2 EFs at TCS_163's counts (card-v2-efs.ts), EF Calibration_Add_Data beside EF Calibration's n5
    ...(version2 ? v2CardEfs(df, app, WORKSHOP_CARD_V2_COUNTS, { noOfCalibrationRecords: WORKSHOP_CALIBRATION_RECORDS[2] }) : []),
  ];
}

/** TCS_142: EF DIR's file identifier. */
export const FID_DIR = 0x2f00;

/**
 * App. 1 CardIdentification (65 bytes): issuing Member State, card number, issuing authority (App. 2 default:
 * empty), issue date (= validity begin, as the driver card image writes it), validity begin, expiry date.
 */
export function cardIdentification(card: VirtualCard): Uint8Array {
  return concatBytes(
    Uint8Array.of(card.issuingMemberState.numeric),
    encodeIa5(card.cardNumber, 16),
    encodeName(''),
    encodeTimeReal(cardValidityBegin(card)),
    encodeTimeReal(cardValidityBegin(card)),
    encodeTimeReal(cardExpiryDate(card)),
  );
}

/**
 * App. 1 WorkshopCardHolderIdentification and ControlCardHolderIdentification (name, address, holder name,
 * language: 146 bytes), CompanyCardHolderIdentification (name, address, language: 74 bytes). An address the
 * options leave out is the App. 2 default, empty.
 */
function holderIdentification(card: Exclude<VirtualCard, { type: 'driver' }>): Uint8Array {
  const language = encodeIa5(card.language, 2);
  const address = encodeName(card.address ?? '');
  if (card.type === 'company') return concatBytes(encodeName(card.companyName), address, language);
  const body = card.type === 'workshop' ? card.workshopName : card.controlBodyName;
  return concatBytes(encodeName(body), address, encodeHolderName(card.holder), language);
}
