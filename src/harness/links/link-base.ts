import type { RigClock, TimerId } from '../clock/index.ts';
import type { Deframer } from '../../protocols/port-codec.ts';
import type { Rng } from '../../crypto/random.ts';
import {
  bitsPerCharacter,
  type Direction,
  type FaultControls,
  type FaultSettings,
  type LineCrossing,
  type LineTraffic,
  type Link,
  type LinkEnd,
  type LinkEvent,
  type LinkOptions,
  type Transport,
  type Unsubscribe,
} from './link.ts';
import { byteArrivals, type LineClock, type LineModel } from './line-times.ts';
import { Wire } from './wire.ts';
import { WholeFrames } from './whole-frames.ts';

/** A link end as the rig holds it: the LinkEnd devices see, plus the hooks transports use. */
export class Endpoint implements LinkEnd {
  private listeners = new Set<(bytes: Uint8Array, at: number) => void>();
  private currentBaud: number;
  /** Set by takeFrames where the link and the clock allow it: whole frames in one delivery. */
  private frames: WholeFrames | undefined;

  constructor(
    readonly name: string,
    readonly local: boolean,
    baud: number,
    private readonly owner: LinkBase,
    readonly path?: string,
  ) {
    this.currentBaud = baud;
  }

  get baud(): number {
    return this.currentBaud;
  }

  get connected(): boolean {
    return this.owner.isConnected;
  }

  get timingToleranceMs(): number {
    return this.owner.timingToleranceMs(this);
  }

  write(bytes: Uint8Array): void {
    if (!this.local) throw new Error(`port ${this.name} belongs to an external device; the rig cannot write for it`);
    this.owner.transmit(this, bytes);
  }

  onData(listener: (bytes: Uint8Array, at: number) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  drain(): Promise<void> {
    return this.owner.drain(this);
  }

  setBaud(baud: number): void {
    if (!(baud > 0)) throw new RangeError(`baud must be positive, got ${baud}`);
    if (baud === this.currentBaud) return;
    this.currentBaud = baud;
    this.owner.baudChanged(this, baud);
  }

  /** See LinkEnd.tellCut: what this end says at an injected cut, to a far end outside the rig. */
  cutSignal: ((at: number) => Uint8Array) | undefined;

  tellCut(signal: (at: number) => Uint8Array): void {
    this.cutSignal = signal;
  }

  takeFrames(codec: { createDeframer(): Deframer }): void {
    const clock = this.owner.clockForHeldDelivery();
    if (!clock || this.frames) return;
    this.frames = new WholeFrames(codec, clock, (bytes, at) => this.hand(bytes, at));
  }

  /**
   * Bytes arriving for the device, with their arrival time (see LinkEnd.onData); `next`: the ring of the bytes
   * that follow these back to back on the line (wire.ts), for an end taking whole frames.
   */
  receive(bytes: Uint8Array, at: number, next?: TimerId): void {
    if (this.frames) this.frames.arrive(bytes, at, next);
    else this.hand(bytes, at);
  }

  /** Hands received bytes to the device. A listener that throws does not stop the others. */
  private hand(bytes: Uint8Array, at: number): void {
    for (const listener of this.listeners) {
      try {
        listener(bytes, at);
      } catch (error) {
        this.owner.report({ type: 'error', end: this.name, detail: `listener on ${this.name} threw: ${String(error)}` });
      }
    }
  }
}

export interface LinkContext {
  clock: RigClock;
  /** The link's seeded stream; each direction forks its own. */
  rng: Rng;
}

/**
 * What all transports share: two endpoints, a {@link Wire} per direction, the event bus and fault controls.
 * A transport decides where a wire's output goes (the peer endpoint, or an OS port) and where OS input
 * comes from.
 */
export abstract class LinkBase implements Link {
  abstract readonly transport: Transport;
  readonly id: string;
  readonly a: Endpoint;
  readonly b: Endpoint;
  readonly faults: FaultControls;
  protected readonly wires: Record<Direction, Wire>;
  protected readonly clock: RigClock;
  private listeners = new Set<(event: LinkEvent) => void>();
  private trafficListeners = new Set<(traffic: LineTraffic) => void>();
  private lineListeners = new Set<(crossing: LineCrossing) => void>();
  private readonly lineClocks: Record<Direction, LineClock> = { 'a->b': { lastAt: -Infinity }, 'b->a': { lastAt: -Infinity } };
  /** The transport's own state: ports open, socat alive, adapter present. */
  private transportUp = false;
  /** A cut injected by a scenario; it lasts until reconnect, whatever the transport does meanwhile. */
  private injectedCut = false;

