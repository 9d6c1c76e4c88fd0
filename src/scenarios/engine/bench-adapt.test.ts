import { describe, expect, it } from 'vitest';
import { absoluteInstantInFields, aliasScenario, checkWhileMoving, rebaseInstants, scenarioSpanMs, splitPriorRecords, widenWindows } from './bench-adapt.ts';
import { formatDuration } from './duration.ts';
import { scenarioSchema, type Scenario } from './schema.ts';

const written: Scenario = scenarioSchema.parse({
  id: 'egf-story',
  title: 'a scenario written for loopback.yaml',
  requires: { emulated: ['vu-egf', 'sensor-egf', 'egf'] },
  start: '2026-03-02T06:00:00Z',
  steps: [
    { do: 'stimulus', device: 'vu-egf', name: 'insertCard', args: { slot: 'driver', card: 'anna' } },
    { do: 'link', port: 'vu-egf.gnss', action: 'disconnect' },
    { do: 'wait', for: '10m' },
    { do: 'until', at: '2026-03-02T07:00:00Z' },
    { do: 'check', expect: [{ records: { device: 'vu-egf', kind: 'event', code: 0x0e, window: { from: '2026-03-02T06:20:00Z' } } }] },
    { do: 'wait', for: '5m' },
  ],
  expect: [
    { records: { device: 'vu-egf', kind: 'event', code: 0x0e, ended: { from: '20m', to: '2026-03-02T07:05:00Z' } } },
    { absent: { device: 'sensor-egf', kind: 'event' } },
  ],
});

describe('aliasScenario', () => {
  it("renames the devices a scenario names to the rig's, everywhere it names them", () => {
    const s = aliasScenario(written, { 'vu-egf': 'vu', 'sensor-egf': 'sensor' });
    expect(s.requires.emulated).toEqual(['vu', 'sensor', 'egf']);
    expect(s.steps[0]).toMatchObject({ do: 'stimulus', device: 'vu' });
    expect(s.steps[1]).toMatchObject({ do: 'link', port: 'vu.gnss' });
    expect(s.steps[4]).toMatchObject({ expect: [{ records: { device: 'vu' } }] });
    expect(s.expect.map((e) => ('records' in e ? e.records.device : e.absent.device))).toEqual(['vu', 'sensor']);
  });

  it('leaves a scenario alone without aliases, and names no alias maps untouched', () => {
    expect(aliasScenario(written, {})).toBe(written);
    expect(aliasScenario(written, { other: 'vu' }).steps[0]).toMatchObject({ device: 'vu-egf' });
  });
});

describe('rebaseInstants', () => {
  it('turns every ISO instant into its offset from the start, and keeps the bounds the author left out out', () => {
    const s = rebaseInstants(written);
    expect(s.steps[3]).toEqual({ do: 'until', at: 3_600_000 });
    expect(s.steps[4]).toMatchObject({ expect: [{ records: { window: { from: 1_200_000 } } }] });
    const check = s.steps[4] as Extract<Scenario['steps'][number], { do: 'check' }>;
    expect('to' in (check.expect[0] as { records: { window: object } }).records.window).toBe(false);
    expect(s.expect[0]).toEqual({ records: { device: 'vu-egf', kind: 'event', code: 0x0e, ended: { from: 1_200_000, to: 3_900_000 } } });
    expect('window' in (s.expect[0] as { records: object }).records).toBe(false);
    expect(s.expect[1]).toEqual(written.expect[1]);
  });
});

describe('widenWindows', () => {
  it('moves the end of every window and ended span later and its start earlier (a real clock of its own), and nothing else', () => {
    const s = widenWindows(rebaseInstants(written), 2000);
    expect(s.expect[0]).toEqual({ records: { device: 'vu-egf', kind: 'event', code: 0x0e, ended: { from: 1_198_000, to: 3_902_000 } } });
    // a window without an end stays open-ended
    expect(s.steps[4]).toMatchObject({ expect: [{ records: { window: { from: 1_198_000 } } }] });
    expect((s.steps[4] as unknown as { expect: [{ records: { window: object } }] }).expect[0].records.window).toEqual({ from: 1_198_000 });
    // a window from the start opens before it: the sensor paired at +0.4 s, stamped by a DUT clock 1 s behind
    // the rig's, is this run's (splitPriorRecords keeps it too)
    const atStart = scenarioSchema.parse({ ...written, steps: [], expect: [{ records: { device: 'vu-egf', kind: 'event', window: { from: 0, to: '2s' } } }] });
    expect(widenWindows(atStart, 2000).expect[0]).toEqual({ records: { device: 'vu-egf', kind: 'event', window: { from: -2000, to: 4000 } } });
    expect(s.steps.slice(0, 4)).toEqual(rebaseInstants(written).steps.slice(0, 4));
    expect(widenWindows(written, 0)).toBe(written);
  });
});

describe('scenarioSpanMs', () => {
  it('walks waits and untils as the runner does', () => {
    // 10 min, then until +1 h, then 5 min more
    expect(scenarioSpanMs(written)).toBe(3_900_000);
  });
});

