import { toHex } from '../../crypto/bytes.ts';
import { decodeCertificate } from '../../crypto/pki/cv-certificate.ts';
import type { RsaPublicKey } from '../../crypto/pki-g1/rsa-keys.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { dfOfTag, efName, FID, TAG_APPENDIX, type CardDf } from './card-file-ids.ts';
import {
  decodeCardChipIdentification,
  decodeCardDrivingLicenceInformation,
  decodeCardIccIdentification,
  decodeDriverCardApplicationIdentification,
  decodeDriverCardIdentification,
} from './card-ef-codec.ts';
import { readCardTlvs } from './card-download-file.ts';
import { g1IssuerKeys, isAllZero, NO_LINK_CERTIFICATE, openG1CertificateRecord } from './card-certificate-records.ts';

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

export interface DecodeCardFileOptions {
  /**
   * European public keys (144 bytes: KID ‖ n ‖ e) to open DF Tachograph's certificates with: a gen1
   * certificate's CHR, CHA and EOV lie inside its signature (App. 11 CSM_018), readable only with the
   * issuer's key. Default: the rig's gen1 test key for the default PKI seed.
   */
  eurPublicKeys?: readonly Uint8Array[];
}

/**
 * A card download file (App. 7 §3.4.2) as a list of its EFs: EF ICC, IC, Application_Identification,
 * Identification and Driving_Licence_Info into fields, certificates into their CAR, CHR, CHA and dates (gen1:
 * opened with a known European key, then with the MS key recovered from CA_Certificate; without one, the CAR
 * alone), every other EF and every signature as sized hex. Opening a gen1 certificate checks its 9796-2
 * signature; trust (which keys to accept) is verifyCardFile's. Throws a CardFileError only when the TLV structure is broken.
 */
export function decodeCardFile(file: Uint8Array, options: DecodeCardFileOptions = {}): DecodedCardEf[] {
  const tlvs = readCardTlvs(file);
  const ca = tlvs.find((t) => t.fid === FID.CA_CERTIFICATE && t.appendix === TAG_APPENDIX.DATA_G1)?.value;
  const g1Keys = g1IssuerKeys(ca, options.eurPublicKeys ?? [TestPkiG1.of().eurPublicKeyBytes()]);
  return tlvs.map((t) => {
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
      if (df === 'tachograph' && (t.fid === FID.CARD_CERTIFICATE || t.fid === FID.CA_CERTIFICATE)) return { ...base, ...decodeG1Certificate(t.value, g1Keys) };
      const fields = decodeFields(t.fid, df, t.value);
      return fields === undefined ? { ...base, hex: toHex(t.value) } : { ...base, fields };
    } catch (error) {
      // the EF decoders refuse bad values with Error or RangeError; a TypeError is a bug of the rig's, not the file's
      if (error instanceof TypeError || error instanceof ReferenceError) throw error;
      return { ...base, hex: toHex(t.value), error: (error as Error).message };
    }
  });
}

/** A gen1 certificate opened with the key its CAR names, or its CAR and why not (with the bytes as hex). */
function decodeG1Certificate(value: Uint8Array, keys: Map<string, RsaPublicKey>): { fields: unknown; hex?: string } {
  const record = openG1CertificateRecord(value, keys);
  return 'opened' in record ? { fields: record, hex: toHex(value) } : { fields: record };
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
      if (fid === FID.LINK_CERTIFICATE && isAllZero(value)) return { present: false, reason: NO_LINK_CERTIFICATE };
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
