import { concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import { verifyChain } from '../../crypto/pki/chain.ts';
import { EQUIPMENT_TYPE } from '../../crypto/pki/cv-certificate.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { verifyG1Chain } from '../../crypto/pki-g1/chain-g1.ts';
import { verifyDataG1 } from '../../crypto/pki-g1/data-signature.ts';
import { cardTypeOfEquipment, type CardType } from '../app1/card-type.ts';
import { DecodeError } from '../decode-error.ts';
import { cardDfLayout } from './card-file-layout.ts';
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
  const out: CardTlv[] = [];
  let at = 0;
  while (at < file.length) {
    if (at + 5 > file.length) throw new CardFileError(`byte ${at}: ${file.length - at} bytes left, too few for a tag and a length`);
    const fid = (file[at]! << 8) | file[at + 1]!;
    const appendix = file[at + 2]!;
    const length = (file[at + 3]! << 8) | file[at + 4]!;
    if (appendix > TAG_APPENDIX.SIGNATURE_G2) throw new CardFileError(`byte ${at}: tag appendix ${appendix.toString(16)} is not 00..03 (DDP_046)`);
    if (length === 0xffff) throw new CardFileError(`byte ${at + 3}: length FFFF is reserved (DDP_044)`);
    if (at + 5 + length > file.length) throw new CardFileError(`byte ${at}: ${efName(fid, dfOfTag(fid, appendix))} says ${length} bytes, ${file.length - at - 5} follow`);
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

export interface VerifyCardFileOptions {
  /**
   * The card's generation when the caller knows it (a gen2 card's DF Tachograph_G2 is then required). A file
   * without DF Tachograph_G2 is otherwise read as a gen1 card's: DDP_035 leaves that DF out for a gen2 card
   * downloaded during a non-EU control with a gen1 control card, and nothing signed in DF Tachograph says
   * which generation the card is.
   */
  generation?: 1 | 2;
}

/** One EF of the file: its data and the signature that directly follows it (DDP_046). */
interface FileEf {
  data: Uint8Array;
  signature?: Uint8Array;
}

/**
 * CSM_234 and CSM_035 by the IDE, over what DDP_035 says a download of that card carries
 * (card-file-layout.ts). The file's TLVs in the DDP_035 order (EF ICC and IC, unsigned; DF Tachograph; DF
 * Tachograph_G2), each signature directly after the data it signs (DDP_046), no EF twice. Per DF: its
 * certificates unsigned, the chain to a trusted key (DF Tachograph, App. 11 Part A: Card_Certificate →
 * CA_Certificate → a European public key, 144 bytes KID ‖ n ‖ e; DF Tachograph_G2, Part B: CardSignCertificate →
 * CA_Certificate (→ Link_Certificate) → a root certificate); the card type from the verified certificate
 * (and EF Application_Identification must agree); then every EF that card type's download carries present
 * and its signature verified, and no EF a download leaves out or the card type does not have. DF Tachograph
 * is mandatory; DF Tachograph_G2 is checked when present or when `options.generation` is 2. Problems name
 * the DF and the EF.
 */
export function verifyCardFile(file: Uint8Array, roots: readonly Uint8Array[], at: number, eurPublicKeys: readonly Uint8Array[] = [], options: VerifyCardFileOptions = {}): CardFileVerification {
  let tlvs: CardTlv[];
  try {
    tlvs = readCardTlvs(file);
  } catch (error) {
    if (!(error instanceof CardFileError)) throw error;
    return { ok: false, verified: [], problems: [`unreadable: ${error.message}`] };
  }
  const problems: string[] = [];
  const verified: string[] = [];
  const efs = sequence(tlvs, problems);
  const g1 = efs.tachograph;
  const g2 = efs['tachograph-g2'];
  let g1Type: CardType | undefined;
  if (g1.size === 0) problems.push('no DF Tachograph files (DDP_035: mandatory for every card)');
  else g1Type = verifyDf('tachograph', g1, g1Verifier(g1, eurPublicKeys, at), verified, problems);
  if (g2.size > 0) {
    const g2Type = verifyDf('tachograph-g2', g2, g2Verifier(g2, roots, at), verified, problems);
    if (g1Type && g2Type && g1Type !== g2Type) problems.push(`DF Tachograph is a ${g1Type} card's, DF Tachograph_G2 a ${g2Type} card's`);
  } else if (options.generation === 2) {
    problems.push("no DF Tachograph_G2 files: a gen2 card's download carries them (DDP_035)");
  }
  return { ok: problems.length === 0, verified, problems };
}

const DF_NAME: Record<CardDf, string> = { mf: 'MF', tachograph: 'DF Tachograph', 'tachograph-g2': 'DF Tachograph_G2' };
const DATA_OF: Record<CardDf, number> = { mf: TAG_APPENDIX.DATA_G1, tachograph: TAG_APPENDIX.DATA_G1, 'tachograph-g2': TAG_APPENDIX.DATA_G2 };
const DF_ORDER: Record<CardDf, number> = { mf: 0, tachograph: 1, 'tachograph-g2': 2 };

/** The file's EFs by DF, in file order, checking the sequence as it goes (DDP_035 order, DDP_046 pairing). */
function sequence(tlvs: readonly CardTlv[], problems: string[]): Record<'tachograph' | 'tachograph-g2', Map<number, FileEf>> {
  const out = { tachograph: new Map<number, FileEf>(), 'tachograph-g2': new Map<number, FileEf>() };
  const common = new Set<number>();
  let furthest: CardDf = 'mf';
  tlvs.forEach((t, i) => {
    const df = dfOfTag(t.fid, t.appendix);
    const isSignature = t.appendix === TAG_APPENDIX.SIGNATURE_G1 || t.appendix === TAG_APPENDIX.SIGNATURE_G2;
    const name = `${DF_NAME[df]} ${efName(t.fid, df)}`;
    if (DF_ORDER[df] < DF_ORDER[furthest]) problems.push(`${isSignature ? `signature of ${name}` : name} comes after ${DF_NAME[furthest]}'s files (DDP_035: EF ICC and IC, DF Tachograph, then DF Tachograph_G2)`);
    else furthest = df;
    if (df === 'mf') {
      if (isSignature) problems.push(`${name}: the common card information is downloaded unsigned (DDP_035)`);
      else if (common.has(t.fid)) problems.push(`${name} comes twice`);
      common.add(t.fid);
      return;
    }
    const efs = out[df];
    if (isSignature) {
      const before = tlvs[i - 1];
      const ef = efs.get(t.fid);
      // DDP_046: the signature directly after the data it signs; anything else (an EF re-tagged as its own signature) is not one
      if (!before || before.fid !== t.fid || before.appendix !== DATA_OF[df] || !ef) problems.push(`signature of ${name} does not directly follow its data (DDP_046)`);
      else if (ef.signature) problems.push(`signature of ${name} comes twice`);
      else ef.signature = t.value;
      return;
    }
    if (efs.has(t.fid)) problems.push(`${name} comes twice`);
    else efs.set(t.fid, { data: t.value });
  });
  return out;
}

type EfVerifier = { verify: (data: Uint8Array, signature: Uint8Array) => boolean; cardType: CardType } | { problem: string };

/**
 * One DF: the chain, the card type, then every EF against what that card type's download carries. Returns the
 * card type the DF is of, when known (from the verified certificate, else from EF Application_Identification).
 */
function verifyDf(df: 'tachograph' | 'tachograph-g2', efs: Map<number, FileEf>, verifier: EfVerifier, verified: string[], problems: string[]): CardType | undefined {
  const dfName = DF_NAME[df];
  const named = (fid: number) => `${dfName} ${efName(fid, df)}`;
  if ('problem' in verifier) problems.push(`${dfName} certificates: ${verifier.problem}`);
  const appId = efs.get(FID.APPLICATION_IDENTIFICATION)?.data;
  // App. 1 CardApplicationIdentification of every card type: typeOfTachographCardId, then cardStructureVersion
  const appIdType = appId && appId.length >= 3 ? cardTypeOfEquipment(appId[0]!) : undefined;
  if (appId && !appIdType) problems.push(`${named(FID.APPLICATION_IDENTIFICATION)}: typeOfTachographCardId ${appId[0] ?? '(none)'} is not a card type`);
  const cardType = 'cardType' in verifier ? verifier.cardType : appIdType;
  if ('cardType' in verifier && appIdType && appIdType !== verifier.cardType) {
    problems.push(`${named(FID.APPLICATION_IDENTIFICATION)} says a ${appIdType} card, the card's certificate a ${verifier.cardType} card`);
  }
  const layout = cardType ? cardDfLayout(cardType, df, appId ? toHex(appId.subarray(1, 3)) : '') : undefined;
  const certificates = layout?.certificates ?? (df === 'tachograph' ? [FID.CARD_CERTIFICATE, FID.CA_CERTIFICATE] : [FID.CARD_SIGN_CERTIFICATE, FID.CA_CERTIFICATE, FID.LINK_CERTIFICATE]);
  for (const [fid, ef] of efs) {
    const name = named(fid);
    if (certificates.includes(fid)) {
      if (ef.signature) problems.push(`${name}: a certificate is downloaded unsigned (DDP_035)`);
      continue;
    }
    if (layout?.notDownloaded.includes(fid)) problems.push(`${name}: not part of a card download (DDP_035)`);
    else if (layout && !layout.signed.includes(fid) && !layout.optional.includes(fid)) problems.push(`${name}: not an EF of a ${cardType} card (App. 2 ${layout.requirement})`);
    if (!ef.signature) problems.push(`${name}: no signature follows its data (DDP_046)`);
    else if (!('verify' in verifier)) continue;
    else if (verifier.verify(ef.data, ef.signature)) verified.push(name);
    else problems.push(`${name}: signature verification failed`);
  }
  const required = layout?.signed ?? [FID.APPLICATION_IDENTIFICATION, FID.IDENTIFICATION];
  for (const fid of required) {
    if (!efs.has(fid)) problems.push(`${named(fid)} missing: ${cardType ? `a ${cardType} card's download carries it (DDP_035, App. 2 ${layout!.requirement})` : 'mandatory in every download (DDP_035)'}`);
  }
  return cardType;
}

/** App. 11 Part A: CSM_019 down to EUR.PK, then CSM_035 with the card's RSA key; the card type from the certificate's CHA. */
function g1Verifier(g1: Map<number, FileEf>, eurPublicKeys: readonly Uint8Array[], at: number): EfVerifier {
  const card = g1.get(FID.CARD_CERTIFICATE)?.data;
  const ca = g1.get(FID.CA_CERTIFICATE)?.data;
  if (!card || !ca) return { problem: 'Card_Certificate or CA_Certificate missing (DDP_035: mandatory)' };
  if (eurPublicKeys.length === 0) return { problem: 'no trusted European public key to verify them with (CSM_035)' };
  try {
    const chain = verifyG1Chain({ eqt: card, ca, eurPublicKeys, at });
    const cardType = cardTypeOfEquipment(chain.eqt.equipmentType)!;
    return { verify: (data, signature) => verifyDataG1(chain.eqt.publicKey, data, signature), cardType };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** App. 11 Part B: CSM_234's chain to a trusted root, then ECDSA with the card's Card_Sign key (17 driver, 18 workshop). */
function g2Verifier(g2: Map<number, FileEf>, roots: readonly Uint8Array[], at: number): EfVerifier {
  const sign = g2.get(FID.CARD_SIGN_CERTIFICATE)?.data;
  const ca = g2.get(FID.CA_CERTIFICATE)?.data;
  if (!sign || !ca) return { problem: 'CardSignCertificate or CA_Certificate missing (DDP_035: mandatory)' };
  try {
    const link = g2.get(FID.LINK_CERTIFICATE)?.data;
    const chain = verifyChain({
      eqt: sign,
      ca,
      ...(link ? { link } : {}),
      roots,
      at,
      eqtTypes: [EQUIPMENT_TYPE.driverCardSign, EQUIPMENT_TYPE.workshopCardSign],
    });
    const curve = chain.eqt.curve;
    const point = fromHex(chain.eqt.publicPoint);
    const cardType: CardType = chain.eqt.equipmentType === EQUIPMENT_TYPE.driverCardSign ? 'driver' : 'workshop';
    return { verify: (data, signature) => verifyPlain(curve, point, data, signature), cardType };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
