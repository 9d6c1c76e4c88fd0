import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { FRAMING_8N1, MemoryLink, NO_FAULTS, type Framing } from '../links/index.ts';
import { createRng } from '../../crypto/random.ts';
import { parseRecording } from './recording.ts';
import { Recorder } from './recorder.ts';

const T0 = Date.UTC(2026, 2, 2, 8);
const EVEN: Framing = { dataBits: 8, parity: 'even', stopBits: 1 };
const codec = { name: 'test-codec', createDeframer: () => ({ push: (b: Uint8Array) => [b] }), describe: () => ({}) };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rig-recorder-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A VU (the DUT) with a download line to an IDE and a pulse line from a sensor, and a line between two other devices. */
function bench(name: string, options: { dut?: string[] } = {}) {
  const clock = new VirtualClock({ start: T0 });
  const link = (id: string, ends: [string, string], framing: Framing, quantum = 0) =>
    new MemoryLink({ id, ends, baud: 9600, framing, pacing: true, faults: NO_FAULTS, deliveryQuantumMs: quantum }, { clock, rng: createRng(5, `link:${id}`) });
  const download = link('ide.vu~vu.download', ['ide.vu', 'vu.download'], EVEN);
  const pulses = link('sensor.pulses~vu.pulses', ['sensor.pulses', 'vu.pulses'], FRAMING_8N1, 10);
  const other = link('a.x~b.y', ['a.x', 'b.y'], FRAMING_8N1);
  const kind = (k: string, ports: Record<string, { codec?: typeof codec }> = {}) => ({ kind: k, ports });
  const file = join(dir, `${name}.recording.jsonl`);
  const setup = {
    file,
    rig: 'bench',
    scenario: name,
    seed: 7,
    clock,
    start: T0,
    dut: options.dut ?? ['vu'],
    devices: [
      { name: 'vu', kind: kind('vu', { download: { codec } }), mode: 'external' as const, options: { cards: { anna: { key: Uint8Array.from([1, 2]) } } } },
      { name: 'ide', kind: kind('ide'), mode: 'emulated' as const, options: {} },
      { name: 'sensor', kind: kind('motion-sensor'), mode: 'emulated' as const, options: {} },
      { name: 'a', kind: kind('x'), mode: 'emulated' as const, options: {} },
      { name: 'b', kind: kind('x'), mode: 'emulated' as const, options: {} },
    ],
    links: [
      { id: download.id, ends: ['ide.vu', 'vu.download'] as const, transport: 'memory' as const, framing: EVEN, link: download },
      { id: pulses.id, ends: ['sensor.pulses', 'vu.pulses'] as const, transport: 'memory' as const, framing: FRAMING_8N1, link: pulses },
      { id: other.id, ends: ['a.x', 'b.y'] as const, transport: 'memory' as const, framing: FRAMING_8N1, link: other },
    ],
  };
  const open = async () => {
    for (const l of [download, pulses, other]) await l.open();
  };
  return { clock, download, pulses, other, setup, file, open };
}

