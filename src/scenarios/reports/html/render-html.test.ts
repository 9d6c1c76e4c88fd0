import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../engine/result.ts';
import type { ReportInput, StoryEntry } from './input.ts';
import { renderHtmlReport } from './render-html.ts';
import { commandedSpeed, recordedSpeed } from './charts.ts';
import { linkCuts, placeExpectation } from './timeline.ts';
import { ConversationCollector, FRAMES_LISTED, stateLabel } from './conversation.ts';

/** 2026-03-02T08:00:00Z. The run lasts 14 minutes: on the 840 px between x 150 and 990, a pixel a second. */
const T0 = Date.UTC(2026, 2, 2, 8);
const MIN = 60_000;
const at = (ms: number) => new Date(T0 + ms).toISOString();

const failing: ScenarioResult = {
  id: 'over-speeding',
  title: '61 s above the authorised speed raise one 0x07 <b>',
  file: 'src/scenarios/vu/over-speeding.scenario.yaml',
  tags: ['vu'],
  covers: ['Annex IC 3.9'],
  rig: 'loopback',
  seed: 7,
  outcome: 'fail',
  reason: 'vu event code 0x07: expected exactly 1 matching, saw 0',
  start: at(0),
  startFrom: 'scenario',
  end: at(14 * MIN),
  wallMs: 1500,
  steps: [
    { index: 0, do: 'world', description: 'world: speed {"kmh":80}', start: at(MIN), end: at(MIN), outcome: 'pass' },
    { index: 1, do: 'wait', description: 'wait 4m', start: at(MIN), end: at(5 * MIN), outcome: 'pass' },
    { index: 2, do: 'world', description: 'world: stop', start: at(5 * MIN), end: at(5 * MIN), outcome: 'pass' },
  ],
  measurements: [],
  errors: [],
  attachments: [],
  expectations: [
    {
      name: 'vu event code 0x07',
      outcome: 'fail',
      expected: { records: { device: 'vu', kind: 'event', code: 7, count: 1, window: { from: '7m', to: '8m' }, fields: { maxSpeed: 101 } } },
      count: 0,
      seen: [],
      nearMisses: [{ record: { kind: 'event', code: 7, at: at(7 * MIN), fields: { maxSpeed: 100 } }, met: 2, of: 3, differences: [{ constraint: 'maxSpeed', expected: 101, actual: 100 }] }],
      message: 'expected exactly 1 matching, saw 0',
      check: 'end',
      at: at(14 * MIN),
    },
    { name: 'nothing else: vu fault', outcome: 'pass', expected: { absent: { device: 'vu', kind: 'fault' } }, count: 0, seen: [], message: 'none', check: 'end', at: at(14 * MIN) },
  ],
};

const passing: ScenarioResult = { ...failing, id: 'quiet', title: 'quiet', outcome: 'pass', reason: undefined, steps: [], expectations: [], wallMs: 500 };

const story: StoryEntry[] = [
  { t: T0 + MIN, at: at(MIN), kind: 'stimulus', name: 'world.speed', args: { kmh: 80 } },
  { t: T0 + 2 * MIN, at: at(2 * MIN), kind: 'link', link: 'sensor.vu~vu.sensor', event: 'disconnected', detail: 'cut by fault injection' },
  { t: T0 + 3 * MIN, at: at(3 * MIN), kind: 'link', link: 'sensor.vu~vu.sensor', event: 'connected' },
  { t: T0 + 5 * MIN, at: at(5 * MIN), kind: 'stimulus', name: 'world.stop', args: {} },
  // the teardown after the end is no cut
  { t: T0 + 14 * MIN, at: at(14 * MIN), kind: 'link', link: 'ide.vu~vu.download', event: 'disconnected' },
];

