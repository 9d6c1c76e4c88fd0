import { describe, expect, it } from 'vitest';
import { aliasScenario, rebaseInstants, scenarioSpanMs, splitPriorRecords } from './bench-adapt.ts';
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

describe('scenarioSpanMs', () => {
  it('walks waits and untils as the runner does', () => {
    // 10 min, then until +1 h, then 5 min more
    expect(scenarioSpanMs(written)).toBe(3_900_000);
  });
});

describe('splitPriorRecords', () => {
  it('sets aside what is stamped before the minute the run started, keeps the rest and the unstamped', () => {
    const start = Date.UTC(2026, 11, 5, 6, 10, 42);
    const records = [
      { kind: 'event', code: 4, at: Date.UTC(2026, 11, 5, 6, 9, 59) },
      { kind: 'activity', code: 0, at: Date.UTC(2026, 11, 5, 6, 10, 0) },
      { kind: 'event', code: 4, at: start + 10_000 },
      { kind: 'identification' },
    ];
    expect(splitPriorRecords(records, start)).toEqual({ current: records.slice(1), prior: 1 });
  });
});