describe('the recorder', () => {
  it("writes a header naming the DUT, each of its links with the DUT's end, speeds and codec, and the links it leaves out", async () => {
    const b = bench('header');
    const recorder = Recorder.start(b.setup);
    await recorder.close();
    const { header } = parseRecording(await readFile(b.file, 'utf8'), b.file);
    expect(header).toMatchObject({ rig: 'bench', scenario: 'header', seed: 7, clock: 'virtual', start: T0, startIso: '2026-03-02T08:00:00.000Z', dut: ['vu'] });
    expect(header.links).toEqual([
      { id: 'ide.vu~vu.download', ends: ['ide.vu', 'vu.download'], dut: 'vu.download', peer: 'ide.vu', transport: 'memory', framing: EVEN, baud: { dut: 9600, peer: 9600 }, codec: 'test-codec' },
      { id: 'sensor.pulses~vu.pulses', ends: ['sensor.pulses', 'vu.pulses'], dut: 'vu.pulses', peer: 'sensor.pulses', transport: 'memory', framing: FRAMING_8N1, baud: { dut: 9600, peer: 9600 } },
    ]);
    expect(header.unrecorded).toEqual([{ id: 'a.x~b.y', reason: 'no device under test on it' }]);
    // The DUT's options (bytes as hex), for the names its stimuli take; nobody else's.
    expect(header.devices).toEqual([
      { name: 'vu', kind: 'vu', mode: 'external', options: { cards: { anna: { key: '0102' } } } },
      { name: 'ide', kind: 'ide', mode: 'emulated' },
      { name: 'sensor', kind: 'motion-sensor', mode: 'emulated' },
      { name: 'a', kind: 'x', mode: 'emulated' },
      { name: 'b', kind: 'x', mode: 'emulated' },
    ]);
  });

  it('refuses a DUT the rig does not have, and a DUT on no link', () => {
    expect(() => Recorder.start(bench('no-such', { dut: ['vu2'] }).setup)).toThrow("cannot record: no device 'vu2' in rig bench (its devices: vu, ide, sensor, a, b)");
    expect(() => Recorder.start(bench('unlinked', { dut: ['ide', 'vu'] }).setup)).not.toThrow();
    const both = bench('both', { dut: ['a', 'b'] });
    expect(() => Recorder.start(both.setup)).toThrow('cannot record: no link of rig bench joins a, b to the rig');
  });

  it("records the rig's bytes as they reached the DUT and the DUT's as they left it, each chunk from its first byte, back-to-back ones joined", async () => {
    const b = bench('bytes');
    const recorder = Recorder.start(b.setup);
    await b.open();
    // The IDE's request: three bytes in one write, delivered byte by byte (no quantum), 1.1458 ms each at 9600 8E1.
    await b.clock.advance(10);
    b.download.a.write(Uint8Array.from([0x81, 0xee, 0xf0]));
    await b.clock.advance(20);
    // The DUT's answer in two writes, the second while the first is still on the line: one entry.
    b.download.b.write(Uint8Array.from([0x80, 0xf0]));
    await b.clock.advance(1);
    b.download.b.write(Uint8Array.from([0xee]));
    await b.clock.advance(20);
    // Another request 20 ms later: its own entry.
    b.download.a.write(Uint8Array.from([0x82]));
    await b.clock.advance(5);
    b.download.b.setBaud(115200);
    // The line between two other devices is not recorded.
    b.other.a.write(Uint8Array.from([1]));
    await b.clock.advance(5);
    await recorder.close();
    const r = parseRecording(await readFile(b.file, 'utf8'), b.file);
    expect(r.entries.filter((e) => e.link === 'ide.vu~vu.download')).toEqual([
      { t: 0, link: 'ide.vu~vu.download', event: 'connected', detail: 'memory null modem' },
      { t: 10, link: 'ide.vu~vu.download', dir: 'to-dut', hex: '81eef0' },
      { t: 30, link: 'ide.vu~vu.download', dir: 'from-dut', hex: '80f0ee' },
      { t: 51, link: 'ide.vu~vu.download', dir: 'to-dut', hex: '82' },
      { t: 56, link: 'ide.vu~vu.download', event: 'baud', end: 'vu.download', baud: 115200 },
    ]);
    expect(r.entries.some((e) => e.link === 'a.x~b.y')).toBe(false);
    expect(r.end).toBe(61);
  });

  it('records what an injected fault left of the bytes to the DUT, and what the DUT sent before the fault changed it', async () => {
    const b = bench('faults');
    const recorder = Recorder.start(b.setup);
    await b.open();
    b.download.faults.set({ bitFlipRate: 1 }); // every bit inverted, both ways
    b.download.a.write(Uint8Array.from([0x0f]));
    await b.clock.advance(5);
    b.download.b.write(Uint8Array.from([0x00]));
    await b.clock.advance(5);
    await recorder.close();
    const bytes = parseRecording(await readFile(b.file, 'utf8'), b.file).entries.filter((e) => 'dir' in e);
    expect(bytes.map((e) => ['dir' in e && e.dir, 'hex' in e && e.hex])).toEqual([
      ['to-dut', 'f0'],
      ['from-dut', '00'],
    ]);
  });

  it('keeps when it read bytes an outside DUT sent, where their stamp goes back over a stall of the host', async () => {
    const b = bench('seen');
    /** A line whose DUT end is read from an OS port, as pty and serial links do it (LinkBase.enter). */
    class ReadLine extends MemoryLink {
      read(bytes: Uint8Array, startAt: number): void {
        this.enter('b->a', bytes, startAt);
      }
    }
    const line = new ReadLine({ id: 'ide.vu~vu.download', ends: ['ide.vu', 'vu.download'], baud: 9600, framing: EVEN, pacing: true, faults: NO_FAULTS }, { clock: b.clock, rng: createRng(1) });
    const recorder = Recorder.start({ ...b.setup, links: [{ ...b.setup.links[0]!, link: line }] });
    await line.open();
    await b.clock.advance(30);
    line.read(Uint8Array.from([0x80]), T0 + 30); // read at once
    await b.clock.advance(20);
    line.read(Uint8Array.from([0x81]), T0 + 35); // read at 50, stamped back to 35
    await b.clock.advance(20);
    await recorder.close();
    expect(parseRecording(await readFile(b.file, 'utf8'), b.file).entries.filter((e) => 'dir' in e)).toEqual([
      { t: 30, link: 'ide.vu~vu.download', dir: 'from-dut', hex: '80' },
      { t: 35, link: 'ide.vu~vu.download', dir: 'from-dut', hex: '81', seen: 50 },
    ]);
  });

  it('joins the pulse frames of a 10 ms quantum only when they follow each other on the line', async () => {
    const b = bench('pulses');
    const recorder = Recorder.start(b.setup);
    await b.open();
    for (let i = 0; i < 3; i++) {
      b.pulses.a.write(Uint8Array.from([0x50, 0x00, 0x0d, 0x5d]));
      await b.clock.advance(100);
    }
    await recorder.close();
    const entries = parseRecording(await readFile(b.file, 'utf8'), b.file).entries.filter((e) => 'dir' in e);
    expect(entries).toEqual([0, 100, 200].map((t) => ({ t, link: 'sensor.pulses~vu.pulses', dir: 'to-dut', hex: '50000d5d' })));
  });

  it('changes nothing on the lines it records', async () => {
    const arrivals = async (record: boolean) => {
      const b = bench(`unchanged-${record}`);
      const recorder = record ? Recorder.start(b.setup) : undefined;
      await b.open();
      const seen: [number, string][] = [];
      b.download.a.onData((bytes, at) => seen.push([at - T0, Buffer.from(bytes).toString('hex')]));
      b.download.b.onData((bytes, at) => seen.push([at - T0, Buffer.from(bytes).toString('hex')]));
      b.download.faults.set({ dropRate: 0.3 });
      b.download.a.write(Uint8Array.from([1, 2, 3, 4, 5, 6]));
      await b.clock.advance(3);
      b.download.b.write(Uint8Array.from([7, 8, 9, 10]));
      await b.clock.advance(50);
      await recorder?.close();
      return seen;
    };
    const plain = await arrivals(false);
    expect(plain.length).toBeGreaterThan(4);
    expect(await arrivals(true)).toEqual(plain);
  });
});
