import { GEN1_TREPS } from './gen1-layout.ts';
import { GEN2_V1_TREPS, trepName, type TrepLayout } from './ddd-layout.ts';
import { GEN2_V2_TREPS } from './gen2v2-layout.ts';

/**
 * The three kinds of VU download (App. 7 DDP_011): which TREPs each has, which one opens a session, which come
 * once in a full download. A file's generation is the one its TREPs name (gen1 01..05, gen2 v1 21..25, gen2
 * v2 00 and 31..35; TREP 24 is both gen2 versions'); how a block's data is delimited follows from its TREP,
 * never from a guess made before reading it: a gen1 block is no record array (the bug of issue 14).
 */
export type VuGeneration = 'gen1' | 'gen2v1' | 'gen2v2';

export interface VuDownloadKind {
  generation: VuGeneration;
  /** 'generation 2, version 1' */
  label: string;
  /** The TREPs of DDP_011's column, in its order. */
  treps: readonly number[];
  /** The typed decoders (gen1's are filled by app7-records-g1). */
  layouts: Readonly<Record<number, TrepLayout>>;
  overview: number;
  activities: number;
  /** What a full download holds once besides the overview (events, detailed speed, technical data). */
  onceInFullDownload: readonly number[];
  /** Blocks a session may answer before the overview: gen2 v2's download interface version (DDP_028a). */
  beforeOverview: readonly number[];
}

export const VU_DOWNLOAD_KINDS: Readonly<Record<VuGeneration, VuDownloadKind>> = {
  gen1: { generation: 'gen1', label: 'generation 1', treps: [0x01, 0x02, 0x03, 0x04, 0x05], layouts: GEN1_TREPS, overview: 0x01, activities: 0x02, onceInFullDownload: [0x03, 0x04, 0x05], beforeOverview: [] },
  gen2v1: { generation: 'gen2v1', label: 'generation 2, version 1', treps: [0x21, 0x22, 0x23, 0x24, 0x25], layouts: GEN2_V1_TREPS, overview: 0x21, activities: 0x22, onceInFullDownload: [0x23, 0x24, 0x25], beforeOverview: [] },
  gen2v2: { generation: 'gen2v2', label: 'generation 2, version 2', treps: [0x00, 0x31, 0x32, 0x33, 0x24, 0x35], layouts: GEN2_V2_TREPS, overview: 0x31, activities: 0x32, onceInFullDownload: [0x33, 0x24, 0x35], beforeOverview: [0x00] },
};

/** DDP_011's data transfer types by the TREP's low digit, and the requirement giving each one's content. */
const TRANSFER: Readonly<Record<number, { name: string; requirement: string }>> = {
  0x0: { name: 'Download interface version', requirement: 'DDP_028a' },
  0x1: { name: 'Overview', requirement: 'DDP_029' },
  0x2: { name: 'Activities', requirement: 'DDP_030' },
  0x3: { name: 'Events and faults', requirement: 'DDP_031' },
  0x4: { name: 'Detailed speed', requirement: 'DDP_032' },
  0x5: { name: 'Technical data', requirement: 'DDP_033' },
};

/** The generation a TREP belongs to only; TREP 24 is both gen2 versions' (undefined), as is any TREP no download has. */
export function generationOfTrep(trep: number): VuGeneration | undefined {
  if (trep >= 0x01 && trep <= 0x05) return 'gen1';
  if (trep === 0x21 || trep === 0x22 || trep === 0x23 || trep === 0x25) return 'gen2v1';
  if (trep === 0x00 || trep === 0x31 || trep === 0x32 || trep === 0x33 || trep === 0x35) return 'gen2v2';
  return undefined;
}

/** Whether a TREP is one of any VU download (DDP_011). */
export function isVuTrep(trep: number): boolean {
  return generationOfTrep(trep) !== undefined || trep === 0x24;
}