const speeds80 = new Array<number>(60).fill(80);
const vuRecords = [
  { kind: 'detailedSpeed', at: T0 + MIN, fields: { speeds: [40, ...speeds80.slice(1)] } },
  { kind: 'detailedSpeed', at: T0 + 2 * MIN, fields: { speeds: speeds80 } },
  { kind: 'detailedSpeed', at: T0 + 4 * MIN, fields: { speeds: speeds80 } },
  { kind: 'activity', code: 'break-rest', at: Date.UTC(2026, 2, 2), fields: { slot: 'driver', cardStatus: 'not-inserted' } },
  { kind: 'activity', code: 'driving', at: T0 + MIN, fields: { slot: 'driver', cardStatus: 'inserted' } },
  { kind: 'activity', code: 'work', at: T0 + 5 * MIN, fields: { slot: 'driver', cardStatus: 'inserted' } },
  { kind: 'event', code: 7, at: T0 + 7 * MIN, end: T0 + 8 * MIN + 10_000, fields: { name: 'over speeding', maxSpeed: 100 } },
  { kind: 'fault', code: 0x35, at: T0 + 10 * MIN, fields: { name: 'sensor fault' } },
];

const input: ReportInput = {
  run: { gitCommit: 'abc123', wallMs: 2100, rigFile: 'rigs/loopback.yaml', dut: [{ device: 'vu', kind: 'vu', identity: { manufacturerName: 'ACME', approvalNumber: 'e1-123' } }] },
  scenarios: [
    { result: failing, story, reads: [{ check: 'end', at: at(14 * MIN), devices: { vu: vuRecords } }] },
    { result: passing },
  ],
};

