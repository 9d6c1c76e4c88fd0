import type { TimerId } from './rig-clock.ts';

export interface QueuedTimer {
  id: TimerId;
  at: number;
  /** Scheduling order: breaks ties between timers due at the same instant. */
  seq: number;
  fn: () => void;
}

/** Binary min-heap ordered by (at, seq): time order, ties in scheduling order. */
export class TimerQueue {
  private heap: QueuedTimer[] = [];
  /** Ids of timers queued and neither run nor cancelled. */
  private live = new Set<TimerId>();
  private cancelled = new Set<TimerId>();

  get size(): number {
    return this.live.size;
  }

  push(timer: QueuedTimer): void {
    this.heap.push(timer);
    this.live.add(timer.id);
    this.siftUp(this.heap.length - 1);
  }

  cancel(id: TimerId): void {
    // Lazy deletion: the entry is skipped when it reaches the top.
    if (this.live.delete(id)) this.cancelled.add(id);
  }

  /** The earliest live timer, without removing it. */
  peek(): QueuedTimer | undefined {
    this.dropCancelledTop();
    return this.heap[0];
  }

  pop(): QueuedTimer | undefined {
    this.dropCancelledTop();
    const top = this.heap[0];
    if (!top) return undefined;
    this.removeTop();
    this.live.delete(top.id);
    return top;
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.id)) {
      this.cancelled.delete(this.heap[0]!.id);
      this.removeTop();
    }
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
  }

  private less(a: QueuedTimer, b: QueuedTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
