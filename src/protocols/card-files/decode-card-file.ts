import { toHex } from '../../crypto/bytes.ts';
import { decodeCertificate } from '../../crypto/pki/cv-certificate.ts';
import { dfOfTag, efName, FID, TAG_APPENDIX, type CardDf } from './card-file-ids.ts';
import {
  decodeCardChipIdentification,
  decodeCardDrivingLicenceInformation,
  decodeCardIccIdentification,
  decodeDriverCardApplicationIdentification,
  decodeDriverCardIdentification,
} from './card-ef-codec.ts';
import { readCardTlvs } from './card-download-file.ts';

export interface DecodedCardEf {
  /** The TLV tag, 6 hex digits (FID ‖ appendix). */
  tag: string;
  name: string;
  df: CardDf;
  kind: 'data' | 'signature';
  size: number;
  /** Typed fields for the EFs decoded here; the others are given as hex. */
  fields?: unknown;
  hex?: string;
  error?: string;
}

/**
 * A card download file (App. 7 §3.4.2) as a list of its EFs: EF ICC, IC, Application_Identification,
 * Identification and Driving_Licence_Info into fields, gen2 certificates into their CHR/CAR and dates, every
 * other EF and every signature as sized hex. Throws only when the TLV structure itself is broken.
 */
export function decodeCardFile(file: Uint8Array): DecodedCardEf[] {
  return readCardTlvs(file).map((t) => {
    const df = dfOfTag(t.fid, t.appendix);
    const signature = t.appendix === TAG_APPENDIX.SIGNATURE_G1 || t.appendix === TAG_APPENDIX.SIGNATURE_G2;
    const base = {
      tag: toHex(Uint8Array.of(t.fid >>> 8, t.fid & 0xff, t.appendix)),
      name: signature ? `signature of ${efName(t.fid, df)}` : efName(t.fid, df),
      df,
      kind: signature ? ('signature' as const) : ('data' as const),
      size: t.value.length,
    };
    if (signature) return { ...base, hex: toHex(t.value) };
    try {
      const fields = decodeFields(t.fid, df, t.value);
      return fields === undefined ? { ...base, hex: toHex(t.value) } : { ...base, fields };
    } catch (error) {
      return { ...base, hex: toHex(t.value), error: (error as Error).message };
    }
  });
}

function decodeFields(fid: number, df: CardDf, value: Uint8Array): unknown {
  const generation = df === 'tachograph-g2' ? 2 : 1;
  switch (fid) {
    case FID.ICC:
      return decodeCardIccIdentification(value);
    case FID.IC:
      return decodeCardChipIdentification(value);
    case FID.APPLICATION_IDENTIFICATION:
      return decodeDriverCardApplicationIdentification(value, generation);
    case FID.IDENTIFICATION:
      return decodeDriverCardIdentification(value);
    case FID.DRIVING_LICENCE_INFO:
      return decodeCardDrivingLicenceInformation(value);
    case FID.CARD_CERTIFICATE:
    case FID.CARD_SIGN_CERTIFICATE:
    case FID.CA_CERTIFICATE:
    case FID.LINK_CERTIFICATE: {
      // gen1 certificates are RSA (App. 11 Part A), not CV certificates of Part B
      if (df !== 'tachograph-g2') return undefined;
      const c = decodeCertificate(value);
      return { car: c.car, chr: c.chr, equipmentType: c.equipmentType, curve: c.curve, effectiveDate: new Date(c.effectiveDate).toISOString(), expirationDate: new Date(c.expirationDate).toISOString() };
    }
    default:
      return undefined;
  }
}

/** Whether a download file is a card's (TLV, App. 7 §3.4) rather than a VU's (SID 76 ‖ TREP blocks, DDP_034). */
export function isCardFile(file: Uint8Array): boolean {
  return file.length > 0 && file[0] !== 0x76;
}
