// The settle bound is real time by nature (how long the OS may take to move bytes between two of its
// endpoints), not rig time: the only real timer a link behind the OS keeps.
import { clearTimeout as clearRealTimeout, setTimeout as setRealTimeout } from 'node:timers';
import type { Direction } from './link.ts';

/**
 * The bytes a link behind the OS (a pty pair, a loopback TCP connection) has handed to one of its OS endpoints
 * and not yet seen come out of the other, per direction. On a virtual clock it is the clock's settler: rig
 * time stands still while any are in flight, so each arrives at the rig instant its wire chose. What has not
 * arrived within `timeoutMs` of real time is counted as lost, reported, and the clock moves on.
 */
export class InFlightBytes {
  private written: Record<Direction, number> = { 'a->b': 0, 'b->a': 0 };
  private arrived: Record<Direction, number> = { 'a->b': 0, 'b->a': 0 };
  private settling: { promise: Promise<void>; done: () => void } | undefined;

  constructor(
    private readonly timeoutMs: number,
    /** Called per direction with bytes still in flight when the link gives up on them. */
    private readonly lost: (direction: Direction, bytes: number, reason: string) => void,
  ) {}

  /** Bytes handed to the OS endpoint that sends in `direction`, to be seen at the other. */
  sent(direction: Direction, bytes: number): void {
    this.written[direction] += bytes;
  }

  /** Bytes seen arriving in `direction`; the settler is released once nothing is in flight. */
  arrivedNow(direction: Direction, bytes: number): void {
    this.arrived[direction] = Math.min(this.written[direction], this.arrived[direction] + bytes);
    if (this.settling && this.count() === 0) this.settling.done();
  }

  count(): number {
    return this.written['a->b'] - this.arrived['a->b'] + (this.written['b->a'] - this.arrived['b->a']);
  }

  /** The clock's settler: undefined when nothing is in flight, else a promise settled when all has arrived or is given up. */
  settle(): Promise<void> | undefined {
    if (this.count() === 0) return undefined;
    if (this.settling) return this.settling.promise;
    let done!: () => void;
    const promise = new Promise<void>((resolve) => {
      const timer = setRealTimeout(() => this.giveUp(`not delivered within ${this.timeoutMs} ms`), this.timeoutMs);
      done = () => {
        clearRealTimeout(timer);
        this.settling = undefined;
        resolve();
      };
    });
    this.settling = { promise, done };
    return promise;
  }

  /** Counts what is still in flight as lost, reports it, and lets the clock move on. */
  giveUp(reason: string): void {
    for (const d of ['a->b', 'b->a'] as const) {
      const lost = this.written[d] - this.arrived[d];
      if (lost > 0) this.lost(d, lost, reason);
      this.arrived[d] = this.written[d];
    }
    this.settling?.done();
  }
}
