import { fromHex } from '../../crypto/bytes.ts';
import { CertificateChainError, verifyChain } from '../../crypto/pki/chain.ts';
import { decodeCertificate, EQUIPMENT_TYPE } from '../../crypto/pki/cv-certificate.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { verifyG1Chain } from '../../crypto/pki-g1/chain-g1.ts';
import { verifyDataG1 } from '../../crypto/pki-g1/data-signature.ts';
import { cardTypeOfEquipment, type CardType } from '../app1/card-type.ts';
import { verificationOk, type BlockVerdict, type FileVerification, type VerificationRoots } from '../file-verification.ts';
import { isAllZero, NO_LINK_CERTIFICATE } from './card-certificate-records.ts';
import { downloadTimeOf } from './card-file-summary.ts';
import { cardDfLayout } from './card-file-layout.ts';
import { FID, type CardDf } from './card-file-ids.ts';
import { decodeCardDownload, efLabel, type DecodedCardDownloadEf } from './decode-card-download.ts';

/**
 * CSM_234 and CSM_035 by the IDE over a card download (App. 7 §3.4, DDP_035), one verdict per EF:
 * - EF ICC and EF IC: 'unsigned' (DDP_035: the common card information is downloaded unsigned).
 * - Certificates: 'unsigned' (DDP_035) while their chain verifies; the certificate whose check fails is
 *   'failed' (or 'unknown-root' when its issuer is no root given). An all-zero EF Link_Certificate is the
 *   card's "no link certificate": 'unsigned', and the chain is built without it.
 * - Every other EF: its signature (DDP_046: the TLV right after it) checked with the card's key: App. 11 Part A
 *   (RSA, CSM_034) in DF Tachograph, Part B (ECDSA) in DF Tachograph_G2. A chain to an unknown root: the EF
 *   is 'unknown-root' when its signature matches the card's key, 'failed' when it does not.
 * Certificates are judged at the time the file was downloaded as well as the file records it
 * (card-file-summary.ts downloadTimeOf, README), not now; `options.at` replaces it when the caller knows it.
 * What a download of that card type carries (card-file-layout.ts, DDP_035 over App. 2), the DDP_035 order
 * and DDP_046 pairing are checked as file problems. Never throws on the file's bytes.
 */
export interface VerifyCardDownloadOptions {
  /** The download time (ms) when the caller knows it (it made the download); default: the file's. */
  at?: number;
  /** The card's generation when the caller knows it: a gen2 card's download must have DF Tachograph_G2. */
  generation?: 1 | 2;
}

type ChainResult =
  | { ok: true; verify: (data: Uint8Array, signature: Uint8Array) => boolean; cardType: CardType; anchor: string }
  | { ok: false; status: 'failed' | 'unknown-root'; fid: number; reason: string; verify?: (data: Uint8Array, signature: Uint8Array) => boolean };

const DF_ORDER: Record<CardDf, number> = { mf: 0, tachograph: 1, 'tachograph-g2': 2 };
const DF_NAME: Record<CardDf, string> = { mf: 'MF', tachograph: 'DF Tachograph', 'tachograph-g2': 'DF Tachograph_G2' };

export function verifyCardDownload(file: Uint8Array, roots: VerificationRoots, options: VerifyCardDownloadOptions = {}): FileVerification {
  const decoded = decodeCardDownload(file, { eurPublicKeys: validEurKeys(roots.europeanPublicKeys) });
  const problems: string[] = [...decoded.problems];
  const time = options.at !== undefined ? { at: options.at, source: 'given by the caller' } : downloadTimeOf(decoded);
  if (!time) problems.push('the file records no time (no EF Identification): certificates judged at 1970-01-01');
  const at = time?.at ?? 0;
  const verdicts: BlockVerdict[] = [];
  checkSequence(decoded.efs, problems);
  for (const ef of decoded.efs.filter((e) => e.df === 'mf')) {
    if (ef.signature) problems.push(`${efLabel(ef.fid, ef.df)}: the common card information is downloaded unsigned (DDP_035)`);
    verdicts.push({ block: efLabel(ef.fid, ef.df), offset: ef.offset, status: 'unsigned', reason: 'DDP_035: EF ICC and EF IC are downloaded unsigned' });
  }
  const dfTypes: CardType[] = [];
  for (const df of ['tachograph', 'tachograph-g2'] as const) {
    const efs = decoded.efs.filter((e) => e.df === df);
    if (efs.length === 0) {
      if (df === 'tachograph') problems.push('no DF Tachograph files (DDP_035: mandatory for every card)');
      else if (options.generation === 2) problems.push("no DF Tachograph_G2 files: a gen2 card's download carries them (DDP_035)");
      continue;
    }
    const type = verifyDf(file, df, efs, roots, at, verdicts, problems);
    if (type) dfTypes.push(type);
  }
  if (dfTypes.length === 2 && dfTypes[0] !== dfTypes[1]) problems.push(`DF Tachograph is a ${dfTypes[0]} card's, DF Tachograph_G2 a ${dfTypes[1]} card's`);
  verdicts.sort((a, b) => a.offset - b.offset);
  return { at, atSource: time?.source ?? 'none', verdicts, problems, ok: verificationOk(verdicts, problems) };
}

