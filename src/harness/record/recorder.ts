import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { RigClock } from '../clock/index.ts';
import type { PortCodec } from '../devices/device-kind.ts';
import { bitsPerCharacter, type Framing, type LineTraffic, type Link, type LinkEvent, type Transport, type Unsubscribe } from '../links/index.ts';
import { RECORDING_FORMAT, RECORDING_VERSION, recordingLine, type RecordedLink, type RecordingEntry, type RecordingHeader } from './recording.ts';

/** What the recorder needs of the run: the rig's devices and links as the plan has them, and the link objects. */
export interface RecorderSetup {
  file: string;
  rig: string;
  scenario: string;
  seed: number;
  clock: RigClock;
  /** Rig time at the start (entries are stamped from here). */
  start: number;
  /** The devices under test. */
  dut: readonly string[];
  devices: readonly { name: string; kind: { kind: string; ports: Record<string, { codec?: PortCodec }> }; mode: 'emulated' | 'external'; options: unknown }[];
  links: readonly { id: string; ends: readonly [string, string]; transport: Transport; framing: Framing; link: Link }[];
}

/**
 * Link events worth keeping beside the bytes. Not 'dropped' and 'corrupted': they are the rig's own injected
 * faults, one per byte, which a replay's rig injects again from the same seed.
 */
const KEPT_EVENTS = new Set<LinkEvent['type']>(['baud', 'connected', 'disconnected', 'paused', 'resumed', 'framing-error', 'error']);

/** Two chunks whose start and end differ by less than this are back to back (rig time resolves to 2^-12 ms). */
const BACK_TO_BACK_MS = 0.01;

interface Pending {
  entry: { t: number; link: string; dir: 'to-dut' | 'from-dut'; seen?: number };
  bytes: number[];
  /** Rig time the last byte so far ended on the line. */
  endsAt: number;
}

/**
 * Records a run's DUT links (see recording.ts for the format): a tap on each link's traffic and events, like
 * the trace's frame tap. It changes nothing in the run: the listeners only copy and queue lines for a file
 * stream. Chunks that continue one another on a busy line are joined into one entry.
 */
