import { concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import { verifyChain } from '../../crypto/pki/chain.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { RECORD_TYPE, type RecordArrayView } from '../app7-records/record-array.ts';
import { App7RecordError } from '../app7-records/record-array.ts';
import { readTrepArrays, trepDataLength } from '../app7-records/trep.ts';
import { DecodeError } from '../decode-error.ts';
import { ACTIVITIES, blockOrderProblems, GEN2_V1_TREPS, OVERVIEW, trepName } from './ddd-layout.ts';

/**
 * ESM / .DDD files (DDP_034): each Positive Response Transfer Data kept as SID '76', TREP, then its data,
 * the sub-messages' headers, counters and checksums stripped (the download client reassembles the data).
 */
export const SID_TRANSFER_DATA_POSITIVE = 0x76;

/** What reading a .DDD file throws when its bytes do not split into blocks. */
export class DddError extends DecodeError {}

export interface DddBlock {
  trep: number;
  /** The TREP's data: its record arrays, signature last. */
  data: Uint8Array;
}

export function writeDdd(blocks: readonly DddBlock[]): Uint8Array {
  return concatBytes(...blocks.flatMap((b) => [Uint8Array.of(SID_TRANSFER_DATA_POSITIVE, b.trep), b.data]));
}

/** The blocks of a file, throwing a DddError that names the byte where the structure breaks. */
export function readDdd(file: Uint8Array): DddBlock[] {
  const { blocks, problem } = scanDdd(file);
  if (problem) throw new DddError(problem);
  return blocks;
}

/**
 * The blocks up to the first byte that does not continue the structure, and what is wrong there. One pass:
 * each block's length is found by walking its record arrays' headers, each checked against the bytes left.
 */
export function scanDdd(file: Uint8Array): { blocks: DddBlock[]; problem?: string } {
  const blocks: DddBlock[] = [];
  let at = 0;
  while (at < file.length) {
    if (file[at] !== SID_TRANSFER_DATA_POSITIVE) return { blocks, problem: `byte ${at}: expected SID 76, found ${toHex(file.subarray(at, at + 1))}` };
    if (at + 2 > file.length) return { blocks, problem: `byte ${at}: the file ends after SID 76, before the TREP` };
    const trep = file[at + 1]!;
    let length: number;
    try {
      length = trepDataLength(file, at + 2);
    } catch (error) {
      if (!(error instanceof App7RecordError)) throw error;
      return { blocks, problem: `byte ${at}: ${trepName(trep)} block: ${error.message}` };
    }
    blocks.push({ trep, data: file.subarray(at + 2, at + 2 + length) });
    at += 2 + length;
  }
  return { blocks };
}

export interface DddVerification {
  ok: boolean;
  /** One line per problem, each naming the TREP and the record array. */
  problems: string[];
}

/**
 * CSM_234 done by the IDE itself: the blocks are those of one gen2 v1 download, overview first
 * (ddd-layout.ts: the TREP byte is outside every signature, so a re-typed block must be caught here); the
 * chain VU_Sign → MSCA → trusted root from the Overview's certificate arrays; each block's content is the one
 * its TREP announces (DDP_029..033, by the typed decoder) and an activities day comes once; then each TREP's
 * signature over its signed arrays (TREP 21: all but the certificates). A signature alone cannot say which
 * byte changed; the message names the arrays it covers, and a change that breaks the structure names the
 * array where reading stopped. Whether the download is complete is decodeDddFile's question, not this one's.
 */
export function verifyDdd(file: Uint8Array, roots: readonly Uint8Array[], at: number): DddVerification {
  const { blocks, problem } = scanDdd(file);
  if (problem) return { ok: false, problems: [`unreadable: ${problem}`] };
  const problems = blockOrderProblems(blocks.map((b) => b.trep));
  const overview = blocks.find((b) => b.trep === OVERVIEW);
  // DDP_054: without the Overview there are no certificates to verify with
  if (!overview) return { ok: false, problems: [...problems, 'no Overview (TREP 21): the file is unverifiable (DDP_054)'] };
  let ov: RecordArrayView[];
  try {
    ov = readTrepArrays(overview.data);
  } catch (error) {
    if (!(error instanceof App7RecordError)) throw error;
    return { ok: false, problems: [...problems, `TREP 21: ${error.message}`] };
  }
  const msca = ov.find((a) => a.recordType === RECORD_TYPE.MemberStateCertificate)?.records[0];
  const vu = ov.find((a) => a.recordType === RECORD_TYPE.VuCertificate)?.records[0];
  if (!msca || !vu) return { ok: false, problems: [...problems, 'TREP 21: MemberStateCertificateRecordArray or VuCertificateRecordArray missing'] };
  let curve;
  let point;
  try {
    const chain = verifyChain({ eqt: vu, ca: msca, roots, at });
    curve = chain.eqt.curve;
    point = fromHex(chain.eqt.publicPoint);
  } catch (error) {
    return { ok: false, problems: [...problems, `TREP 21 certificates: ${(error as Error).message}`] };
  }
  const days = new Set<number>();
  for (const block of blocks) {
    const name = trepName(block.trep);
    const layout = GEN2_V1_TREPS[block.trep];
    let arrays: RecordArrayView[];
    try {
      // the TREP byte is not signed: the content must be the one it announces (the decoder names the TREP)
      const content = layout?.decode(block.data);
      if (block.trep === ACTIVITIES) {
        const day = (content as { data: { day: number } }).data.day;
        if (days.has(day)) problems.push(`${name}: the day ${new Date(day).toISOString().slice(0, 10)} comes twice (a session downloads a day once)`);
        days.add(day);
      }
    } catch (error) {
      if (!(error instanceof App7RecordError)) throw error;
      problems.push(error.message);
      continue;
    }
    try {
      arrays = readTrepArrays(block.data);
    } catch (error) {
      if (!(error instanceof App7RecordError)) throw error;
      problems.push(`${name}: ${error.message}`);
      continue;
    }
    const sig = arrays[arrays.length - 1]!;
    const signedArrays = arrays.slice(0, -1).filter((a) => block.trep !== 0x21 || (a.recordType !== RECORD_TYPE.MemberStateCertificate && a.recordType !== RECORD_TYPE.VuCertificate));
    const signed = concatBytes(...signedArrays.map((a) => a.bytes));
    if (sig.recordType !== RECORD_TYPE.Signature || sig.records.length !== 1 || !verifyPlain(curve, point, signed, sig.records[0]!)) {
      problems.push(`${name}: signature verification failed over ${signedArrays.map((a) => a.name).join(', ')} (SignatureRecordArray)`);
    }
  }
  return { ok: problems.length === 0, problems };
}
