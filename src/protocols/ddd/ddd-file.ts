import { concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import { verifyChain } from '../../crypto/pki/chain.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { RECORD_TYPE, type RecordArrayView } from '../app7-records/record-array.ts';
import { readTrepArrays, trepDataLength } from '../app7-records/trep.ts';

/**
 * ESM / .DDD files (DDP_034): each Positive Response Transfer Data kept as SID '76', TREP, then its data,
 * the sub-messages' headers, counters and checksums stripped (the download client reassembles the data).
 */
export const SID_TRANSFER_DATA_POSITIVE = 0x76;

export interface DddBlock {
  trep: number;
  /** The TREP's data: its record arrays, signature last. */
  data: Uint8Array;
}

export function writeDdd(blocks: readonly DddBlock[]): Uint8Array {
  return concatBytes(...blocks.flatMap((b) => [Uint8Array.of(SID_TRANSFER_DATA_POSITIVE, b.trep), b.data]));
}

export function readDdd(file: Uint8Array): DddBlock[] {
  const blocks: DddBlock[] = [];
  let at = 0;
  while (at < file.length) {
    if (file[at] !== SID_TRANSFER_DATA_POSITIVE) throw new Error(`byte ${at}: expected SID 76, found ${toHex(file.subarray(at, at + 1))}`);
    const trep = file[at + 1]!;
    const length = trepDataLength(file, at + 2);
    blocks.push({ trep, data: file.subarray(at + 2, at + 2 + length) });
    at += 2 + length;
  }
  return blocks;
}

export interface DddVerification {
  ok: boolean;
  /** One line per problem, each naming the TREP and the record array. */
  problems: string[];
}

/**
 * CSM_234 done by the IDE itself: the chain VU_Sign → MSCA → trusted root from the Overview's certificate
 * arrays, then each TREP's signature over its signed arrays (TREP 21: all but the certificates). A
 * signature alone cannot say which byte changed; the message names the arrays it covers, and a change that
 * breaks the structure names the array where reading stopped.
 */
export function verifyDdd(file: Uint8Array, roots: readonly Uint8Array[], at: number): DddVerification {
  const problems: string[] = [];
  let blocks: DddBlock[];
  try {
    blocks = readDdd(file);
  } catch (error) {
    return { ok: false, problems: [`unreadable: ${(error as Error).message}`] };
  }
  const overview = blocks.find((b) => b.trep === 0x21);
  // DDP_054: without the Overview there are no certificates to verify with
  if (!overview) return { ok: false, problems: ['no Overview (TREP 21): the file is unverifiable (DDP_054)'] };
  const ov = readTrepArrays(overview.data);
  const msca = ov.find((a) => a.recordType === RECORD_TYPE.MemberStateCertificate)?.records[0];
  const vu = ov.find((a) => a.recordType === RECORD_TYPE.VuCertificate)?.records[0];
  if (!msca || !vu) return { ok: false, problems: ['TREP 21: MemberStateCertificateRecordArray or VuCertificateRecordArray missing'] };
  let curve;
  let point;
  try {
    const chain = verifyChain({ eqt: vu, ca: msca, roots, at });
    curve = chain.eqt.curve;
    point = fromHex(chain.eqt.publicPoint);
  } catch (error) {
    return { ok: false, problems: [`TREP 21 certificates: ${(error as Error).message}`] };
  }
  for (const block of blocks) {
    const name = `TREP ${block.trep.toString(16).padStart(2, '0').toUpperCase()}`;
    let arrays: RecordArrayView[];
    try {
      arrays = readTrepArrays(block.data);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
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
