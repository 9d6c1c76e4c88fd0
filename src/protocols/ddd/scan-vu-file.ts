import { toHex } from '../../crypto/bytes.ts';
import { RECORD_ARRAY_HEADER_SIZE, RECORD_TYPE, recordArrayName } from '../app7-records/record-array.ts';
import { DecodeError } from '../decode-error.ts';
import { DddError, SID_TRANSFER_DATA_POSITIVE } from './ddd-file.ts';
import { trepName, type TrepLayout } from './ddd-layout.ts';
import { fileGeneration, framingOfTrep, generationOfTrep, isVuTrep, layoutOf, VU_DOWNLOAD_KINDS, type VuGeneration } from './vu-generations.ts';

/**
 * Splitting a VU download file (DDP_034: SID 76, TREP, data; again for every block) into its blocks, whatever
 * its generation, without throwing. How far a block reaches follows from its TREP: a gen2 block is record
 * arrays up to its SignatureRecordArray, TREP 00 two bytes, a gen1 block what its decoder reads whole (gen1
 * blocks say their length only through their counts). A block that cannot be delimited is reported with its
 * offset, and reading resumes at the next byte where a block of the file's generation begins and can be
 * delimited, so one damaged block does not hide the rest.
 */
export interface ScannedBlock {
  trep: number;
  /** Byte offset of the block's SID 76 in the file. */
  offset: number;
  /** The block's data (after SID and TREP), when it could be delimited. */
  data?: Uint8Array;
  /** Why it could not: its bytes up to the next block (or the end) are skipped. */
  error?: string;
}

export interface VuFileScan {
  /** From the first TREP that names one; null when no block names a VU download's TREP. */
  generation: VuGeneration | null;
  blocks: ScannedBlock[];
  /** Where the structure breaks: "byte 933: TREP 25 block: ...". */
  problems: string[];
}

/** Candidate block starts a resync tries before giving up; bounds the work on a file of garbage. */
const MAX_CANDIDATES = 64;

/** The TREPs of the block headers a resync may land on: the file's generation's, or any VU TREP when it is unknown. */
function candidateTrep(trep: number, generation: VuGeneration | null): boolean {
  return generation ? VU_DOWNLOAD_KINDS[generation].treps.includes(trep) : isVuTrep(trep);
}

function* headersFrom(file: Uint8Array, from: number, generation: VuGeneration | null): Generator<number> {
  for (let p = file.indexOf(SID_TRANSFER_DATA_POSITIVE, from); p >= 0 && p + 1 < file.length; p = file.indexOf(SID_TRANSFER_DATA_POSITIVE, p + 1)) {
    if (candidateTrep(file[p + 1]!, generation)) yield p;
  }
}

/**
 * Record arrays from `offset` up to and including the SignatureRecordArray (App. 7 §2.2.6 remark): headers
 * only, no record made, so the work is one step per array. Messages as readRecordArray's.
 *
 * Real-world files bend this (issue 14): some writers number the RecordType bytes by position (01, 02, ...), so
 * an array of type '08'H may come before the signature, and some leave the SignatureRecordArray out. With the
 * count of arrays App. 7 lists for the block (`recordArrays`) a block also ends where that many arrays are
 * followed by the next block's header (`blockStartsAt`) or the end of the file, and an array of type '08'H
 * followed by anything else but read before that count does not end it. A block that ends in neither way ends
 * at its first '08'H array, as before; the decoder then names what departs from the layout.
 */
export function gen2DataLength(file: Uint8Array, offset: number, recordArrays?: number, blockStartsAt: (at: number) => boolean = () => false): number {
  let at = offset;
  let firstSignatureEnd: number | undefined;
  for (let n = 1; ; n++) {
    try {
      if (at + RECORD_ARRAY_HEADER_SIZE > file.length) throw new DddError(`record array header at ${at} is cut off`);
      const type = file[at]!;
      const size = (file[at + 1]! << 8) | file[at + 2]!;
      const count = (file[at + 3]! << 8) | file[at + 4]!;
      const name = recordArrayName(type);
      if (size === 0 && count > 0) throw new DddError(`${name} at ${at}: ${count} records of recordSize 0 (App. 1: recordSize 1..65535)`);
      const length = RECORD_ARRAY_HEADER_SIZE + size * count;
      if (at + length > file.length) throw new DddError(`${name} at ${at}: ${count} × ${size} bytes run past the end (${file.length - at - RECORD_ARRAY_HEADER_SIZE} left)`);
      at += length;
      if (recordArrays === undefined) {
        if (type === RECORD_TYPE.Signature) return at - offset;
        continue;
      }
      const boundary = at === file.length || blockStartsAt(at);
      if (boundary && (type === RECORD_TYPE.Signature || n >= recordArrays || at === file.length)) return at - offset;
      if (type === RECORD_TYPE.Signature) {
        if (n >= recordArrays) return at - offset;
        firstSignatureEnd ??= at;
      }
    } catch (error) {
      if (firstSignatureEnd === undefined || !(error instanceof DecodeError)) throw error;
      return firstSignatureEnd - offset;
    }
  }
}

