import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecording } from '../src/harness/record/index.ts';
import { loadScenarioFile } from '../src/scenarios/engine/loader.ts';
import { runScenario } from '../src/scenarios/engine/runner.ts';
import { loadSuite } from '../src/scenarios/engine/suite.ts';

/**
 * Record and replay (issue 13 item 6; README "Record and replay"): the shipped recording of a stand-in run
 * replays in CI on rigs/replay-vu.yaml and the scenario passes; the same recording with one answer byte of the
 * DUT altered does not, and the divergence is named; and recording changes nothing in the run it records.
 */
const RECORDING = 'test/fixtures/recordings/driving-without-card.recording.jsonl';
const SCENARIO = 'src/scenarios/vu/driving-without-card.scenario.yaml';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rig-replay-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scenario(file = SCENARIO) {
  const [loaded] = await loadScenarioFile(file);
  return loaded!.scenario;
}

/** rigs/replay-vu.yaml playing another recording. */
async function replayRig(recording: string): Promise<string> {
  const file = join(dir, `replay-${Math.random().toString(36).slice(2)}.yaml`);
  const text = (await readFile('rigs/replay-vu.yaml', 'utf8')).replaceAll(RECORDING, recording);
  expect(text).toContain(recording);
  await writeFile(file, text);
  return file;
}

describe('the shipped recording', () => {
  it('replays on rigs/replay-vu.yaml, from the recorded start, and the scenario passes', async () => {
    const recording = parseRecording(await readFile(RECORDING, 'utf8'), RECORDING);
    const suite = await loadSuite({ rigFile: 'rigs/replay-vu.yaml', paths: [SCENARIO] });
    expect(suite.issues).toEqual([]);
    const { result, trace } = await runScenario(suite.scenarios[0]!.scenario, suite.plan);
    expect(result.outcome, `${result.reason}\n${JSON.stringify(result.errors)}`).toBe('pass');
    expect(result.startFrom).toBe('recording');
    expect(Date.parse(result.start)).toBe(Math.floor(recording.header.start));
    expect(result.seed).toBe(recording.header.seed);
    // The replay answered the download that read the records: every frame the VU sent is the recording's.
    const sent = trace.filter((e) => e.kind === 'frame' && e.from === 'vu.download').map((e) => (e as { hex: string }).hex.replace(/ /g, '').toLowerCase());
    const recorded = recording.entries.filter((e) => 'dir' in e && e.dir === 'from-dut' && e.link === 'ide.vu~vu.download').map((e) => (e as { hex: string }).hex);
    expect(sent.length).toBe(20);
    expect(sent.join('')).toBe(recorded.join(''));
  });

  it('with one answer byte of the DUT altered, errs naming the divergence', async () => {
    const text = await readFile(RECORDING, 'utf8');
    const lines = text.split('\n');
    // The VU's answer to the overview request (TRTP 21): its 20th byte, inside the TREP 21 data.
    const i = lines.findIndex((l) => l.includes('"dir":"from-dut"') && l.includes('"link":"ide.vu~vu.download"') && l.includes('"hex":"80f0ee') && l.length > 400);
    expect(i).toBeGreaterThan(0);
    const entry = JSON.parse(lines[i]!) as { hex: string };
    const flipped = (parseInt(entry.hex.slice(40, 42), 16) ^ 0x01).toString(16).padStart(2, '0');
    lines[i] = JSON.stringify({ ...entry, hex: entry.hex.slice(0, 40) + flipped + entry.hex.slice(42) });
    const altered = join(dir, 'altered.recording.jsonl');
    await writeFile(altered, lines.join('\n'));
    const suite = await loadSuite({ rigFile: await replayRig(altered), paths: [SCENARIO] });
    const { result } = await runScenario(suite.scenarios[0]!.scenario, suite.plan);
    expect(result.outcome).toBe('error');
    // The IDE finds the altered answer's checksum wrong and asks again; the recording has it go on.
    const divergence = result.errors.find((e) => e.source === 'vu');
    expect(divergence?.message).toMatch(new RegExp(`^${altered.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the replay of vu diverged on vu\\.download \\(link ide\\.vu~vu\\.download\\) at \\+\\d+\\.\\d{3} s: frame \\d+ of \\d+ to the DUT \\(recorded at \\+\\d+\\.\\d{3} s\\) differs at byte \\d+: the recording has .+, the rig sent .+$`));
  });

  it("replays the other hil-quick scenario's stand-in run too, its cards moved by the bench's card switch", async () => {
    const recording = 'test/fixtures/recordings/card-conflict.recording.jsonl';
    const suite = await loadSuite({ rigFile: await replayRig(recording), paths: ['src/scenarios/vu/card-conflict.scenario.yaml'] });
    expect(suite.issues).toEqual([]);
    const { result, trace } = await runScenario(suite.scenarios[0]!.scenario, suite.plan);
    expect(result.outcome, `${result.reason}\n${JSON.stringify(result.errors)}`).toBe('pass');
    // each card move went through the actuator to the replayed relay board, as on the bench
    const moves = trace.filter((e) => e.kind === 'stimulus' && 'via' in e && e.via === 'relay').map((e) => [(e as { name: string }).name, JSON.stringify((e as { args: unknown }).args)]);
    expect(moves).toEqual([
      // before step 0, as on the bench: every card relay opened (the supply on, by the replayed lab supply)
      ['bench.reset', undefined],
      ['insertCard', '{"slot":"driver","card":"anna"}'],
      ['insertCard', '{"slot":"co-driver","card":"wendy"}'],
      ['withdrawCard', '{"slot":"co-driver"}'],
      ['insertCard', '{"slot":"co-driver","card":"carla"}'],
      ['withdrawCard', '{"slot":"co-driver"}'],
      ['withdrawCard', '{"slot":"driver"}'],
      // the records' download: refused in operational mode, so the company card goes in for it, and out
      ['insertCard', '{"slot":"co-driver","card":"acme"}'],
      ['withdrawCard', '{"slot":"co-driver"}'],
    ]);
  });

  it('refuses replay devices playing different runs', async () => {
    const file = join(dir, 'mixed.yaml');
    await writeFile(file, (await readFile('rigs/replay-vu.yaml', 'utf8')).replace(RECORDING, 'test/fixtures/recordings/card-conflict.recording.jsonl'));
    const suite = await loadSuite({ rigFile: file, paths: ['src/scenarios/vu/card-conflict.scenario.yaml'] });
    const { result } = await runScenario(suite.scenarios[0]!.scenario, suite.plan);
    expect(result.outcome).toBe('skipped');
    expect(result.reason).toBe(`device replays test/fixtures/recordings/card-conflict.recording.jsonl and device replays ${RECORDING}: they fix different runs (start, seed or scenario), and a run has one`);
  });

  it('plays its own scenario only: another is skipped, saying why', async () => {
    const suite = await loadSuite({ rigFile: 'rigs/replay-vu.yaml', paths: ['src/scenarios/vu/card-conflict.scenario.yaml'] });
    const { result } = await runScenario(suite.scenarios[0]!.scenario, suite.plan);
    expect(result.outcome).toBe('skipped');
    expect(result.reason).toBe(`device replays ${RECORDING}: it plays scenario 'driving-without-card' only`);
  });
});

