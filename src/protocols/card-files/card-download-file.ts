import { concatBytes } from '../../crypto/bytes.ts';
import { DecodeError } from '../decode-error.ts';
import { dfOfTag, efName, FID, TAG_APPENDIX, type CardDf } from './card-file-ids.ts';

/**
 * A card download as the ESM keeps it (App. 7 §3.4, DDP_040..046) and as a VU forwards it inside TREP 06
 * (DDP_049): TLV objects, each a 3-byte tag (FID ‖ appendix), a 2-byte length and the value, a signature
 * directly after the data it signs.
 */

/** What the card file readers throw on bytes that do not split into TLVs (App. 7 §3.4.2). */
export class CardFileError extends DecodeError {}

/** One EF of a card as the card holds it. */
export interface CardEf {
  df: CardDf;
  fid: number;
  data: Uint8Array;
}

/** A card's EFs, in App. 2 order within each DF. */
export interface CardImage {
  generation: 1 | 2;
  efs: CardEf[];
}

/** PSO: Compute Digital Signature over the file's data (the card hashes it first, Perform Hash of File). */
export type CardSigner = (data: Uint8Array) => Uint8Array;

export interface CardTlv {
  fid: number;
  appendix: number;
  value: Uint8Array;
}

/** DDP_044: 'FF FF' is reserved, so a value is at most 65 534 bytes. */
export const MAX_TLV_VALUE = 0xfffe;

export function encodeCardTlv(t: CardTlv): Uint8Array {
  if (t.value.length > MAX_TLV_VALUE) throw new Error(`EF ${t.fid.toString(16)}: ${t.value.length} bytes do not fit a TLV length (DDP_044)`);
  return concatBytes(Uint8Array.of(t.fid >>> 8, t.fid & 0xff, t.appendix, t.value.length >>> 8, t.value.length & 0xff), t.value);
}

/** The TLV objects of a card file; throws naming the byte where the structure breaks. */
export function readCardTlvs(file: Uint8Array): CardTlv[] {
  const { tlvs, problem } = scanCardTlvs(file);
  if (problem) throw new CardFileError(problem);
  return tlvs;
}

/** A TLV and the byte of the file its tag starts at. */
export interface PlacedCardTlv extends CardTlv {
  offset: number;
}

/**
 * The TLV objects up to where the structure breaks, and what breaks it (naming the byte): a damaged TLV ends
 * the reading, as nothing marks where the next one starts, but what came before is kept.
 */
export function scanCardTlvs(file: Uint8Array): { tlvs: PlacedCardTlv[]; problem?: string } {
  const tlvs: PlacedCardTlv[] = [];
  let at = 0;
  const broken = (problem: string) => ({ tlvs, problem });
  while (at < file.length) {
    if (at + 5 > file.length) return broken(`byte ${at}: ${file.length - at} bytes left, too few for a tag and a length`);
    const fid = (file[at]! << 8) | file[at + 1]!;
    const appendix = file[at + 2]!;
    const length = (file[at + 3]! << 8) | file[at + 4]!;
    if (appendix > TAG_APPENDIX.SIGNATURE_G2) return broken(`byte ${at}: tag appendix ${appendix.toString(16)} is not 00..03 (DDP_046)`);
    if (length === 0xffff) return broken(`byte ${at + 3}: length FFFF is reserved (DDP_044)`);
    if (at + 5 + length > file.length) return broken(`byte ${at}: ${efName(fid, dfOfTag(fid, appendix))} says ${length} bytes, ${file.length - at - 5} follow`);
    tlvs.push({ fid, appendix, value: file.subarray(at + 5, at + 5 + length), offset: at });
    at += 5 + length;
  }
  return { tlvs };
}

const CERTIFICATES_G1: readonly number[] = [FID.CARD_CERTIFICATE, FID.CA_CERTIFICATE];
const CERTIFICATES_G2: readonly number[] = [FID.CARD_SIGN_CERTIFICATE, FID.CA_CERTIFICATE, FID.LINK_CERTIFICATE];
/** DDP_035: EF Card_Download (a driver's '050E', a workshop's '0509') and a workshop card's Sensor_Installation_Data stay on the card. */
const NOT_DOWNLOADED: readonly number[] = [FID.CARD_DOWNLOAD, FID.WORKSHOP_CARD_DOWNLOAD, FID.SENSOR_INSTALLATION_DATA];

export interface CardDownloadSigners {
  /** App. 11 Part A (RSA, CSM_034) for DF Tachograph; absent: those EFs go without signature. */
  g1?: CardSigner;
  /** App. 11 Part B (ECDSA) for DF Tachograph_G2. */
  g2?: CardSigner;
}

/**
 * DDP_035 in order: EF ICC and IC (unsigned); DF Tachograph: Card_Certificate and CA_Certificate (unsigned),
 * then every other EF but Card_Download (and a workshop card's Sensor_Installation_Data), each followed by its
 * signature; for a gen2 card DF Tachograph_G2: CardSignCertificate, CA_Certificate and Link_Certificate when
 * present (unsigned), then every other EF but those and CardMA_Certificate (not named by DDP_035/037), each
 * followed by its signature. A control or company card has no CardSignCertificate (CSM_83): its
 * CardMA_Certificate goes first, unsigned, in its place (the key its signatures check against, README).
 */
export function encodeCardDownload(image: CardImage, signers: CardDownloadSigners): Uint8Array {
  const parts: Uint8Array[] = [];
  const put = (ef: CardEf, appendix: number) => parts.push(encodeCardTlv({ fid: ef.fid, appendix, value: ef.data }));
  const of = (df: CardDf) => image.efs.filter((e) => e.df === df);
  for (const fid of [FID.ICC, FID.IC]) {
    const ef = of('mf').find((e) => e.fid === fid);
    if (ef) put(ef, TAG_APPENDIX.DATA_G1);
  }
  const dfPart = (df: CardDf, certificates: readonly number[], skip: readonly number[], data: number, signature: number, sign?: CardSigner) => {
    const efs = of(df);
    for (const fid of certificates) {
      const ef = efs.find((e) => e.fid === fid);
      if (ef) put(ef, data);
    }
    for (const ef of efs) {
      if (certificates.includes(ef.fid) || skip.includes(ef.fid)) continue;
      put(ef, data);
      // DDP_046: the signature directly after the data it signs
      if (sign) parts.push(encodeCardTlv({ fid: ef.fid, appendix: signature, value: sign(ef.data) }));
    }
  };
  dfPart('tachograph', CERTIFICATES_G1, NOT_DOWNLOADED, TAG_APPENDIX.DATA_G1, TAG_APPENDIX.SIGNATURE_G1, signers.g1);
  if (image.generation === 2) {
    const withSign = of('tachograph-g2').some((e) => e.fid === FID.CARD_SIGN_CERTIFICATE);
    const certificates = withSign ? CERTIFICATES_G2 : [FID.CARD_CERTIFICATE, FID.CA_CERTIFICATE, FID.LINK_CERTIFICATE];
    dfPart('tachograph-g2', certificates, withSign ? [...NOT_DOWNLOADED, FID.CARD_CERTIFICATE] : NOT_DOWNLOADED, TAG_APPENDIX.DATA_G2, TAG_APPENDIX.SIGNATURE_G2, signers.g2);
  }
  return concatBytes(...parts);
}