describe('the HTML report', () => {
  const html = renderHtmlReport(input);

  it('is one self-contained page: no script, no stylesheet or image fetched, nothing from the network', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|href="(?!#)|url\(/);
    expect(html).toContain('<title>rig report: 1 passed, 1 failed, 0 errors, 0 skipped</title>');
    // what the result records say is escaped
    expect(html).toContain('<p class="title">61 s above the authorised speed raise one 0x07 &lt;b&gt;</p>');
  });

  it('sums the run up: counts, wall time, rig, seed, commit, the device under test as it identified itself', () => {
    expect(html).toContain('<tr><th>wall time</th><td>2s100ms</td></tr>');
    expect(html).toContain('<tr><th>rig</th><td>loopback (rigs/loopback.yaml)</td></tr>');
    expect(html).toContain('<tr><th>seed</th><td>7</td></tr>');
    expect(html).toContain('<tr><th>git commit</th><td>abc123</td></tr>');
    expect(html).toContain('<tr><th>device under test: vu</th><td>vu — manufacturerName: ACME; approvalNumber: e1-123</td></tr>');
    expect(html).toContain('<span class="count pass">1 passed</span> <span class="count fail">1 failed</span>');
  });

  it('puts the near miss first, linking to the expectation on the timeline', () => {
    const failures = html.indexOf('<section class="failures">');
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(html.indexOf('<section id="s0"'));
    expect(html).toContain('<a class="goto" href="#s0-e0">vu event code 0x07</a> <span class="where">check end at 2026-03-02T08:14:00.000Z</span>');
    expect(html).toContain('<tr><td>event 0x07 at 2026-03-02T08:07:00.000Z</td><td class="num">2 of 3</td><td><div><b>maxSpeed</b>: expected <code>101</code>, was <code>100</code></div></td></tr>');
    expect(html).not.toContain('href="#s1-e');
  });

  it('places each expectation over its window on the timeline, red or green, a pixel a second', () => {
    // window 7m..8m: x 150 + 420, 60 wide
    expect(html).toMatch(/<g id="s0-e0" class="expectation fail"><title>vu event code 0x07: expected exactly 1 matching, saw 0<\/title><text [^>]*>vu event code 0x07<\/text><rect x="570" y="\d+" width="60" height="10"\/><circle class="near" cx="570" cy="\d+" r="3"><title>closest: event 0x07 at 2026-03-02T08:07:00.000Z \(maxSpeed: expected 101, was 100\)<\/title><\/circle><\/g>/);
    // no window: from the start to the check, faint
    expect(html).toMatch(/<g id="s0-e1" class="expectation pass open">.*?<rect x="150" y="\d+" width="840" height="10"\/><\/g>/);
  });

  it('shades the link cut across the timeline and draws it on its link row; the teardown is no cut', () => {
    expect(html).toMatch(/<rect class="cut" x="270" y="0" width="60" height="\d+"\/>/);
    expect(html).toContain('<title>sensor.vu~vu.sensor cut 2m to 3m (cut by fault injection)</title>');
    expect(html).not.toContain('ide.vu~vu.download');
    expect(linkCuts(story, T0 + 14 * MIN)).toEqual([{ link: 'sensor.vu~vu.sensor', from: T0 + 2 * MIN, to: T0 + 3 * MIN, detail: 'cut by fault injection' }]);
  });

  it('draws the commanded speed against the recorded detailed speed, as steps', () => {
    // y: 0 km/h at 140, the scale's top (80 km/h, the fastest rounded up to 20s) at 8; the recorded line from its first block
    expect(html).toContain('<path class="commanded" d="M150 140H210V8H450V140H990V140">');
    expect(html).toContain('<path class="recorded" data-device="vu" d="M210 74H211V8H269V8H270V8H329V8H330V140H390V140H390V8H449V8H450V140">');
    expect(commandedSpeed(story, T0, T0 + 14 * MIN)).toEqual([
      { t: T0, kmh: 0 },
      { t: T0 + MIN, kmh: 80 },
      { t: T0 + 5 * MIN, kmh: 0 },
      { t: T0 + 14 * MIN, kmh: 0 },
    ]);
  });

  it("draws the driver's 24-hour activity bar of the day, each activity until the next, the last until the run's end", () => {
    // the day's 24 h on 840 px: 35 px an hour; 08:01 at x 430.58
    expect(html).toContain('<rect class="activity break-rest no-card" x="150" y="25" width="280.58" height="7"><title>driver break-rest 00:00–08:01 (card not-inserted)</title></rect>');
    expect(html).toContain('<rect class="activity driving" x="430.58" y="4" width="2.33" height="28"><title>driver driving 08:01–08:05 (card inserted)</title></rect>');
    expect(html).toContain('<rect class="activity work" x="432.92" y="11" width="5.25" height="21"><title>driver work 08:05–08:14 (card inserted)</title></rect>');
  });

  it('draws events and faults as spans with their codes and names; an on-going one to the end', () => {
    expect(html).toContain('<g class="span event" data-code="0x07"><title>event 0x07 over speeding from +7m to +8m10s</title><text class="row-label" x="146" y="15">0x07 over speeding</text><rect x="570" y="6" width="70" height="10"/></g>');
    expect(html).toContain('<g class="span fault ongoing" data-code="0x35"><title>fault 0x35 sensor fault from +10m, on-going</title><text class="row-label" x="146" y="31">0x35 sensor fault</text><rect x="750" y="22" width="240" height="10"/></g>');
  });

  it('reads a window as the result record shows it: an offset from the start or an instant', () => {
    const e = failing.expectations[0]!;
    expect(placeExpectation(e, T0)).toEqual({ from: T0 + 7 * MIN, to: T0 + 8 * MIN, open: false });
    const instant = { ...e, expected: { records: { device: 'vu', kind: 'event', window: { from: '2026-03-02T08:09:00Z' } } } };
    expect(placeExpectation(instant, T0)).toEqual({ from: T0 + 9 * MIN, to: T0 + 14 * MIN, open: false });
    // a bench's window from 0s widened by its 2 s of slack (a bench run of power-interruption lost its report to it)
    const widened = { ...e, expected: { records: { device: 'vu', kind: 'event', window: { from: '-2s', to: '3s' } } } };
    expect(placeExpectation(widened, T0)).toEqual({ from: T0 - 2000, to: T0 + 3000, open: false });
  });

  it('ends with the traceability matrix: each requirement the scenarios cover, their outcome, and those none covers', () => {
    const withCovers = renderHtmlReport({ ...input, scenarios: [{ result: { ...failing, covers: ['Annex IC 3.9 over speeding', 'Annex IC 117'] } }, { result: { ...passing, covers: ['Annex IC 117'] } }] });
    expect(withCovers).toContain('<tr><td>EventFaultType 0x07</td><td><a class="badge fail" href="#s0">over-speeding</a></td><td>event: over speeding</td></tr>');
    expect(withCovers).toMatch(/<tr><td>Annex IC 117<\/td><td><a class="badge fail" href="#s0">over-speeding<\/a> <a class="badge pass" href="#s1">quiet<\/a><\/td>/);
    expect(withCovers).toMatch(/<p>2 of \d+ requirements of the catalogue are covered by this run's scenarios; 0 of them passed.<\/p>/);
    expect(withCovers).toMatch(/<summary>\d+ requirements no scenario of this run covers<\/summary><p>Annex IC 2, Annex IC 3, /);
  });

  it("draws the frames on each link as ticks and each device's states as bands, and lists the frames to expand", () => {
    const conversation = new ConversationCollector();
    const frame = (ms: number, hex: string) => ({ t: T0 + ms, at: at(ms), kind: 'frame' as const, link: 'sensor.vu~vu.sensor', from: 'vu.sensor', to: 'sensor.vu', hex, codec: 'msl', decoded: { sid: hex.slice(0, 2) } });
    conversation.add(frame(2 * MIN, '80 F0'));
    conversation.add(frame(2 * MIN + 1000, '81 F1'));
    conversation.add({ t: T0, at: at(0), kind: 'transition', device: 'vu', actor: 'sensorLink', from: null, to: 'unpaired', event: 'xstate.init' });
    conversation.add({ t: T0 + 4 * MIN, at: at(4 * MIN), kind: 'transition', device: 'vu', actor: 'sensorLink', from: 'unpaired', to: { paired: 'idle' }, event: 'pair' });
    // an actor that never changed state gets no row
    conversation.add({ t: T0, at: at(0), kind: 'transition', device: 'vu', actor: 'download', from: null, to: 'idle', event: 'xstate.init' });
    const page = renderHtmlReport({ ...input, scenarios: [{ result: failing, story, conversation: conversation.result() }] });
    expect(page).toMatch(/<g class="frames" data-link="sensor.vu~vu.sensor"><title>sensor.vu~vu.sensor: 2 frames<\/title><text [^>]*>sensor.vu~vu.sensor<\/text><path d="M270 \d+v10M271 \d+v10"\/><\/g>/);
    expect(page).toMatch(/<g class="state s0"><title>vu sensorLink: unpaired from \+0s \(xstate.init\)<\/title><rect x="150" y="\d+" width="240" height="12"\/><text [^>]*>unpaired<\/text><\/g>/);
    expect(page).toMatch(/<g class="state s1"><title>vu sensorLink: paired.idle from \+4m \(pair\)<\/title><rect x="390" y="\d+" width="600" height="12"\/>/);
    expect(page).not.toContain('data-actor="vu/download"');
    expect(page).toContain('<details class="frames"><summary>sensor.vu~vu.sensor: 2 frames</summary><table><tr><th>rig time</th><th>from → to</th><th>hex</th><th>decoded</th></tr><tr><td class="num">+2m</td><td>vu.sensor → sensor.vu</td><td><code>80 F0</code></td><td><code>{&quot;sid&quot;:&quot;80&quot;}</code></td></tr>');
  });

  it('is the same page for the same records', () => {
    expect(renderHtmlReport(input)).toBe(html);
  });
});