/** How a block of this TREP is delimited: gen1's counts, gen2's record arrays, or TREP 00's two bytes. */
export function framingOfTrep(trep: number): 'gen1' | 'gen2' | 'fixed' | undefined {
  if (trep === 0x00) return 'fixed';
  const g = generationOfTrep(trep);
  if (g === 'gen1') return 'gen1';
  return g || trep === 0x24 ? 'gen2' : undefined;
}

/** "TREP 22 (Activities)", the DDP_011 name whether or not a decoder knows the TREP. */
export function trepTitle(trep: number): string {
  const t = isVuTrep(trep) ? TRANSFER[trep & 0x0f] : undefined;
  return t ? `${trepName(trep)} (${t.name})` : trepName(trep);
}

export function transferOfTrep(trep: number): { name: string; requirement: string } | undefined {
  return isVuTrep(trep) ? TRANSFER[trep & 0x0f] : undefined;
}

/**
 * The file's generation: the first TREP that names one. A file of TREP 24 blocks only is gen2 (either
 * version) and is read as version 1 (a choice: nothing in it tells them apart). null: no VU TREP at all.
 */
export function fileGeneration(treps: readonly number[]): VuGeneration | null {
  for (const t of treps) {
    const g = generationOfTrep(t);
    if (g) return g;
  }
  return treps.includes(0x24) ? 'gen2v1' : null;
}

/** The decoder of a block: its file generation's, else (a block of another generation) the one its TREP names. */
export function layoutOf(trep: number, generation: VuGeneration | null): TrepLayout | undefined {
  const own = generation ? VU_DOWNLOAD_KINDS[generation].layouts[trep] : undefined;
  if (own) return own;
  const g = generationOfTrep(trep);
  return g ? VU_DOWNLOAD_KINDS[g].layouts[trep] : undefined;
}

/**
 * Problems with the sequence of blocks of a download of this generation: a TREP of another kind, the overview
 * not first (after gen2 v2's TREP 00, DDP_028a) or twice (DDP_054: requested first in every session; the IDE
 * keeps one file per session, DDP_034), events, detailed speed or technical data twice. Activities come once
 * per day: the day is inside the block, so that is checked after decoding.
 */
export function sessionOrderProblems(treps: readonly number[], kind: VuDownloadKind): string[] {
  const overview = trepName(kind.overview);
  if (treps.length === 0) return [`empty file: no Overview (${overview}), which every download carries (DDP_054)`];
  const problems: string[] = [];
  const range = kind.treps.map((t) => t.toString(16).padStart(2, '0').toUpperCase()).join(', ');
  treps.forEach((trep, i) => {
    if (!kind.treps.includes(trep)) problems.push(`block ${i + 1}: ${trepName(trep)} is not a block of a ${kind.label} VU download (TREP ${range}, App. 7 DDP_011)`);
  });
  const first = treps.findIndex((t) => !kind.beforeOverview.includes(t));
  if (first >= 0 && treps[first] !== kind.overview) problems.push(`block ${first + 1} is ${trepName(treps[first]!)}: a download starts with the Overview, ${overview} (DDP_054)`);
  for (const trep of [...kind.beforeOverview, kind.overview, ...kind.onceInFullDownload]) {
    const n = treps.filter((t) => t === trep).length;
    if (n > 1) problems.push(`${trepTitle(trep)} ${n} times: a session downloads it once`);
  }
  return problems;
}

/** What a full download holds and the file lacks (DDP_031..033 answer even when empty); activities are not counted (a day without data is answered FA). */
export function missingFromFullDownload(treps: readonly number[], kind: VuDownloadKind): string[] {
  return kind.onceInFullDownload
    .filter((trep) => !treps.includes(trep))
    .map((trep) => `no ${trepName(trep)} (${transferOfTrep(trep)!.name}, ${transferOfTrep(trep)!.requirement}): a partial download, or the file was cut between blocks`);
}
