import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { VirtualClock } from '../clock/index.ts';
import { createRng } from '../../crypto/random.ts';
import { FRAMING_8N1, NO_FAULTS, type LinkEvent } from './link.ts';
import { TcpLink, parseTcpUrl } from './tcp-link.ts';

const options = (over = {}) => ({ id: 't', ends: ['term.uplink', 'srv.ndtp'] as [string, string], baud: 38400, framing: FRAMING_8N1, pacing: true, faults: NO_FAULTS, ...over });
const start = Date.parse('2026-03-02T08:00:00Z');

describe('TCP link', () => {
  let link: TcpLink | undefined;
  let outside: Server | undefined;
  afterEach(async () => {
    await link?.close();
    outside?.close();
  });

  it('carries bytes both ways over a real loopback connection, at the instant the paced wire delivers them', async () => {
    const clock = new VirtualClock({ start });
    link = new TcpLink(options(), { clock, rng: createRng(1) });
    const events: LinkEvent[] = [];
    link.onEvent((e) => events.push(e));
    await link.open();
    expect(events[0]).toMatchObject({ type: 'connected' });
    expect(events[0]!.detail).toMatch(/at tcp:\/\/127\.0\.0\.1:\d+$/);
    const got: [number[], number][] = [];
    link.b.onData((bytes, at) => got.push([[...bytes], at - start]));
    link.a.write(Uint8Array.of(1, 2, 3, 4));
    await clock.advance(100);
    // 4 characters of 10 bits at 38400 bit/s: the last is due 1.04 ms after the write
    expect(got.flatMap(([b]) => b)).toEqual([1, 2, 3, 4]);
    expect(got.at(-1)![1]).toBeCloseTo(40 / 38.4, 3);
    const back: number[] = [];
    link.a.onData((bytes) => back.push(...bytes));
    link.b.write(Uint8Array.of(9));
    await clock.advance(10);
    expect(back).toEqual([9]);
  });

  it('loses what is written during an injected cut, and carries again after the reconnect', async () => {
    const clock = new VirtualClock({ start });
    link = new TcpLink(options(), { clock, rng: createRng(1) });
    await link.open();
    const got: number[] = [];
    link.b.onData((bytes) => got.push(...bytes));
    link.faults.disconnect();
    link.a.write(Uint8Array.of(1));
    await clock.advance(100);
    link.faults.reconnect();
    link.a.write(Uint8Array.of(2));
    await clock.advance(100);
    expect(got).toEqual([2]);
  });

  it('connects to an outside server at its path', async () => {
    outside = createServer((socket) => socket.on('data', (d) => socket.write(Buffer.from([...d].map((x) => x + 1)))));
    await new Promise<void>((resolve) => outside!.listen(0, '127.0.0.1', resolve));
    const port = (outside.address() as { port: number }).port;
    const clock = new VirtualClock({ start });
    link = new TcpLink(options({ pacing: false }), { clock, rng: createRng(1) }, { local: [true, false], paths: [undefined, `tcp://127.0.0.1:${port}`] });
    await link.open();
    const got: number[] = [];
    link.a.onData((bytes) => got.push(...bytes));
    link.a.write(Uint8Array.of(5));
    // the outside server answers in real time; each advance lets the wires hand on what has come
    for (let i = 0; i < 100 && got.length === 0; i++) {
      await clock.advance(1);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(got).toEqual([6]);
  });

  it('reads tcp:// addresses and refuses others', () => {
    expect(parseTcpUrl('tcp://127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(() => parseTcpUrl('http://x:1')).toThrow(/not a TCP address/);
    expect(() => parseTcpUrl('tcp://x:70000')).toThrow(/not a TCP address/);
  });
});
