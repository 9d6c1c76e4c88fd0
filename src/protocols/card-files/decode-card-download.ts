import { toHex } from '../../crypto/bytes.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import {
  decodeCardApplicationIdentification,
  decodeCardApplicationIdentificationV2,
  type CardApplicationIdentification,
  type CardApplicationIdentificationV2,
} from '../app1/card-application-identification.ts';
import { cardTypeOfEquipment, type CardType } from '../app1/card-type.ts';
import { DecodeError } from '../decode-error.ts';
import { scanCardTlvs, type PlacedCardTlv } from './card-download-file.ts';
import { g1IssuerKeys, g2CertificateRecord, isAllZero, NO_LINK_CERTIFICATE, openG1CertificateRecord, type CertificateRecord } from './card-certificate-records.ts';
import { decodeCardEfContent, type EfContext, type TypedEf } from './card-ef-records.ts';
import { dfOfTag, efName, FID, TAG_APPENDIX, type CardDf } from './card-file-ids.ts';
import { summarizeCardFile, type CardFileSummary } from './card-file-summary.ts';

/**
 * A card download file (App. 7 §3.4.2: TLVs, DDP_035 order) decoded whole: every EF of MF, DF Tachograph and
 * DF Tachograph_G2 as its App. 1 record (card-ef-records.ts), the certificates as certificate records, each
 * signature attached to the EF it follows (DDP_046). An EF this decoder does not know (proprietary, or another
 * card type's) is given as hex. A damaged EF keeps its offset and says why in its `problems`, the others still
 * decode; a TLV structure that breaks ends the reading there (a file problem naming the byte), what came before
 * is decoded. Never throws on the file's bytes.
 */
export type CardStructureGeneration = 'gen1' | 'gen2v1' | 'gen2v2';

interface EfBase {
  /** The data TLV's tag, 6 hex digits (FID ‖ appendix). */
  tag: string;
  fid: number;
  df: CardDf;
  /** App. 2's name, e.g. 'EF Driver_Activity_Data'. */
  name: string;
  /** Byte of the file where the EF's TLV starts. */
  offset: number;
  size: number;
  /** The signature TLV right after it (DDP_046), when there is one. */
  signature?: { offset: number; size: number };
  /** What does not hold in this EF; empty when it decoded cleanly. */
  problems: string[];
}

export type DecodedCardDownloadEf = EfBase &
  (TypedEf | { type: 'Certificate'; record: CertificateRecord } | { type: 'unknown'; hex: string } | { type: 'undecodable'; hex: string });

export interface DecodedCardFile {
  cardType: CardType | null;
  /** 2 when the file has DF Tachograph_G2, else 1. */
  generation: 1 | 2;
  /** gen2 version 2: cardStructureVersion {01 01} or an EF Application_Identification_V2 (App. 2 TCS_152 notes). */
  structure: CardStructureGeneration;
  efs: DecodedCardDownloadEf[];
  /** File-level problems: the TLV structure, a signature away from its data, DFs that disagree. */
  problems: string[];
  summary: CardFileSummary;
}

export interface DecodeCardDownloadOptions {
  /**
   * European public keys (144 bytes: KID ‖ n ‖ e) to open DF Tachograph's certificates with (App. 11 CSM_018:
   * a gen1 certificate's CHR, CHA and EOV lie inside its signature). Default: the rig's gen1 test key.
   */
  eurPublicKeys?: readonly Uint8Array[];
}

const DF_NAME: Record<CardDf, string> = { mf: 'MF', tachograph: 'DF Tachograph', 'tachograph-g2': 'DF Tachograph_G2' };

/** How a DF or a file is named in problems and verdicts: 'DF Tachograph_G2 EF Places'. */
export function efLabel(fid: number, df: CardDf): string {
  return `${DF_NAME[df]} ${efName(fid, df)}`;
}