  constructor(
    protected readonly options: LinkOptions,
    context: LinkContext,
    endInfo: { local: [boolean, boolean]; paths?: [string | undefined, string | undefined] } = { local: [true, true] },
  ) {
    this.id = options.id;
    this.clock = context.clock;
    this.a = new Endpoint(options.ends[0], endInfo.local[0], options.baud, this, endInfo.paths?.[0]);
    this.b = new Endpoint(options.ends[1], endInfo.local[1], options.baud, this, endInfo.paths?.[1]);
    const wire = (direction: Direction, from: Endpoint, to: Endpoint) =>
      new Wire({
        clock: context.clock,
        rng: context.rng.fork(direction),
        link: options.id,
        direction,
        from: from.name,
        to: to.name,
        framing: options.framing,
        // Not towards an end the rig does not drive: its far side is an OS port read by a program outside the
        // rig (a pty: it takes what is there when it reads) or a real device behind a UART, which paces for
        // itself. Pacing there on a busy host only puts the host's stalls on the line, where an outside IDE
        // judges them as inter-byte timing errors (App. 7 P1).
        pacing: options.pacing && to.local,
        faults: options.faults,
        senderBaud: () => from.baud,
        // Framing is judged between two rig ends only. An outside program's speed is not the rig's to know
        // (it is assumed to follow ours, see the transports), a pty carries bytes at any speed, and a real
        // UART garbles what it must by itself: bytes read before our end switched would be judged wrongly.
        receiverBaud: to.local && from.local ? () => to.baud : undefined,
        quantumMs: options.deliveryQuantumMs ?? 0,
        emit: (event) => this.report(event),
        // The taps see each group at its own instant, whatever the receiving end holds back (whole-frames.ts).
        deliver: (bytes, at, next) => {
          if (this.trafficListeners.size > 0) this.tapDelivered(direction, from, to, bytes, at, options.pacing && to.local);
          if (this.lineListeners.size > 0) this.crossed(direction, from, to, bytes, at);
          this.carry(direction, bytes, at, next);
        },
      });
    this.wires = { 'a->b': wire('a->b', this.a, this.b), 'b->a': wire('b->a', this.b, this.a) };
    this.faults = {
      set: (settings: Partial<FaultSettings>, direction?: Direction) => {
        for (const d of direction ? [direction] : (['a->b', 'b->a'] as const)) this.wires[d].setFaults(settings);
      },
      pause: () => {
        for (const w of Object.values(this.wires)) w.pause();
        this.report({ type: 'paused' });
      },
      resume: () => {
        for (const w of Object.values(this.wires)) w.resume();
        this.report({ type: 'resumed' });
      },
      disconnect: () => this.setCut(true),
      reconnect: () => this.setCut(false),
    };
  }

  get isConnected(): boolean {
    return this.transportUp && !this.injectedCut;
  }

  /** See LinkEnd.timingToleranceMs, for bytes arriving at `end`: 0 unless a transport reads an OS port on a wall clock. */
  timingToleranceMs(_end: Endpoint): number {
    return 0;
  }

  /** The other end of the link. */
  protected otherEnd(end: Endpoint): Endpoint {
    return end === this.a ? this.b : this.a;
  }

