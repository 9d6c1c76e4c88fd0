import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock, WallClock, type RigClock } from '../clock/index.ts';
import { createRng } from '../../crypto/random.ts';
import { FRAMING_8N1, NO_FAULTS, type LinkEvent, type LinkOptions } from './link.ts';
import { DEFAULT_PTY_TIMING_ALLOWANCE_MS, PtyLink, type PtyLinkOptions } from './pty-link.ts';
import { PtyPair, SocatMissingError } from './pty-pair.ts';
import { closeSerialPort, openSerialPort } from './os-port.ts';

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);
const MIB = 1048576;

const links: PtyLink[] = [];
const pairs: PtyPair[] = [];
const ports: SerialPort[] = [];

afterEach(async () => {
  for (const link of links.splice(0)) await link.close();
  for (const pair of pairs.splice(0)) await pair.dispose();
  for (const port of ports.splice(0)) await closeSerialPort(port);
});

function options(overrides: Partial<LinkOptions> = {}): LinkOptions {
  return {
    id: 'vu-ide',
    ends: ['vu.download', 'ide.vu'],
    baud: 9600,
    framing: FRAMING_8N1,
    pacing: true,
    faults: NO_FAULTS,
    ...overrides,
  };
}

function makeLink(clock: RigClock, overrides: Partial<LinkOptions> = {}, pty: PtyLinkOptions = {}): PtyLink {
  const link = new PtyLink(options(overrides), { clock, rng: createRng(7, 'link') }, pty);
  links.push(link);
  return link;
}

/** Collects what an end receives, and when (rig time). */
function collect(end: { onData(l: (b: Uint8Array) => void): unknown }, clock: RigClock, capacity = 0) {
  const sink = { buffer: new Uint8Array(capacity), length: 0, times: [] as number[], chunks: [] as Uint8Array[] };
  end.onData((bytes) => {
    if (capacity > 0) sink.buffer.set(bytes, sink.length);
    else sink.chunks.push(bytes.slice());
    sink.length += bytes.length;
    sink.times.push(clock.now());
  });
  return sink;
}

