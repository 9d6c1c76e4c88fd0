import { toHex } from '../../crypto/bytes.ts';
import { App7G1Error } from './fields-g1.ts';
import { g1TrepDataLength, G1_TREP_ELEMENTS } from './layout-g1.ts';

/**
 * A generation 1 VU .DDD file (App. 7 DDP_034: each Positive Response Transfer Data kept as SID '76', TREP,
 * then its data) split into its blocks. A gen1 block has no record-array framing, so its length is found by
 * walking its elements (layout-g1.ts); the walk stops at the first byte that does not continue the
 * structure and says what is wrong there, naming the block.
 */
export interface G1Block {
  trep: number;
  /** Offset of the block's SID in the file. */
  offset: number;
  /** The TREP's data, signature included. */
  data: Uint8Array;
}

const SID_TRANSFER_DATA_POSITIVE = 0x76;
const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();

export function scanDddG1(file: Uint8Array): { blocks: G1Block[]; problem?: string } {
  const blocks: G1Block[] = [];
  let at = 0;
  while (at < file.length) {
    if (file[at] !== SID_TRANSFER_DATA_POSITIVE) return { blocks, problem: `byte ${at}: expected SID 76, found ${toHex(file.subarray(at, at + 1))}` };
    if (at + 2 > file.length) return { blocks, problem: `byte ${at}: the file ends after SID 76, before the TREP` };
    const trep = file[at + 1]!;
    if (!G1_TREP_ELEMENTS[trep]) return { blocks, problem: `byte ${at}: TREP ${hex(trep)} is not a block of a generation 1 VU download (TREP 01..05, App. 7 DDP_011)` };
    let length: number;
    try {
      length = g1TrepDataLength(trep, file, at + 2);
    } catch (error) {
      if (!(error instanceof App7G1Error)) throw error;
      return { blocks, problem: `byte ${at}: TREP ${hex(trep)} block: ${error.message}` };
    }
    blocks.push({ trep, offset: at, data: file.subarray(at + 2, at + 2 + length) });
    at += 2 + length;
  }
  return { blocks };
}

/** The blocks of a file, throwing an App7G1Error that names the byte where the structure breaks. */
export function readDddG1(file: Uint8Array): G1Block[] {
  const { blocks, problem } = scanDddG1(file);
  if (problem) throw new App7G1Error(problem);
  return blocks;
}
