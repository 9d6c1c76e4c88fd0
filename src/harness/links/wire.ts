import type { RigClock, TimerId } from '../clock/index.ts';
import type { Rng } from '../../crypto/random.ts';
import { bitsPerCharacter, type Direction, type FaultSettings, type Framing, type LinkEvent } from './link.ts';

export interface WireOptions {
  clock: RigClock;
  /** The direction's own seeded stream: drops and bit flips repeat for a given seed. */
  rng: Rng;
  link: string;
  direction: Direction;
  /** Port names: the receiving end is named in events about bytes it did or did not get. */
  from: string;
  to: string;
  framing: Framing;
  pacing: boolean;
  faults: FaultSettings;
  senderBaud: () => number;
  /** The receiver's baud, checked at arrival; undefined unless both ends are the rig's (see LinkBase). */
  receiverBaud?: () => number;
  /**
   * Bytes due within this many ms of the first byte of a group are delivered together, at the last one's
   * arrival time. 0 delivers byte by byte (exact timing); OS-backed links use more to spare system calls.
   */
  quantumMs: number;
  emit: (event: Omit<LinkEvent, 'link' | 'at'>) => void;
  /**
   * Bytes that crossed the line; `at`: the rig time the last of them was due at the receiver. `next`: the ring of
   * the group that follows these on the line without a gap, when one is queued and the line did nothing to these
   * (no framing error, no drop, no flipped bit): a receiver taking whole frames may hold them until it
   * (whole-frames.ts).
   */
  deliver: (bytes: Uint8Array, at: number, next?: TimerId) => void;
}

/** What is on the line, in the order it was sent: a group of bytes, or a call once all before it arrived. */
interface InFlight {
  due: number;
  /** The group's bytes (a copy: the sender may reuse its buffer), all sent at `baud`. */
  bytes: Uint8Array;
  baud: number;
  then?: () => void;
  done: boolean;
  /** The clock's id of its delivery. */
  timer?: TimerId;
  /** Its first byte follows the last of the group ahead on the line without a gap (back to back). */
  joined?: boolean;
}

/**
 * One direction of a link: the line between a transmitter and a receiver. It applies, in order, the line
 * state (cut, paused), the seeded faults, the UART pacing (bits per character over the baud rate, computed
 * from an anchor so 960 characters at 9600 baud 8N1 end exactly 1000 ms after the first started), latency,
 * and at arrival the receiver's baud check.
 *
 * A line does not reorder: what is sent sits in one FIFO and is delivered in that order whatever order the
 * clock runs the delivery timers in (a wall clock's timers run late on a busy host; a latency lowered
 * mid-stream makes later bytes due sooner). Each group's timer delivers everything queued up to and
 * including its group; on a clock that runs in due order that is the group alone, at the instant it always
 * was. Each delivery carries the rig time its bytes were due, so a receiver judges inter-byte gaps by the
 * line, not by when a late timer got to run.
 */
export class Wire {
  private faults: FaultSettings;
  private inFlight: InFlight[] = [];
  /** The due time of the last delivery: stamps never go backwards. */
  private lastStamp = -Infinity;
  private connected = false; // until the link opens: bytes written to an unopened line are lost, as on a pty
  private paused = false;
  private held: number[] = [];
  // Pacing anchor: the line has been busy since `anchorAt`, sending `anchorBits` at `anchorBaud`.
  private anchorAt = -Infinity;
  private anchorBits = 0;
  private anchorBaud = 0;

  constructor(private readonly o: WireOptions) {
    this.faults = { ...o.faults };
  }

  setFaults(settings: Partial<FaultSettings>): void {
    this.faults = { ...this.faults, ...settings };
  }

  setConnected(connected: boolean): void {
    this.connected = connected;
    if (!connected) this.held = [];
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    if (held.length > 0) this.send(Uint8Array.from(held));
  }

