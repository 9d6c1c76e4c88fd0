import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseRecording, type Recording } from '../../harness/record/index.ts';
import { deviceOf, portOf } from './script.ts';

/** The ports a replay device has: a VU's (the project's device under test) and `host`, a bench instrument's. */
export const REPLAY_PORTS = ['pulses', 'sensor', 'gnss', 'download', 'host'] as const;

/** Default of `lateMs`: see the option. */
export const DEFAULT_LATE_MS = 5000;

const cache = new Map<string, { mtimeMs: number; size: number; recording: Recording }>();

/** Reads and checks a recording file (relative to the working directory), once per version of the file. */
export function loadRecording(path: string): Recording {
  const file = resolve(path);
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    throw new Error(`cannot read the recording ${path}: ${(error as Error).message}`);
  }
  const known = cache.get(file);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.recording;
  const recording = parseRecording(readFileSync(file, 'utf8'), path);
  cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, recording });
  return recording;
}

const optionsInput = z.strictObject({
  recording: z
    .string()
    .min(1)
    .describe('The recording to play (`rig run --record DIR` writes DIR/<scenario>.recording.jsonl), relative to the working directory.'),
  device: z.string().min(1).describe("The device under test in the recording whose side this device plays (its name there, e.g. 'vu')."),
  lateMs: z
    .number()
    .positive()
    .default(DEFAULT_LATE_MS)
    .describe('How late, in ms of rig time, a frame the recording has the rig send may come (past the instant its recorded timing puts it at) before the replay calls it missing. Default 5000.'),
});

/**
 * A replay device's options, as a rig file gives them; the recording is read and checked when the rig file
 * is (a missing file, a device that is not its DUT, a port this kind lacks are the rig file's errors). The
 * output keeps what the run needs of the header: the recorded device's kind and options (for the names its
 * stimuli take), and the start, seed and scenario the run must have.
 */
export const replayOptionsSchema = optionsInput.transform((o, ctx) => {
  let recording: Recording;
  try {
    recording = loadRecording(o.recording);
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['recording'], message: (error as Error).message });
    return z.NEVER;
  }
  const { header } = recording;
  if (!header.dut.includes(o.device)) {
    ctx.addIssue({ code: 'custom', path: ['device'], message: `'${o.device}' is not a device under test in ${o.recording}: it recorded ${header.dut.join(', ')}` });
    return z.NEVER;
  }
  const ports = header.links.filter((l) => deviceOf(l.dut) === o.device).map((l) => portOf(l.dut));
  const unknown = ports.filter((p) => !(REPLAY_PORTS as readonly string[]).includes(p));
  if (unknown.length) {
    ctx.addIssue({ code: 'custom', path: ['device'], message: `${o.device} had port(s) ${unknown.join(', ')} in ${o.recording}, which a replay device does not have (it has ${REPLAY_PORTS.join(', ')})` });
    return z.NEVER;
  }
  const recorded = header.devices.find((d) => d.name === o.device);
  return {
    ...o,
    recorded: { kind: recorded?.kind ?? 'unknown', options: recorded?.options ?? {}, ports },
    run: { scenario: header.scenario, start: header.start, seed: header.seed },
  };
});

export type ReplayOptions = z.output<typeof replayOptionsSchema>;
