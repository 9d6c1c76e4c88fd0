import { App7RecordError } from '../app7-records/record-array.ts';
import { readDdd, scanDdd } from './ddd-file.ts';
import { blockOrderProblems, GEN2_V1_TREPS, missingBlocks, trepName } from './ddd-layout.ts';

export interface DecodedBlock {
  trep: number;
  name: string;
  /** The typed content, or why it could not be decoded. */
  content?: unknown;
  error?: string;
}

function decodeBlock(trep: number, data: Uint8Array): DecodedBlock {
  const layout = GEN2_V1_TREPS[trep];
  if (!layout) return { trep, name: trepName(trep), error: 'no decoder for this TREP (gen2 v1 has 21..25)' };
  try {
    return { trep, name: layout.name, content: layout.decode(data) };
  } catch (error) {
    if (!(error instanceof App7RecordError)) throw error;
    return { trep, name: layout.name, error: error.message };
  }
}

/** Every block of a .DDD file, decoded into typed records; a block that does not decode says why, the rest still do. Throws a DddError when the bytes do not split into blocks. */
export function decodeDdd(file: Uint8Array): DecodedBlock[] {
  return readDdd(file).map(({ trep, data }) => decodeBlock(trep, data));
}

export interface DecodedDddFile {
  /** The blocks up to where the file stops making sense. */
  blocks: DecodedBlock[];
  /**
   * What is wrong with the file as a whole: where its structure breaks, blocks out of a download's order
   * (ddd-layout.ts), and what a full download holds that the file lacks (an empty file, or one cut exactly
   * between blocks, reads without a structural error: this is where it shows).
   */
  problems: string[];
}

/** The file as `rig decode` shows it: never throws on bad bytes, says what is wrong or missing. */
export function decodeDddFile(file: Uint8Array): DecodedDddFile {
  const { blocks, problem } = scanDdd(file);
  const treps = blocks.map((b) => b.trep);
  const problems = problem ? [`unreadable: ${problem}`] : [];
  if (treps.length > 0 || !problem) problems.push(...blockOrderProblems(treps));
  // a file that breaks off is cut: what follows the break is unknown, so only a whole file is missing blocks
  if (!problem && treps.length > 0) problems.push(...missingBlocks(treps));
  return { blocks: blocks.map(({ trep, data }) => decodeBlock(trep, data)), problems };
}