describe('the recorded speed', () => {
  it('drops to 0 between minute blocks that are not consecutive (a minute without movement is not stored)', () => {
    expect(recordedSpeed([{ kind: 'detailedSpeed', at: 0, fields: { speeds: [10, ...new Array<number>(59).fill(20)] } }, { kind: 'detailedSpeed', at: 120_000, fields: { speeds: new Array<number>(60).fill(30) } }])).toEqual([
      { t: 0, kmh: 10 },
      { t: 1000, kmh: 20 },
      { t: 59_000, kmh: 20 },
      { t: 60_000, kmh: 0 },
      { t: 120_000, kmh: 0 },
      { t: 120_000, kmh: 30 },
      { t: 179_000, kmh: 30 },
      { t: 180_000, kmh: 0 },
    ]);
  });
});

describe('the conversation kept for the page', () => {
  it('counts every frame, lists the first FRAMES_LISTED of a link, and labels nested states by their first path', () => {
    const c = new ConversationCollector();
    for (let i = 0; i < FRAMES_LISTED + 5; i++) c.add({ t: T0 + i, at: at(i), kind: 'frame', link: 'l', from: 'a', to: 'b', hex: '00' });
    const [link] = c.result().links;
    expect([link!.times.length, link!.listed.length]).toEqual([FRAMES_LISTED + 5, FRAMES_LISTED]);
    expect(stateLabel({ powered: { sampling: 'running', persisting: 'waiting' } })).toBe('powered.sampling.running');
    expect(stateLabel('idle')).toBe('idle');
  });
});

