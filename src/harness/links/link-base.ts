import type { RigClock } from '../clock/index.ts';
import type { Rng } from '../random.ts';
import type {
  Direction,
  FaultControls,
  FaultSettings,
  Link,
  LinkEnd,
  LinkEvent,
  LinkOptions,
  Transport,
  Unsubscribe,
} from './link.ts';
import { Wire } from './wire.ts';

/** A link end as the rig holds it: the LinkEnd devices see, plus the hooks transports use. */
export class Endpoint implements LinkEnd {
  private listeners = new Set<(bytes: Uint8Array) => void>();
  private currentBaud: number;

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

  write(bytes: Uint8Array): void {
    if (!this.local) throw new Error(`port ${this.name} belongs to an external device; the rig cannot write for it`);
    this.owner.transmit(this, bytes);
  }

  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setBaud(baud: number): void {
    if (!(baud > 0)) throw new RangeError(`baud must be positive, got ${baud}`);
    if (baud === this.currentBaud) return;
    this.currentBaud = baud;
    this.owner.baudChanged(this, baud);
  }

  /** Hands received bytes to the device. A listener that throws does not stop the others. */
  receive(bytes: Uint8Array): void {
    for (const listener of this.listeners) {
      try {
        listener(bytes);
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
  private connectedState = false;

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
        pacing: options.pacing,
        faults: options.faults,
        senderBaud: () => from.baud,
        receiverBaud: to.local ? () => to.baud : undefined,
        quantumMs: this.deliveryQuantumMs(),
        emit: (event) => this.report(event),
        deliver: (bytes) => this.carry(direction, bytes),
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
      disconnect: () => this.setConnected(false, 'cut by fault injection'),
      reconnect: () => this.setConnected(true, 'reconnected by fault injection'),
    };
  }

  get isConnected(): boolean {
    return this.connectedState;
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

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;

  /** Ms within which a wire groups bytes into one delivery; see WireOptions.quantumMs. */
  protected deliveryQuantumMs(): number {
    return 0;
  }

  /** Where a wire's output goes once it has crossed the line. */
  protected abstract carry(direction: Direction, bytes: Uint8Array): void;

  transmit(from: Endpoint, bytes: Uint8Array): void {
    this.wires[from === this.a ? 'a->b' : 'b->a'].send(bytes);
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

  protected setConnected(connected: boolean, detail: string): void {
    if (connected === this.connectedState) return;
    this.connectedState = connected;
    for (const w of Object.values(this.wires)) w.setConnected(connected);
    this.report({ type: connected ? 'connected' : 'disconnected', detail });
  }

  protected peerOf(direction: Direction): Endpoint {
    return direction === 'a->b' ? this.b : this.a;
  }
}