/** Waits in real time for a condition (OS I/O on a wall clock). */
async function until(what: string | (() => string), condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function firstMismatch(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('PtyLink', () => {
  it('carries 1 MiB both ways at once, byte-exact, through socat and serialport (wall clock, no pacing)', async () => {
    const clock = new WallClock({ start: T0 });
    const link = makeLink(clock, { baud: 115200, pacing: false });
    await link.open();
    const toB = createRng(1001).bytes(MIB);
    const toA = createRng(1002).bytes(MIB);
    const atB = collect(link.b, clock, MIB);
    const atA = collect(link.a, clock, MIB);
    const events: string[] = [];
    link.onEvent((e) => events.push(`${e.type}: ${e.detail ?? ''}`));
    const started = performance.now();
    link.a.write(toB);
    link.b.write(toA);
    await until(() => `1 MiB each way: a got ${atA.length}, b got ${atB.length}; events ${events.join(' | ')}`, () => atA.length >= MIB && atB.length >= MIB, 20_000);
    const wall = performance.now() - started;
    console.info(`pty 1 MiB both ways, wall clock, pacing off: ${wall.toFixed(0)} ms`);
    expect(atB.length).toBe(MIB);
    expect(atA.length).toBe(MIB);
    expect(firstMismatch(atB.buffer, toB)).toBe(-1);
    expect(firstMismatch(atA.buffer, toA)).toBe(-1);
  });

  it('carries 1 MiB both ways at once on a virtual clock with pacing at 921600 baud, last byte on time', async () => {
    const clock = new VirtualClock({ start: T0 });
    const link = makeLink(clock, { baud: 921600, pacing: true });
    await link.open();
    const toB = createRng(2001).bytes(MIB);
    const toA = createRng(2002).bytes(MIB);
    const atB = collect(link.b, clock, MIB);
    const atA = collect(link.a, clock, MIB);
    const started = performance.now();
    link.a.write(toB);
    link.b.write(toA);
    const lastAt = T0 + (MIB * 10 * 1000) / 921600; // 11377.78 ms of rig time
    await clock.runUntil(lastAt - 0.001);
    expect(atB.length).toBeLessThan(MIB);
    expect(atA.length).toBeLessThan(MIB);
    await clock.runUntil(lastAt);
    const wall = performance.now() - started;
    console.info(`pty 1 MiB both ways, virtual clock, paced at 921600 baud (${(lastAt - T0).toFixed(0)} ms rig): ${wall.toFixed(0)} ms wall`);
    expect(atB.length).toBe(MIB);
    expect(atA.length).toBe(MIB);
    expect(atB.times.at(-1)).toBe(lastAt);
    expect(atA.times.at(-1)).toBe(lastAt);
    expect(firstMismatch(atB.buffer, toB)).toBe(-1);
    expect(firstMismatch(atA.buffer, toA)).toBe(-1);
  });

  it('delivers 960 bytes at 9600 baud 8N1 on the virtual clock: last byte exactly 1000 ms after t0', async () => {
    const clock = new VirtualClock({ start: T0 });
    const link = makeLink(clock, { baud: 9600, pacing: true }); // default quantum: 2 ms
    await link.open();
    const data = createRng(3001).bytes(960);
    const atB = collect(link.b, clock);
    link.a.write(data);
    // Pairs of characters (2 × 1.0417 ms fit the 2 ms quantum) are delivered at the second one's end.
    await clock.advance(999);
    expect(atB.length).toBe(958);
    await clock.advance(1);
    expect(clock.now()).toBe(T0 + 1000);
    expect(atB.length).toBe(960);
    expect(atB.times.at(-1)).toBe(T0 + 1000);
    const expectedTimes = Array.from({ length: 480 }, (_, j) => T0 + ((j + 1) * 20 * 1000) / 9600);
    expect([...new Set(atB.times)]).toEqual(expectedTimes);
    expect(Buffer.concat(atB.chunks).equals(Buffer.from(data))).toBe(true);
  });

  it('with quantum 0 delivers byte by byte at each character end', async () => {
    const clock = new VirtualClock({ start: T0 });
    const link = makeLink(clock, { baud: 9600, pacing: true }, { deliveryQuantumMs: 0 });
    await link.open();
    const atB = collect(link.b, clock);
    link.a.write(Uint8Array.from([0x00, 0x0d, 0x0a, 0x11, 0x13, 0xff]));
    await clock.advance(10);
    expect(atB.times).toEqual([1, 2, 3, 4, 5, 6].map((k) => T0 + (k * 10 * 1000) / 9600));
    expect(Array.from(Buffer.concat(atB.chunks))).toEqual([0x00, 0x0d, 0x0a, 0x11, 0x13, 0xff]);
  });

  it('reports socat killed with SIGKILL as a disconnected event, and close() still cleans up', async () => {
    const clock = new WallClock({ start: T0 });
    const link = makeLink(clock, { pacing: false });
    const events: LinkEvent[] = [];
    link.onEvent((e) => events.push(e));
    await link.open();
    expect(events.map((e) => e.type)).toEqual(['connected']);
    expect(link.a.connected).toBe(true);
    const pid = link.socatPid!;
    expect(isAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    await until('disconnected event', () => events.some((e) => e.type === 'disconnected'));
    const disconnected = events.filter((e) => e.type === 'disconnected');
    expect(disconnected).toHaveLength(1);
    expect(disconnected[0]!.link).toBe('vu-ide');
    expect(link.a.connected).toBe(false);
    expect(link.b.connected).toBe(false);
    expect(() => link.a.write(Uint8Array.from([1, 2, 3]))).not.toThrow();
    const dir = link.pair.dir;
    await link.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('close() stops socat and removes the temp dir', async () => {
    const link = makeLink(new WallClock({ start: T0 }));
    await link.open();
    const pid = link.socatPid!;
    const [pathA, pathB] = [link.a.path!, link.b.path!];
    expect(pathA.endsWith('/vu.download')).toBe(true);
    expect(pathB.endsWith('/ide.vu')).toBe(true);
    expect(existsSync(pathA) && existsSync(pathB)).toBe(true);
    await link.close();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(link.pair.dir)).toBe(false);
    expect(link.socatPid).toBeUndefined();
  });

  it('counts bytes that never come out of the pty as lost, after the settle bound, instead of hanging', async () => {
    const clock = new VirtualClock({ start: T0 });
    const link = makeLink(clock, { pacing: false }, { settleTimeoutMs: 150 });
    const events: LinkEvent[] = [];
    link.onEvent((e) => events.push(e));
    await link.open();
    const pid = link.socatPid!;
    process.kill(pid, 'SIGSTOP'); // socat frozen: the bytes stay in the first pty
    try {
      link.a.write(Uint8Array.from([1, 2, 3, 4, 5]));
      const started = performance.now();
      await clock.advance(1);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      const errors = events.filter((e) => e.type === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.direction).toBe('a->b');
      expect(errors[0]!.detail).toBe('5 bytes lost in the pty pair: not delivered within 150 ms');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });

  it('leaves a non-local end to an external program and carries bytes both ways with it', async () => {
    const clock = new WallClock({ start: T0 });
    const link = makeLink(clock, { pacing: false }, { local: [true, false] });
    const events: LinkEvent[] = [];
    link.onEvent((e) => events.push(e));
    await link.open();
    expect(link.b.local).toBe(false);
    expect(events[0]!.type).toBe('connected');
    expect(events[0]!.detail).toContain(`left for an external program: ide.vu at ${link.b.path}`);
    const external = await openSerialPort(link.b.path!, 9600, FRAMING_8N1);
    ports.push(external);
    const atExternal: Buffer[] = [];
    external.on('data', (chunk: Buffer) => atExternal.push(chunk));
    const atA = collect(link.a, clock);
    link.a.write(Buffer.from('request'));
    external.write(Buffer.from('response'));
    await until('both messages', () => Buffer.concat(atExternal).length >= 7 && atA.length >= 8);
    expect(Buffer.concat(atExternal).toString()).toBe('request');
    expect(Buffer.concat(atA.chunks).toString()).toBe('response');
    expect(() => link.b.write(Uint8Array.from([1]))).toThrow(/external device/);
  });

  // Issue 18: a line whose signal holds until it changes (the pulse line): an outside end cannot see the rig's cut
  it('at an injected cut, writes the end\'s cut signal to an external program before the line stops, and nothing after', async () => {
    const clock = new WallClock({ start: T0 });
    const link = makeLink(clock, { pacing: false }, { local: [true, false] });
    const said: number[] = [];
    link.a.tellCut!((at) => {
      said.push(at);
      return Buffer.from('CUT');
    });
    const lineBytes: string[] = [];
    link.onLine((c) => lineBytes.push(Buffer.from(c.bytes).toString()));
    await link.open();
    const external = await openSerialPort(link.b.path!, 9600, FRAMING_8N1);
    ports.push(external);
    const atExternal: Buffer[] = [];
    external.on('data', (chunk: Buffer) => atExternal.push(chunk));
    const read = () => Buffer.concat(atExternal).toString();
    link.a.write(Buffer.from('before'));
    await until('the bytes before the cut', () => read().length >= 6);
    link.faults.disconnect();
    link.a.write(Buffer.from('during'));
    link.faults.disconnect(); // already cut: said once
    await until('the cut signal', () => read().length >= 9);
    await new Promise((r) => setTimeout(r, 100));
    expect(read()).toBe('beforeCUT');
    expect(said).toHaveLength(1);
    expect(lineBytes).toEqual(['before', 'CUT']);
    link.faults.reconnect();
    link.a.write(Buffer.from('after'));
    await until('the bytes after the reconnect', () => read().length >= 14);
    expect(read()).toBe('beforeCUTafter');
  });

  it('writes no cut signal between two rig ends: both see the cut', async () => {
    const clock = new WallClock({ start: T0 });
    const link = makeLink(clock, { pacing: false });
    link.a.tellCut!(() => Buffer.from('CUT'));
    await link.open();
    const atB = collect(link.b, clock);
    link.a.write(Buffer.from('before'));
    await until('the bytes before the cut', () => atB.length >= 6);
    link.faults.disconnect();
    link.faults.reconnect();
    link.a.write(Buffer.from('after'));
    await until('the bytes after the reconnect', () => atB.length >= 11);
    expect(Buffer.concat(atB.chunks).toString()).toBe('beforeafter');
  });

  // Issue 12 soak: the served VU refused requests from an outside client whose bytes socat or the client's
  // process had held up a few tens of ms more than our own stalls: a pty cannot see the line's timing.
  it("allows for the processes between an outside program and us when judging inter-byte times, only on a wall clock", async () => {
    const wall = new WallClock({ start: T0 });
    const outside = makeLink(wall, { pacing: false }, { local: [true, false] });
    await outside.open();
    expect(outside.a.timingToleranceMs).toBeGreaterThanOrEqual(DEFAULT_PTY_TIMING_ALLOWANCE_MS);
    expect(DEFAULT_PTY_TIMING_ALLOWANCE_MS).toBe(100);
    const configured = makeLink(wall, { id: 'configured', pacing: false, timingAllowanceMs: 1000 }, { local: [true, false] });
    await configured.open();
    expect(configured.a.timingToleranceMs).toBeGreaterThanOrEqual(1000);
    // Between two rig ends the bytes carry their wire's due times: only our own stalls (far under 1 s) count
    const inside = makeLink(wall, { id: 'inside', pacing: false, timingAllowanceMs: 1000 });
    await inside.open();
    expect(inside.a.timingToleranceMs).toBeLessThan(1000);
    const virtual = makeLink(new VirtualClock({ start: T0 }), { id: 'virtual', timingAllowanceMs: 1000 }, { local: [true, false] });
    await virtual.open();
    expect(virtual.a.timingToleranceMs).toBe(0);
    expect(() => makeLink(wall, { id: 'negative', timingAllowanceMs: -1 })).toThrow('link negative: timingAllowanceMs must be >= 0, got -1');
  });

  // Issue 12: the served VU's answer to Stop Communication (80 F0 EE 01 C2 21) at 115200 baud, followed at once
  // by its switch back to 9600, was lost: the OS speed change flushed the pty before socat had read the bytes.
  it('delivers to an external program every byte written before a baud switch (App. 7 stop communication)', async () => {
    const clock = new WallClock({ start: T0 });
    const link = makeLink(clock, { baud: 115200, framing: { dataBits: 8, parity: 'even', stopBits: 1 } }, { local: [true, false] });
    const events: LinkEvent[] = [];
    link.onEvent((e) => events.push(e));
    await link.open();
    const external = await openSerialPort(link.b.path!, 115200, FRAMING_8N1);
    ports.push(external);
    const atExternal: Buffer[] = [];
    external.on('data', (chunk: Buffer) => atExternal.push(chunk));
    const answer = [0x80, 0xf0, 0xee, 0x01, 0xc2, 0x21];
    const rounds = 40;
    for (let i = 0; i < rounds; i++) {
      link.a.write(Uint8Array.from(answer));
      link.a.setBaud(9600); // the session is over: back to 9600 (DDP_005)
      await new Promise((r) => setTimeout(r, 5));
      link.a.setBaud(115200);
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => `${rounds * 6} bytes, got ${Buffer.concat(atExternal).length}`, () => Buffer.concat(atExternal).length >= rounds * 6, 3000);
    expect([...Buffer.concat(atExternal)]).toEqual(Array.from({ length: rounds }, () => answer).flat());
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  // Issue 12: the served VU's sub-messages, paced into 2 ms groups on the wall clock, reached an outside IDE
  // with the serving process's stalls in between (P1 errors). A pty has no line to pace; the reader takes
  // what is there.
  it('does not pace towards an external program: a frame goes to the OS at once, paced or not from the program', async () => {
    const clock = new WallClock({ start: T0 });
    const link = makeLink(clock, { pacing: true, baud: 9600 }, { local: [true, false] });
    await link.open();
    const wires = (link as unknown as { wires: Record<string, { idleAt: number }> }).wires;
    link.a.write(new Uint8Array(260)); // 271 ms of line time at 9600 baud 8N1
    expect(wires['a->b']!.idleAt - clock.now()).toBeLessThan(1);
    // From the external program towards the rig's device the line is still paced (the device judges it).
    const external = await openSerialPort(link.b.path!, 9600, FRAMING_8N1);
    ports.push(external);
    const atA = collect(link.a, clock);
    external.write(Buffer.alloc(96));
    await until('96 bytes', () => atA.length >= 96);
    expect(atA.times.at(-1)! - atA.times[0]!).toBeGreaterThan(80); // 100 ms of line time, in 2 ms groups
  });

  // Issue 12: the Python client's Request Upload after link control was lost at 115200 under load. The served
  // VU's process read it before it had handled the link control stage 2 ahead of it: taken as sent at 9600,
  // it reached the VU after its switch and was dropped as framing errors. A pty carries bytes at any speed.
  it('never judges framing on bytes from an external program: the rig cannot know its speed, a pty has none', async () => {
    const clock = new WallClock({ start: T0 });
    const link = makeLink(clock, { pacing: true, baud: 9600 }, { local: [true, false] });
    const events: LinkEvent[] = [];
    link.onEvent((e) => events.push(e));
    await link.open();
    const external = await openSerialPort(link.b.path!, 9600, FRAMING_8N1);
    ports.push(external);
    const atA = collect(link.a, clock);
    link.a.onData(() => link.a.setBaud(115200)); // switches at the first byte, with the rest still on the wire
    external.write(Buffer.from(Array.from({ length: 20 }, (_, i) => i)));
    await until(() => `20 bytes, got ${atA.length}`, () => atA.length >= 20, 3000);
    expect([...Buffer.concat(atA.chunks)]).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(events.filter((e) => e.type === 'framing-error')).toEqual([]);
  });

  it('applies the wire faults to bytes from an external program (they go through its wire)', async () => {
    const clock = new WallClock({ start: T0 });
    const link = makeLink(clock, { pacing: false }, { local: [true, false] });
    const events: LinkEvent[] = [];
    link.onEvent((e) => events.push(e));
    await link.open();
    link.faults.set({ dropRate: 1 }, 'b->a');
    const external = await openSerialPort(link.b.path!, 9600, FRAMING_8N1);
    ports.push(external);
    const atA = collect(link.a, clock);
    external.write(Buffer.from([0x41, 0x42, 0x43]));
    await until('three drops', () => events.filter((e) => e.type === 'dropped').length === 3);
    expect(atA.length).toBe(0);
    expect(events.filter((e) => e.type === 'dropped').map((e) => [e.direction, e.end, e.sent])).toEqual([
      ['b->a', 'vu.download', 0x41],
      ['b->a', 'vu.download', 0x42],
      ['b->a', 'vu.download', 0x43],
    ]);
  });

  it('throws SocatMissingError naming the package when socat is not on the PATH, and cleans up', async () => {
    const link = makeLink(new VirtualClock({ start: T0 }), {}, { env: { ...process.env, PATH: '/nonexistent-bin' } });
    const error = await link.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SocatMissingError);
    expect((error as Error).message).toBe(
      'socat not found: the pty transport needs it (Debian/Ubuntu: apt-get install socat)',
    );
    expect(link.a.connected).toBe(false);
    expect(existsSync(link.pair.dir)).toBe(false);
  });

  it('PtyPair: missing command → SocatMissingError; socat failing → error with its stderr', async () => {
    await expect(PtyPair.start({ command: '/nonexistent-bin/socat' })).rejects.toThrow(SocatMissingError);
    await expect(PtyPair.start({ command: '/nonexistent-bin/socat' })).rejects.toThrow(/apt-get install socat/);
    // A link directory that does not exist: socat starts, fails to create the link, and exits.
    const failing = PtyPair.start({ paths: ['/nonexistent-dir/a', '/nonexistent-dir/b'] });
    await expect(failing).rejects.toThrow(/socat exited \(code 1, signal null\) before creating[\s\S]*socat stderr:[\s\S]*nonexistent-dir/);
  });

  it('PtyPair: restarts at the same paths after socat was killed', async () => {
    const pair = await PtyPair.start({ names: ['left', 'right'] });
    pairs.push(pair);
    const firstPid = pair.pid!;
    const exits: unknown[] = [];
    pair.onExit((e) => exits.push(e));
    process.kill(firstPid, 'SIGKILL');
    await until('socat exit', () => exits.length === 1);
    expect(exits[0]).toEqual({ code: null, signal: 'SIGKILL', expected: false });
    expect(pair.running).toBe(false);
    await pair.start();
    expect(pair.pid).not.toBe(firstPid);
    const [left, right] = await Promise.all(pair.paths.map((p) => openSerialPort(p, 9600, FRAMING_8N1)));
    ports.push(left!, right!);
    const got: Buffer[] = [];
    right!.on('data', (c: Buffer) => got.push(c));
    left!.write(Buffer.from('again'));
    await until('bytes through the new socat', () => Buffer.concat(got).length >= 5);
    expect(Buffer.concat(got).toString()).toBe('again');
  });
});
