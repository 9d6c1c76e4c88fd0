import type { RigClock, TimerId } from '../clock/index.ts';
import type { Direction, LinkOptions } from './link.ts';
import { LinkBase, type LinkContext } from './link-base.ts';

/** An in-memory null modem: each end's transmit line is the other end's receive line. No OS involved. */
export class MemoryLink extends LinkBase {
  readonly transport = 'memory' as const;

  constructor(options: LinkOptions, context: LinkContext) {
    super(options, context);
  }

  async open(): Promise<void> {
    this.setConnected(true, 'memory null modem');
  }

  async close(): Promise<void> {
    this.setConnected(false, 'closed');
  }

  protected carry(direction: Direction, bytes: Uint8Array, at: number, next?: TimerId): void {
    this.peerOf(direction).receive(bytes, at, next);
  }

  /** Bytes reach the peer end in the wire's callback: on a virtual clock, an end may take whole frames. */
  override clockForHeldDelivery(): Pick<RigClock, 'hold'> | undefined {
    return this.clock.mode === 'virtual' && this.clock.hold ? this.clock : undefined;
  }
}
