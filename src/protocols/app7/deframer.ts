import { announcedLength } from './frame.ts';

/**
 * Splits an App. 7 byte stream into frames by the length its header announces. A byte that cannot start a
 * frame is discarded on its own, so the stream resynchronises. With `maxGapMs`, a frame whose bytes are
 * further apart than that is a timing error (DDP_022: P4 max for the VU, P1 max for the IDE) and is
 * discarded, which also recovers from a corrupted LEN byte. Plain data, so a machine can keep it in context.
 */
export interface DeframeState {
  /** The incomplete frame's bytes so far (a typed array: joining it to the next chunk is one copy, not a walk). */
  held: Uint8Array;
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

export const EMPTY_DEFRAME_STATE: DeframeState = { held: new Uint8Array(0), lastAt: null };

/**
 * One pass over the held bytes and the new ones, by index: each byte is looked at a bounded number of times
 * and copied once, into the frame or the discard it ends in. (Re-slicing the rest after every frame, or after
 * every stray byte, made a 20 kB chunk of noise take seconds.) What is held between calls is at most one
 * incomplete frame, so joining it to the next chunk costs at most 259 bytes.
 */
export function deframe(state: DeframeState, bytes: Uint8Array, at = 0, maxGapMs = Infinity): DeframeResult {
  const frames: Uint8Array[] = [];
  const discarded: Discarded[] = [];
  let held = state.held;
  if (held.length > 0 && state.lastAt !== null && at - state.lastAt > maxGapMs) {
    discarded.push({ reason: 'timing', bytes: held, gapMs: at - state.lastAt });
    held = EMPTY_DEFRAME_STATE.held;
  }
  let buffer = bytes;
  if (held.length > 0) {
    buffer = new Uint8Array(held.length + bytes.length);
    buffer.set(held, 0);
    buffer.set(bytes, held.length);
  }
  let pos = 0;
  for (;;) {
    const a = announcedLength(buffer, pos);
    if (a === null) break;
    if (a === 'bad-format') {
      discarded.push({ reason: 'bad-format', bytes: buffer.slice(pos, pos + 1) });
      pos += 1;
      continue;
    }
    const total = a.header + a.data + 1;
    if (buffer.length - pos < total) break;
    frames.push(buffer.slice(pos, pos + total));
    pos += total;
  }
  // A copy, not a view: the caller's chunk must not be kept alive, or changed under us, through what is held.
  const rest = pos === buffer.length ? EMPTY_DEFRAME_STATE.held : buffer.slice(pos);
  return { state: { held: rest, lastAt: rest.length > 0 ? at : null }, frames, discarded };
}
