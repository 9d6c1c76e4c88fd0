import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * Seeded randomness. Every consumer takes its own named stream derived from the rig seed, so adding a link
 * or a device does not shift the numbers another one draws: the same seed gives the same run.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  bytes(length: number): Uint8Array;
  /** An independent stream for a named consumer. */
  fork(name: string): Rng;
}

export function createRng(seed: number, stream = ''): Rng {
  const key = streamSeed(seed, stream);
  const generator = xoroshiro128plus(key);
  return {
    next: () => uniformFloat64(generator),
    int: (min, max) => uniformInt(generator, min, max),
    bytes: (length) => {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = uniformInt(generator, 0, 255);
      return out;
    },
    fork: (name) => createRng(seed, stream ? `${stream}/${name}` : name),
  };
}

/** FNV-1a over the seed and the stream name: a stable 32-bit seed per stream. */
function streamSeed(seed: number, stream: string): number {
  let h = 0x811c9dc5;
  const text = `${seed}:${stream}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
