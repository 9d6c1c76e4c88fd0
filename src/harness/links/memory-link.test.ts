import { performance } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { createRng } from '../../crypto/random.ts';
import { FRAMING_8N1, NO_FAULTS, type LinkEvent, type LinkOptions } from './link.ts';
import { MemoryLink } from './memory-link.ts';

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

function makeLink(overrides: Partial<LinkOptions> = {}, seed = 7) {
  const clock = new VirtualClock({ start: T0 });
  const link = new MemoryLink(
    { id: 'vu~ide', ends: ['vu.download', 'ide.vu'], baud: 9600, framing: FRAMING_8N1, pacing: true, faults: NO_FAULTS, ...overrides },
    { clock, rng: createRng(seed, 'link:vu~ide') },
  );
  const events: LinkEvent[] = [];
  link.onEvent((e) => events.push(e));
  /** Every byte received at b, with its rig arrival time relative to T0. */
  const atB: { t: number; byte: number }[] = [];
  link.b.onData((bytes) => bytes.forEach((byte) => atB.push({ t: clock.now() - T0, byte })));
  return { clock, link, events, atB };
}

describe('MemoryLink pacing', () => {
  it('takes exactly 1.000 s of rig time, and no wall time, for 960 bytes at 9600 baud 8N1', async () => {
    const { clock, link, atB } = makeLink();
    await link.open();
    const payload = createRng(1).bytes(960);
    // Real timers frozen: a link or clock that waited for real time would never get there.
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
    try {
      link.a.write(payload);
      await clock.advance(2000);
    } finally {
      vi.useRealTimers();
    }
    expect(atB).toHaveLength(960);
    expect(Uint8Array.from(atB.map((x) => x.byte))).toEqual(payload);
    // The first character's 10 bits take 1.0417 ms; rig time near 2026 resolves to 2^-12 ms (0.24 µs).
    expect(atB[0]!.t).toBeCloseTo(10 / 9.6, 3);
    expect(atB[959]!.t).toBe(1000);
  });

  it('adds the parity bit of 8E1: 11 bits per character', async () => {
    const { clock, link, atB } = makeLink({ framing: { dataBits: 8, parity: 'even', stopBits: 1 } });
    await link.open();
    link.a.write(new Uint8Array(96));
    await clock.advance(1000);
    expect(atB[95]!.t).toBe(110);
  });

  it('queues a second write behind the first on a busy line', async () => {
    const { clock, link, atB } = makeLink();
    await link.open();
    link.a.write(new Uint8Array(48)); // busy until 50 ms
    await clock.advance(10);
    link.a.write(new Uint8Array(48));
    await clock.advance(1000);
    expect(atB[47]!.t).toBe(50);
    expect(atB[95]!.t).toBe(100);
  });

  it('switches baud mid-session when both ends do (App. 7 link control)', async () => {
    const { clock, link, atB, events } = makeLink();
    await link.open();
    link.a.write(new Uint8Array(96)); // 100 ms at 9600
    await clock.advance(200);
    link.a.setBaud(115200);
    link.b.setBaud(115200);
    link.a.write(new Uint8Array(1152)); // 100 ms at 115200
    await clock.advance(1000);
    expect(atB).toHaveLength(96 + 1152);
    expect(atB[95]!.t).toBe(100);
    expect(atB[96 + 1151]!.t).toBe(300);
    expect(events.filter((e) => e.type === 'baud').map((e) => [e.end, e.detail])).toEqual([
      ['vu.download', '115200'],
      ['ide.vu', '115200'],
    ]);
  });

  it('garbles bytes when the ends disagree on baud: framing errors, nothing delivered', async () => {
    const { clock, link, atB, events } = makeLink();
    await link.open();
    link.a.setBaud(115200);
    link.a.write(Uint8Array.of(0x80, 0xee));
    await clock.advance(10);
    expect(atB).toEqual([]);
    expect(events.filter((e) => e.type === 'framing-error').map((e) => e.sent)).toEqual([0x80, 0xee]);
  });

  it('delivers at once with pacing off', async () => {
    const { clock, link, atB } = makeLink({ pacing: false });
    await link.open();
    link.a.write(new Uint8Array(1000));
    await clock.advance(0);
    expect(atB).toHaveLength(1000);
    expect(atB[999]!.t).toBe(0);
  });
});

