import { existsSync } from 'node:fs';
import type { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock, WallClock } from '../clock/index.ts';
import { createRng } from '../../crypto/random.ts';
import { FRAMING_8N1, NO_FAULTS, type LinkEvent, type LinkOptions } from './link.ts';
import { PtyPair } from './pty-pair.ts';
import { closeSerialPort, openSerialPort } from './os-port.ts';
import { SerialLink, type SerialLinkOptions } from './serial-link.ts';

// A socat pty pair stands in for a USB-serial adapter and its cable: the link opens one pty as its local
// end, the test holds the other with a plain SerialPort as the external device.

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

const links: SerialLink[] = [];
const pairs: PtyPair[] = [];
const ports: SerialPort[] = [];

afterEach(async () => {
  for (const link of links.splice(0)) await link.close();
  for (const port of ports.splice(0)) await closeSerialPort(port);
  for (const pair of pairs.splice(0)) await pair.dispose();
});

function options(overrides: Partial<LinkOptions> = {}): LinkOptions {
  return {
    id: 'bench',
    ends: ['vu.download', 'ide.vu'],
    baud: 115200,
    framing: FRAMING_8N1,
    pacing: true,
    faults: NO_FAULTS,
    ...overrides,
  };
}

function makeLink(serial: SerialLinkOptions, overrides: Partial<LinkOptions> = {}) {
  const clock = new WallClock({ start: T0 });
  const link = new SerialLink(options(overrides), { clock, rng: createRng(11, 'serial') }, { pollIntervalMs: 20, ...serial });
  links.push(link);
  const events: LinkEvent[] = [];
  link.onEvent((e) => events.push(e));
  return { link, clock, events };
}

async function startPair(names: [string, string] = ['adapter', 'device']): Promise<PtyPair> {
  const pair = await PtyPair.start({ names });
  pairs.push(pair);
  return pair;
}

async function external(path: string): Promise<{ port: SerialPort; received: () => Buffer }> {
  const port = await openSerialPort(path, 115200, FRAMING_8N1);
  ports.push(port);
  const chunks: Buffer[] = [];
  port.on('data', (c: Buffer) => chunks.push(c));
  port.on('error', () => {});
  return { port, received: () => Buffer.concat(chunks) };
}

function received(end: { onData(l: (b: Uint8Array) => void): unknown }): () => Buffer {
  const chunks: Uint8Array[] = [];
  end.onData((b) => chunks.push(b.slice()));
  return () => Buffer.concat(chunks);
}

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const types = (events: LinkEvent[]) => events.map((e) => e.type);

