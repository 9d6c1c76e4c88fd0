import { storedSpeed } from './stored-speed.ts';

import type { DetailedSpeedBlock } from '../../../protocols/app1/detailed-speed-block.ts';

export type { DetailedSpeedBlock };

export interface DetailedSpeedState {
  current?: DetailedSpeedBlock;
  blocks: DetailedSpeedBlock[];
}

/** 24 hours of moving minutes. */
export const DETAILED_SPEED_BLOCKS_KEPT = 24 * 60;

export function createDetailedSpeed(): DetailedSpeedState {
  return { blocks: [] };
}

/** Records the speed of the second that began at TimeReal `second` (VU time). */
export function recordSecond(state: DetailedSpeedState, second: number, speedKmh: number): DetailedSpeedState {
  const minute = second - (((second % 60) + 60) % 60);
  let { current, blocks } = state;
  if (current && current.begin !== minute) {
    blocks = keep(blocks, current);
    current = undefined;
  }
  if (!current) current = { begin: minute, speeds: new Array<number>(60).fill(0) };
  const speeds = [...current.speeds];
  speeds[second - minute] = storedSpeed(speedKmh);
  return { current: { begin: minute, speeds }, blocks };
}

/** Stored blocks plus the minute in progress, if it had movement: what a download would return. */
export function detailedSpeedBlocks(state: DetailedSpeedState): DetailedSpeedBlock[] {
  return state.current ? keep(state.blocks, state.current) : state.blocks;
}

function keep(blocks: DetailedSpeedBlock[], block: DetailedSpeedBlock): DetailedSpeedBlock[] {
  if (!block.speeds.some((s) => s > 0)) return blocks;
  const out = [...blocks, block];
  return out.length > DETAILED_SPEED_BLOCKS_KEPT ? out.slice(out.length - DETAILED_SPEED_BLOCKS_KEPT) : out;
}
