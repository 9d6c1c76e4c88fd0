import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../engine/result.ts';
import { classnameOf, renderJUnit } from './junit.ts';

const base: ScenarioResult = {
  id: 'over-speeding',
  title: '61 s above the authorised speed raise one 0x07',
  file: 'src/scenarios/vu/over-speeding.scenario.yaml',
  tags: ['vu'],
  covers: ['Annex IC 3.9'],
  rig: 'loopback',
  seed: 1,
  outcome: 'fail',
  reason: 'vu event code 0x07: expected exactly 2 matching, saw 0',
  start: '2026-03-02T08:00:00.000Z',
  startFrom: 'scenario',
  end: '2026-03-02T08:14:00.000Z',
  wallMs: 1500,
  steps: [],
  measurements: [],
  errors: [],
  attachments: [],
  expectations: [
    {
      name: 'vu event code 0x07',
      outcome: 'fail',
      expected: { records: { device: 'vu', kind: 'event', code: 7, count: 2, fields: { maxSpeed: 101 } } },
      count: 0,
      seen: [],
      nearMisses: [
        { record: { kind: 'event', code: 7, at: '2026-03-02T08:07:01.000Z', fields: { maxSpeed: 100 } }, met: 1, of: 2, differences: [{ constraint: 'maxSpeed', expected: 101, actual: 100 }] },
      ],
      message: 'expected exactly 2 matching, saw 0; closest: event 0x07 at 2026-03-02T08:07:01.000Z (maxSpeed: expected 101, was 100)',
      check: 'end',
      at: '2026-03-02T08:14:00.000Z',
    },
  ],
};

describe('JUnit', () => {
  it('names a testcase by the scenario id, classed by its folder: no dots a CI server would read as packages', () => {
    const xml = renderJUnit([base]);
    expect(xml).toContain('<testcase classname="vu" name="over-speeding" time="1.500">');
    expect(xml).toContain('<property name="title" value="61 s above the authorised speed raise one 0x07"/>');
    expect(xml).toContain('<property name="file" value="src/scenarios/vu/over-speeding.scenario.yaml"/>');
  });

  it('classes a scenario from no file by the rig, and a file in the working directory by the rig too', () => {
    expect(classnameOf({ file: undefined, rig: 'bench.v2' })).toBe('bench_v2');
    expect(classnameOf({ file: 'x.scenario.yaml', rig: 'loopback' })).toBe('loopback');
    expect(classnameOf({ file: 'src/scenarios/motion-sensor/a.scenario.ts', rig: 'loopback' })).toBe('motion-sensor');
  });

  it('puts the near misses in the failure text', () => {
    const xml = renderJUnit([base]);
    expect(xml).toContain(
      '  near miss (1 of 2 constraints met): event 0x07 at 2026-03-02T08:07:01.000Z (maxSpeed: expected 101, was 100)\n    {&quot;kind&quot;:&quot;event&quot;,&quot;code&quot;:7,&quot;at&quot;:&quot;2026-03-02T08:07:01.000Z&quot;,&quot;fields&quot;:{&quot;maxSpeed&quot;:100}}</failure>',
    );
  });

  it('gives each link direction\'s answer times as properties, with the window they are held to', () => {
    const download = { link: 'download', requester: 'ide.vu', answerer: 'vu.download', exchanges: 29, unanswered: 1, answerMs: { p50: 20.095, p99: 21.146, max: 21.146 }, window: { name: 'P2 max', ms: 1000, of: 'ide' } };
    const silent = { link: 'sensor', requester: 'vu.sensor', answerer: 'sensor.vu', exchanges: 0, unanswered: 3, answerMs: null };
    const xml = renderJUnit([{ ...base, portTiming: { clock: 'wall', links: [download, silent] } }]);
    const props = xml.split('\n').filter((l) => l.includes('portTiming.'));
    expect(props.map((l) => l.trim())).toEqual([
      '<property name="portTiming.download.ide.vu.answerer" value="vu.download"/>',
      '<property name="portTiming.download.ide.vu.exchanges" value="29"/>',
      '<property name="portTiming.download.ide.vu.unanswered" value="1"/>',
      '<property name="portTiming.download.ide.vu.answer.p50" value="20.095 ms"/>',
      '<property name="portTiming.download.ide.vu.answer.p99" value="21.146 ms"/>',
      '<property name="portTiming.download.ide.vu.answer.max" value="21.146 ms"/>',
      '<property name="portTiming.download.ide.vu.window" value="P2 max (ide) 1000 ms"/>',
      '<property name="portTiming.sensor.vu.sensor.answerer" value="sensor.vu"/>',
      '<property name="portTiming.sensor.vu.sensor.exchanges" value="0"/>',
      '<property name="portTiming.sensor.vu.sensor.unanswered" value="3"/>',
    ]);
  });
});
