import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { createRng } from '../../crypto/random.ts';
import { FRAMING_8N1, NO_FAULTS, type LineTraffic, type LinkOptions } from './link.ts';
import { MemoryLink } from './memory-link.ts';

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

function makeLink(overrides: Partial<LinkOptions> = {}) {
  const clock = new VirtualClock({ start: T0 });
  const link = new MemoryLink(
    { id: 'ide.vu~vu.download', ends: ['ide.vu', 'vu.download'], baud: 9600, framing: FRAMING_8N1, pacing: true, faults: NO_FAULTS, ...overrides },
    { clock, rng: createRng(3, 'link:test') },
  );
  const seen: (Omit<LineTraffic, 'bytes'> & { hex: string })[] = [];
  link.onTraffic(({ bytes, ...rest }) => seen.push({ ...rest, start: rest.start - T0, seen: rest.seen - T0, hex: Buffer.from(bytes).toString('hex') }));
  const received: number[] = [];
  link.b.onData((bytes) => received.push(...bytes));
  return { clock, link, seen, received };
}

describe('a link tap (onTraffic)', () => {
  it('sees a write as it enters the line and as it leaves it, started 10 bits a character before the last arrived', async () => {
    const { clock, link, seen } = makeLink();
    await link.open();
    await clock.advance(5);
    link.a.write(Uint8Array.from([0x80, 0xee, 0xf0]));
    await clock.advance(100);
    expect(seen).toEqual([
      { stage: 'sent', direction: 'a->b', from: 'ide.vu', to: 'vu.download', start: 5, seen: 5, hex: '80eef0' },
      // byte by byte on a memory link (no delivery quantum), each 1.0417 ms at 9600 baud 8N1; rig time near 2026 resolves to 2^-12 ms
      { stage: 'delivered', direction: 'a->b', from: 'ide.vu', to: 'vu.download', start: expect.closeTo(5, 3), seen: expect.closeTo(5 + 10 / 9.6, 3), hex: '80' },
      { stage: 'delivered', direction: 'a->b', from: 'ide.vu', to: 'vu.download', start: expect.closeTo(5 + 10 / 9.6, 3), seen: expect.closeTo(5 + 20 / 9.6, 3), hex: 'ee' },
      { stage: 'delivered', direction: 'a->b', from: 'ide.vu', to: 'vu.download', start: expect.closeTo(5 + 20 / 9.6, 3), seen: expect.closeTo(5 + 30 / 9.6, 3), hex: 'f0' },
    ]);
  });

  it('sees bytes before the injected faults as sent and after them as delivered, and nothing delivered on a cut line', async () => {
    const { clock, link, seen, received } = makeLink({ deliveryQuantumMs: 10 });
    await link.open();
    link.faults.set({ bitFlipRate: 1 }, 'a->b'); // every bit of every byte inverted
    link.a.write(Uint8Array.from([0x0f, 0x00]));
    await clock.advance(10);
    link.faults.set({ bitFlipRate: 0 });
    link.faults.disconnect();
    link.a.write(Uint8Array.from([0x55]));
    await clock.advance(10);
    expect(seen.map((s) => [s.stage, s.hex])).toEqual([
      ['sent', '0f00'],
      ['delivered', 'f0ff'],
      ['sent', '55'],
    ]);
    expect(received).toEqual([0xf0, 0xff]);
  });

  it('enters bytes held by a pause once: at the write, not again at the resume', async () => {
    const { clock, link, seen, received } = makeLink({ deliveryQuantumMs: 10 });
    await link.open();
    link.faults.pause();
    link.a.write(Uint8Array.from([1, 2]));
    await clock.advance(50);
    link.faults.resume();
    await clock.advance(50);
    expect(seen.map((s) => [s.stage, s.hex, Math.round(s.start)])).toEqual([
      ['sent', '0102', 0],
      ['delivered', '0102', 50],
    ]);
    expect(received).toEqual([1, 2]);
  });

  it('changes nothing on the line when nobody taps it, nor when a tap throws', async () => {
    const quiet = makeLink();
    const tapped = makeLink();
    tapped.link.onTraffic(() => {
      throw new Error('a broken recorder');
    });
    for (const { clock, link } of [quiet, tapped]) {
      await link.open();
      link.a.write(Uint8Array.from([9, 8, 7]));
      await clock.advance(20);
    }
    expect(tapped.received).toEqual([9, 8, 7]);
    expect(tapped.received).toEqual(quiet.received);
  });
});
