import { concatBytes, fromHex } from '../../crypto/bytes.ts';
import { CertificateChainError, verifyChain } from '../../crypto/pki/chain.ts';
import type { CurveName } from '../../crypto/pki/ec-keys.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { decodeTimeReal } from '../app1/app1-codec.ts';
import { RECORD_TYPE, type RecordArrayView } from '../app7-records/record-array.ts';
import { readTrepArrays } from '../app7-records/trep.ts';
import { verificationOk, type BlockVerdict, type BlockVerdictStatus, type FileVerification, type VerificationRoots } from '../file-verification.ts';
import { trepName } from './ddd-layout.ts';
import { dayOfActivities, decodeVuScan, type DecodedVuBlock } from './decode-download-file.ts';
import type { VuFileScan } from './scan-vu-file.ts';
import { trepTitle, VU_DOWNLOAD_KINDS, type VuGeneration } from './vu-generations.ts';

/**
 * CSM_234 done by the IDE on a generation 2 VU download (version 1 or 2): the chain VU_Sign → MSCA → a root
 * given, from the Overview's certificate arrays, judged at the time of the download; then each block's
 * ECDSA signature (CSM_233) over its arrays (the Overview's: all but the certificates, DDP_029). One verdict
 * per block, so a user sees which one failed; the file's structure, order and missing blocks are problems.
 *
 * The time: the Overview's CurrentDateTime, the VU's clock when it answered the download (DDP_055 "VU current
 * date and time"). The Overview's VuDownloadActivityData is the previous download to a company (DDP_055
 * "Previous VU download", Annex IC 129), empty for a VU never downloaded and not updated by a control, so it
 * does not date this file. An archived file thus verifies as it did on its day, whatever "now" is.
 */
export function verifyGen2Scan(scan: VuFileScan, fileLength: number, roots: VerificationRoots, generation: 'gen2v1' | 'gen2v2'): FileVerification {
  const kind = VU_DOWNLOAD_KINDS[generation];
  const decoded = decodeVuScan(scan, fileLength);
  const problems = [...decoded.problems];
  const overviewIndex = scan.blocks.findIndex((b) => b.trep === kind.overview && b.data);
  const overview = scan.blocks[overviewIndex];
  const atSource = `${trepName(kind.overview)} CurrentDateTime`;
  if (!overview?.data) {
    problems.push(`no Overview (${trepName(kind.overview)}): the file is unverifiable (DDP_054)`);
    const verdicts = decoded.blocks.map((b) => verdictOf(b, generation, 'failed', `no Overview (${trepName(kind.overview)}) with the certificates to verify it with (DDP_054)`));
    return { at: 0, atSource: 'none', verdicts, problems, ok: false };
  }

  const arrays = readTrepArrays(overview.data);
  const first = (type: number) => arrays.find((a) => a.recordType === type)?.records[0];
  const now = first(RECORD_TYPE.CurrentDateTime);
  const at = now?.length === 4 ? decodeTimeReal(now) : 0;
  const chain = checkChain(first(RECORD_TYPE.MemberStateCertificate), first(RECORD_TYPE.VuCertificate), roots, now?.length === 4 ? at : undefined);
  const certificates: BlockVerdict = { block: `${trepTitle(kind.overview)} certificates`, offset: overview.offset, status: chain.status, ...(chain.reason ? { reason: chain.reason } : {}) };

  const verdicts = decoded.blocks.map((block, i) => {
    const scanned = scan.blocks[i]!;
    if (!scanned.data) return verdictOf(block, generation, 'failed', `unreadable: ${block.error}`);
    if (kind.beforeOverview.includes(block.trep)) return verdictOf(block, generation, 'unsigned', 'DDP_028a: the download interface version carries no signature');
    if (!kind.treps.includes(block.trep)) return verdictOf(block, generation, 'failed', `not a block of a ${kind.label} download (App. 7 DDP_011)`);
    // the TREP byte lies outside every signature: the content must be the one the TREP announces
    const unlike = block.error ?? block.layoutDeviation;
    if (unlike) return verdictOf(block, generation, 'failed', `not what ${trepName(block.trep)} announces: ${unlike}`);
    const own = readTrepArrays(scanned.data);
    const signature = own[own.length - 1]!;
    // an anonymised file keeps the array and drops its record: nothing to verify, whatever the chain
    if (signature.records.length === 0) return verdictOf(block, generation, 'failed', `no signature: the SignatureRecordArray at byte ${scanned.offset + 2 + signature.offset} is empty`);
    if (chain.status !== 'verified') return verdictOf(block, generation, chain.status, `no trusted VU_Sign key: ${chain.reason}`);
    const signed = own.slice(0, -1).filter((a) => block.trep !== kind.overview || (a.recordType !== RECORD_TYPE.MemberStateCertificate && a.recordType !== RECORD_TYPE.VuCertificate));
    const ok = signature.recordType === RECORD_TYPE.Signature && signature.records.length === 1 && verifyPlain(chain.curve!, chain.point!, concatBytes(...signed.map((a) => a.bytes)), signature.records[0]!);
    return ok ? verdictOf(block, generation, 'verified') : verdictOf(block, generation, 'failed', `the signature does not verify over ${names(signed)} (SignatureRecordArray)`);
  });
  return { at, atSource: now?.length === 4 ? atSource : 'none', verdicts: [certificates, ...verdicts], problems, ok: verificationOk([certificates, ...verdicts], problems) };
}

