import { concatBytes, fromHex } from '../../crypto/bytes.ts';
import { verifyChain } from '../../crypto/pki/chain.ts';
import { EQUIPMENT_TYPE } from '../../crypto/pki/cv-certificate.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { verifyG1Chain } from '../../crypto/pki-g1/chain-g1.ts';
import { verifyDataG1 } from '../../crypto/pki-g1/data-signature.ts';
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
  /** App. 11 Part A (RSA, CSM_034) for DF Tachograph; absent: those EFs go without signature. */
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
  /** The EFs whose signature verified, as "DF Tachograph EF Identification", "DF Tachograph_G2 EF Identification". */
  verified: string[];
  problems: string[];
}

/**
 * CSM_234 and CSM_035 by the IDE: for DF Tachograph (App. 11 Part A) the chain Card_Certificate →
 * CA_Certificate → a trusted European public key (144 bytes: KID ‖ n ‖ e), then each EF's RSA signature (the
 * TLV after it, appendix 01); for DF Tachograph_G2 (Part B) the chain CardSignCertificate → CA_Certificate
 * (→ Link_Certificate) → a trusted root certificate, then each EF's ECDSA signature (appendix 03). DF
 * Tachograph is mandatory (DDP_035); DF Tachograph_G2 is checked when present (a gen1 card, or a gen2 card
 * downloaded for a non-EU control with a gen1 control card, has none). Problems name the DF and the EF.
 */
export function verifyCardFile(file: Uint8Array, roots: readonly Uint8Array[], at: number, eurPublicKeys: readonly Uint8Array[] = []): CardFileVerification {
  let tlvs: CardTlv[];
  try {
    tlvs = readCardTlvs(file);
  } catch (error) {
    return { ok: false, verified: [], problems: [`unreadable: ${(error as Error).message}`] };
  }
  const problems: string[] = [];
  const verified: string[] = [];
  const g1 = tlvs.filter((t) => (t.appendix === TAG_APPENDIX.DATA_G1 || t.appendix === TAG_APPENDIX.SIGNATURE_G1) && dfOfTag(t.fid, t.appendix) === 'tachograph');
  const g2 = tlvs.filter((t) => t.appendix === TAG_APPENDIX.DATA_G2 || t.appendix === TAG_APPENDIX.SIGNATURE_G2);
  if (g1.length === 0) problems.push('no DF Tachograph files (DDP_035: mandatory for every card)');
  else verifyDf(g1, 'tachograph', g1Verifier(g1, eurPublicKeys, at), verified, problems);
  if (g2.length > 0) verifyDf(g2, 'tachograph-g2', g2Verifier(g2, roots, at), verified, problems);
  return { ok: problems.length === 0, verified, problems };
}

type EfVerifier = { verify: (data: Uint8Array, signature: Uint8Array) => boolean } | { problem: string };

const DF_NAME: Record<CardDf, string> = { mf: 'MF', tachograph: 'DF Tachograph', 'tachograph-g2': 'DF Tachograph_G2' };
const DATA_OF: Record<CardDf, number> = { mf: TAG_APPENDIX.DATA_G1, tachograph: TAG_APPENDIX.DATA_G1, 'tachograph-g2': TAG_APPENDIX.DATA_G2 };
const SIGNATURE_OF: Record<CardDf, number> = { mf: TAG_APPENDIX.SIGNATURE_G1, tachograph: TAG_APPENDIX.SIGNATURE_G1, 'tachograph-g2': TAG_APPENDIX.SIGNATURE_G2 };

function verifyDf(tlvs: CardTlv[], df: CardDf, verifier: EfVerifier, verified: string[], problems: string[]): void {
  if ('problem' in verifier) {
    problems.push(`${DF_NAME[df]} certificates: ${verifier.problem}`);
    return;
  }
  const certificates = df === 'tachograph' ? CERTIFICATES_G1 : CERTIFICATES_G2;
  for (let i = 0; i < tlvs.length; i++) {
    const t = tlvs[i]!;
    if (t.appendix !== DATA_OF[df] || certificates.includes(t.fid)) continue;
    const name = `${DF_NAME[df]} ${efName(t.fid, df)}`;
    const next = tlvs[i + 1];
    // DDP_046: the signature directly after the data it signs
    if (!next || next.fid !== t.fid || next.appendix !== SIGNATURE_OF[df]) problems.push(`${name}: no signature follows its data (DDP_046)`);
    else if (verifier.verify(t.value, next.value)) verified.push(name);
    else problems.push(`${name}: signature verification failed`);
  }
}

/** App. 11 Part A: CSM_019 down to EUR.PK, then CSM_035 with the card's RSA key. */
function g1Verifier(g1: CardTlv[], eurPublicKeys: readonly Uint8Array[], at: number): EfVerifier {
  const card = g1.find((t) => t.fid === FID.CARD_CERTIFICATE && t.appendix === TAG_APPENDIX.DATA_G1);
  const ca = g1.find((t) => t.fid === FID.CA_CERTIFICATE && t.appendix === TAG_APPENDIX.DATA_G1);
  if (!card || !ca) return { problem: 'Card_Certificate or CA_Certificate missing (DDP_035: mandatory)' };
  if (eurPublicKeys.length === 0) return { problem: 'no trusted European public key to verify them with (CSM_035)' };
  try {
    const chain = verifyG1Chain({ eqt: card.value, ca: ca.value, eurPublicKeys, at });
    return { verify: (data, signature) => verifyDataG1(chain.eqt.publicKey, data, signature) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** App. 11 Part B: CSM_234's chain to a trusted root, then ECDSA with the card's Card_Sign key. */
function g2Verifier(g2: CardTlv[], roots: readonly Uint8Array[], at: number): EfVerifier {
  const sign = g2.find((t) => t.fid === FID.CARD_SIGN_CERTIFICATE && t.appendix === TAG_APPENDIX.DATA_G2);
  const ca = g2.find((t) => t.fid === FID.CA_CERTIFICATE && t.appendix === TAG_APPENDIX.DATA_G2);
  if (!sign || !ca) return { problem: 'CardSignCertificate or CA_Certificate missing (DDP_035: mandatory)' };
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
    const curve = chain.eqt.curve;
    const point = fromHex(chain.eqt.publicPoint);
    return { verify: (data, signature) => verifyPlain(curve, point, data, signature) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