export class Recorder {
  private readonly sink: WriteStream;
  private readonly unsubscribers: Unsubscribe[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly charBits = new Map<string, number>();
  private closed = false;

  private constructor(private readonly setup: RecorderSetup, readonly header: RecordingHeader) {
    mkdirSync(dirname(setup.file), { recursive: true });
    this.sink = createWriteStream(setup.file, { flags: 'w' });
    this.sink.write(recordingLine(header));
  }

  /** Starts recording; call before the links open, so their first 'connected' is kept. Throws when there is no DUT link to record. */
  static start(setup: RecorderSetup): Recorder {
    const header = headerOf(setup);
    const recorder = new Recorder(setup, header);
    for (const spec of setup.links) {
      const recorded = header.links.find((l) => l.id === spec.id);
      if (!recorded) continue;
      recorder.charBits.set(spec.id, bitsPerCharacter(spec.framing));
      recorder.unsubscribers.push(
        spec.link.onTraffic((traffic) => recorder.traffic(recorded, spec.link, traffic)),
        spec.link.onEvent((event) => recorder.event(recorded, event)),
      );
    }
    return recorder;
  }

  /** Stops the taps, writes what is pending and the end line, and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribers.splice(0)) u();
    for (const id of [...this.pending.keys()]) this.flush(id);
    this.sink.write(recordingLine({ t: this.since(this.setup.clock.now()), end: true }));
    await new Promise<void>((resolve, reject) => this.sink.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }

  private traffic(link: RecordedLink, source: Link, traffic: LineTraffic): void {
    let dir: 'to-dut' | 'from-dut';
    if (traffic.stage === 'sent' && traffic.from === link.dut) dir = 'from-dut';
    else if (traffic.stage === 'delivered' && traffic.to === link.dut) dir = 'to-dut';
    else return;
    // Each character takes its sender's speed on the line.
    const characterMs = (this.charBits.get(link.id)! * 1000) / source.end(traffic.from).baud;
    const last = this.pending.get(link.id);
    if (last && last.entry.dir === dir && traffic.start <= last.endsAt + BACK_TO_BACK_MS) {
      for (const b of traffic.bytes) last.bytes.push(b);
      last.endsAt = Math.max(last.endsAt, traffic.start) + traffic.bytes.length * characterMs;
      return;
    }
    if (last) this.flush(link.id);
    // A read stamped back over a stall keeps when it was read (recording.ts).
    const seen = dir === 'from-dut' && traffic.seen - traffic.start > BACK_TO_BACK_MS ? { seen: this.since(traffic.seen) } : {};
    this.pending.set(link.id, { entry: { t: this.since(traffic.start), link: link.id, dir, ...seen }, bytes: [...traffic.bytes], endsAt: traffic.start + traffic.bytes.length * characterMs });
  }

  private event(link: RecordedLink, event: LinkEvent): void {
    if (!KEPT_EVENTS.has(event.type)) return;
    this.flush(link.id);
    const entry: RecordingEntry = { t: this.since(event.at), link: link.id, event: event.type };
    if (event.end !== undefined) entry.end = event.end;
    if (event.type === 'baud' && event.detail !== undefined) entry.baud = Number(event.detail);
    else if (event.detail !== undefined) entry.detail = event.detail;
    this.sink.write(recordingLine(entry));
  }

  private flush(link: string): void {
    const p = this.pending.get(link);
    if (!p) return;
    this.pending.delete(link);
    const { seen, ...entry } = p.entry;
    this.sink.write(recordingLine({ ...entry, hex: Buffer.from(p.bytes).toString('hex'), ...(seen === undefined ? {} : { seen }) }));
  }

  private since(t: number): number {
    return t - this.setup.start;
  }
}

function headerOf(setup: RecorderSetup): RecordingHeader {
  const dut = new Set(setup.dut);
  const devices = new Map(setup.devices.map((d) => [d.name, d]));
  for (const name of dut) if (!devices.has(name)) throw new Error(`cannot record: no device '${name}' in rig ${setup.rig} (its devices: ${[...devices.keys()].join(', ')})`);
  const links: RecordedLink[] = [];
  const unrecorded: { id: string; reason: string }[] = [];
  for (const spec of setup.links) {
    const onDut = spec.ends.filter((end) => dut.has(deviceOf(end)));
    if (onDut.length !== 1) {
      unrecorded.push({ id: spec.id, reason: onDut.length === 0 ? 'no device under test on it' : 'a device under test at both ends' });
      continue;
    }
    const dutEnd = onDut[0]!;
    const peer = spec.ends[0] === dutEnd ? spec.ends[1] : spec.ends[0];
    const codec = devices.get(deviceOf(dutEnd))?.kind.ports[portOf(dutEnd)]?.codec;
    links.push({
      id: spec.id,
      ends: [spec.ends[0], spec.ends[1]],
      dut: dutEnd,
      peer,
      transport: spec.transport,
      framing: spec.framing,
      baud: { dut: spec.link.end(dutEnd).baud, peer: spec.link.end(peer).baud },
      ...(codec ? { codec: codec.name } : {}),
    });
  }
  if (links.length === 0) throw new Error(`cannot record: no link of rig ${setup.rig} joins ${[...dut].join(', ')} to the rig`);
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    rig: setup.rig,
    scenario: setup.scenario,
    seed: setup.seed,
    clock: setup.clock.mode,
    start: setup.start,
    startIso: new Date(Math.floor(setup.start)).toISOString(),
    dut: [...dut],
    devices: setup.devices.map((d) => ({ name: d.name, kind: d.kind.kind, mode: d.mode, ...(dut.has(d.name) ? { options: plain(d.options) } : {}) })),
    links,
    unrecorded,
  };
}

/** Options as JSON has them (bytes as hex), for the header. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? {}, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : typeof v === 'bigint' ? v.toString() : v)));
}

const deviceOf = (end: string) => end.slice(0, end.indexOf('.'));
const portOf = (end: string) => end.slice(end.indexOf('.') + 1);
