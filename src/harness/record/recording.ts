import { z } from 'zod';

/**
 * The recording file of one scenario run (`rig run --record DIR`): what crossed the connectors of the
 * device(s) under test, byte chunk by byte chunk, with rig time stamps, so a `replay` device can play the
 * DUT's side back (src/devices/replay/). JSON lines:
 *
 *   line 1   the header: format, version, rig, scenario, seed, clock, start, the DUT, its links;
 *   then     entries, each `{ t, link, ... }` with `t` in ms of rig time since `start` (to the µs):
 *              { t, link, dir: 'to-dut' | 'from-dut', hex, seen? }   bytes (lower-case hex, no spaces)
 *              { t, link, event, end?, baud?, detail? }      a link event: a baud change, a cut, ...
 *   last     { t, end: true }: the run ended here (a file without it was cut short).
 *
 * Entries are in order within a link; across links a reader goes by `t`.
 *
 * What the bytes are, and when `t` is (see LineTraffic in src/harness/links/link.ts): the recording is taken
 * at the DUT's side of each link. `from-dut` chunks are what the DUT sent, as they entered the rig's line
 * (an emulated DUT's write, or bytes read from the OS port of an outside one), before the rig's injected
 * faults, pauses and cuts; `to-dut` chunks are what reached the DUT, after them. So a replay on a rig that
 * injects the same (seeded) faults receives exactly the `to-dut` bytes and sends the `from-dut` ones into the
 * same faults. `t` is the instant a chunk started on the line. Chunks that followed each other back to back
 * on a busy line (each started as the one before ended, at the line's speed) are one entry: a download's
 * response read a few bytes at a time is one entry with the time of its first byte.
 *
 * Bytes read from an OS port after this process was held up are stamped back to when it was (they may have
 * waited through the stall): such a `from-dut` entry also has `seen`, the instant the rig read it. The stamp
 * may then fall before the rig's last bytes to the DUT, which the DUT had whole before it answered: a replay
 * orders the DUT's outputs after the frames by `seen` and times them by `t`.
 */
export const RECORDING_FORMAT = 'tacho-rig-recording';
export const RECORDING_VERSION = 1;

const framingSchema = z.strictObject({
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]),
});

export const recordedLinkSchema = z.strictObject({
  id: z.string().min(1),
  ends: z.tuple([z.string(), z.string()]),
  /** The DUT's end (`vu.download`): `to-dut` and `from-dut` are said of it. */
  dut: z.string().min(1),
  /** The rig's end, the DUT's peer (`ide.vu`). */
  peer: z.string().min(1),
  transport: z.enum(['memory', 'pty', 'serial', 'tcp']),
  framing: framingSchema,
  /** Each end's speed at the start, bit/s; `baud` events change them. */
  baud: z.strictObject({ dut: z.number().positive(), peer: z.number().positive() }),
  /** The codec of the DUT's port (the name of its PortCodec), which splits the bytes into frames; none: a byte stream. */
  codec: z.string().optional(),
});
export type RecordedLink = z.infer<typeof recordedLinkSchema>;

export const recordingHeaderSchema = z.strictObject({
  format: z.literal(RECORDING_FORMAT),
  version: z.literal(RECORDING_VERSION),
  rig: z.string(),
  scenario: z.string(),
  seed: z.number().int(),
  clock: z.enum(['virtual', 'wall']),
  /** Rig time at the start, ms since the epoch (the run's start: a replay starts its clock here). */
  start: z.number(),
  startIso: z.string(),
  /** The devices under test: their side of each link is what a replay plays. */
  dut: z.array(z.string()).min(1),
  /** Every device of the run; a DUT's options are kept, so a replay knows the names its stimuli took (a VU's cards). */
  devices: z.array(z.strictObject({ name: z.string(), kind: z.string(), mode: z.enum(['emulated', 'external']), options: z.unknown().optional() })),
  links: z.array(recordedLinkSchema),
  /** Links of the run not recorded, and why (no DUT on them, or a DUT at both ends). */
  unrecorded: z.array(z.strictObject({ id: z.string(), reason: z.string() })).default([]),
});
export type RecordingHeader = z.infer<typeof recordingHeaderSchema>;