/**
 * A gen1 block's length without a length field: the first next block header (or the end of the file) up to
 * which its decoder reads the data whole. Without a decoder, up to the next header (the block then reads as
 * "no decoder"). A decoder that accepts a prefix cannot end the block early, since its counts need every byte.
 */
function gen1DataLength(file: Uint8Array, offset: number, layout: TrepLayout | undefined): number {
  const ends = [...take(headersFrom(file, offset, 'gen1'), MAX_CANDIDATES), file.length];
  if (!layout) return ends[0]! - offset;
  let last = '';
  for (const end of ends) {
    try {
      layout.decode(file.subarray(offset, end));
      return end - offset;
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      last = error.message;
    }
  }
  throw new DddError(`no block end where it decodes whole (${last})`);
}

function* take<T>(items: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  for (const item of items) {
    yield item;
    if (--n <= 0) return;
  }
}

/** The length of the data of a block of `trep` at `offset`, or a DecodeError saying why it has none. */
function dataLength(file: Uint8Array, offset: number, trep: number, generation: VuGeneration | null): number {
  const layout = layoutOf(trep, generation);
  if (layout?.dataLength) return layout.dataLength(file, offset);
  // a TREP no download has is read with the framing of the file's generation
  const framing = framingOfTrep(trep) ?? (generation === 'gen1' ? 'gen1' : generation ? 'gen2' : undefined);
  if (framing === 'gen2') return gen2DataLength(file, offset, layout?.recordArrays, (at) => file[at] === SID_TRANSFER_DATA_POSITIVE && at + 1 < file.length && candidateTrep(file[at + 1]!, generation));
  if (framing === 'gen1') return gen1DataLength(file, offset, layout);
  throw new DddError(`${trepName(trep)} is no block of a VU download (App. 7 DDP_011): where it ends is unknown`);
}

/** The next block start after `from` whose block can be delimited, within MAX_CANDIDATES tries. */
function resync(file: Uint8Array, from: number, generation: VuGeneration | null): number | undefined {
  for (const p of take(headersFrom(file, from, generation), MAX_CANDIDATES)) {
    try {
      dataLength(file, p + 2, file[p + 1]!, generation);
      return p;
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
    }
  }
  return undefined;
}

/** The file's generation from its block headers: the first block's TREP, else the first header that names one. */
function generationOf(file: Uint8Array): VuGeneration | null {
  if (file[0] === SID_TRANSFER_DATA_POSITIVE && file.length > 1) {
    const first = generationOfTrep(file[1]!);
    if (first) return first;
  }
  const treps: number[] = [];
  for (const p of take(headersFrom(file, 0, null), MAX_CANDIDATES)) treps.push(file[p + 1]!);
  return fileGeneration(treps);
}

export function scanVuFile(file: Uint8Array): VuFileScan {
  const generation = generationOf(file);
  const blocks: ScannedBlock[] = [];
  const problems: string[] = [];
  let at = 0;
  while (at < file.length) {
    if (file[at] !== SID_TRANSFER_DATA_POSITIVE) {
      const next = resync(file, at + 1, generation);
      problems.push(`byte ${at}: expected SID 76, found ${toHex(file.subarray(at, at + 1))}${next === undefined ? '' : `; reading resumes at the next block, byte ${next}`}`);
      if (next === undefined) break;
      at = next;
      continue;
    }
    if (at + 2 > file.length) {
      problems.push(`byte ${at}: the file ends after SID 76, before the TREP`);
      break;
    }
    const trep = file[at + 1]!;
    try {
      const length = dataLength(file, at + 2, trep, generation);
      blocks.push({ trep, offset: at, data: file.subarray(at + 2, at + 2 + length) });
      at += 2 + length;
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      const next = resync(file, at + 2, generation);
      blocks.push({ trep, offset: at, error: error.message });
      problems.push(`byte ${at}: ${trepName(trep)} block: ${error.message}${next === undefined ? '' : `; reading resumes at the next block, byte ${next}`}`);
      if (next === undefined) break;
      at = next;
    }
  }
  return { generation, blocks, problems };
}