function names(arrays: readonly RecordArrayView[]): string {
  return arrays.map((a) => a.name).join(', ');
}

/** 'TREP 22 (Activities 2026-03-03)'. */
export function blockLabel(block: DecodedVuBlock, generation: VuGeneration | null): string {
  const kind = generation ? VU_DOWNLOAD_KINDS[generation] : undefined;
  const day = block.trep === kind?.activities ? dayOfActivities(block.content) : undefined;
  const title = trepTitle(block.trep);
  return day === undefined ? title : title.replace(/\)$/, ` ${new Date(day).toISOString().slice(0, 10)})`);
}

function verdictOf(block: DecodedVuBlock, generation: VuGeneration, status: BlockVerdictStatus, reason?: string): BlockVerdict {
  return { block: blockLabel(block, generation), offset: block.offset, status, ...(reason ? { reason } : {}) };
}

interface ChainVerdict {
  status: BlockVerdictStatus;
  reason?: string;
  curve?: CurveName;
  point?: Uint8Array;
}

/** The VU_Sign key, if the chain reaches a root given at `at`; unknown-root when the MSCA names none of them. */
function checkChain(msca: Uint8Array | undefined, vu: Uint8Array | undefined, roots: VerificationRoots, at: number | undefined): ChainVerdict {
  if (!msca || !vu) return { status: 'failed', reason: 'MemberStateCertificateRecordArray or VuCertificateRecordArray is empty (DDP_029)' };
  if (at === undefined) return { status: 'failed', reason: 'no CurrentDateTime to judge the certificates at (DDP_029)' };
  if (roots.rootCertificates.length === 0) return { status: 'unknown-root', reason: 'no gen2 root certificate given' };
  try {
    const chain = verifyChain({ eqt: vu, ca: msca, roots: roots.rootCertificates, at });
    return { status: 'verified', curve: chain.eqt.curve, point: fromHex(chain.eqt.publicPoint) };
  } catch (error) {
    if (!(error instanceof CertificateChainError)) throw error;
    // CSM_138: the MSCA's CAR names its root; none given has that CHR
    const unknown = error.role === 'EQT.CA' && error.problem === 'issuer' && /names no trusted root/.test(error.message);
    return { status: unknown ? 'unknown-root' : 'failed', reason: error.message };
  }
}
