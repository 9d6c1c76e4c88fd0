import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { RigClock } from '../clock/index.ts';

/**
 * The trace: every stimulus, state transition, frame and link event of a run, stamped with rig time, in
 * the order they happened. Written as JSON lines; reports and failure analysis are built from it.
 */
interface Stamp {
  /** Rig time, ms since the Unix epoch (UTC). */
  t: number;
  /** The same instant, ISO 8601 UTC, for people reading the file. */
  at: string;
}

export type TraceEntry = Stamp &
  (
    | {
        kind: 'stimulus';
        device?: string;
        link?: string;
        name: string;
        args?: unknown;
        /** The device that applied it through its wiring (`device.stimulus`), when not the scenario. */
        by?: string;
        /** On an external device: how it was done, by an actuator's relay or supply port, or by a person. */
        via?: 'relay' | 'psu' | 'keypad' | 'operator' | (string & {});
        /** The actuator device that did it (via relay or psu). */
        actuator?: string;
        /** Rig ms from the request to the confirmation (the frame drained, the supply's answer, the operator's Enter). */
        tookMs?: number;
      }
    | { kind: 'transition'; device: string; actor: string; from: unknown; to: unknown; event: string }
    | {
        kind: 'frame';
        link: string;
        from: string;
        to: string;
        hex: string;
        codec?: string;
        decoded?: unknown;
        /** The codec could not decode the bytes: why. */
        decodeError?: string;
      }
    | { kind: 'link'; link: string; event: string; end?: string; direction?: string; detail?: string; sent?: number; received?: number }
    /** What a device ignored on a port (a frame with a timing or checksum error, a request while busy), and why. */
    | { kind: 'refused'; device: string; port: string; link: string; code: string; detail: string }
    | { kind: 'step'; index: number; description: string; phase: 'start' | 'end'; outcome?: string }
    | { kind: 'error'; source: string; message: string }
    | { kind: 'note'; message: string }
  );

type Distribute<T> = T extends unknown ? Omit<T, 't' | 'at'> : never;
export type TraceInput = Distribute<TraceEntry>;

export class Trace {
  private readonly list: TraceEntry[] = [];
  private sink?: WriteStream;
  private readonly tally = new Map<TraceEntry['kind'], number>();
  private readonly keep: boolean;

  /**
   * `keep: false` holds no entries in memory (a long run's pulse frames would fill it): entries are then only
   * counted, and written when the trace streams to a file.
   */
  constructor(
    private readonly clock: RigClock,
    options: { keep?: boolean } = {},
  ) {
    this.keep = options.keep ?? true;
  }

  /** Streams entries to a JSONL file as they are recorded, so a crash keeps what happened before it. */
  streamTo(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    this.sink = createWriteStream(file, { flags: 'w' });
    for (const e of this.list) this.sink.write(toLine(e));
  }

  /**
   * Whether anyone reads the entries (kept or streamed). When not, recorders may skip the costly parts
   * (decoding frames, watching transitions) and only `count` what happened.
   */
  get detailed(): boolean {
    return this.keep || this.sink !== undefined;
  }

  record(entry: TraceInput): void {
    this.count(entry.kind);
    if (!this.detailed) return;
    const t = this.clock.now();
    const full = { t, at: new Date(Math.floor(t)).toISOString(), ...entry } as TraceEntry;
    if (this.keep) this.list.push(full);
    this.sink?.write(toLine(full));
  }

  /** Counts an entry without recording it. */
  count(kind: TraceEntry['kind']): void {
    this.tally.set(kind, (this.tally.get(kind) ?? 0) + 1);
  }

  /** Entries recorded or counted so far, by kind. */
  counted(kind: TraceEntry['kind']): number {
    return this.tally.get(kind) ?? 0;
  }

  get entries(): readonly TraceEntry[] {
    return this.list;
  }

  async close(): Promise<void> {
    const sink = this.sink;
    this.sink = undefined;
    if (sink) await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');
}

function toLine(entry: TraceEntry): string {
  return JSON.stringify(entry, (_k, v) => (v instanceof Uint8Array ? toHex(v) : typeof v === 'bigint' ? v.toString() : v)) + '\n';
}
