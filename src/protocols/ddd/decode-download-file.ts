import type { TrepReading } from '../app7-records/trep-decode.ts';
import type { CardFileSummary } from '../card-files/card-file-summary.ts';
import { decodeCardDownload, type CardStructureGeneration, type DecodedCardDownloadEf } from '../card-files/decode-card-download.ts';
import { isCardFile } from '../card-files/decode-card-file.ts';
import type { CardType } from '../app1/card-type.ts';
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
  /** The typed records, or why not (a block that could not be delimited, no decoder, bytes the decoder refused). */
  content?: unknown;
  error?: string;
  /**
   * What departs from App. 7 and App. 1 in a block that decoded: a RecordType, a record size, an array missing,
   * an empty certificate or signature array, a record left out; each with its byte in the file.
   */
  problems?: string[];
  /** The first way the block is not its TREP's layout: verification fails it as not what the TREP announces. */
  layoutDeviation?: string;
}

export interface DecodedVuFile {
  kind: 'vu';
  /** From the file's TREPs (vu-generations.ts); null when no block is a VU download's. */
  generation: VuGeneration | null;
  blocks: DecodedVuBlock[];
  /** What is wrong with the file as a whole: where it breaks, blocks out of a session's order, blocks missing, a day twice. */
  problems: string[];
}

/** A card download as the card decoder reads it (card-files decodeCardDownload): every EF typed with App. 1's records. */
export interface DecodedCardDownload {
  kind: 'card';
  /** The card's structure: DF Tachograph_G2 makes it gen2, cardStructureVersion {01 01} or EF Application_Identification_V2 gen2v2. */
  generation: CardStructureGeneration;
  cardType: CardType | null;
  summary: CardFileSummary;
  /** Each EF's own problems are with it (`problems`, with the EF's offset). */
  efs: DecodedCardDownloadEf[];
  /** The file's: the TLV structure, a signature away from its data, DFs that disagree. */
  problems: string[];
}

export type DecodedDownloadFile = DecodedVuFile | DecodedCardDownload;

export interface DecodeDownloadOptions {
  /** European public keys to open a card's gen1 certificates with (decodeCardDownload). */
  eurPublicKeys?: readonly Uint8Array[];
}

export function decodeDownloadFile(file: Uint8Array, options: DecodeDownloadOptions = {}): DecodedDownloadFile {
  return isCardFile(file) ? decodeCard(file, options) : decodeVuFile(file);
}

/** Whether anything in the file is not as App. 1, 2 and 7 say: the file's problems, a block's or an EF's. */
export function hasProblems(file: DecodedDownloadFile): boolean {
  if (file.problems.length > 0) return true;
  return file.kind === 'vu' ? file.blocks.some((b) => b.error !== undefined || (b.problems?.length ?? 0) > 0) : file.efs.some((e) => e.problems.length > 0);
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
    // a real-world file is read as far as it goes: what departs from the layout is said, not thrown
    const reading: TrepReading = { offset: b.offset + 2, layout: [], content: [] };
    try {
      const content = layout.decode(b.data, reading);
      const problems = [...reading.layout, ...reading.content];
      return {
        trep: b.trep,
        name,
        offset: b.offset,
        length,
        content,
        ...(problems.length > 0 ? { problems } : {}),
        ...(reading.layout.length > 0 ? { layoutDeviation: reading.layout[0] } : {}),
      };
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
      if (days.has(day)) problems.push(`${trepName(b.trep)} at byte ${b.offset}: the day ${new Date(day).toISOString().slice(0, 10)} comes twice (a session downloads a day once)`);
      days.add(day);
    }
  } else {
    problems.push(fileLength === 0 ? 'empty file: no Overview, which every download carries (DDP_054)' : 'no block of a VU download (SID 76 and a TREP of App. 7 DDP_011) in the file');
  }
  return { kind: 'vu', generation, blocks, problems };
}

function decodeCard(file: Uint8Array, options: DecodeDownloadOptions): DecodedCardDownload {
  const card = decodeCardDownload(file, options.eurPublicKeys ? { eurPublicKeys: options.eurPublicKeys } : {});
  return { kind: 'card', generation: card.structure, cardType: card.cardType, summary: card.summary, efs: card.efs, problems: card.problems };
}
