import type { Deframer } from '../port-codec.ts';

/**
 * Cuts a byte stream into T=1 blocks by their LEN byte (NAD PCB LEN INF… LRC). T=1 has no start-of-frame
 * marker: a receiver finds block boundaries only by counting, and recovers from lost bytes by the character
 * waiting time (ISO/IEC 7816-3 §11.4.3): the owner drops the held bytes when CWT expires mid-block.
 * Blocks are returned whatever their LRC: checking it is the block codec's job, and a bad block must still be
 * answered (an R-block, §11.6.2). Pure, so a machine context can keep `held` as plain data.
 */
export function deframeT1(held: readonly number[], bytes: Uint8Array): { frames: Uint8Array[]; held: number[] } {
  const frames: Uint8Array[] = [];
  let buf = [...held];
  for (const b of bytes) {
    buf.push(b);
    if (buf.length >= 3 && buf.length === buf[2]! + 4) {
      frames.push(Uint8Array.from(buf));
      buf = [];
    }
  }
  return { frames, held: buf };
}

export class T1Deframer implements Deframer {
  private held: number[] = [];

  push(bytes: Uint8Array): Uint8Array[] {
    const { frames, held } = deframeT1(this.held, bytes);
    this.held = held;
    return frames;
  }
}

/**
 * What a receiver drops when CWT runs out mid-block (ISO/IEC 7816-3 §11.4.3), for its trace: the bytes held and,
 * once LEN came, how many the block should have had (NAD PCB LEN, LEN bytes, LRC); null when nothing is held.
 */
export function t1PartialBlock(held: readonly number[]): string | null {
  if (held.length === 0) return null;
  const bytes = held.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  if (held.length < 3) return `a block cut after ${held.length} byte${held.length === 1 ? '' : 's'}, before its LEN (${bytes})`;
  return `a block cut after ${held.length} of its ${held[2]! + 4} bytes (${bytes})`;
}
