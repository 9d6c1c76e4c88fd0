import { concatBytes, fromHex } from '../../../crypto/bytes.ts';
import { encodeHolderName, encodeIa5, encodeName, encodeTimeReal } from '../../../protocols/app1/app1-codec.ts';
import { encodeCardChipIdentification, encodeCardCurrentUse, encodeCardIccIdentification, FID, NO_SESSION, type CardEf, type CardImage } from '../../../protocols/card-files/index.ts';
import { cardCredentials, cardG1Credentials } from '../card-credentials.ts';
import { cardExpiryDate, cardValidityBegin, type VirtualCard } from '../card.ts';
import { driverCardIcc, driverCardImage } from '../driver-card-image.ts';

/**
 * The EFs a card is personalised with, for every card type. A driver card is the full App. 2 image of
 * driver-card-image.ts (TCS_142, TCS_148, TCS_152). Workshop, control and company cards hold, for now, what the
 * VU reads of them at insertion: EF ICC and EF IC (the driver card's choices), EF DIR, the certificates of each
 * application (gen1 Card_Certificate and CA_Certificate; gen2 CardMA_Certificate, CardSignCertificate for a
 * workshop card, CA_Certificate) and EF Identification (App. 1 CardIdentification and the holder's
 * identification of the card type), and a workshop card EF Current_Usage. Their other EFs (calibration, controller and company activity, the
 * driver-card-like records of a workshop card) are not personalised yet (README, cards).
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
  if (card.generation === 2) {
    const creds = cardCredentials(card, pkiSeed);
    efs.push({ df: 'tachograph-g2', fid: FID.CARD_CERTIFICATE, data: fromHex(creds.cardMa.certificate) });
    if (creds.cardSign) efs.push({ df: 'tachograph-g2', fid: FID.CARD_SIGN_CERTIFICATE, data: fromHex(creds.cardSign.certificate) });
    efs.push({ df: 'tachograph-g2', fid: FID.CA_CERTIFICATE, data: fromHex(creds.mscaCertificate) }, { df: 'tachograph-g2', fid: FID.IDENTIFICATION, data: identification });
    if (card.type === 'workshop') efs.push({ df: 'tachograph-g2', fid: FID.CURRENT_USAGE, data: encodeCardCurrentUse(NO_SESSION) });
  }
  return { generation: card.generation, efs };
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
