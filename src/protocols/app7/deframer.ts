import { announcedLength } from './frame.ts';

/**
 * Splits an App. 7 byte stream into frames by the length its header announces. A byte that cannot start a
 * frame is discarded on its own, so the stream resynchronises. With `maxGapMs`, a frame whose bytes are
 * further apart than that is a timing error (DDP_022: P4 max for the VU, P1 max for the IDE) and is
 * discarded, which also recovers from a corrupted LEN byte. Plain data, so a machine can keep it in context.
 */
export interface DeframeState {
  held: number[];
  /** Rig time of the last byte held. */
  lastAt: number | null;
}

export interface Discarded {
  reason: 'bad-format' | 'timing';
  bytes: Uint8Array;
  /** For a timing error: the gap that was too long, ms. */
  gapMs?: number;
}

export interface DeframeResult {
  state: DeframeState;
  frames: Uint8Array[];
  discarded: Discarded[];
}

export const EMPTY_DEFRAME_STATE: DeframeState = { held: [], lastAt: null };

export function deframe(state: DeframeState, bytes: Uint8Array, at = 0, maxGapMs = Infinity): DeframeResult {
  const frames: Uint8Array[] = [];
  const discarded: Discarded[] = [];
  let held = state.held;
  if (held.length > 0 && state.lastAt !== null && at - state.lastAt > maxGapMs) {
    discarded.push({ reason: 'timing', bytes: Uint8Array.from(held), gapMs: at - state.lastAt });
    held = [];
  }
  held = [...held, ...bytes];
  for (;;) {
    const a = announcedLength(held);
    if (a === null) break;
    if (a === 'bad-format') {
      discarded.push({ reason: 'bad-format', bytes: Uint8Array.of(held[0]!) });
      held = held.slice(1);
      continue;
    }
    const total = a.header + a.data + 1;
    if (held.length < total) break;
    frames.push(Uint8Array.from(held.slice(0, total)));
    held = held.slice(total);
  }
  return { state: { held, lastAt: held.length > 0 ? at : null }, frames, discarded };
}
