import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../harness/clock/index.ts';
import type { RecordingEntry } from '../../harness/record/index.ts';
import { ReplayPlayer } from './player.ts';
import { buildScripts } from './script.ts';
import { lineCodec, recording } from './test-support.ts';

const T0 = Date.UTC(2026, 2, 2, 8);
const L = 'ide.vu~vu.download';
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

/** A player of `entries` (10 bits a character at 10000 baud: 1 ms each), and what it did, in rig ms since T0. */
function play(entries: RecordingEntry[], options: { lateMs?: number; links?: Parameters<typeof recording>[1]; codec?: boolean } = {}) {
  const clock = new VirtualClock({ start: T0 });
  const scripts = buildScripts(recording(entries, options.links), 'vu', () => (options.codec === false ? undefined : lineCodec));
  const out: [number, string, string][] = [];
  const divergences: string[] = [];
  const player = new ReplayPlayer(scripts, clock, { source: 'r.jsonl', device: 'vu', start: T0, lateMs: options.lateMs ?? 500 }, {
    send: (port, b) => out.push([clock.now() - T0, port, Buffer.from(b).toString('hex')]),
    baud: (port, baud) => out.push([clock.now() - T0, port, `baud ${baud}`]),
    diverged: (message) => divergences.push(message),
  });
  player.start();
  /** The rig sends `hex` on the DUT's port, arriving whole at +t ms. */
  const send = async (t: number, hex: string, port = 'download') => {
    await clock.runUntil(T0 + t);
    player.receive(port, bytes(hex), clock.now());
  };
  return { clock, player, out, divergences, send, until: (t: number) => clock.runUntil(T0 + t) };
}