const CERTIFICATE_FIDS: readonly number[] = [FID.CARD_CERTIFICATE, FID.CARD_SIGN_CERTIFICATE, FID.CA_CERTIFICATE, FID.LINK_CERTIFICATE];

function isSignature(appendix: number): boolean {
  return appendix === TAG_APPENDIX.SIGNATURE_G1 || appendix === TAG_APPENDIX.SIGNATURE_G2;
}

export function decodeCardDownload(file: Uint8Array, options: DecodeCardDownloadOptions = {}): DecodedCardFile {
  const { tlvs, problem } = scanCardTlvs(file);
  const problems: string[] = problem ? [`${problem}: the file is read up to there`] : [];
  const data = attachSignatures(tlvs, problems);
  const g2 = data.some((d) => d.df === 'tachograph-g2');
  const contexts = dfContexts(data, problems);
  const cardType = contexts['tachograph-g2']?.cardType ?? contexts.tachograph?.cardType ?? null;
  const v2 = g2 && (contexts['tachograph-g2']?.applicationIdentification?.cardStructureVersion === '0101' || data.some((d) => d.df === 'tachograph-g2' && d.tlv.fid === FID.APPLICATION_IDENTIFICATION_V2));
  let g1Keys: ReturnType<typeof g1IssuerKeys> | undefined;
  try {
    g1Keys = g1IssuerKeys(
      data.find((d) => d.df === 'tachograph' && d.tlv.fid === FID.CA_CERTIFICATE)?.tlv.value,
      options.eurPublicKeys ?? [TestPkiG1.of().eurPublicKeyBytes()],
    );
  } catch (error) {
    problems.push(`European public key given: ${(error as Error).message}`);
  }
  const efs = data.map((d) => decodeEf(d, contexts[d.df === 'mf' ? 'tachograph' : d.df] ?? null, g1Keys));
  const decoded = { cardType, generation: g2 ? 2 : 1, structure: !g2 ? 'gen1' : v2 ? 'gen2v2' : 'gen2v1', efs, problems } as const;
  return { ...decoded, summary: summarizeCardFile(decoded) };
}

interface DataTlv {
  tlv: PlacedCardTlv;
  df: CardDf;
  signature?: PlacedCardTlv;
}

/** The data TLVs in file order, each with the signature TLV that directly follows it (DDP_046). */
function attachSignatures(tlvs: readonly PlacedCardTlv[], problems: string[]): DataTlv[] {
  const out: DataTlv[] = [];
  tlvs.forEach((t, i) => {
    const df = dfOfTag(t.fid, t.appendix);
    if (!isSignature(t.appendix)) {
      out.push({ tlv: t, df });
      return;
    }
    const before = tlvs[i - 1];
    const owner = out[out.length - 1];
    if (before && owner && owner.tlv === before && before.fid === t.fid && before.appendix === t.appendix - 1) owner.signature = t;
    else problems.push(`byte ${t.offset}: signature of ${efLabel(t.fid, df)} does not directly follow its data (DDP_046)`);
  });
  return out;
}

/**
 * Each DF's card type, generation and EF Application_Identification(_V2): the type from
 * typeOfTachographCardId, else from the EFs only one card type has (App. 2), else from EF Identification's size.
 */
