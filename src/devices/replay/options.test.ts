import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { recordingLine } from '../../harness/record/index.ts';
import { parseRig, RigFileError } from '../../harness/rig/rig-loader.ts';
import { replayKind } from './index.ts';
import { recording } from './test-support.ts';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rig-replay-options-'));
  file = join(dir, 'r.recording.jsonl');
  const r = recording([], [
    { id: 'ide.vu~vu.download', dut: 'vu.download', peer: 'ide.vu' },
    { id: 'ide.vu~vu.serial', dut: 'vu.serial', peer: 'x.y' },
  ]);
  r.header.devices = [{ name: 'vu', kind: 'vu', mode: 'external', options: { cards: { anna: {} } } }];
  r.header.scenario = 'driving-without-card';
  r.header.seed = 42;
  r.header.start = Date.UTC(2026, 11, 5, 6);
  await writeFile(file, recordingLine(r.header) + recordingLine({ t: 10, end: true }));
  const good = recording([], [{ id: 'ide.vu~vu.download', dut: 'vu.download', peer: 'ide.vu' }]);
  good.header.devices = r.header.devices;
  good.header.scenario = 'driving-without-card';
  good.header.seed = 42;
  good.header.start = Date.UTC(2026, 11, 5, 6);
  await writeFile(join(dir, 'good.recording.jsonl'), recordingLine(good.header));
  await writeFile(join(dir, 'broken.recording.jsonl'), '{"format":"pcap"}\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const registry = new DeviceRegistry([replayKind]);
const rig = (options: string) => `clock: virtual\ndevices:\n  vu: { kind: replay, options: ${options} }\nlinks: []\n`;
const issues = (text: string) => {
  try {
    parseRig(text, 'replay.yaml', registry);
  } catch (error) {
    if (error instanceof RigFileError) return error.issues.map((i) => `${i.line}:${i.column}: ${i.message}`);
    throw error;
  }
  return [];
};

describe("a replay device's options", () => {
  it('read the recording with the rig file: the run it fixes and the recorded device', () => {
    const good = join(dir, 'good.recording.jsonl');
    const plan = parseRig(rig(`{ recording: ${good}, device: vu }`), 'replay.yaml', registry);
    const options = plan.devices.find((d) => d.name === 'vu')!.options as Parameters<NonNullable<typeof replayKind.fixesRun>>[0];
    expect(options).toMatchObject({ recording: good, device: 'vu', lateMs: 5000, recorded: { kind: 'vu', options: { cards: { anna: {} } }, ports: ['download'] } });
    expect(replayKind.fixesRun!(options)).toEqual({ scenario: 'driving-without-card', start: Date.UTC(2026, 11, 5, 6), seed: 42, why: `device replays ${good}` });
  });

  it('refuse a recording that cannot be read, naming where in the rig file and why', () => {
    expect(issues(rig(`{ recording: ${join(dir, 'none.jsonl')}, device: vu }`))).toEqual([expect.stringMatching(new RegExp(`^3:\\d+: cannot read the recording ${join(dir, 'none.jsonl')}: ENOENT`))]);
    expect(issues(rig(`{ recording: ${join(dir, 'broken.recording.jsonl')}, device: vu }`))).toEqual([
      expect.stringMatching(/^3:\d+: .*broken\.recording\.jsonl:1: not a tacho-rig-recording version 1 header: format: /),
    ]);
  });

  it('refuse a device the recording did not have under test, and one with a port a replay lacks', () => {
    expect(issues(rig(`{ recording: ${file}, device: ide }`))).toEqual([expect.stringMatching(new RegExp(`^3:\\d+: 'ide' is not a device under test in ${file}: it recorded vu$`))]);
    expect(issues(rig(`{ recording: ${file}, device: vu }`))).toEqual([expect.stringMatching(/^3:\d+: vu had port\(s\) serial in .*, which a replay device does not have \(it has pulses, sensor, gnss, download, host\)$/)]);
  });
});