describe('recording a run', () => {
  it('changes nothing in it: the same trace (frames, transitions, link events at the same instants), the same verdict', async () => {
    const suite = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: [SCENARIO] });
    const s = await scenario();
    const all = (trace: readonly unknown[]) => trace.map((e) => JSON.stringify(e));
    const plain = await runScenario(s, suite.plan);
    const recorded = await runScenario(s, suite.plan, { record: { dir, dut: ['vu'] } });
    expect(recorded.result.outcome).toBe(plain.result.outcome);
    expect(recorded.trace.filter((e) => e.kind === 'transition').length).toBeGreaterThan(30);
    expect(all(recorded.trace)).toEqual(all(plain.trace));
    expect(recorded.result.attachments).toContainEqual(expect.objectContaining({ name: 'recording', path: join(dir, 'driving-without-card.recording.jsonl') }));
    const file = parseRecording(await readFile(join(dir, 'driving-without-card.recording.jsonl'), 'utf8'), 'r');
    expect(file.header).toMatchObject({ rig: 'loopback', scenario: 'driving-without-card', dut: ['vu'], start: Date.parse('2026-03-02T08:00:00Z') });
    expect(file.header.links.map((l) => l.id)).toEqual(['ide.vu~vu.download', 'sensor.pulses~vu.pulses', 'sensor.vu~vu.sensor']);
  });

  it('without a device under test (an emulated rig, no --record-dut) is an error before anything runs', async () => {
    const suite = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: [SCENARIO] });
    const { result } = await runScenario(await scenario(), suite.plan, { record: { dir } });
    expect(result.outcome).toBe('error');
    expect(result.reason).toBe('the rig did not start: nothing to record: rig loopback has no external device; name the device under test (rig run --record-dut)');
  });
});
