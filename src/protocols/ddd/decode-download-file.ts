import { CardFileError } from '../card-files/card-download-file.ts';
import { decodeCardFile, isCardFile, type DecodeCardFileOptions, type DecodedCardEf } from '../card-files/decode-card-file.ts';
import { DecodeError } from '../decode-error.ts';
import { trepName } from './ddd-layout.ts';
import { scanVuFile, type VuFileScan } from './scan-vu-file.ts';
import { layoutOf, missingFromFullDownload, sessionOrderProblems, transferOfTrep, VU_DOWNLOAD_KINDS, type VuGeneration } from './vu-generations.ts';

/**
 * `rig decode`'s reading of any download file: a VU's (DDP_034 blocks, every generation) or a card's (App. 7
 * §3.4 TLVs). Never throws on bad bytes: what cannot be read is said, with its offset, and the rest is read.
 */
export interface DecodedVuBlock {
  trep: number;
  /** DDP_011's name of the transfer ('Overview', 'Activities', ...); 'unknown' for a TREP no download has. */
  name: string;
  /** Byte offset of the block's SID 76. */
  offset: number;
  /** Bytes of the block with SID and TREP; 0 when it could not be delimited. */
  length: number;
  /** The typed records, or why not (a block that could not be delimited, no decoder, not its TREP's layout). */
  content?: unknown;
  error?: string;
}

export interface DecodedVuFile {
  kind: 'vu';
  /** From the file's TREPs (vu-generations.ts); null when no block is a VU download's. */
  generation: VuGeneration | null;
  blocks: DecodedVuBlock[];
  /** What is wrong with the file as a whole: where it breaks, blocks out of a session's order, blocks missing, a day twice. */
  problems: string[];
}

export interface DecodedCardDownload {
  kind: 'card';
  /** From the DFs and EFs present: DF Tachograph_G2 makes it gen2, EF Application_Identification_V2 ('0525') gen2v2. */
  generation: 'gen1' | 'gen2v1' | 'gen2v2';
  efs: DecodedCardEf[];
  problems: string[];
}

export type DecodedDownloadFile = DecodedVuFile | DecodedCardDownload;

export interface DecodeDownloadOptions {
  /** European public keys to open a card's gen1 certificates with (decodeCardFile). */
  eurPublicKeys?: readonly Uint8Array[];
}

export function decodeDownloadFile(file: Uint8Array, options: DecodeDownloadOptions = {}): DecodedDownloadFile {
  return isCardFile(file) ? decodeCard(file, options.eurPublicKeys ? { eurPublicKeys: options.eurPublicKeys } : {}) : decodeVuFile(file);
}

/** The day an activities block holds, in ms, whatever its generation's content shape ({ data: { day } }). */
export function dayOfActivities(content: unknown): number | undefined {
  const data = (content as { data?: { day?: unknown } } | undefined)?.data;
  return typeof data?.day === 'number' ? data.day : undefined;
}

export function decodeVuFile(file: Uint8Array): DecodedVuFile {
  return decodeVuScan(scanVuFile(file), file.length);
}

/** The blocks of a scan decoded, and the file's problems (verification reads the same scan). */
export function decodeVuScan(scan: VuFileScan, fileLength: number): DecodedVuFile {
  const { generation } = scan;
  const problems = scan.problems.map((p) => `unreadable: ${p}`);
  const blocks = scan.blocks.map((b): DecodedVuBlock => {
    const name = transferOfTrep(b.trep)?.name ?? 'unknown';
    if (!b.data) return { trep: b.trep, name, offset: b.offset, length: 0, error: b.error };
    const length = b.data.length + 2;
    const layout = layoutOf(b.trep, generation);
    if (!layout) {
      const why = transferOfTrep(b.trep) ? `no decoder for ${trepName(b.trep)} here yet` : `${trepName(b.trep)} is no block of a VU download (App. 7 DDP_011)`;
      return { trep: b.trep, name, offset: b.offset, length, error: why };
    }
    try {
      return { trep: b.trep, name, offset: b.offset, length, content: layout.decode(b.data) };
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      return { trep: b.trep, name, offset: b.offset, length, error: error.message };
    }
  });
  if (generation) {
    const kind = VU_DOWNLOAD_KINDS[generation];
    const treps = scan.blocks.map((b) => b.trep);
    problems.push(...sessionOrderProblems(treps, kind));
    // a file that breaks off is cut: what follows is unknown, so only a whole file lacks blocks
    if (scan.problems.length === 0 && treps.length > 0) problems.push(...missingFromFullDownload(treps, kind));
    const days = new Set<number>();
    for (const b of blocks) {
      const day = b.trep === kind.activities ? dayOfActivities(b.content) : undefined;
      if (day === undefined) continue;
      if (days.has(day)) problems.push(`${trepName(b.trep)}: the day ${new Date(day).toISOString().slice(0, 10)} comes twice (a session downloads a day once)`);
      days.add(day);
    }
  } else {
    problems.push(fileLength === 0 ? 'empty file: no Overview, which every download carries (DDP_054)' : 'no block of a VU download (SID 76 and a TREP of App. 7 DDP_011) in the file');
  }
  return { kind: 'vu', generation, blocks, problems };
}

function decodeCard(file: Uint8Array, options: DecodeCardFileOptions): DecodedCardDownload {
  let efs: DecodedCardEf[];
  try {
    efs = decodeCardFile(file, options);
  } catch (error) {
    if (!(error instanceof CardFileError)) throw error;
    return { kind: 'card', generation: 'gen1', efs: [], problems: [`unreadable: ${error.message}`] };
  }
  const g2 = efs.some((e) => e.df === 'tachograph-g2');
  const v2 = efs.some((e) => e.df === 'tachograph-g2' && e.tag.startsWith('0525'));
  const problems = efs.filter((e) => e.error).map((e) => `${e.name} (tag ${e.tag}): ${e.error}`);
  return { kind: 'card', generation: v2 ? 'gen2v2' : g2 ? 'gen2v1' : 'gen1', efs, problems };
}