describe('splitPriorRecords', () => {
  it('sets aside what is stamped before the run started, keeps the activity under way, the rest and the unstamped', () => {
    const start = Date.UTC(2026, 11, 5, 6, 10, 42);
    const records = [
      { kind: 'event', code: 4, at: Date.UTC(2026, 11, 5, 6, 9, 59) },
      { kind: 'event', code: 2, at: start - 1000 },
      { kind: 'activity', code: 0, at: Date.UTC(2026, 11, 5, 6, 9, 0) },
      { kind: 'activity', code: 3, at: Date.UTC(2026, 11, 5, 6, 10, 0) },
      { kind: 'event', code: 4, at: start },
      { kind: 'identification' },
    ];
    expect(splitPriorRecords(records, start)).toEqual({ current: records.slice(3), prior: 3 });
  });

  it("keeps what a clock running up to the slack behind the rig's stamped before the start", () => {
    const start = Date.UTC(2026, 11, 5, 9, 55, 27);
    // the sensor paired at +0.4 s by the rig's clock, stamped 1.4 s earlier by a VU clock 1.4 s behind
    const paired = { kind: 'sensorPaired', code: 2001, at: start - 1000 };
    const older = { kind: 'event', code: 4, at: start - 2001 };
    expect(splitPriorRecords([older, paired], start, 2000)).toEqual({ current: [paired], prior: 1 });
    expect(splitPriorRecords([older, paired], start)).toEqual({ current: [], prior: 2 });
  });
});

describe('checkWhileMoving', () => {
  const story = (steps: unknown[]) => scenarioSchema.parse({ id: 's', title: 't', start: '2026-03-02T06:00:00Z', steps });
  const check = { do: 'check', expect: [{ absent: { device: 'vu', kind: 'event' } }] };
  it('names the check that would read an external VU while the vehicle moves', () => {
    const s = story([{ do: 'world', name: 'speed', args: { kmh: 80 } }, { do: 'wait', for: '1m' }, check]);
    expect(checkWhileMoving(s, new Set(['vu']))).toBe(
      'step 2 checks vu while the vehicle moves: on a bench the rig reads a real VU by inserting a card, and a card inserted while driving is an event of its own (Annex IC 3.9, 0x05)',
    );
  });
  it('lets a check at a standstill, at speed 0, or of an emulated VU through', () => {
    expect(checkWhileMoving(story([{ do: 'world', name: 'speed', args: { kmh: 80 } }, { do: 'world', name: 'stop' }, check]), new Set(['vu']))).toBeUndefined();
    expect(checkWhileMoving(story([{ do: 'world', name: 'speed', args: { kmh: 0 } }, check]), new Set(['vu']))).toBeUndefined();
    expect(checkWhileMoving(story([{ do: 'world', name: 'speed', args: { kmh: 80 } }, check]), new Set(['vu2']))).toBeUndefined();
  });
});

describe('absoluteInstantInFields', () => {
  const story = (fields: Record<string, unknown>, where: 'check' | 'end' = 'end') => {
    const expectation = { records: { device: 'vu', kind: 'overSpeedingControl', fields } };
    return scenarioSchema.parse({
      id: 's',
      title: 't',
      start: '2026-03-02T08:00:00Z',
      steps: [{ do: 'wait', for: '1m' }, ...(where === 'check' ? [{ do: 'check', expect: [expectation] }] : [])],
      expect: where === 'end' ? [expectation] : [],
    });
  };
  it('names a field holding an instant of the story, in seconds (TimeReal) or ms, at any depth', () => {
    expect(absoluteInstantInFields(story({ lastControl: 0, firstOverSpeedSince: 1772438460 }))).toBe(
      "the scenario expects vu overSpeedingControl fields.firstOverSpeedSince = 1772438460, the instant 2026-03-02T08:01:00.000Z (+60 s from the scenario's start): a wall-clock run starts now, and a real device's records carry the instants of this run",
    );
    expect(absoluteInstantInFields(story({ gnssPlace: { timeStamp: 1772431280000, latitude: 50510 } }, 'check'))).toBe(
      "step 1 expects vu overSpeedingControl fields.gnssPlace.timeStamp = 1772431280000, the instant 2026-03-02T06:01:20.000Z (-7120 s from the scenario's start): a wall-clock run starts now, and a real device's records carry the instants of this run",
    );
    expect(absoluteInstantInFields(story({ seals: [{ at: 1772438400 }] }))).toMatch(/^the scenario expects vu overSpeedingControl fields\.seals\[0\]\.at = 1772438400,/);
  });
  it('lets through what is no instant: odometers, speeds, counters, serial numbers, codes, text', () => {
    expect(absoluteInstantInFields(story({ odometerKm: 9_999_999, maxSpeed: 255, counter: 0xffffffff, sensorSerialNumber: { serialNumber: 777 }, cardNumber: 'B000000012345601', ongoing: false }))).toBeUndefined();
    // an instant ten years and more from the start is no longer taken for one of the story
    expect(absoluteInstantInFields(story({ expiry: Date.parse('2037-01-01T00:00:00Z') / 1000 }))).toBeUndefined();
    expect(absoluteInstantInFields(story({ expiry: Date.parse('2035-12-31T00:00:00Z') / 1000 }))).toMatch(/fields\.expiry/);
  });
});

describe('a window widened before the start, as a report shows it', () => {
  it('reads as a negative offset', () => {
    expect(formatDuration(-2000)).toBe('-2s');
    expect(formatDuration(-61_500)).toBe('-1m1s500ms');
  });
});
