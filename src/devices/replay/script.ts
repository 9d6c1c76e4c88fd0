import type { PortCodec } from '../../harness/devices/device-kind.ts';
import { bitsPerCharacter, type Framing } from '../../harness/links/index.ts';
import type { RecordedLink, Recording } from '../../harness/record/index.ts';

/**
 * A recording turned into what a replay plays on each of the DUT's ports: the frames the rig must send it
 * (inputs, in order, each with the instant the recorded DUT had it whole) and what the DUT did (outputs: byte
 * chunks it sent and its speed changes, in order, each with its instant and how many inputs came before it).
 * Pure: src/devices/replay/player.ts plays it on the rig clock.
 */
export interface PortScript {
  /** The DUT's port (`download`), and its end and the rig's end of the link as the recording names them. */
  port: string;
  link: string;
  dutEnd: string;
  peerEnd: string;
  /** The codec whose deframer split the inputs; none: the inputs are the recorded chunks, matched as a byte stream. */
  codec?: PortCodec;
  framing: Framing;
  inputs: ScriptInput[];
  outputs: ScriptOutput[];
}

export interface ScriptInput {
  bytes: Uint8Array;
  /** ms since the recording's start at which the DUT had the frame's last byte. */
  t: number;
}

export type ScriptOutput =
  | { kind: 'bytes'; bytes: Uint8Array; t: number; after: number }
  | { kind: 'baud'; baud: number; t: number; after: number };
// `t`: ms since the start at which the chunk started on the line (or the speed changed); `after`: how many of
// the port's inputs the DUT had whole by then, which the replay waits for before it.

/**
 * Instants closer than this are the same instant (rig time resolves to 2^-12 ms near 2026, and the file keeps
 * µs): a DUT answering at the very instant a frame's last byte arrived answers after it, not before.
 */
export const SAME_INSTANT_MS = 0.01;

/**
 * The scripts of one DUT device of the recording, one per port it had a link on. `codecFor` gives the codec a
 * recorded link's DUT port is split with (undefined: none, or one the replay does not know).
 */
export function buildScripts(recording: Recording, device: string, codecFor: (link: RecordedLink) => PortCodec | undefined): PortScript[] {
  const links = recording.header.links.filter((l) => deviceOf(l.dut) === device);
  return links.map((link) => buildPortScript(recording, link, codecFor(link)));
}

function buildPortScript(recording: Recording, link: RecordedLink, codec: PortCodec | undefined): PortScript {
  const inputs: ScriptInput[] = [];
  // `seen`: when the rig had it; what the DUT had whole by then came before it (recording.ts).
  const outputs: ({ kind: 'bytes'; bytes: Uint8Array; t: number; seen: number } | { kind: 'baud'; baud: number; t: number; seen: number })[] = [];
  const charBits = bitsPerCharacter(link.framing);
  let peerBaud = link.baud.peer;
  let deframer = codec?.createDeframer();
  for (const entry of recording.entries) {
    if (entry.link !== link.id) continue;
    if ('event' in entry) {
      if (entry.event !== 'baud' || entry.baud === undefined) continue;
      if (entry.end === link.peer) peerBaud = entry.baud;
      if (entry.end === link.dut) outputs.push({ kind: 'baud', baud: entry.baud, t: entry.t, seen: entry.t });
      continue;
    }
    const bytes = Uint8Array.from(Buffer.from(entry.hex, 'hex'));
    if (entry.dir === 'from-dut') {
      outputs.push({ kind: 'bytes', bytes, t: entry.t, seen: entry.seen ?? entry.t });
      continue;
    }
    // To the DUT: an entry's bytes went back to back at the rig end's speed, so byte i was whole at t + (i + 1) characters.
    const characterMs = (charBits * 1000) / peerBaud;
    if (!deframer) {
      inputs.push({ bytes, t: entry.t + bytes.length * characterMs });
      continue;
    }
    // Byte by byte, to know the instant each frame was whole.
    for (let i = 0; i < bytes.length; i++) {
      let frames: Uint8Array[];
      try {
        frames = deframer.push(bytes.subarray(i, i + 1));
      } catch {
        // What the codec cannot split is dropped, here as at the replay's port (see player.ts).
        deframer = codec!.createDeframer();
        continue;
      }
      for (const frame of frames) inputs.push({ bytes: Uint8Array.from(frame), t: entry.t + (i + 1) * characterMs });
    }
  }
  // In the order the rig saw them (stable): an output waits for the inputs the DUT had whole before the rig
  // saw it, which it may have answered (a read stamped back over a stall can be earlier than the request).
  const ordered = outputs.map((o, i) => ({ o, i })).sort((x, y) => x.o.seen - y.o.seen || x.i - y.i);
  let after = 0;
  const withAfter = ordered.map(({ o: { seen, ...o } }) => {
    while (after < inputs.length && inputs[after]!.t <= seen + SAME_INSTANT_MS) after++;
    return { ...o, after } as ScriptOutput;
  });
  return {
    port: portOf(link.dut),
    link: link.id,
    dutEnd: link.dut,
    peerEnd: link.peer,
    ...(codec ? { codec } : {}),
    framing: link.framing,
    inputs,
    outputs: withAfter,
  };
}

export const deviceOf = (end: string) => end.slice(0, end.indexOf('.'));
export const portOf = (end: string) => end.slice(end.indexOf('.') + 1);