  /**
   * Puts bytes on the line. `startAt`: when they started on it, if earlier than now: bytes read from an OS
   * port after the process was held up (see ReadStamper); they are due from then, and arrive at once.
   */
  send(bytes: Uint8Array, startAt?: number): void {
    if (!this.connected || bytes.length === 0) return; // a cut line loses what is written to it
    if (this.paused) {
      for (const b of bytes) this.held.push(b);
      return;
    }
    const now = this.o.clock.now();
    const start = startAt !== undefined && startAt < now ? startAt : now;
    const baud = this.o.senderBaud();
    const bits = bitsPerCharacter(this.o.framing);
    const latency = this.faults.latencyMs;
    if (!this.o.pacing || this.lineFreeAt() <= now || baud !== this.anchorBaud) {
      this.anchorAt = Math.max(start, this.lineFreeAt());
      this.anchorBits = 0;
      this.anchorBaud = baud;
    }
    // Groups of the bytes due within a quantum of the group's first: a copy each, with no object per byte.
    let groupFrom = 0;
    let groupStart = 0;
    let groupEnd = 0;
    const charMs = (bits * 1000) / baud;
    const flush = (to: number) => {
      if (to === groupFrom) return;
      // Back to back with the group ahead: its first byte started as the last one ahead arrived.
      const ahead = this.inFlight.at(-1);
      const joined = this.o.pacing && ahead !== undefined && ahead.bytes.length > 0 && groupStart + latency - charMs <= ahead.due + 1e-6;
      this.enqueue({ due: groupEnd + latency, bytes: bytes.slice(groupFrom, to), baud, done: false, joined });
      groupFrom = to;
    };
    for (let i = 0; i < bytes.length; i++) {
      let arrival = start;
      if (this.o.pacing) {
        this.anchorBits += bits;
        arrival = this.anchorAt + (this.anchorBits * 1000) / baud;
      }
      if (i > groupFrom && arrival - groupStart > this.o.quantumMs) flush(i);
      if (i === groupFrom) groupStart = arrival;
      groupEnd = arrival;
    }
    flush(bytes.length);
  }

  /**
   * Calls `fn` once every byte sent so far has arrived (or was lost on the way): at once when the line is
   * idle. A sender switching speed uses it to change an OS port's speed after its last byte, not under it.
   */
  whenSent(fn: () => void): void {
    const last = this.inFlight.at(-1);
    if (!last) return fn();
    this.enqueue({ due: last.due, bytes: new Uint8Array(0), baud: 0, then: fn, done: false });
  }

  /** The rig time the last byte sent so far is due at the receiver; -Infinity when nothing is on the line. */
  get idleAt(): number {
    return this.inFlight.at(-1)?.due ?? -Infinity;
  }

  private enqueue(entry: InFlight): void {
    // Not before what was sent earlier: a byte due sooner (a lower latency) waits for those ahead of it.
    const ahead = this.inFlight.at(-1);
    if (ahead && ahead.due > entry.due) entry.due = ahead.due;
    this.inFlight.push(entry);
    entry.timer = this.o.clock.schedule(entry.due, () => this.deliverThrough(entry));
  }

  /** Delivers, in the order sent, everything on the line up to and including `entry`. */
  private deliverThrough(entry: InFlight): void {
    while (!entry.done) {
      const next = this.inFlight.shift()!;
      next.done = true;
      this.lastStamp = Math.max(this.lastStamp, next.due);
      if (next.bytes.length > 0) this.arrive(next, this.lastStamp, this.followingRing());
      next.then?.();
    }
  }

  /** The ring of the group now first on the line, if it carries bytes back to back with the one just delivered. */
  private followingRing(): TimerId | undefined {
    const following = this.inFlight[0];
    return following && following.joined && following.bytes.length > 0 && !following.then ? following.timer : undefined;
  }

  private lineFreeAt(): number {
    return this.anchorBaud > 0 ? this.anchorAt + (this.anchorBits * 1000) / this.anchorBaud : -Infinity;
  }

  private arrive(group: InFlight, at: number, next: TimerId | undefined): void {
    if (!this.connected) return; // cut while the bytes were on the line
    const receiverBaud = this.o.receiverBaud?.();
    if (receiverBaud !== undefined && receiverBaud !== group.baud) {
      for (const value of group.bytes) {
        this.o.emit({ type: 'framing-error', direction: this.o.direction, end: this.o.to, sent: value, detail: `sent at ${group.baud} baud, receiver at ${receiverBaud} baud` });
      }
      return;
    }
    // A clean line draws nothing from the fault stream (applyFaults): the group goes on as it is.
    if (this.faults.dropRate <= 0 && this.faults.bitFlipRate <= 0) return this.o.deliver(group.bytes, at, next);
    const out: number[] = [];
    let clean = true;
    for (const value of group.bytes) {
      const received = this.applyFaults(value);
      if (received !== value) clean = false;
      if (received !== undefined) out.push(received);
    }
    if (out.length > 0) this.o.deliver(Uint8Array.from(out), at, clean ? next : undefined);
  }

  private applyFaults(value: number): number | undefined {
    const { dropRate, bitFlipRate } = this.faults;
    if (dropRate > 0 && this.o.rng.next() < dropRate) {
      this.o.emit({ type: 'dropped', direction: this.o.direction, end: this.o.to, sent: value });
      return undefined;
    }
    if (bitFlipRate <= 0) return value;
    let received = value;
    for (let bit = 0; bit < this.o.framing.dataBits; bit++) {
      if (this.o.rng.next() < bitFlipRate) received ^= 1 << bit;
    }
    if (received !== value) {
      this.o.emit({ type: 'corrupted', direction: this.o.direction, end: this.o.to, sent: value, received });
    }
    return received;
  }
}