/** Keys the decoder can open certificates with: a malformed one given is the verifier's to report. */
function validEurKeys(keys: readonly Uint8Array[]): Uint8Array[] {
  return keys.filter((k) => k.length === 144);
}

/** DDP_035 order (EF ICC and IC, DF Tachograph, DF Tachograph_G2) and no EF twice. */
function checkSequence(efs: readonly DecodedCardDownloadEf[], problems: string[]): void {
  let furthest: CardDf = 'mf';
  const seen = new Set<string>();
  for (const ef of efs) {
    const name = efLabel(ef.fid, ef.df);
    if (DF_ORDER[ef.df] < DF_ORDER[furthest]) problems.push(`byte ${ef.offset}: ${name} comes after ${DF_NAME[furthest]}'s files (DDP_035: EF ICC and IC, DF Tachograph, then DF Tachograph_G2)`);
    else furthest = ef.df;
    if (seen.has(name)) problems.push(`byte ${ef.offset}: ${name} comes twice`);
    seen.add(name);
  }
}

/** One DF: the chain, then each EF's verdict; returns the card type the DF is of, when known. */
function verifyDf(file: Uint8Array, df: 'tachograph' | 'tachograph-g2', efs: readonly DecodedCardDownloadEf[], roots: VerificationRoots, at: number, verdicts: BlockVerdict[], problems: string[]): CardType | undefined {
  const appId = efs.find((e): e is Extract<DecodedCardDownloadEf, { type: 'CardApplicationIdentification' }> => e.type === 'CardApplicationIdentification');
  const appIdType = appId && cardTypeOfEquipment(appId.record.typeOfTachographCardId);
  const byEfs = efs.some((e) => e.fid === FID.CONTROLLER_ACTIVITY_DATA) ? 'control' : efs.some((e) => e.fid === FID.COMPANY_ACTIVITY_DATA) ? 'company' : undefined;
  const certificate = (fid: number) => {
    const ef = efs.find((e) => e.fid === fid);
    return ef && valueOf(file, ef);
  };
  const chain = df === 'tachograph' ? g1Chain(certificate, roots, at) : g2Chain(certificate, roots, at, appIdType ?? byEfs);
  const cardType = chain.ok ? chain.cardType : appIdType ?? undefined;
  if (chain.ok && appIdType && appIdType !== chain.cardType) problems.push(`${efLabel(FID.APPLICATION_IDENTIFICATION, df)} says a ${appIdType} card, the card's certificate a ${chain.cardType} card`);
  const version = appId?.record.cardStructureVersion ?? '';
  const layout = cardType ? cardDfLayout(cardType, df, version) : undefined;
  const certificates = layout?.certificates ?? (df === 'tachograph' ? [FID.CARD_CERTIFICATE, FID.CA_CERTIFICATE] : [FID.CARD_SIGN_CERTIFICATE, FID.CA_CERTIFICATE, FID.LINK_CERTIFICATE]);
  for (const ef of efs) {
    const block = efLabel(ef.fid, df);
    const verdict = (status: BlockVerdict['status'], reason?: string) => verdicts.push({ block, offset: ef.offset, status, ...(reason ? { reason } : {}) });
    if (certificates.includes(ef.fid)) {
      if (ef.signature) problems.push(`${block}: a certificate is downloaded unsigned (DDP_035)`);
      if (ef.fid === FID.LINK_CERTIFICATE && isAllZero(valueOf(file, ef))) verdict('unsigned', NO_LINK_CERTIFICATE);
      else if (!chain.ok && chain.fid === ef.fid) verdict(chain.status, chain.reason);
      else verdict('unsigned', chain.ok ? `DDP_035: downloaded unsigned; the chain verifies to ${chain.anchor}` : 'DDP_035: downloaded unsigned');
      continue;
    }
    const notDownloaded = layout?.notDownloaded.includes(ef.fid) ?? false;
    if (layout && !notDownloaded && !layout.signed.includes(ef.fid) && !layout.optional.includes(ef.fid)) problems.push(`${block}: not an EF of a ${cardType} card (App. 2 ${layout.requirement})`);
    const signature = ef.signature && file.subarray(ef.signature.offset + 5, ef.signature.offset + 5 + ef.signature.size);
    const data = valueOf(file, ef);
    if (!signature) {
      // DDP_035 leaves EF Card_Download (and a workshop card's Sensor_Installation_Data) out of a download; a file that carries one unsigned is not judged on it
      if (notDownloaded) verdict('unsigned', 'not part of a card download (DDP_035): carried unsigned, not judged');
      else verdict('failed', 'no signature follows its data (DDP_046)');
    } else if (chain.ok) {
      if (chain.verify(data, signature)) verdict('verified');
      else verdict('failed', 'signature verification failed');
    } else if (chain.status === 'unknown-root') {
      if (chain.verify && !chain.verify(data, signature)) verdict('failed', `signature verification failed with the card's key (and ${chain.reason})`);
      else verdict('unknown-root', chain.reason);
    } else {
      verdict('failed', `not verified: the certificate chain fails at ${efLabel(chain.fid, df)}`);
    }
  }
  const required = layout?.signed ?? [FID.APPLICATION_IDENTIFICATION, FID.IDENTIFICATION];
  for (const fid of required) {
    if (!efs.some((e) => e.fid === fid)) problems.push(`${efLabel(fid, df)} missing: ${cardType ? `a ${cardType} card's download carries it (DDP_035, App. 2 ${layout!.requirement})` : 'mandatory in every download (DDP_035)'}`);
  }
  for (const fid of layout?.mandatoryCertificates ?? []) {
    if (!efs.some((e) => e.fid === fid)) problems.push(`${efLabel(fid, df)} missing: certificates are mandatory in every download (DDP_035)`);
  }
  return cardType;
}

function valueOf(file: Uint8Array, ef: DecodedCardDownloadEf): Uint8Array {
  return file.subarray(ef.offset + 5, ef.offset + 5 + ef.size);
}

/** Which certificate EF a failed chain check names (CertificateChainError role). */
function failedCertificate(error: CertificateChainError, eqt: number): number {
  return error.role === 'EQT' ? eqt : error.role === 'EQT.Link' ? FID.LINK_CERTIFICATE : FID.CA_CERTIFICATE;
}

/** A chain check's failure as the verdict of the certificate it names: an issuer no root given is, is an unknown root. */
function chainFailure(error: unknown, eqt: number, verify?: (data: Uint8Array, signature: Uint8Array) => boolean): ChainResult {
  if (!(error instanceof CertificateChainError)) return { ok: false, status: 'failed', fid: eqt, reason: (error as Error).message };
  const unknownRoot = error.problem === 'issuer' && (error.role === 'EQT.CA' || error.role === 'EQT.Link') && /names no trusted/.test(error.message);
  return { ok: false, status: unknownRoot ? 'unknown-root' : 'failed', fid: failedCertificate(error, eqt), reason: error.message, ...(verify ? { verify } : {}) };
}

/** App. 11 Part A: CSM_019 from EF CA_Certificate to a European key, then the card key of EF Card_Certificate (CSM_035). */
function g1Chain(certificate: (fid: number) => Uint8Array | undefined, roots: VerificationRoots, at: number): ChainResult {
  const card = certificate(FID.CARD_CERTIFICATE);
  const ca = certificate(FID.CA_CERTIFICATE);
  if (!card) return { ok: false, status: 'failed', fid: FID.CARD_CERTIFICATE, reason: 'EF Card_Certificate missing (DDP_035: mandatory)' };
  if (!ca) return { ok: false, status: 'failed', fid: FID.CA_CERTIFICATE, reason: 'EF CA_Certificate missing (DDP_035: mandatory)' };
  if (roots.europeanPublicKeys.length === 0) return { ok: false, status: 'unknown-root', fid: FID.CA_CERTIFICATE, reason: 'no European public key given to verify DF Tachograph with (CSM_035)' };
  try {
    const chain = verifyG1Chain({ eqt: card, ca, eurPublicKeys: roots.europeanPublicKeys, at });
    return { ok: true, verify: (data, signature) => verifyDataG1(chain.eqt.publicKey, data, signature), cardType: cardTypeOfEquipment(chain.eqt.equipmentType)!, anchor: `the European public key ${chain.eur.kid}` };
  } catch (error) {
    return chainFailure(error, FID.CARD_CERTIFICATE);
  }
}

/**
 * App. 11 Part B: CSM_234's chain from the signing certificate to a root given, then ECDSA (CSM_233). The
 * signing certificate is EF CardSignCertificate (Card_Sign, CHA 17 driver, 18 workshop); a control or company
 * card has no Card_Sign key (CSM_83), so its DF is checked against EF CardMA_Certificate (CHA 3, 4; a choice,
 * README). An all-zero EF Link_Certificate is no link certificate.
 */
function g2Chain(certificate: (fid: number) => Uint8Array | undefined, roots: VerificationRoots, at: number, cardType: CardType | undefined): ChainResult {
  const withMa = cardType === 'control' || cardType === 'company';
  const eqtFid = withMa ? FID.CARD_CERTIFICATE : FID.CARD_SIGN_CERTIFICATE;
  const eqt = certificate(eqtFid);
  const ca = certificate(FID.CA_CERTIFICATE);
  if (!eqt) return { ok: false, status: 'failed', fid: eqtFid, reason: `${withMa ? 'EF CardMA_Certificate' : 'EF CardSignCertificate'} missing (DDP_035: mandatory)` };
  if (!ca) return { ok: false, status: 'failed', fid: FID.CA_CERTIFICATE, reason: 'EF CA_Certificate missing (DDP_035: mandatory)' };
  const link = certificate(FID.LINK_CERTIFICATE);
  const eqtTypes = withMa ? [3, 4] : [EQUIPMENT_TYPE.driverCardSign, EQUIPMENT_TYPE.workshopCardSign];
  // the card's key, to tell a damaged EF from a good one under a root nobody gave
  let key: ((data: Uint8Array, signature: Uint8Array) => boolean) | undefined;
  try {
    const c = decodeCertificate(eqt);
    const point = fromHex(c.publicPoint);
    key = (data, signature) => {
      try {
        return verifyPlain(c.curve, point, data, signature);
      } catch {
        return false; // a public point off the curve verifies nothing
      }
    };
  } catch {
    key = undefined;
  }
  try {
    const chain = verifyChain({ eqt, ca, ...(link && !isAllZero(link) ? { link } : {}), roots: roots.rootCertificates, at, eqtTypes });
    const type = chain.eqt.equipmentType === EQUIPMENT_TYPE.driverCardSign ? 'driver' : chain.eqt.equipmentType === EQUIPMENT_TYPE.workshopCardSign ? 'workshop' : cardTypeOfEquipment(chain.eqt.equipmentType)!;
    return { ok: true, verify: key!, cardType: type, anchor: `the root ${chain.root.chr}` };
  } catch (error) {
    return chainFailure(error, eqtFid, key);
  }
}

/** The result shape callers had before FileVerification (issue 14): the EFs verified, and every other finding as a line. */
export interface CardFileVerification {
  ok: boolean;
  /** The EFs whose signature verified, as "DF Tachograph EF Identification", "DF Tachograph_G2 EF Identification". */
  verified: string[];
  problems: string[];
}

export interface VerifyCardFileOptions {
  generation?: 1 | 2;
}

/**
 * verifyCardDownload at a time the caller gives (ms), with gen2 roots and gen1 European keys as separate
 * lists, in the earlier result shape: file problems, then each EF neither verified nor unsigned as
 * "<block>: <reason>". New code calls verifyCardDownload.
 */
export function verifyCardFile(file: Uint8Array, roots: readonly Uint8Array[], at: number, eurPublicKeys: readonly Uint8Array[] = [], options: VerifyCardFileOptions = {}): CardFileVerification {
  const v = verifyCardDownload(file, { europeanPublicKeys: eurPublicKeys, rootCertificates: roots }, { at, ...(options.generation ? { generation: options.generation } : {}) });
  return {
    ok: v.ok,
    verified: v.verdicts.filter((x) => x.status === 'verified').map((x) => x.block),
    problems: [...v.problems, ...v.verdicts.filter((x) => x.status === 'failed' || x.status === 'unknown-root').map((x) => `${x.block}: ${x.reason}`)],
  };
}