  end(name: string): LinkEnd {
    if (name === this.a.name) return this.a;
    if (name === this.b.name) return this.b;
    throw new Error(`link ${this.id} has no end ${name} (its ends are ${this.a.name} and ${this.b.name})`);
  }

  onEvent(listener: (event: LinkEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onTraffic(listener: (traffic: LineTraffic) => void): Unsubscribe {
    this.trafficListeners.add(listener);
    return () => this.trafficListeners.delete(listener);
  }

  onLine(listener: (crossing: LineCrossing) => void): Unsubscribe {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;

  /**
   * Bytes a wire delivered, each with its arrival on the line (line-times.ts), to the line's watchers. A paced
   * wire's stamps are the line's; bytes a rig end writes unpaced to an OS port (towards a device outside the
   * rig, or on a serial line) are clocked out by a UART from the write; the rest arrive at the wire's instant
   * (read unpaced from an OS port: when read).
   *
   * Where the OS carries the bytes (an end outside the rig, a serial line), the instant is never taken before
   * now, when the wire hands them on: it is then that a rig end's bytes go to the OS, and by then that bytes
   * from outside were read. A read's stamp allows for this process's own stalls (stall-meter.ts), the earliest
   * the bytes can have come; timed from it, a device's answers would look quicker than they were.
   */
  private crossed(direction: Direction, from: Endpoint, to: Endpoint, bytes: Uint8Array, at: number): void {
    const paced = this.options.pacing && to.local;
    const model: LineModel = paced ? 'stamped' : from.local && (!to.local || this.transport === 'serial') ? 'clocked' : 'instant';
    const viaOs = !from.local || !to.local || this.transport === 'serial';
    const instant = viaOs ? Math.max(at, this.clock.now()) : at;
    const charMs = (bitsPerCharacter(this.options.framing) * 1000) / from.baud;
    const crossing: LineCrossing = { direction, from: from.name, to: to.name, bytes, at: byteArrivals(model, bytes.length, instant, charMs, this.lineClocks[direction]) };
    for (const listener of this.lineListeners) {
      try {
        listener(crossing);
      } catch {
        // A meter's failure must not break the line.
      }
    }
  }

  /**
   * Where a wire's output goes once it has crossed the line; `at`: when its last byte was due; `next`: see
   * Endpoint.receive (a transport that hands bytes to the peer end at once passes it on).
   */
  protected abstract carry(direction: Direction, bytes: Uint8Array, at: number, next?: TimerId): void;

  /**
   * The clock an end taking whole frames holds bytes on (Endpoint.takeFrames): only where the transport hands
   * a wire's bytes to the peer end in the wire's own callback (a memory link) and the clock can hold work (the
   * virtual clock). Elsewhere bytes go through the OS or arrive on a wall clock, and are handed on as they come.
   */
  clockForHeldDelivery(): Pick<RigClock, 'hold'> | undefined {
    return undefined;
  }

  /** See LinkEnd.drain: the end's wire has delivered all it was given, then the transport's own buffer is empty. */
  drain(end: Endpoint): Promise<void> {
    const wire = this.wires[end === this.a ? 'a->b' : 'b->a'];
    return new Promise<void>((resolve) => wire.whenSent(resolve)).then(() => this.drainPort(end));
  }

  /** Waits for what the transport holds for `end` to be written out; memory holds nothing. */
  protected drainPort(_end: Endpoint): Promise<void> {
    return Promise.resolve();
  }

  transmit(from: Endpoint, bytes: Uint8Array): void {
    this.enter(from === this.a ? 'a->b' : 'b->a', bytes);
  }

  /**
   * Puts bytes on the line in `direction`: an end's write, or (`startAt`, see Wire.send) bytes an outside
   * device sent, read from its OS port. Transports put nothing on a wire but through here, so a tap sees
   * every byte once: a pause's held bytes, sent again at resume, are not entered twice.
   */
  protected enter(direction: Direction, bytes: Uint8Array, startAt?: number): void {
    if (this.trafficListeners.size > 0 && bytes.length > 0) {
      const now = this.clock.now();
      const [from, to] = direction === 'a->b' ? [this.a, this.b] : [this.b, this.a];
      this.tap({ stage: 'sent', direction, from: from.name, to: to.name, bytes: bytes.slice(), start: startAt !== undefined && startAt < now ? startAt : now, seen: now });
    }
    this.wires[direction].send(bytes, startAt);
  }

  private tapDelivered(direction: Direction, from: Endpoint, to: Endpoint, bytes: Uint8Array, at: number, paced: boolean): void {
    // A paced wire delivers a group of bytes sent back to back at the arrival of the last: it started that many characters earlier.
    const start = paced ? at - (bytes.length * bitsPerCharacter(this.options.framing) * 1000) / from.baud : at;
    this.tap({ stage: 'delivered', direction, from: from.name, to: to.name, bytes: bytes.slice(), start, seen: this.clock.now() });
  }

  private tap(traffic: LineTraffic): void {
    for (const listener of this.trafficListeners) {
      try {
        listener(traffic);
      } catch {
        // A recorder's failure must not break the line.
      }
    }
  }

  baudChanged(end: Endpoint, baud: number): void {
    this.report({ type: 'baud', end: end.name, detail: String(baud) });
  }

  report(event: Omit<LinkEvent, 'link' | 'at'>): void {
    const full: LinkEvent = { link: this.id, at: this.clock.now(), ...event };
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch {
        // An observer's failure must not break the line.
      }
    }
  }

  /** Transports report their own state here (opened, socat died, adapter unplugged and back). */
  protected setConnected(up: boolean, detail: string): void {
    this.update(() => (this.transportUp = up), detail);
  }

  private setCut(cut: boolean): void {
    if (cut && this.isConnected) for (const end of [this.a, this.b]) this.tellCut(end);
    this.update(() => (this.injectedCut = cut), cut ? 'cut by fault injection' : 'reconnected by fault injection');
  }

  /**
   * The line carries bytes only while the transport is up and no cut is injected. Keeping the two apart
   * means an injected reconnect cannot revive a vanished adapter, and an adapter coming back does not undo
   * an injected cut. Events report the line's changes only.
   */
  private update(change: () => void, detail: string): void {
    const before = this.isConnected;
    change();
    const after = this.isConnected;
    if (before === after) return;
    for (const w of Object.values(this.wires)) w.setConnected(after);
    this.report({ type: after ? 'connected' : 'disconnected', detail });
  }

  /**
   * Issue 18: a cut seen from one side only. A rig end's device sees an injected cut (lineEvents), a device
   * outside the rig does not: the rig only stops writing, and a line whose signal holds until it changes
   * (a pulse rate) would go on at its last value over there. So an end whose port says how (cutSignal) tells
   * a far end outside the rig, in the port's own protocol, that the line carries nothing from now on. The
   * bytes go straight to the transport, not through the wire that the cut stops at this instant (nor its
   * seeded faults: the cut itself cannot be lost); the taps see them as any bytes. Two rig ends: nothing.
   */
  private tellCut(from: Endpoint): void {
    const to = this.otherEnd(from);
    if (!from.local || to.local || !from.cutSignal) return;
    const now = this.clock.now();
    const bytes = from.cutSignal(now);
    if (bytes.length === 0) return;
    const direction: Direction = from === this.a ? 'a->b' : 'b->a';
    if (this.trafficListeners.size > 0) {
      this.tap({ stage: 'sent', direction, from: from.name, to: to.name, bytes: bytes.slice(), start: now, seen: now });
      this.tapDelivered(direction, from, to, bytes, now, false);
    }
    if (this.lineListeners.size > 0) this.crossed(direction, from, to, bytes, now);
    this.carry(direction, bytes, now);
  }

  protected peerOf(direction: Direction): Endpoint {
    return direction === 'a->b' ? this.b : this.a;
  }
}
