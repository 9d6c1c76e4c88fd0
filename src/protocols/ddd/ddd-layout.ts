import { decodeTrep21, decodeTrep22, decodeTrep23, decodeTrep24, decodeTrep25 } from '../app7-records/index.ts';
import { GEN2_V1_RECORD_ARRAYS, type TrepReading } from '../app7-records/trep-decode.ts';

/**
 * The blocks a download of a generation 2, version 1 VU produces (App. 7 DDP_011 table, TREP 21..25), with
 * their typed decoders, and the rules on their order that a file must keep. The block's TREP byte lies outside
 * every signature (DDP_034 keeps SID and TREP in front of the signed data), so a verifier must check that each
 * block's content is the one its TREP announces, and that the TREPs are those of one session.
 */
export interface TrepLayout {
  name: string;
  /** App. 7's requirement for its content. */
  requirement: string;
  /**
   * The typed records. Without a reading anything off the layout throws a DecodeError; with one (`rig decode`
   * of a real-world file) what departs from the layout is said in the reading and the rest is read.
   */
  decode: (data: Uint8Array, reading?: TrepReading) => unknown;
  /** How many record arrays App. 7 lists for the block, its SignatureRecordArray included (gen2 TREPs). */
  recordArrays?: number;
  /**
   * The length of the block's data starting at `offset` of `file` (after SID and TREP), for blocks that are not
   * a run of record arrays ending in a SignatureRecordArray: TREP 00's 2 bytes, a generation 1 block (its
   * counts say where it ends). Throws a DecodeError where the bytes do not say. Absent: gen2 record arrays for
   * gen2 TREPs; for gen1 the block is taken to end where the next block header lets its decoder read it whole
   * (scan-vu-file.ts).
   */
  dataLength?: (file: Uint8Array, offset: number) => number;
  /** The unit of the times in `decode`'s result, for display: 'ms', or TimeReal 's'. Absent: told by magnitude. */
  timeUnit?: 'ms' | 's';
}

/** The number of record arrays of a gen2 block: its layout's and the SignatureRecordArray. */
export function withSignature(arrays: readonly unknown[] | undefined): number | undefined {
  return arrays ? arrays.length + 1 : undefined;
}

export const OVERVIEW = 0x21;
export const ACTIVITIES = 0x22;

export const GEN2_V1_TREPS: Readonly<Record<number, TrepLayout>> = {
  0x21: { name: 'Overview', requirement: 'DDP_029', decode: decodeTrep21, timeUnit: 'ms', recordArrays: withSignature(GEN2_V1_RECORD_ARRAYS[0x21]) },
  0x22: { name: 'Activities', requirement: 'DDP_030', decode: decodeTrep22, timeUnit: 'ms', recordArrays: withSignature(GEN2_V1_RECORD_ARRAYS[0x22]) },
  0x23: { name: 'Events and faults', requirement: 'DDP_031', decode: decodeTrep23, timeUnit: 's', recordArrays: withSignature(GEN2_V1_RECORD_ARRAYS[0x23]) },
  0x24: { name: 'Detailed speed', requirement: 'DDP_032', decode: decodeTrep24, timeUnit: 's', recordArrays: withSignature(GEN2_V1_RECORD_ARRAYS[0x24]) },
  0x25: { name: 'Technical data', requirement: 'DDP_033', decode: decodeTrep25, timeUnit: 's', recordArrays: withSignature(GEN2_V1_RECORD_ARRAYS[0x25]) },
};

/** What a full download holds besides the overview and a block per day with data: one of each. */
const ONCE_IN_A_FULL_DOWNLOAD = [0x23, 0x24, 0x25];

export const trepName = (trep: number) => `TREP ${trep.toString(16).padStart(2, '0').toUpperCase()}`;

/**
 * Problems with the sequence of blocks: an empty file, a TREP of another generation (the decoders and the
 * verifier know gen2 v1), the overview not first or twice (DDP_054: requested first in every session; the
 * IDE keeps one file per session, DDP_034), events, detailed speed or technical data twice. Activities may
 * come once per day: the day is inside the block, so the verifier checks that after decoding.
 */
export function blockOrderProblems(treps: readonly number[]): string[] {
  if (treps.length === 0) return ['empty file: no Overview (TREP 21), which every download carries (DDP_054)'];
  const problems: string[] = [];
  treps.forEach((trep, i) => {
    if (!GEN2_V1_TREPS[trep]) problems.push(`block ${i + 1}: ${trepName(trep)} is not a block of a generation 2, version 1 VU download (TREP 21..25, App. 7 DDP_011)`);
  });
  if (treps[0] !== OVERVIEW) problems.push(`block 1 is ${trepName(treps[0]!)}: a download starts with the Overview, TREP 21 (DDP_054)`);
  for (const trep of [OVERVIEW, ...ONCE_IN_A_FULL_DOWNLOAD]) {
    const n = treps.filter((t) => t === trep).length;
    if (n > 1) problems.push(`${trepName(trep)} (${GEN2_V1_TREPS[trep]!.name}) ${n} times: a session downloads it once`);
  }
  return problems;
}

/**
 * What a full download of a gen2 v1 VU holds and the file lacks: events and faults, detailed speed and
 * technical data are answered whether or not the VU holds records (empty arrays, DDP_031..033), so a file
 * without one was downloaded in part or cut between blocks. Activities are not counted: a day without data
 * is answered FA (DDP_018) and leaves no block.
 */
export function missingBlocks(treps: readonly number[]): string[] {
  return ONCE_IN_A_FULL_DOWNLOAD.filter((trep) => !treps.includes(trep)).map(
    (trep) => `no ${trepName(trep)} (${GEN2_V1_TREPS[trep]!.name}, ${GEN2_V1_TREPS[trep]!.requirement}): a partial download, or the file was cut between blocks`,
  );
}