describe('the replay player', () => {
  it('answers a frame after the delay the DUT took, counted from the frame, however late the rig sends it', async () => {
    const p = play([
      { t: 10, link: L, dir: 'to-dut', hex: '410a' }, // whole at 12
      { t: 15, link: L, dir: 'from-dut', hex: 'aa' }, // 3 ms after
      { t: 20, link: L, dir: 'to-dut', hex: '420a' }, // whole at 22
      { t: 30, link: L, dir: 'from-dut', hex: 'bb' }, // 8 ms after
    ]);
    await p.send(12, '410a');
    await p.send(40, '420a'); // 18 ms later than recorded
    await p.until(100);
    expect(p.out).toEqual([
      [15, 'download', 'aa'],
      [48, 'download', 'bb'],
    ]);
    expect(p.divergences).toEqual([]);
  });

  it('sends what the DUT sent by itself at its offset from the start, and the next at its offset from that', async () => {
    const p = play([
      { t: 100, link: L, dir: 'from-dut', hex: 'a1' },
      { t: 1100, link: L, dir: 'from-dut', hex: 'a2' },
      { t: 2100, link: L, dir: 'from-dut', hex: 'a3' },
    ]);
    await p.until(5000);
    expect(p.out.map(([t, , h]) => [t, h])).toEqual([
      [100, 'a1'],
      [1100, 'a2'],
      [2100, 'a3'],
    ]);
  });

  it("waits for the rig's answer to the DUT's request before the DUT's next, timed from the answer", async () => {
    const p = play([
      { t: 0, link: L, dir: 'from-dut', hex: 'a1' }, // the DUT asks
      { t: 5, link: L, dir: 'to-dut', hex: '310a' }, // the rig answers, whole at 7
      { t: 1007, link: L, dir: 'from-dut', hex: 'a2' }, // the DUT's next, 1000 ms after the answer
    ]);
    await p.until(40);
    expect(p.out.map(([t, , h]) => [t, h])).toEqual([[0, 'a1']]);
    await p.send(50, '310a'); // the answer, 43 ms later than recorded
    await p.until(3000);
    expect(p.out.map(([t, , h]) => [t, h])).toEqual([
      [0, 'a1'],
      [1050, 'a2'],
    ]);
  });

  it('changes speed as soon as the frame it follows is in, not at its recorded delay', async () => {
    const p = play([
      { t: 10, link: L, dir: 'to-dut', hex: '410a' }, // whole at 12
      { t: 13.5, link: L, event: 'baud', end: 'vu.download', baud: 115200 },
      { t: 14, link: L, dir: 'from-dut', hex: 'aa' },
    ]);
    await p.send(12, '410a');
    await p.until(50);
    expect(p.out).toEqual([
      [12, 'download', 'baud 115200'],
      [14, 'download', 'aa'],
    ]);
  });

  it('reports another frame than the recorded one as a divergence, with both in hex and where, and then does nothing more', async () => {
    const p = play([
      { t: 10, link: L, dir: 'to-dut', hex: '410a' },
      { t: 20, link: L, dir: 'to-dut', hex: '420a' },
      { t: 30, link: L, dir: 'from-dut', hex: 'bb' },
      { t: 2000, link: L, dir: 'from-dut', hex: 'cc' },
    ]);
    await p.send(12, '410a');
    await p.send(22, '430a');
    await p.send(25, '420a');
    await p.until(5000);
    expect(p.divergences).toEqual([
      'r.jsonl: the replay of vu diverged on vu.download (link ide.vu~vu.download) at +0.022 s: frame 2 of 2 to the DUT (recorded at +0.022 s) differs at byte 0: the recording has 42 0A (2 bytes), the rig sent 43 0A (2 bytes)',
    ]);
    expect(p.out).toEqual([]);
  });

  it('reports a frame after the last one the recording has', async () => {
    const p = play([{ t: 10, link: L, dir: 'to-dut', hex: '410a' }]);
    await p.send(12, '410a');
    await p.send(30, '410a');
    expect(p.divergences).toEqual(['r.jsonl: the replay of vu diverged on vu.download (link ide.vu~vu.download) at +0.030 s: the rig sent 41 0A, after the last frame the recording has it send on this port (1)']);
  });

  it('reports bytes on a port the recording has no traffic on', async () => {
    const p = play([{ t: 10, link: L, dir: 'to-dut', hex: '410a' }]);
    await p.send(12, '01', 'gnss');
    expect(p.divergences).toEqual(['r.jsonl: the replay of vu diverged at +0.012 s: received 01 on port gnss, on which the recording has no traffic (it has download)']);
  });

  it('reports a frame that does not come within lateMs of when it was due, and not before', async () => {
    const p = play(
      [
        { t: 0, link: L, dir: 'from-dut', hex: 'a1' },
        { t: 100, link: L, dir: 'to-dut', hex: '410a' }, // due whole at 102
      ],
      { lateMs: 500 },
    );
    await p.until(601);
    expect(p.divergences).toEqual([]);
    await p.until(603);
    expect(p.divergences).toEqual(['r.jsonl: the replay of vu diverged on vu.download (link ide.vu~vu.download) at +0.602 s: frame 1 of 1 to the DUT, 41 0A (2 bytes), due by +0.102 s (recorded at +0.102 s), did not come within 500 ms']);
  });

  it('times a frame that answers an output of its own from that output, once it is sent', async () => {
    const entries: RecordingEntry[] = [
      { t: 10, link: L, dir: 'to-dut', hex: '410a' }, // whole at 12
      { t: 1000, link: L, dir: 'from-dut', hex: 'a1' }, // the DUT's request, 988 ms after
      { t: 1010, link: L, dir: 'to-dut', hex: '420a' }, // the answer, whole at 1012
    ];
    const late = play(entries, { lateMs: 50 });
    await late.send(40, '410a'); // 28 ms late: the request goes at 1028, its answer is due at 1040
    await late.until(1089);
    expect(late.out.map(([t, , h]) => [t, h])).toEqual([[1028, 'a1']]);
    expect(late.divergences).toEqual([]);
    await late.until(1091);
    expect(late.divergences).toEqual([
      'r.jsonl: the replay of vu diverged on vu.download (link ide.vu~vu.download) at +1.090 s: frame 2 of 2 to the DUT, 42 0A (2 bytes), due by +1.040 s (recorded at +1.012 s), did not come within 50 ms',
    ]);
    const answered = play(entries, { lateMs: 50 });
    await answered.send(40, '410a');
    await answered.send(1085, '420a');
    await answered.until(2000);
    expect(answered.divergences).toEqual([]);
  });

  it('matches a port without a codec as a byte stream, however the rig chunks it, and tells a wrong byte at once', async () => {
    const links = [{ id: 'actuator.relay~vu.host', dut: 'vu.host', peer: 'actuator.relay' }];
    const p = play(
      [
        { t: 0, link: 'actuator.relay~vu.host', dir: 'to-dut', hex: 'a00101a2' },
        { t: 10, link: 'actuator.relay~vu.host', dir: 'from-dut', hex: 'ff' },
        { t: 20, link: 'actuator.relay~vu.host', dir: 'to-dut', hex: 'a00100a1' },
      ],
      { links, codec: false },
    );
    await p.send(2, 'a001', 'host');
    await p.send(4, '01a2', 'host');
    await p.until(15);
    expect(p.out).toEqual([[10, 'host', 'ff']]);
    await p.send(21, 'a002', 'host');
    expect(p.divergences).toEqual([
      'r.jsonl: the replay of vu diverged on vu.host (link actuator.relay~vu.host) at +0.021 s: chunk 2 of 2 to the DUT (recorded at +0.024 s) differs at byte 1: the recording has A0 01 00 A1 (4 bytes), the rig sent A0 02 (2 bytes)',
    ]);
  });

  it('plays each port on its own', async () => {
    const links = [
      { id: L, dut: 'vu.download', peer: 'ide.vu' },
      { id: 'sensor.vu~vu.sensor', dut: 'vu.sensor', peer: 'sensor.vu' },
    ];
    const p = play(
      [
        { t: 0, link: 'sensor.vu~vu.sensor', dir: 'from-dut', hex: '51' },
        { t: 10, link: L, dir: 'to-dut', hex: '410a' },
        { t: 13, link: L, dir: 'from-dut', hex: 'aa' },
        { t: 100, link: 'sensor.vu~vu.sensor', dir: 'to-dut', hex: '520a' },
        { t: 150, link: 'sensor.vu~vu.sensor', dir: 'from-dut', hex: '53' },
      ],
      { links },
    );
    await p.send(12, '410a');
    await p.until(300); // the sensor's answer never comes: only the sensor port waits
    expect(p.out).toEqual([
      [0, 'sensor', '51'],
      [13, 'download', 'aa'],
    ]);
    expect(p.player.progress()).toEqual([
      { port: 'download', matched: 1, inputs: 1, done: 1, outputs: 1 },
      { port: 'sensor', matched: 0, inputs: 1, done: 1, outputs: 2 },
    ]);
  });
});
