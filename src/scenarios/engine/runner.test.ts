import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { beaconLoggerPlan } from '../../../test/fixtures/plans.ts';
import cutCable from '../../../test/scenarios/cut-cable.scenario.ts';
import { scenario } from './builder.ts';
import { runScenario } from './runner.ts';

const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);
/** A 4-byte test frame at 9600 baud 8N1: its last byte lands 40 bits = 4.1667 ms after it was sent. */
const FRAME_MS = (4 * 10 * 1000) / 9600;

const threeBeacons = () =>
  scenario('three-beacons')
    .title('Beacon frames reach the logger, then silence is noticed')
    .tags('backbone')
    .covers('backbone: pacing, stimuli, records')
    .emulated('beacon', 'logger')
    .start('2026-01-01T08:00:00Z')
    .stimulus('beacon', 'start', { periodMs: 1000 })
    .wait('3500ms')
    .stimulus('beacon', 'stop')
    .check('no silence while sending', (e) => e.absent({ device: 'logger', kind: 'event' }))
    .wait('10s');

describe('runScenario', () => {
  it('runs steps on the rig clock and checks records with exact times', async () => {
    const s = threeBeacons()
      .expect((e) =>
        e
          .records({ device: 'logger', kind: 'frame', count: 4, window: { from: 0, to: '3100ms' } })
          .records({ device: 'logger', kind: 'event', code: 'SILENCE', count: 1, window: { from: '8004ms', to: '8005ms' } })
          .absent({ device: 'logger' }),
      )
      .build();
    const { result } = await runScenario(s, beaconLoggerPlan());
    expect(result.outcome).toBe('pass');
    expect(result.reason).toBeUndefined();
    const frames = result.expectations.find((x) => x.check === 'end' && x.count === 4)!;
    // result records give times as ISO instants (ms): the frames' sub-ms arrival is in the trace, below
    expect(frames.seen.map((r) => [r.code, r.at])).toEqual([
      [0, '2026-01-01T08:00:00.004Z'],
      [1, '2026-01-01T08:00:01.004Z'],
      [2, '2026-01-01T08:00:02.004Z'],
      [3, '2026-01-01T08:00:03.004Z'],
    ]);
    const silence = result.expectations.find((x) => x.name.includes('SILENCE'))!;
    expect(silence.seen[0]!.at).toBe('2026-01-01T08:00:08.004Z');
    expect(silence.expected).toEqual({ records: { device: 'logger', kind: 'event', code: 'SILENCE', count: 1, window: { from: '8s4ms', to: '8s5ms' } } });
    expect(result.steps.map((st) => [st.description, st.outcome, st.start, st.end])).toEqual([
      ['beacon: start {"periodMs":1000}', 'pass', '2026-01-01T08:00:00.000Z', '2026-01-01T08:00:00.000Z'],
      ['wait 3s500ms', 'pass', '2026-01-01T08:00:00.000Z', '2026-01-01T08:00:03.500Z'],
      ['beacon: stop', 'pass', '2026-01-01T08:00:03.500Z', '2026-01-01T08:00:03.500Z'],
      ['check no silence while sending', 'pass', '2026-01-01T08:00:03.500Z', '2026-01-01T08:00:03.500Z'],
      ['wait 10s', 'pass', '2026-01-01T08:00:03.500Z', '2026-01-01T08:00:13.500Z'],
    ]);
    expect(result.end).toBe('2026-01-01T08:00:13.500Z');
    expect(result.measurements.find((m) => m.name === 'rig time')!.value).toBe(13_500);
    expect(result.measurements.find((m) => m.name === 'frames')!.value).toBe(8); // 4 beacons + 4 acknowledgements
    // Each beacon frame answered by an acknowledgement the instant it is in: one 8N1 character at 9600 baud
    // (1.0417 ms) from the frame's last byte to the acknowledgement's first, measured on the line.
    expect(result.portTiming).toEqual({
      clock: 'virtual',
      links: [{ link: 'beacon~logger', requester: 'beacon.out', answerer: 'logger.in', exchanges: 4, unanswered: 0, answerMs: { p50: 1.042, p99: 1.042, max: 1.042 }, window: { name: 'ack window', ms: 100, of: 'beacon' } }],
    });
  });

  it('measures the answer times on the line whether or not the trace is kept', async () => {
    const kept = await runScenario(threeBeacons().build(), beaconLoggerPlan());
    const counted = await runScenario(threeBeacons().build(), beaconLoggerPlan(), { keepTrace: false });
    expect(counted.trace).toEqual([]);
    expect(counted.result.portTiming).toEqual(kept.result.portTiming);
    expect(counted.result.portTiming!.links[0]!.exchanges).toBe(4);
  });

  it('records frames, transitions and stimuli in rig-time order in the trace', async () => {
    const { trace } = await runScenario(threeBeacons().build(), beaconLoggerPlan());
    const times = trace.map((e) => e.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const firstFrames = trace.filter((e) => e.kind === 'frame').slice(0, 2);
    expect(firstFrames).toEqual([
      expect.objectContaining({ t: T0, from: 'beacon.out', to: 'logger.in', hex: '7E 01 00 01', codec: 'test-frame', decoded: { payload: [0], checksumOk: true } }),
      expect.objectContaining({ from: 'logger.in', to: 'beacon.out', hex: '7E 02 06 00 08', decoded: { payload: [6, 0], checksumOk: true } }),
    ]);
    expect(firstFrames[1]!.t - T0).toBeCloseTo(FRAME_MS, 3);
    const kinds = trace.filter((e) => e.kind !== 'link').slice(0, 6).map((e) => e.kind);
    // XState emits the frame inside the transition and reports the new snapshot after it.
    expect(kinds).toEqual(['transition', 'transition', 'step', 'stimulus', 'frame', 'transition']);
    const start = trace.find((e) => e.kind === 'stimulus')!;
    expect(start).toMatchObject({ t: T0, device: 'beacon', name: 'start', args: { periodMs: 1000 } });
    expect(trace.find((e) => e.kind === 'transition' && e.device === 'beacon' && e.event === 'start')).toMatchObject({ from: 'idle', to: 'sending' });
    expect(trace.find((e) => e.kind === 'transition' && e.device === 'logger' && e.to === 'silent')!.t - T0).toBeCloseTo(8000 + FRAME_MS, 3);
  });

  it('fails with the values seen when an expectation is not met', async () => {
    const s = threeBeacons()
      .expect((e) => e.records({ device: 'logger', kind: 'frame', count: 3 }).absent({ device: 'logger', kind: 'event' }))
      .build();
    const { result } = await runScenario(s, beaconLoggerPlan());
    expect(result.outcome).toBe('fail');
    expect(result.expectations.filter((x) => x.outcome === 'fail').map((x) => x.message)).toEqual([
      'expected exactly 3 matching, saw 4',
      '1 unexpected: event SILENCE at 2026-01-01T08:00:08.004Z',
    ]);
  });

  it('corrupts the same frames for the same seed', async () => {
    const faults = { dropRate: 0, bitFlipRate: 0.02, latencyMs: 0 };
    const s = scenario('noisy').emulated('beacon', 'logger').start('2026-01-01T08:00:00Z').stimulus('beacon', 'start', { periodMs: 100 }).wait('10s').build();
    const codes = async (seed: number) => {
      const { trace } = await runScenario(s, beaconLoggerPlan({ faults, seed }));
      return trace.filter((e) => e.kind === 'link' && e.event === 'corrupted').map((e) => [e.t, e.kind === 'link' && e.received]);
    };
    const a = await codes(5);
    expect(a.length).toBeGreaterThan(10);
    expect(await codes(5)).toEqual(a);
    expect(await codes(6)).not.toEqual(a);
  });

  it('reports a step that throws as an error and stops there, tearing the rig down', async () => {
    const s = scenario('bad-stimulus').emulated('beacon', 'logger').start('2026-01-01T08:00:00Z').stimulus('beacon', 'explode').wait('1s').build();
    const { result } = await runScenario(s, beaconLoggerPlan());
    expect(result.outcome).toBe('error');
    expect(result.steps.map((st) => st.outcome)).toEqual(['error', 'not-run']);
    expect(result.reason).toBe("step 0 (beacon: explode) failed: device 'beacon' (test-beacon) has no stimulus 'explode'; it has: start, stop, garbage");
  });

  it('skips a scenario whose required devices the rig does not emulate', async () => {
    const s = scenario('needs-sensor').emulated('sensor').start('2026-01-01T08:00:00Z').build();
    const { result } = await runScenario(s, beaconLoggerPlan());
    expect(result.outcome).toBe('skipped');
    expect(result.reason).toBe("rig beacon-logger has no device 'sensor'");
  });

  it('builds only the devices a scenario names and what they are wired to, unless asked for the whole rig', async () => {
    const base = beaconLoggerPlan();
    const plan = { ...base, devices: [...base.devices, { ...base.devices[1]!, name: 'lonely' }] };
    const s = scenario('beacon-only').emulated('beacon').start('2026-01-01T08:00:00Z').wait('1s').build();
    const devicesIn = (trace: readonly { kind: string }[]) => [...new Set(trace.flatMap((e) => ('device' in e ? [String(e.device)] : [])))].sort();
    expect(devicesIn((await runScenario(s, plan)).trace)).toEqual(['beacon', 'logger']);
    expect(devicesIn((await runScenario(s, plan, { wholeRig: true })).trace)).toEqual(['beacon', 'logger', 'lonely']);
  });

  it("keeps a link's frames out of the trace when the link says trace: count, and still counts them", async () => {
    const base = beaconLoggerPlan();
    const plan = { ...base, links: base.links.map((l) => ({ ...l, trace: 'count' as const })) };
    const { result, trace } = await runScenario(threeBeacons().build(), plan);
    expect(trace.filter((e) => e.kind === 'frame')).toEqual([]);
    expect(result.measurements.find((m) => m.name === 'frames')!.value).toBe(8);
    expect(trace.filter((e) => e.kind === 'stimulus').length).toBe(2);
  });

  it('refuses to run time backwards, before the run', () => {
    expect(() => scenario('backwards').emulated('beacon').start('2026-01-01T08:00:00Z').wait('10s').until('5s').build()).toThrow(
      'steps[1].at: until +5s is in the past: the steps before it already reach +10s',
    );
  });

  it('cuts and restores a link by port', async () => {
    const s = cutCable; // test/scenarios/cut-cable.scenario.ts
    const { result, trace } = await runScenario(s, beaconLoggerPlan());
    expect(result.outcome).toBe('pass');
    const frames = result.expectations[0]!.seen.map((r) => r.at);
    expect(frames).toEqual(['2026-01-01T08:00:00.004Z', '2026-01-01T08:00:08.004Z', '2026-01-01T08:00:09.004Z', '2026-01-01T08:00:10.004Z']);
    expect(trace.filter((e) => e.kind === 'link' && (e.event === 'disconnected' || e.event === 'connected')).map((e) => [e.kind === 'link' && e.event, e.t - T0])).toEqual([
      ['connected', 0],
      ['disconnected', 500],
      ['connected', 7500],
      ['disconnected', 10_500], // the rig closes its links at the end
    ]);
  });
});

describe('a wall-clock limit (rig run --timeout)', () => {
  const threeHours = () =>
    scenario('three-hours')
      .title('Three hours of beacon frames, one a minute')
      .emulated('beacon', 'logger')
      .start('2026-01-01T08:00:00Z')
      .stimulus('beacon', 'start', { periodMs: 60_000 })
      .wait('3h')
      .expect((e) => e.records({ device: 'logger', kind: 'frame', count: 180 }))
      .build();

  it('stops a run that outlasts it, as an error saying where it got to; without it the same run passes', async () => {
    const limited = (await runScenario(threeHours(), beaconLoggerPlan(), { timeoutMs: 1 })).result;
    expect(limited.outcome).toBe('error');
    expect(limited.reason).toMatch(/^step \d \(.*\) failed: stopped by the wall-clock limit of 1ms \(--timeout\) at rig time 2026-01-01T\d\d:\d\d:\d\d\.\d{3}Z \(\+.*\)$/);
    expect(Date.parse(limited.end)).toBeLessThan(T0 + 3 * 3_600_000);
    expect(limited.expectations).toEqual([]); // the end's checks did not run on a half-run rig
    const unlimited = (await runScenario(threeHours(), beaconLoggerPlan())).result;
    expect(unlimited.outcome).toBe('pass');
  }, 120_000);
});

describe('what the checks read, attached (<id>.records.json)', () => {
  it('keeps the records of every check per device, and reads the devices the end check did not at the end of the run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rig-records-'));
    const s = threeBeacons()
      .expect((e) => e.records({ device: 'logger', kind: 'event', code: 'SILENCE', count: 1 }))
      .build();
    const { result } = await runScenario(s, beaconLoggerPlan(), { reportDir: dir });
    expect(result.outcome).toBe('pass');
    expect(result.attachments.map((a) => [a.name, a.path])).toEqual([
      ['trace', 'three-beacons.trace.jsonl'],
      ['records', 'three-beacons.records.json'],
    ]);
    const frame = (n: number) => ({ kind: 'frame', code: n, at: T0 + n * 1000 + FRAME_MS });
    const attached = JSON.parse(await readFile(join(dir, 'three-beacons.records.json'), 'utf8'));
    expect(attached).toEqual({
      scenario: 'three-beacons',
      reads: [
        { check: 'no silence while sending', at: '2026-01-01T08:00:03.500Z', devices: { logger: [frame(0), frame(1), frame(2), frame(3)] } },
        { check: 'end', at: '2026-01-01T08:00:13.500Z', devices: { logger: [frame(0), frame(1), frame(2), frame(3), { kind: 'event', code: 'SILENCE', at: T0 + 3000 + FRAME_MS + 5000 }] } },
        // the beacon has no record source and the logger was read by the end check: nothing more to read
        { check: 'end of run', at: '2026-01-01T08:00:13.500Z', devices: {} },
      ],
    });
    expect((await readdir(dir)).sort()).toEqual(['three-beacons.records.json', 'three-beacons.trace.jsonl']);
  });

  it('reads at the end of the run a device no end check read, after the run ended', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rig-records-'));
    const { result } = await runScenario(threeBeacons().build(), beaconLoggerPlan(), { reportDir: dir });
    const attached = JSON.parse(await readFile(join(dir, 'three-beacons.records.json'), 'utf8'));
    expect(attached.reads.map((r: { check: string; at: string; devices: Record<string, unknown[]> }) => [r.check, r.at, Object.fromEntries(Object.entries(r.devices).map(([d, list]) => [d, list.length]))])).toEqual([
      ['no silence while sending', '2026-01-01T08:00:03.500Z', { logger: 4 }],
      ['end of run', '2026-01-01T08:00:13.500Z', { logger: 5 }],
    ]);
    expect(result.end).toBe('2026-01-01T08:00:13.500Z');
  });

  it('writes nothing without a report directory', async () => {
    const { result } = await runScenario(threeBeacons().build(), beaconLoggerPlan());
    expect(result.attachments).toEqual([]);
  });
});