const hexSchema = z.string().regex(/^(?:[0-9a-f]{2})+$/, 'lower-case hex, an even number of digits');

export const bytesEntrySchema = z.strictObject({
  t: z.number(),
  link: z.string(),
  dir: z.enum(['to-dut', 'from-dut']),
  hex: hexSchema,
  /** When the rig read them, where later than `t` (a read stamped back over a stall of the host): see below. */
  seen: z.number().optional(),
});
export const eventEntrySchema = z.strictObject({
  t: z.number(),
  link: z.string(),
  /** A LinkEventType: baud, connected, disconnected, paused, resumed, framing-error, error. */
  event: z.string(),
  end: z.string().optional(),
  baud: z.number().positive().optional(),
  detail: z.string().optional(),
});
export const endEntrySchema = z.strictObject({ t: z.number(), end: z.literal(true) });

export type BytesEntry = z.infer<typeof bytesEntrySchema>;
export type EventEntry = z.infer<typeof eventEntrySchema>;
export type RecordingEntry = BytesEntry | EventEntry;

export interface Recording {
  header: RecordingHeader;
  /** Bytes and link events, in file order. */
  entries: RecordingEntry[];
  /** ms since the start when the run ended; undefined when the file was cut short. */
  end?: number;
}

/** A recording file refused: where (line) and why. */
export class RecordingError extends Error {
  constructor(source: string, line: number, message: string) {
    super(`${source}:${line}: ${message}`);
    this.name = 'RecordingError';
  }
}

/** Reads a recording's text, checking every line; `source` names it in errors. */
export function parseRecording(text: string, source: string): Recording {
  const lines = text.split('\n');
  const json = (i: number): unknown => {
    try {
      return JSON.parse(lines[i]!);
    } catch (error) {
      throw new RecordingError(source, i + 1, `not JSON: ${(error as Error).message}`);
    }
  };
  if (!lines[0]?.trim()) throw new RecordingError(source, 1, 'empty: no header');
  const head = recordingHeaderSchema.safeParse(json(0));
  if (!head.success) throw new RecordingError(source, 1, `not a ${RECORDING_FORMAT} version ${RECORDING_VERSION} header: ${issues(head.error)}`);
  const header = head.data;
  const links = new Set(header.links.map((l) => l.id));
  const entries: RecordingEntry[] = [];
  let end: number | undefined;
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]!.trim()) continue;
    if (end !== undefined) throw new RecordingError(source, i + 1, 'an entry after the end');
    const value = json(i);
    const kind = typeof value === 'object' && value !== null ? ('dir' in value ? bytesEntrySchema : 'event' in value ? eventEntrySchema : endEntrySchema) : endEntrySchema;
    const entry = kind.safeParse(value);
    if (!entry.success) throw new RecordingError(source, i + 1, issues(entry.error));
    if ('end' in entry.data && entry.data.end === true) {
      end = entry.data.t;
      continue;
    }
    const e = entry.data as RecordingEntry;
    if (!links.has(e.link)) throw new RecordingError(source, i + 1, `link '${e.link}' is not in the header's links (${[...links].join(', ')})`);
    entries.push(e);
  }
  return { header, entries, ...(end === undefined ? {} : { end }) };
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}

/** One line of the file. Times to the µs: rig time resolves to 2^-12 ms near 2026, and no line needs more. */
export function recordingLine(entry: RecordingHeader | RecordingEntry | { t: number; end: true }): string {
  return JSON.stringify(entry, (key, value) => ((key === 't' || key === 'seen') && typeof value === 'number' ? Math.round(value * 1000) / 1000 : value)) + '\n';
}

/** The file a run of `scenario` records to, in the `--record` directory. */
export function recordingFileName(scenario: string): string {
  return `${scenario}.recording.jsonl`;
}
