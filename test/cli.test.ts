import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRig } from './fixtures/rig-cli.ts';

/** Runs the real `rig` command as a user would, from the project root. */
const rig = runRig;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rig-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rig validate', () => {
  it('accepts the shipped rigs', async () => {
    const r = await rig('validate', 'rigs/loopback.yaml', 'rigs/pty.yaml', 'test/rigs/beacon-logger.yaml');
    expect(r.stdout).toBe('ok rigs/loopback.yaml\nok rigs/pty.yaml\nok test/rigs/beacon-logger.yaml\n');
    expect(r.code).toBe(0);
  });

  it('refuses a rig file with a typo, naming line and column', async () => {
    const file = join(dir, 'typo.yaml');
    await writeFile(file, ['clock: virtual', 'devices: {}', 'links:', '  - ends: [a.x, b.y]', '    trasport: memory', ''].join('\n'));
    const r = await rig('validate', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:5:5: links[0].trasport: unknown key 'trasport' (did you mean 'transport'?)`);
  });

  it('refuses a scenario that addresses an unknown device or port', async () => {
    const file = join(dir, 'unknown.scenario.yaml');
    await writeFile(
      file,
      [
        'id: bad-addresses',
        'title: addresses things the rig does not have',
        'requires: { emulated: [beacon] }',
        'start: 2026-01-01T00:00:00Z',
        'steps:',
        '  - do: stimulus',
        '    device: sensor',
        '    name: start',
        '  - do: link',
        '    port: logger.out',
        '    action: disconnect',
        '',
      ].join('\n'),
    );
    const r = await rig('validate', '--rig', 'test/rigs/beacon-logger.yaml', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        `${file}:7:13: steps[0].device: unknown device 'sensor': rig beacon-logger has beacon, logger`,
        `${file}:10:11: steps[1].port: device 'logger' (test-logger) has no port 'out'; it has: in`,
        '',
      ].join('\n'),
    );
  });

  it('refuses a scenario the schema rejects, with every issue located', async () => {
    const file = join(dir, 'schema.scenario.yaml');
    await writeFile(file, ['id: s', 'title: t', 'start: yesterday', 'steps:', '  - do: wait', '    for: 3 fortnights', ''].join('\n'));
    const r = await rig('validate', '--rig', 'test/rigs/beacon-logger.yaml', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:3:8: start:`);
    expect(r.stderr).toContain(`${file}:6:10: steps[0].for: '3 fortnights' is not a duration (examples: 500ms, 10s, 1h30m, 31d)`);
  });
});

