import type { RigClock, TimerId } from '../clock/index.ts';
import type { Deframer } from '../../protocols/port-codec.ts';

/**
 * Whole frames in one delivery (issue 18). A paced wire rings once per group of bytes (a delivery quantum), at
 * the instant the group's last byte arrives; a receiver that acts on whole frames only would take each group as
 * an event of its own to do nothing but keep the bytes. This end holds such groups back and hands them over
 * with the group that completes a frame, at that group's instant: one event a frame where there were two or
 * three, and the receiver sees what it saw before, at the instants it saw it.
 *
 * What the receiver promises (PortSpec.takesFrames): its buffer for the port is its codec's deframer over the
 * bytes it took, which it may empty at any of its events (an answer timeout, a restart, bytes that come too
 * late), and it does nothing with bytes short of a frame but keep them (at most stamped with the time). Then
 * holding a group is exact when the receiver cannot complete a chunk with it whatever its buffer holds, and the
 * held run began with its buffer surely empty (so that a receiver dropping stale bytes has nothing to drop). To
 * know this, the end runs the codec's deframer itself, a shadow per state the receiver's buffer may be in: one
 * while they agree; at each delivery that does not continue a held run, an empty one joins (the receiver may
 * have emptied its buffer since the last); shadows whose buffers are empty become one.
 *
 * Held bytes are delivered, at the instant of the last of them, before anything else happens: with the wire's
 * next group when it completes a frame or ends the run (the next is not back to back on the line, or nothing
 * follows), else at the clock's hold (rig-clock.ts `hold`), before any callback but that next group's, before
 * the clock awaits a busy settler, yields or goes idle. A group the line did something to (a framing error, a
 * drop, a bit flip: an event at its instant) is delivered at once, as is every group while the shadows are not
 * sure the receiver's buffer is empty. The taps of the line (recorder, answer timing, line charts) still see
 * each group at its own instant (link-base.ts).
 */

/** Shadows beyond this many (a receiver in a muddle of line noise): this end delivers group by group for good. */
export const MAX_SHADOWS = 8;

interface Shadow {
  deframer: Deframer;
  /**
   * Bytes fed and not yet given back in a chunk: how much the receiver's buffer holds in this state. A deframer
   * that drops bytes without a chunk never comes back to 0: its end is never sure of an empty buffer, and
   * hands groups on one by one (exact, without the saving).
   */
  pending: number;
}

export class WholeFrames {
  private shadows: Shadow[];
  private held: Uint8Array[] = [];
  private heldAt = 0;
  /** Group by group from now on (too many shadows, or a deframer that threw). */
  private off = false;
  private readonly release = () => this.released();

  constructor(
    private readonly codec: { createDeframer(): Deframer },
    private readonly clock: Pick<RigClock, 'hold'>,
    private readonly deliver: (bytes: Uint8Array, at: number) => void,
  ) {
    this.shadows = [this.fresh()];
  }

  /**
   * A group of bytes arrived at `at` (its wire's ring, the clock at that instant). `next`: the wire's ring for
   * the group that follows on the line without a gap, if one is queued and the line did nothing to this group.
   */
  arrive(bytes: Uint8Array, at: number, next: TimerId | undefined): void {
    if (this.off) return this.deliver(bytes, at);
    const holding = this.held.length > 0;
    const empty = this.surelyEmpty();
    // Since the last delivery the receiver may have emptied its buffer, at an event of its own or as it takes
    // these (bytes that come too late): that state joins the ones it may be in. (Held bytes began from empty and
    // nothing happened since: the clock's hold would have delivered them.)
    if (!holding && !empty) this.mayEmpty();
    const completes = this.feed(bytes);
    if (this.off) return this.flush(bytes, at);
    if (next !== undefined && !completes && (holding || empty)) {
      this.held.push(bytes);
      this.heldAt = at;
      this.clock.hold!(this, this.release, next);
      return;
    }
    this.flush(bytes, at);
  }

  /** The clock's hold: something else is about to happen, at the instant of the last byte held. */
  private released(): void {
    this.flush(undefined, this.heldAt);
  }

  private flush(last: Uint8Array | undefined, at: number): void {
    const parts = last ? [...this.held, last] : this.held;
    this.held = [];
    if (parts.length === 0) return;
    this.deliver(parts.length === 1 ? parts[0]! : concat(parts), at);
  }

  private surelyEmpty(): boolean {
    return this.shadows.length === 1 && this.shadows[0]!.pending === 0;
  }

  /** The receiver's buffer may have been emptied: a fresh shadow joins, unless one is empty already. */
  private mayEmpty(): void {
    if (this.shadows.some((s) => s.pending === 0)) return;
    this.shadows.push(this.fresh());
    if (this.shadows.length > MAX_SHADOWS) this.off = true;
  }

  /** Feeds every shadow; true when one of them completes a chunk. Shadows with empty buffers become one. */
  private feed(bytes: Uint8Array): boolean {
    let completes = false;
    let empties = 0;
    try {
      for (const shadow of this.shadows) {
        const chunks = shadow.deframer.push(bytes);
        let taken = 0;
        for (const chunk of chunks) taken += chunk.length;
        if (chunks.length > 0) completes = true;
        shadow.pending = Math.max(0, shadow.pending + bytes.length - taken);
        if (shadow.pending === 0) empties++;
      }
    } catch {
      this.off = true;
      return true;
    }
    // A deframer holding nothing is as a fresh one: its states are one (the receiver's, whichever it is in).
    if (empties > 1) this.shadows = this.shadows.filter((s, i) => s.pending > 0 || this.shadows.findIndex((o) => o.pending === 0) === i);
    return completes;
  }

  private fresh(): Shadow {
    return { deframer: this.codec.createDeframer(), pending: 0 };
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
