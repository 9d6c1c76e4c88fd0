import { concatBytes, fromHex } from '../../crypto/bytes.ts';
import { verifyChain } from '../../crypto/pki/chain.ts';
import { EQUIPMENT_TYPE } from '../../crypto/pki/cv-certificate.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { dfOfTag, efName, FID, TAG_APPENDIX, type CardDf } from './card-file-ids.ts';

/**
 * A card download as the ESM keeps it (App. 7 §3.4, DDP_040..046) and as a VU forwards it inside TREP 06
 * (DDP_049): TLV objects, each a 3-byte tag (FID ‖ appendix), a 2-byte length and the value, a signature
 * directly after the data it signs.
 */

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
  const out: CardTlv[] = [];
  let at = 0;
  while (at < file.length) {
    if (at + 5 > file.length) throw new Error(`byte ${at}: ${file.length - at} bytes left, too few for a tag and a length`);
    const fid = (file[at]! << 8) | file[at + 1]!;
    const appendix = file[at + 2]!;
    const length = (file[at + 3]! << 8) | file[at + 4]!;
    if (appendix > TAG_APPENDIX.SIGNATURE_G2) throw new Error(`byte ${at}: tag appendix ${appendix.toString(16)} is not 00..03 (DDP_046)`);
    if (length === 0xffff) throw new Error(`byte ${at + 3}: length FFFF is reserved (DDP_044)`);
    if (at + 5 + length > file.length) throw new Error(`byte ${at}: ${efName(fid, dfOfTag(fid, appendix))} says ${length} bytes, ${file.length - at - 5} follow`);
    out.push({ fid, appendix, value: file.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return out;
}

const CERTIFICATES_G1: readonly number[] = [FID.CARD_CERTIFICATE, FID.CA_CERTIFICATE];
const CERTIFICATES_G2: readonly number[] = [FID.CARD_SIGN_CERTIFICATE, FID.CA_CERTIFICATE, FID.LINK_CERTIFICATE];

export interface CardDownloadSigners {
  /** App. 11 Part A (RSA) for DF Tachograph; absent: those EFs go without signature (see the README). */
  g1?: CardSigner;
  /** App. 11 Part B (ECDSA) for DF Tachograph_G2. */
  g2?: CardSigner;
}

/**
 * DDP_035 in order: EF ICC and IC (unsigned); DF Tachograph: Card_Certificate and CA_Certificate (unsigned),
 * then every other EF but Card_Download, each followed by its signature; for a gen2 card DF Tachograph_G2:
 * CardSignCertificate, CA_Certificate and Link_Certificate when present (unsigned), then every other EF but
 * Card_Download and CardMA_Certificate (not named by DDP_035/037), each followed by its signature.
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
  dfPart('tachograph', CERTIFICATES_G1, [FID.CARD_DOWNLOAD], TAG_APPENDIX.DATA_G1, TAG_APPENDIX.SIGNATURE_G1, signers.g1);
  if (image.generation === 2) {
    dfPart('tachograph-g2', CERTIFICATES_G2, [FID.CARD_DOWNLOAD, FID.CARD_CERTIFICATE], TAG_APPENDIX.DATA_G2, TAG_APPENDIX.SIGNATURE_G2, signers.g2);
  }
  return concatBytes(...parts);
}

export interface CardFileVerification {
  ok: boolean;
  /** EFs of DF Tachograph_G2 whose signature verified. */
  verified: string[];
  problems: string[];
}

/**
 * CSM_234 by the IDE for the DF Tachograph_G2 part: the chain CardSignCertificate → CA_Certificate → a
 * trusted root, then each EF's signature (the TLV after it) with the card's Card_Sign key. DF Tachograph
 * (App. 11 Part A, RSA) is not verified here: the rig has no gen1 PKI.
 */
export function verifyCardFile(file: Uint8Array, roots: readonly Uint8Array[], at: number): CardFileVerification {
  let tlvs: CardTlv[];
  try {
    tlvs = readCardTlvs(file);
  } catch (error) {
    return { ok: false, verified: [], problems: [`unreadable: ${(error as Error).message}`] };
  }
  const g2 = tlvs.filter((t) => t.appendix === TAG_APPENDIX.DATA_G2 || t.appendix === TAG_APPENDIX.SIGNATURE_G2);
  if (g2.length === 0) return { ok: false, verified: [], problems: ['no DF Tachograph_G2 files: nothing to verify with App. 11 Part B'] };
  const sign = g2.find((t) => t.fid === FID.CARD_SIGN_CERTIFICATE && t.appendix === TAG_APPENDIX.DATA_G2);
  const ca = g2.find((t) => t.fid === FID.CA_CERTIFICATE && t.appendix === TAG_APPENDIX.DATA_G2);
  if (!sign || !ca) return { ok: false, verified: [], problems: ['DF Tachograph_G2: CardSignCertificate or CA_Certificate missing (DDP_035: mandatory)'] };
  let curve;
  let point;
  try {
    const link = g2.find((t) => t.fid === FID.LINK_CERTIFICATE && t.appendix === TAG_APPENDIX.DATA_G2);
    const chain = verifyChain({
      eqt: sign.value,
      ca: ca.value,
      ...(link ? { link: link.value } : {}),
      roots,
      at,
      eqtTypes: [EQUIPMENT_TYPE.driverCardSign, EQUIPMENT_TYPE.workshopCardSign],
    });
    curve = chain.eqt.curve;
    point = fromHex(chain.eqt.publicPoint);
  } catch (error) {
    return { ok: false, verified: [], problems: [`DF Tachograph_G2 certificates: ${(error as Error).message}`] };
  }
  const problems: string[] = [];
  const verified: string[] = [];
  for (let i = 0; i < g2.length; i++) {
    const t = g2[i]!;
    if (t.appendix !== TAG_APPENDIX.DATA_G2 || CERTIFICATES_G2.includes(t.fid)) continue;
    const name = efName(t.fid, 'tachograph-g2');
    const next = g2[i + 1];
    if (!next || next.fid !== t.fid || next.appendix !== TAG_APPENDIX.SIGNATURE_G2) {
      problems.push(`${name}: no signature follows its data (DDP_046)`);
      continue;
    }
    if (verifyPlain(curve, point, t.value, next.value)) verified.push(name);
    else problems.push(`${name}: signature verification failed`);
  }
  return { ok: problems.length === 0, verified, problems };
}