function dfContexts(data: readonly DataTlv[], problems: string[]): Partial<Record<'tachograph' | 'tachograph-g2', EfContext & { v2?: CardApplicationIdentificationV2 }>> {
  const out: Partial<Record<'tachograph' | 'tachograph-g2', EfContext & { v2?: CardApplicationIdentificationV2 }>> = {};
  for (const df of ['tachograph', 'tachograph-g2'] as const) {
    const efs = data.filter((d) => d.df === df);
    if (efs.length === 0) continue;
    const has = (fid: number) => efs.some((d) => d.tlv.fid === fid);
    const generation = df === 'tachograph-g2' ? 2 : 1;
    const appId = efs.find((d) => d.tlv.fid === FID.APPLICATION_IDENTIFICATION)?.tlv.value;
    const identificationSize = efs.find((d) => d.tlv.fid === FID.IDENTIFICATION)?.tlv.value.length;
    const byEfs: CardType | undefined = has(FID.CALIBRATION) || has(FID.WORKSHOP_CARD_DOWNLOAD)
      ? 'workshop'
      : has(FID.CONTROLLER_ACTIVITY_DATA)
        ? 'control'
        : has(FID.COMPANY_ACTIVITY_DATA)
          ? 'company'
          : has(FID.DRIVING_LICENCE_INFO) || identificationSize === 143
            ? 'driver'
            : identificationSize === 139
              ? 'company'
              : undefined;
    const cardType = cardTypeOfEquipment(appId?.[0] ?? 0) ?? byEfs ?? 'driver';
    let applicationIdentification: CardApplicationIdentification | undefined;
    if (appId) {
      try {
        applicationIdentification = decodeCardApplicationIdentification(appId, generation, [], cardType);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
      }
    }
    const ctx: EfContext & { v2?: CardApplicationIdentificationV2 } = { cardType, generation, ...(applicationIdentification ? { applicationIdentification } : {}) };
    const v2 = efs.find((d) => d.tlv.fid === FID.APPLICATION_IDENTIFICATION_V2)?.tlv.value;
    if (v2) {
      try {
        ctx.v2 = decodeCardApplicationIdentificationV2(v2, cardType, []);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
      }
    }
    out[df] = ctx;
  }
  const [a, b] = [out.tachograph?.cardType, out['tachograph-g2']?.cardType];
  if (a && b && a !== b) problems.push(`DF Tachograph is a ${a} card's, DF Tachograph_G2 a ${b} card's`);
  return out;
}

function decodeEf(d: DataTlv, ctx: (EfContext & { v2?: CardApplicationIdentificationV2 }) | null, g1Keys: ReturnType<typeof g1IssuerKeys> | undefined): DecodedCardDownloadEf {
  const { tlv, df } = d;
  const base: EfBase = {
    tag: toHex(Uint8Array.of(tlv.fid >>> 8, tlv.fid & 0xff, tlv.appendix)),
    fid: tlv.fid,
    df,
    name: efName(tlv.fid, df),
    offset: tlv.offset,
    size: tlv.value.length,
    ...(d.signature ? { signature: { offset: d.signature.offset, size: d.signature.value.length } } : {}),
    problems: [],
  };
  try {
    if (df !== 'mf' && CERTIFICATE_FIDS.includes(tlv.fid)) return { ...base, type: 'Certificate', record: certificateRecord(tlv, df, g1Keys) };
    // EF ICC and IC have no DF: any card type's context reads them
    const context: EfContext = ctx ?? { cardType: 'driver', generation: 1 };
    const typed = df === 'mf' && tlv.fid !== FID.ICC && tlv.fid !== FID.IC ? undefined : decodeCardEfContent(tlv.fid, tlv.value, context, base.problems, ctx?.v2);
    if (!typed) return { ...base, type: 'unknown', hex: toHex(tlv.value) };
    return { ...base, ...typed };
  } catch (error) {
    // the record decoders refuse bad bytes with DecodeError, the certificate readers with Error; a TypeError is
    // the rig's own bug, not the file's: let it show
    if (error instanceof TypeError || error instanceof ReferenceError) throw error;
    base.problems.push(`cannot be read: ${(error as Error).message}`);
    return { ...base, type: 'undecodable', hex: toHex(tlv.value) };
  }
}

function certificateRecord(tlv: PlacedCardTlv, df: CardDf, g1Keys: ReturnType<typeof g1IssuerKeys> | undefined): CertificateRecord {
  if (tlv.fid === FID.LINK_CERTIFICATE && isAllZero(tlv.value)) return { present: false, reason: NO_LINK_CERTIFICATE };
  if (df === 'tachograph') return openG1CertificateRecord(tlv.value, g1Keys ?? new Map());
  return g2CertificateRecord(tlv.value);
}
