import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { VirtualClock, WallClock, type RigClock } from '../clock/index.ts';
import { createRng } from '../../crypto/random.ts';
import { FRAMING_8N1, NO_FAULTS, type LinkOptions } from './link.ts';
import { MemoryLink } from './memory-link.ts';

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

function options(overrides: Partial<LinkOptions> = {}): LinkOptions {
  return { id: 'line', ends: ['a.p', 'b.p'], baud: 9600, framing: FRAMING_8N1, pacing: true, faults: NO_FAULTS, ...overrides };
}

async function openLink(clock: RigClock, overrides: Partial<LinkOptions> = {}) {
  const link = new MemoryLink(options(overrides), { clock, rng: createRng(1) });
  await link.open();
  const got: { bytes: number[]; at: number; ranAt: number }[] = [];
  link.b.onData((bytes, at) => got.push({ bytes: [...bytes], at, ranAt: clock.now() }));
  return { link, got, bytes: () => got.flatMap((g) => g.bytes) };
}

function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a busy host
  }
}

describe('Wire: a line does not reorder', () => {
  it('delivers in the order sent when a later byte is due sooner (latency lowered while bytes are on the line)', async () => {
    const clock = new VirtualClock({ start: T0 });
    const { link, got } = await openLink(clock, { pacing: false, faults: { ...NO_FAULTS, latencyMs: 50 } });
    link.a.write(Uint8Array.of(1));
    await clock.advance(10);
    link.faults.set({ latencyMs: 0 });
    link.a.write(Uint8Array.of(2)); // due at +10, before byte 1 (+50)
    await clock.advance(100);
    // Byte 2 waits for byte 1; both arrive when byte 1 was due.
    expect(got).toEqual([
      { bytes: [1], at: T0 + 50, ranAt: T0 + 50 },
      { bytes: [2], at: T0 + 50, ranAt: T0 + 50 },
    ]);
  });

  // Issue 12: an outside client got bytes 42-43 of a sub-message 36 bytes early after the served VU's
  // process stalled: its paced groups were Node timers, run list by list once overdue.
  it('delivers in order on the wall clock after a stall, each group stamped with its due time', async () => {
    const clock = new WallClock({ start: T0 });
    const { link, got, bytes } = await openLink(clock, { deliveryQuantumMs: 2 });
    const first = Array.from({ length: 48 }, (_, i) => i); // 50 ms of line time
    const second = Array.from({ length: 24 }, (_, i) => 100 + i);
    const sentAt = clock.now();
    link.a.write(Uint8Array.from(first));
    stall(5);
    link.a.write(Uint8Array.from(second)); // queued behind the first: its groups have the same delays as some of the first's
    stall(100);
    await clock.advance(20);
    expect(bytes()).toEqual([...first, ...second]);
    // 10 bits at 9600 baud: byte n ends (n + 1) * 1.0417 ms after the line started; a group is stamped with its last byte.
    const charMs = 10 / 9.6;
    const lineStart = got[0]!.at - got[0]!.bytes.length * charMs;
    expect(lineStart - sentAt).toBeLessThan(1); // the line started when the first write was made
    let n = 0;
    for (const g of got) {
      n += g.bytes.length;
      expect(g.at - lineStart).toBeCloseTo(n * charMs, 3);
    }
    expect(got.length).toBeGreaterThan(5);
  });
});

describe('Wire.whenSent', () => {
  it('calls back once the last byte written has arrived, or at once on an idle line', async () => {
    const clock = new VirtualClock({ start: T0 });
    const { link, got } = await openLink(clock, { baud: 115200 });
    const wire = (link as unknown as { wires: Record<string, { whenSent(fn: () => void): void }> }).wires['a->b']!;
    const calls: { at: number; delivered: number }[] = [];
    const note = () => calls.push({ at: clock.now() - T0, delivered: got.reduce((n, g) => n + g.bytes.length, 0) });
    wire.whenSent(note);
    expect(calls).toEqual([{ at: 0, delivered: 0 }]);
    link.a.write(Uint8Array.of(0x80, 0xf0, 0xee, 0x01, 0xc2, 0x21));
    wire.whenSent(note);
    await clock.advance(10);
    // 6 characters of 10 bits at 115200 baud: 0.52 ms.
    expect(calls[1]!.delivered).toBe(6);
    expect(calls[1]!.at).toBeCloseTo(60_000 / 115200, 3);
  });
});