describe('SerialLink', () => {
  it('carries bytes both ways, survives the adapter vanishing, and reopens when it returns', async () => {
    const pair = await startPair();
    const [adapterPath, devicePath] = pair.paths;
    const { link, events } = makeLink({ paths: [adapterPath, undefined] });
    await link.open();
    expect(types(events)).toEqual(['connected']);
    expect(link.a.path).toBe(adapterPath);
    expect(link.b.local).toBe(false);
    expect(link.b.path).toBeUndefined();

    let device = await external(devicePath);
    let atVu = received(link.a);
    link.a.write(Buffer.from('download request'));
    device.port.write(Buffer.from('positive response'));
    await until('first exchange', () => device.received().length >= 16 && atVu().length >= 17);
    expect(device.received().toString()).toBe('download request');
    expect(atVu().toString()).toBe('positive response');

    // Unplug: socat dies, both ptys vanish, the symlinks dangle.
    process.kill(pair.pid!, 'SIGKILL');
    await until('disconnected', () => types(events).includes('disconnected'));
    expect(types(events)).toEqual(['connected', 'disconnected']);
    expect(link.a.connected).toBe(false);
    expect(() => link.a.write(Uint8Array.from([1]))).not.toThrow(); // lost, not thrown
    await new Promise((r) => setTimeout(r, 100)); // several polls find nothing
    expect(types(events)).toEqual(['connected', 'disconnected']);

    // Plug back in: a new socat at the same paths; the link finds the path and reopens.
    await pair.start();
    await until('connected again', () => types(events).filter((t) => t === 'connected').length === 2);
    expect(types(events)).toEqual(['connected', 'disconnected', 'connected']);
    expect(link.a.connected).toBe(true);

    device = await external(devicePath);
    atVu = received(link.a);
    link.a.write(Buffer.from('again'));
    device.port.write(Buffer.from('still here'));
    await until('second exchange', () => device.received().length >= 5 && atVu().length >= 10);
    expect(device.received().toString()).toBe('again');
    expect(atVu().toString()).toBe('still here');
  });

  it('reports a missing adapter at open as disconnected, then connects when it appears', async () => {
    const pair = new PtyPair({ names: ['adapter', 'device'] }); // paths allocated, socat not started
    pairs.push(pair);
    const { link, events } = makeLink({ paths: [pair.paths[0], undefined] });
    await link.open();
    expect(types(events)).toEqual(['disconnected']);
    expect(events[0]!.detail).toContain(`vu.download (${pair.paths[0]})`);
    expect(events[0]!.detail).toContain('looking again every 20 ms');
    expect(link.a.connected).toBe(false);
    await pair.start();
    await until('connected', () => types(events).includes('connected'));
    expect(types(events)).toEqual(['disconnected', 'connected']);
    const device = await external(pair.paths[1]);
    link.a.write(Buffer.from([0x80, 0xee, 0xf0]));
    await until('bytes', () => device.received().length >= 3);
    expect(Array.from(device.received())).toEqual([0x80, 0xee, 0xf0]);
  });

  it('stops polling at close()', async () => {
    const pair = new PtyPair({ names: ['adapter', 'device'] });
    pairs.push(pair);
    const { link, clock, events } = makeLink({ paths: [pair.paths[0], undefined] });
    await link.open();
    expect(clock.pending).toBe(1); // the poll timer
    await link.close();
    expect(clock.pending).toBe(0);
    await pair.start();
    await new Promise((r) => setTimeout(r, 80));
    expect(types(events)).toEqual(['disconnected']);
    expect(link.portOf('a')).toBeUndefined();
  });

  it('sends an external device’s bytes through the inbound wire, so faults apply to them', async () => {
    const pair = await startPair();
    const { link, events } = makeLink({ paths: [pair.paths[0], undefined] });
    await link.open();
    const device = await external(pair.paths[1]);
    const atVu = received(link.a);
    link.faults.set({ bitFlipRate: 1 }, 'b->a'); // every data bit inverted
    device.port.write(Buffer.from([0x00, 0x0f, 0xa5]));
    await until('three bytes', () => atVu().length >= 3);
    expect(Array.from(atVu())).toEqual([0xff, 0xf0, 0x5a]);
    expect(events.filter((e) => e.type === 'corrupted').map((e) => [e.direction, e.sent, e.received])).toEqual([
      ['b->a', 0x00, 0xff],
      ['b->a', 0x0f, 0xf0],
      ['b->a', 0xa5, 0x5a],
    ]);
    // The cut line of fault injection holds for the real device's bytes too.
    link.faults.disconnect();
    device.port.write(Buffer.from([0x01]));
    await new Promise((r) => setTimeout(r, 50));
    expect(atVu().length).toBe(3);
  });

  it('mirrors a baud switch of our end onto the external end (the real UARTs judge framing)', async () => {
    const pair = await startPair();
    const { link, events } = makeLink({ paths: [pair.paths[0], undefined] });
    await link.open();
    const device = await external(pair.paths[1]);
    const atVu = received(link.a);
    link.a.setBaud(9600);
    expect(link.b.baud).toBe(9600);
    expect(events.filter((e) => e.type === 'baud').map((e) => [e.end, e.detail])).toEqual([
      ['vu.download', '9600'],
      ['ide.vu', '9600'],
    ]);
    // A pty stands in for the adapter here: it has no UART, and its speed is left alone (setPortBaud), so
    // nothing is flushed and the device may speak at once. (The order on a real port, last byte out, drain,
    // then the switch, is in serial-link-baud.test.ts.)
    const ourPort = (link as unknown as { ports: (SerialPort | undefined)[] }).ports[0]!;
    device.port.write(Buffer.from('ok'));
    await until('bytes after the switch', () => atVu().length >= 2);
    expect(atVu().toString()).toBe('ok');
    expect(ourPort.baudRate).toBe(115200);
    expect(types(events)).not.toContain('framing-error');
  });

  it('joins two local ends (two adapters and a null-modem cable)', async () => {
    const pair = await startPair(['usb0', 'usb1']);
    const { link, events } = makeLink({ paths: pair.paths });
    await link.open();
    expect(types(events)).toEqual(['connected']);
    const atA = received(link.a);
    const atB = received(link.b);
    const data = createRng(5).bytes(4096);
    link.a.write(data);
    link.b.write(Buffer.from('reply'));
    await until('both ways', () => atB().length >= 4096 && atA().length >= 5);
    expect(atB().equals(Buffer.from(data))).toBe(true);
    expect(atA().toString()).toBe('reply');
  });

  it('throws at open for a path that exists but is not a serial port, and leaves no port open', async () => {
    const { link } = makeLink({ paths: ['/etc/hostname', undefined] });
    expect(existsSync('/etc/hostname')).toBe(true);
    await expect(link.open()).rejects.toThrow(/serial link bench: cannot open port/);
    expect(link.portOf('a')).toBeUndefined();
    expect(link.a.connected).toBe(false);
  });

  it('needs at least one local end', () => {
    expect(
      () => new SerialLink(options(), { clock: new VirtualClock({ start: T0 }), rng: createRng(1) }, { paths: [undefined, undefined] }),
    ).toThrow('serial link bench: at least one end needs a port path');
  });
});