describe('MemoryLink faults', () => {
  async function corruptedRun(seed: number) {
    const { clock, link, atB, events } = makeLink({ faults: { dropRate: 0.01, bitFlipRate: 0.001, latencyMs: 0 } }, seed);
    await link.open();
    link.a.write(new Uint8Array(4096).fill(0x55));
    await clock.advance(10_000);
    return { received: atB.map((x) => x.byte), events: events.filter((e) => e.type === 'dropped' || e.type === 'corrupted') };
  }

  it('corrupts the same bytes for the same seed, other bytes for another seed', async () => {
    const first = await corruptedRun(42);
    const again = await corruptedRun(42);
    const other = await corruptedRun(43);
    expect(again).toEqual(first);
    expect(other.received).not.toEqual(first.received);
    const dropped = first.events.filter((e) => e.type === 'dropped').length;
    const corrupted = first.events.filter((e) => e.type === 'corrupted');
    expect(first.received).toHaveLength(4096 - dropped);
    expect(dropped).toBeGreaterThan(15); // ~41 expected at 1 %
    expect(dropped).toBeLessThan(80);
    expect(corrupted.length).toBeGreaterThan(10); // ~32 expected at 8 bits × 0.1 %
    for (const e of corrupted) expect(e.received).not.toBe(0x55);
    expect(first.received.filter((b) => b !== 0x55)).toHaveLength(corrupted.length);
  });

  it('adds latency', async () => {
    const { clock, link, atB } = makeLink({ faults: { ...NO_FAULTS, latencyMs: 250 } });
    await link.open();
    link.a.write(new Uint8Array(96));
    await clock.advance(1000);
    expect(atB[95]!.t).toBe(350);
  });

  it('holds bytes while paused and sends them on resume, losing none', async () => {
    const { clock, link, atB } = makeLink();
    await link.open();
    link.faults.pause();
    link.a.write(new Uint8Array(96).fill(1));
    await clock.advance(500);
    expect(atB).toEqual([]);
    link.faults.resume();
    await clock.advance(500);
    expect(atB).toHaveLength(96);
    expect(atB[95]!.t).toBe(600);
  });

  it('loses bytes on a cut line, including those on the wire, and carries again after reconnect', async () => {
    const { clock, link, atB, events } = makeLink();
    await link.open();
    link.a.write(new Uint8Array(96)); // would arrive up to 100 ms
    await clock.advance(50);
    link.faults.disconnect();
    expect(link.a.connected).toBe(false);
    link.a.write(new Uint8Array(10));
    await clock.advance(500);
    const beforeCut = atB.length;
    expect(beforeCut).toBe(48);
    link.faults.reconnect();
    link.a.write(Uint8Array.of(0xab));
    await clock.advance(10);
    expect(atB.slice(beforeCut).map((x) => x.byte)).toEqual([0xab]);
    expect(events.filter((e) => e.type === 'connected' || e.type === 'disconnected').map((e) => [e.type, e.at - T0])).toEqual([
      ['connected', 0],
      ['disconnected', 50],
      ['connected', 550],
    ]);
  });

  it('loses bytes written before the link is open', async () => {
    const { clock, link, atB } = makeLink();
    link.a.write(Uint8Array.of(1, 2, 3));
    await link.open();
    await clock.advance(100);
    expect(atB).toEqual([]);
  });
});

describe('line state: transport and injected cut', () => {
  /** A memory link whose transport can fail, as a socat pair or a USB adapter can. */
  class FlakyLink extends MemoryLink {
    unplug(): void {
      this.setConnected(false, 'adapter unplugged');
    }
    plugBack(): void {
      this.setConnected(true, 'adapter back');
    }
  }

  it('keeps an injected cut when the transport comes back, and does not revive a dead transport on reconnect', async () => {
    const clock = new VirtualClock({ start: T0 });
    const link = new FlakyLink(
      { id: 'l', ends: ['x.p', 'y.p'], baud: 9600, framing: FRAMING_8N1, pacing: false, faults: NO_FAULTS },
      { clock, rng: createRng(1) },
    );
    const events: string[] = [];
    link.onEvent((e) => events.push(`${e.type}: ${e.detail}`));
    await link.open();
    link.faults.disconnect();
    link.unplug();
    link.plugBack();
    expect(link.a.connected).toBe(false); // the scenario's cut still holds
    link.unplug();
    link.faults.reconnect();
    expect(link.a.connected).toBe(false); // nothing to reconnect to
    link.plugBack();
    expect(link.a.connected).toBe(true);
    expect(events).toEqual([
      'connected: memory null modem',
      'disconnected: cut by fault injection',
      'connected: adapter back',
    ]);
  });
});

describe('delivery quantum', () => {
  it('hands bytes due within the quantum over together, at the last one’s arrival time', async () => {
    const clock = new VirtualClock({ start: T0 });
    const link = new MemoryLink(
      { id: 'l', ends: ['x.p', 'y.p'], baud: 9600, framing: FRAMING_8N1, pacing: true, faults: NO_FAULTS, deliveryQuantumMs: 10 },
      { clock, rng: createRng(1) },
    );
    const chunks: [number, number][] = [];
    link.b.onData((bytes) => chunks.push([bytes.length, clock.now() - T0]));
    await link.open();
    link.a.write(new Uint8Array(24)); // byte i ends at i × 1.0417 ms: groups of 10 ms from each group’s first byte
    await clock.advance(100);
    expect(chunks.map(([n]) => n)).toEqual([10, 10, 4]);
    expect(chunks[2]![1]).toBe(25);
  });
});
