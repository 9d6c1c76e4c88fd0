/**
 * A simulated clock for the activation bench that fires timers in time order, each at its own due time:
 * advancing by 13 s runs a 5 s «Загрузка...» timer at +5 s, and the 8 s restart it starts then at +13 s.
 * (xstate's SimulatedClock moves `now` to the end first, so a timer started by a timer fires late.)
 * Implements xstate's Clock (setTimeout / clearTimeout) for `createActor(..., { clock })`.
 */
export class SteppingClock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const id = this.nextId++;
    this.timers.set(id, { due: this.current + Math.max(0, timeout), fn });
    return id;
  }

  clearTimeout(id: number): void {
    this.timers.delete(id);
  }

  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      let next: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].due <= end && (!next || entry[1].due < next[1].due || (entry[1].due === next[1].due && entry[0] < next[0]))) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.current = next[1].due;
      next[1].fn();
    }
    this.current = end;
  }
}