describe('rig run', () => {
  it('runs a suite, prints progress and a summary, writes JSON and JUnit reports', async () => {
    const reports = join(dir, 'reports');
    const r = await rig('run', 'test/scenarios', '--rig', 'test/rigs/beacon-logger.yaml', '--report', reports, '--json');
    expect(r.code).toBe(0);
    const junit = await readFile(join(reports, 'junit.xml'), 'utf8');
    const results = JSON.parse(r.stdout) as { id: string; outcome: string; end: string }[];
    expect(results.map((x) => [x.id, x.outcome, x.end])).toEqual([
      ['cut-cable', 'pass', '2026-01-01T08:00:10.500Z'],
      ['logger-notices-silence', 'pass', '2026-01-01T08:00:13.500Z'],
    ]);
    expect(r.stderr).toContain('PASS cut-cable  rig +10s500ms  2026-01-01T08:00:10.500Z');
    expect(r.stderr).toContain('2 scenarios: 2 passed, 0 failed, 0 errors, 0 skipped, 0 refused');
    expect(junit).toContain('<testcase classname="scenarios" name="cut-cable" ');
    expect(junit.match(/<testcase /g)).toHaveLength(2);
    expect(junit).toContain('<testsuites name="rig scenarios" tests="2" failures="0" errors="0" skipped="0"');
    const trace = (await readFile(join(reports, 'cut-cable.trace.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(trace.some((e) => e.kind === 'frame')).toBe(true);
  });

  it('runs again what failed last time (--failed, from the report directory), and refuses a --covers id the catalogue lacks', async () => {
    const reports = join(dir, 'failed-reports');
    await mkdir(reports, { recursive: true });
    await writeFile(join(reports, 'results.json'), JSON.stringify([{ id: 'cut-cable', outcome: 'pass' }, { id: 'logger-notices-silence', outcome: 'error' }]));
    const r = await rig('run', 'test/scenarios', '--rig', 'test/rigs/beacon-logger.yaml', '--failed', '--report', reports, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id)).toEqual(['logger-notices-silence']);
    expect(r.stderr).toContain('[1/1] PASS logger-notices-silence');
    const typo = await rig('run', 'test/scenarios', '--rig', 'test/rigs/beacon-logger.yaml', '--covers', 'GNS_311');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("--covers: 'GNS_311' is no requirement of the catalogue (src/scenarios/requirements/); did you mean 'GNS_31'?");
  });

  it('filters by tag', async () => {
    const r = await rig('run', 'test/scenarios', '--rig', 'test/rigs/beacon-logger.yaml', '--tag', 'smoke', '--json');
    expect((JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id)).toEqual(['logger-notices-silence']);
    const skipped = await rig('run', 'test/scenarios', '--rig', 'test/rigs/beacon-logger.yaml', '--skip-tag', 'smoke', '--json');
    expect((JSON.parse(skipped.stdout) as { id: string }[]).map((x) => x.id)).toEqual(['cut-cable']);
    const listed = await rig('list', 'test/scenarios', '--skip-tag', 'smoke');
    expect(listed.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0])).toEqual(['cut-cable']);
  });

  it('exits non-zero and says why when a scenario fails', async () => {
    const file = join(dir, 'fails.scenario.yaml');
    await writeFile(
      file,
      [
        'id: expects-too-much',
        'title: expects a frame that never comes',
        'requires: { emulated: [beacon, logger] }',
        'start: 2026-01-01T00:00:00Z',
        'steps: [{ do: wait, for: 1s }]',
        'expect:',
        '  - records: { device: logger, kind: frame }',
        '',
      ].join('\n'),
    );
    const r = await rig('run', file, '--rig', 'test/rigs/beacon-logger.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL expects-too-much');
    expect(r.stdout).toContain('logger frame: expected at least 1 matching, saw 0');
    expect(r.stdout).toContain('1 scenarios: 0 passed, 1 failed, 0 errors, 0 skipped, 0 refused');
  });

  it('exits 1 and says so when the tags select no scenario (issue 11: it was green)', async () => {
    const r = await rig('run', 'test/scenarios', '--rig', 'test/rigs/beacon-logger.yaml', '--tag', 'nosuchtag');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('\n\n0 scenarios: 0 passed, 0 failed, 0 errors, 0 skipped, 0 refused\n');
    expect(r.stderr).toBe('no scenario matched --tag nosuchtag (of 2 in test/scenarios)\n');
    const listed = await rig('list', 'test/scenarios', '--tag', 'nosuchtag');
    expect(listed.code).toBe(1);
    expect(listed.stderr).toBe('no scenario matched --tag nosuchtag (of 2 in test/scenarios)\n');
  });

  it('exits 1 when every selected scenario was skipped, unless --allow-skipped', async () => {
    const file = join(dir, 'external-logger.yaml');
    await writeFile(
      file,
      [
        'name: external-logger',
        'clock: wall',
        `modules: [${join(process.cwd(), 'test/fixtures/devices/index.ts')}]`,
        'devices:',
        '  beacon: { kind: test-beacon }',
        '  logger: { kind: test-logger, mode: external }',
        'links:',
        '  - { ends: [beacon.out, logger.in], transport: pty }',
        '',
      ].join('\n'),
    );
    const r = await rig('run', 'test/scenarios', '--rig', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 scenarios: 0 passed, 0 failed, 0 errors, 2 skipped, 0 refused');
    expect(r.stderr.split('\n').at(-2)).toBe('every selected scenario was skipped: nothing was checked (--allow-skipped to accept that)');
    const allowed = await rig('run', 'test/scenarios', '--rig', file, '--allow-skipped');
    expect(allowed.code).toBe(0);
  });

  it('counts a file refused before running in the summary, and exits 1', async () => {
    const refused = join(dir, 'refused');
    await mkdir(refused);
    await writeFile(join(refused, 'misspelt.scenario.yaml'), ['id: misspelt', 'title: t', 'requires: { emulated: [logger] }', 'start: 2026-01-01T00:00:00Z', 'expect: [{ absent: { device: logger, kind: evnt } }]', ''].join('\n'));
    await writeFile(join(refused, 'good.scenario.yaml'), ['id: good', 'title: t', 'requires: { emulated: [beacon, logger] }', 'start: 2026-01-01T00:00:00Z', 'steps: [{ do: wait, for: 1s }]', 'expect: [{ absent: { device: logger } }]', ''].join('\n'));
    const r = await rig('run', refused, '--rig', 'test/rigs/beacon-logger.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Refused:\n${join(refused, 'misspelt.scenario.yaml')}:5:44: expect[0].absent.kind: unknown record kind 'evnt' (did you mean 'event'?); logger (test-logger)'s record kinds are: frame, error, event\n`);
    expect(r.stdout).toContain('2 scenarios: 1 passed, 0 failed, 0 errors, 0 skipped, 1 refused');
  });

  it('exits 2 on misuse only: an unknown option, a bad value, a path that does not exist', async () => {
    expect((await rig('run', '--bogus')).code).toBe(2);
    expect((await rig('run', '--seed', 'abc')).code).toBe(2);
    const missing = await rig('run', join(dir, 'nowhere'));
    expect([missing.code, missing.stderr]).toEqual([2, `no such scenario file or directory: ${join(dir, 'nowhere')}\n`]);
    expect((await rig('validate', '--rig', join(dir, 'nowhere.yaml'), 'test/scenarios/silence.scenario.yaml')).code).toBe(2);
    expect((await rig('--help')).code).toBe(0);
  });

  it('shows the near miss of a records expectation that saw too few', async () => {
    const file = join(dir, 'near-miss.scenario.yaml');
    await writeFile(
      file,
      [
        'id: near-miss',
        'title: asks for the silence too early',
        'requires: { emulated: [beacon, logger] }',
        'start: 2026-01-01T00:00:00Z',
        'steps: [{ do: wait, for: 6s }]',
        'expect:',
        '  - records: { device: logger, kind: event, code: SILENCE, window: { from: 1s, to: 4s } }',
        '',
      ].join('\n'),
    );
    const r = await rig('run', file, '--rig', 'test/rigs/beacon-logger.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '✗ [end] logger event code SILENCE: expected at least 1 matching, saw 0; closest: event SILENCE at 2026-01-01T00:00:05.000Z (window: expected 1s to 4s, was 2026-01-01T00:00:05.000Z)',
    );
  });
});

// --- Issue 13, record and replay (README "Record and replay") ---
describe('rig run --record', () => {
  it("writes one recording per scenario run of the device under test's lines, and names it in the result", async () => {
    const out = join(dir, 'recordings');
    const r = await rig('run', 'test/scenarios/silence.scenario.yaml', '--rig', 'test/rigs/beacon-logger.yaml', '--record', out, '--record-dut', 'logger', '--json');
    expect(r.code, r.stderr).toBe(0);
    const lines = (await readFile(join(out, 'logger-notices-silence.recording.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ format: 'tacho-rig-recording', version: 1, rig: 'beacon-logger', scenario: 'logger-notices-silence', dut: ['logger'] });
    expect(lines[0].links.map((l: { id: string; dut: string }) => [l.id, l.dut])).toEqual([['beacon~logger', 'logger.in']]);
    // the beacon's four frames reached the logger
    expect(lines.filter((l) => l.dir === 'to-dut')).toHaveLength(4);
    expect(lines.at(-1)).toEqual({ t: 13500, end: true });
    const [result] = JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf(']') + 1));
    expect(result.attachments).toContainEqual(expect.objectContaining({ name: 'recording', path: join(out, 'logger-notices-silence.recording.jsonl') }));
  });

  it('is misuse (exit 2) to name a device under test without a directory to record to', async () => {
    const r = await rig('run', 'test/scenarios/silence.scenario.yaml', '--rig', 'test/rigs/beacon-logger.yaml', '--record-dut', 'logger');
    expect([r.code, r.stderr.trim()]).toEqual([2, '--record-dut needs --record <dir>']);
  });
});

describe('rig coverage', () => {
  it('prints the traceability matrix with the outcomes of the last run, from its results.json', async () => {
    const reports = join(dir, 'coverage-reports');
    await mkdir(reports, { recursive: true });
    await writeFile(join(reports, 'results.json'), JSON.stringify([{ id: 'cut-cable', outcome: 'fail' }]));
    const r = await rig('coverage', 'test/scenarios', '--report', reports, '--covered');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 2).join('\t'))).toEqual([
      'backbone clock\tlogger-notices-silence (not run)',
      'backbone links\tlogger-notices-silence (not run)',
      'backbone link faults\tcut-cable (fail)',
      expect.stringMatching(/^3 of \d+ requirements have a scenario; 0 of them passed in the last run$/),
    ]);
    const all = await rig('coverage', 'test/scenarios', '--report', reports);
    expect(all.stdout).toContain('Annex IC 79\t-\tThis event shall be triggered');
  });
});

describe('rig list', () => {
  it('shows which scenarios trigger and check each EventFaultType code, and how many applicable codes are covered', async () => {
    const r = await rig('list', '--covers');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.find((l) => l.startsWith('0x07\t'))).toMatch(/^0x07\tevent\tapplicable\tover speeding\t.*\bover-speeding\b/);
    // issue 15: outside the set, but triggered and checked by card-write-failure, card-download-write-failure (Annex IC 149)
    // and card-sm-session-limit (a card aborting its secure messaging, CSM_195)
    expect(lines.find((l) => l.startsWith('0x40\t'))).toBe('0x40\tfault\tnot applicable\tcard fault, no further details\tcard-download-write-failure, card-sm-session-limit, card-write-failure');
    expect(lines.at(-1)).toMatch(/^\d+ of 39 applicable codes covered$/);
    const json = JSON.parse((await rig('list', '--covers', '--json')).stdout) as { applicable: number; covered: number; codes: { code: string }[] };
    expect(json.applicable).toBe(39);
    expect(lines.at(-1)).toBe(`${json.covered} of 39 applicable codes covered`);
    expect(json.codes.map((c) => c.code)).toContain('0x03');
  });

  it('lists scenarios with tags and requirements', async () => {
    const r = await rig('list', 'test/scenarios');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 3))).toEqual([
      ['cut-cable', 'A cut cable makes the logger notice silence; frames resume after reconnect', '[backbone]'],
      ['logger-notices-silence', 'The logger records SILENCE 5 s after the last frame, and nothing else', '[backbone, smoke]'],
    ]);
  });
});

describe('rig download and rig decode', () => {
  it('exits 1 when the download fails (2 is for misuse only)', async () => {
    const r = await rig('download', '--rig', 'test/rigs/beacon-logger.yaml', '--device', 'logger', '--out', join(dir, 'none.ddd'));
    expect([r.code, r.stderr]).toEqual([1, "logger.download is on no link in rig beacon-logger: put the rig's IDE (kind: ide) on it\n"]);
  });

  it('downloads the default rig\'s emulated VU into a .DDD that decodes', async () => {
    const out = join(dir, 'vu.ddd');
    const d = await rig('download', '--out', out, '--baud', '115200');
    expect(d.code).toBe(0);
    expect(d.stdout).toContain(`wrote ${out} (5 blocks) at 115200 baud, 0 retransmissions`);
    const r = await rig('decode', out, '--json');
    expect(r.code).toBe(0);
    const { generation, blocks } = JSON.parse(r.stdout) as { generation: string; blocks: { trep: number; name: string; content: { data: { vin?: string } } }[] };
    expect(generation).toBe('gen2v1');
    expect(blocks.map((b) => [b.trep, b.name])).toEqual([
      [0x21, 'Overview'],
      [0x22, 'Activities'],
      [0x23, 'Events and faults'],
      [0x24, 'Detailed speed'],
      [0x25, 'Technical data'],
    ]);
    expect(blocks[0]!.content.data.vin).toBe('WDB9634031L000001');
    // the same file as a page with the report's charts
    const html = join(dir, 'vu.html');
    const page = await rig('decode', out, '--html', html);
    expect([page.code, page.stderr]).toEqual([0, `wrote ${html}\n`]);
    expect(await readFile(html, 'utf8')).toContain('<h1>VU download (gen2v1)</h1><table class="facts"><tr><th>file</th><td>vu.ddd</td></tr>');
  });
});