describe('the pulse line the sensor signalled', () => {
  const rate = (ms: number, pulsesPerSecond: number, position: number) =>
    ({ t: T0 + ms + 3, at: at(ms + 3), kind: 'frame', link: 'sensor.pulses~vu.pulses', from: 'sensor.pulses', to: 'vu.pulses', hex: '52', codec: 'motion-sensor-pulses', decoded: { at: at(ms), position, pulsesPerSecond } }) as const;

  it('keeps every rate frame of a pulse line, at the instant it names, and a cut as no signal', () => {
    const c = new ConversationCollector();
    c.add(rate(MIN, 177.78, 0));
    c.add({ t: T0 + 2 * MIN, at: at(2 * MIN), kind: 'link', link: 'sensor.pulses~vu.pulses', event: 'disconnected' });
    c.add(rate(3 * MIN, 200, 21_333));
    // a count frame (the line before issue 18) and another codec's frame are no rates
    c.add({ t: T0 + 4 * MIN, at: at(4 * MIN), kind: 'frame', link: 'sensor.pulses~vu.pulses', from: 'a', to: 'b', hex: '50', codec: 'motion-sensor-pulses', decoded: { pulses: 18 } });
    c.add({ t: T0 + 4 * MIN, at: at(4 * MIN), kind: 'frame', link: 'l', from: 'a', to: 'b', hex: '00', codec: 't1', decoded: { pulsesPerSecond: 1, at: at(0), position: 0 } });
    expect(c.result().pulseLines).toEqual([
      {
        link: 'sensor.pulses~vu.pulses',
        rates: [
          { t: T0 + MIN, pulsesPerSecond: 177.78, position: 0 },
          { t: T0 + 2 * MIN, pulsesPerSecond: 0, lost: true },
          { t: T0 + 3 * MIN, pulsesPerSecond: 200, position: 21_333 },
        ],
      },
    ]);
    expect(new ConversationCollector().result().pulseLines).toBeUndefined();
  });

  it('draws each line as steps in pulses per second, a mark per rate frame, a cut in red; nothing for a still line', () => {
    const c = new ConversationCollector();
    for (const e of [rate(MIN, 177.78, 0), rate(3 * MIN, 200, 21_333), rate(5 * MIN, 0, 45_333)]) c.add(e);
    const html = renderHtmlReport({ run: {}, scenarios: [{ result: passing, conversation: c.result() }] });
    // y: 0 pulses/s at 100, the top (200, rounded up to hundreds) at 8; a pixel a second from x 150
    expect(html).toContain('<path class="pulses" d="M150 100H210V18.22H330V8H450V100H990V100">');
    expect(html).toContain('<circle class="rate" cx="330" cy="8" r="2"><title>08:03:00 200 pulses/s from pulse 21333</title></circle>');
    const still = new ConversationCollector();
    still.add(rate(MIN, 0, 0));
    expect(renderHtmlReport({ run: {}, scenarios: [{ result: passing, conversation: still.result() }] })).not.toContain('chart pulse-lines');
  });
});
