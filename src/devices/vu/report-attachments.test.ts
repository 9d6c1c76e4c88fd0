import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../scenarios/engine/suite.ts';
import { scenario } from '../../scenarios/engine/builder.ts';
import { runScenario } from '../../scenarios/engine/runner.ts';
import { decodeTrep24 } from '../../protocols/app7-records/index.ts';
import { readDdd } from '../../protocols/ddd/index.ts';
import { renderDownloadHtml } from '../../scenarios/reports/html/render-download-html.ts';
import { recordsFromDddBlocks } from './download-records.ts';

/** 2026-03-02T08:00:00Z */
const T0 = Date.UTC(2026, 2, 2, 8);

describe("a report run attaches the VU's last download (.DDD) and the records its checks read", () => {
  it('gives the detailed speed the download carried, the same in the .DDD and in <id>.records.json', async () => {
    const { plan } = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: [] });
    const dir = await mkdtemp(join(tmpdir(), 'rig-vu-attach-'));
    const s = scenario('two-minutes-at-60')
      .title('two minutes at 60 km/h')
      .emulated('vu', 'sensor')
      .start('2026-03-02T08:00:00Z')
      .stimulus('vu', 'insertCard', { slot: 'driver', card: 'anna' })
      .until('1m')
      .world('speed', { kmh: 60 })
      .until('3m')
      .world('stop')
      .until('4m')
      .expect((e) => e.records({ device: 'vu', kind: 'activity', code: 'driving', count: 1, window: { from: '1m', to: '1m' }, fields: { slot: 'driver' } }))
      .build();
    const { result } = await runScenario(s, plan, { reportDir: dir });
    expect(result.outcome).toBe('pass');
    expect(result.attachments.map((a) => [a.name, a.path, a.mediaType])).toEqual([
      ['trace', 'two-minutes-at-60.trace.jsonl', 'application/x-ndjson'],
      ['records', 'two-minutes-at-60.records.json', 'application/json'],
      ['vu.ddd', 'two-minutes-at-60.vu.ddd', 'application/octet-stream'],
    ]);
    // DDP_034: the overview, the one day, events and faults, detailed speed, technical data (gen2 v1 TREPs)
    const blocks = readDdd(new Uint8Array(await readFile(join(dir, 'two-minutes-at-60.vu.ddd'))));
    expect(blocks.map((b) => b.trep)).toEqual([0x21, 0x22, 0x23, 0x24, 0x25]);
    const fromFile = decodeTrep24(blocks.find((b) => b.trep === 0x24)!.data).data;

    const attached = JSON.parse(await readFile(join(dir, 'two-minutes-at-60.records.json'), 'utf8')) as { reads: { check: string; devices: Record<string, { kind: string; at: number; fields: { speeds: number[] } }[]> }[] };
    expect(attached.reads.map((r) => r.check)).toEqual(['end', 'end of run']);
    const speed = attached.reads[0]!.devices['vu']!.filter((r) => r.kind === 'detailedSpeed');
    // Annex IC 3.12.9: the two minutes the vehicle moved, one speed a second
    // Annex IC 3.12.9: every second of the minutes the vehicle moved. The VU measures speed from the sensor's
    // pulses over its last second: the first second after the start reads 54, the first after the stop 6
    const at60 = new Array<number>(60).fill(60);
    expect(speed.map((r) => [r.at, r.fields.speeds])).toEqual([
      [T0 + 60_000, [54, ...at60.slice(1)]],
      [T0 + 120_000, at60],
      [T0 + 180_000, [6, ...new Array<number>(59).fill(0)]],
    ]);
    // the .DDD is the download the records were decoded from
    expect(fromFile.map((b) => [b.begin * 1000, b.speeds])).toEqual(speed.map((r) => [r.at, r.fields.speeds]));
    expect(recordsFromDddBlocks(blocks)).toEqual(attached.reads[0]!.devices['vu']!.filter((r) => r.kind !== 'accumulatedDriving' && r.kind !== 'calibrationError' && r.kind !== 'placeRefused'));

    // rig decode --html: the same file drawn, its speed as recorded (no commanded speed: a file has none)
    const page = renderDownloadHtml('two-minutes-at-60.vu.ddd', recordsFromDddBlocks(blocks));
    expect(page).toContain('<tr><th>VIN</th><td>WDB9634031L000001</td></tr>');
    expect(page).toMatch(/<path class="recorded" data-device="vu" d="M[^"]+">/);
    expect(page).not.toContain('class="commanded"');
    // the driver's day: rest without a card, the card in at 08:00, driving the two minutes, then WORK to the download
    expect(page.match(/<title>driver [^<]*/g)).toEqual([
      '<title>driver break-rest 00:00–08:00 (card not-inserted)',
      '<title>driver break-rest 08:00–08:01 (card inserted)',
      '<title>driver driving 08:01–08:03 (card inserted)',
      '<title>driver work 08:03–08:04 (card inserted)',
    ]);
  }, 30_000);
});
