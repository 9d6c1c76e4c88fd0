import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import { decodeDownloadFile } from '../../../protocols/ddd/decode-download-file.ts';
import { scanDdd } from '../../../protocols/ddd/ddd-file.ts';
import { chartInputOf } from './download-chart-records.ts';
import { renderDownloadHtml } from './render-download-html.ts';

/**
 * `rig decode --html` on the public sample files (test/fixtures/tachograph-files, PROVENANCE.md): every generation
 * of VU download and both card structures give the charts their records.
 */
const DIR = 'test/fixtures/tachograph-files';

function inputOf(name: string) {
  const bytes = new Uint8Array(readFileSync(`${DIR}/${name}`));
  return chartInputOf(decodeDownloadFile(bytes), () => scanDdd(bytes).blocks);
}

function counts(records: readonly DeviceRecord[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const r of records) c[r.kind] = (c[r.kind] ?? 0) + 1;
  return c;
}

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('the records a download page draws', () => {
  it('gen1 VU: the activity changes of each day (dateOfDayDownloaded is the day\'s last second), events, detailed speed', () => {
    const { title, records } = inputOf('vu-gen1-wp000.ddd');
    expect(title).toBe('VU download (gen1)');
    expect(counts(records)).toEqual({ activity: 473, event: 38, detailedSpeed: 1440 });
    const first = records.find((r) => r.kind === 'activity')!;
    // TREP 02's first day: dateOfDayDownloaded 1757289599 (2025-09-07T23:59:59Z), the day begins at its midnight
    expect([first.code, iso(first.at), first.fields]).toEqual(['break-rest', '2025-09-07T00:00:00.000Z', { slot: 'driver', cardStatus: 'not-inserted', drivingStatus: 'single', minute: 0 }]);
    const last = records.filter((r) => r.kind === 'activity').at(-1)!;
    expect([last.code, iso(last.at), (last.fields as { slot: string }).slot]).toEqual(['availability', '2025-09-12T13:31:00.000Z', 'co-driver']);
    const event = records.find((r) => r.kind === 'event')!;
    expect([event.code, iso(event.at), iso(event.end), event.fields]).toEqual([4, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', { name: 'driving without an appropriate card', ongoing: false }]);
  });

  it('gen2v2 VU: seconds become ms, the events of TREP 33 and the detailed speed of TREP 24', () => {
    const { title, records } = inputOf('vu-gen2v2-wp004.ddd');
    expect(title).toBe('VU download (gen2v2)');
    expect(counts(records)).toEqual({ activity: 155, event: 27, detailedSpeed: 1440 });
    const event = records.find((r) => r.kind === 'event')!;
    expect([event.code, iso(event.at), iso(event.end), event.fields]).toEqual([6, '2026-01-13T04:10:38.000Z', '2026-01-13T04:11:56.000Z', { name: 'last card session not correctly closed', ongoing: false }]);
    const speed = records.filter((r) => r.kind === 'detailedSpeed').at(-1)!;
    expect([iso(speed.at), (speed.fields as { speeds: number[] }).speeds.slice(0, 8)]).toEqual(['2026-03-11T23:08:00.000Z', [47, 48, 48, 48, 49, 49, 49, 49]]);
  });

  it('cards: EF Driver_Activity_Data day by day, EF Events_Data and EF Faults_Data; a gen2 card drawn from its gen2 DF only', () => {
    const g1 = inputOf('card-driver-gen1-wp000.ddd');
    expect(g1.title).toBe('driver card download (gen1)');
    expect(counts(g1.records)).toEqual({ event: 1, activity: 5714 });
    const g2 = inputOf('card-driver-gen2v1-wp004.ddd');
    expect(g2.title).toBe('driver card download (gen2v2)');
    // both DFs hold the driving: counting the gen1 DF too would give about twice the activities
    expect(counts(g2.records)).toEqual({ event: 7, fault: 2, activity: 5686 });
    const fault = g2.records.filter((r) => r.kind === 'fault').at(-1)!;
    expect([fault.code, iso(fault.at), iso(fault.end), fault.fields]).toEqual([0x31, '2020-01-01T01:00:00.000Z', '2020-01-01T01:30:00.000Z', { name: 'VU internal fault', ongoing: false }]);
    const last = g2.records.filter((r) => r.kind === 'activity').at(-1)!;
    expect([last.code, iso(last.at)]).toEqual(['break-rest', '2020-07-18T12:00:00.000Z']);
  });

  it('a page per file: the title, the activity bars from the first recorded day, the events as spans', () => {
    const vu = inputOf('vu-gen1-wp000.ddd');
    const page = renderDownloadHtml('vu-gen1-wp000.ddd', vu.records, vu.title);
    expect(page).toContain('<h1>VU download (gen1)</h1>');
    // the overview's downloadable period begins in 2020; the bars begin with the file's first day, 2025-09-07,
    // and run to the period's end, 2025-09-12: six days of two slots
    expect(page.match(/<text class="row-label"[^>]*>2025-09-\d\d (driver|co-driver)<\/text>/g)).toHaveLength(12);
    expect(page).toContain('>2025-09-07 driver</text>');
    expect(page.match(/class="span event/g)).toHaveLength(38);
    const card = inputOf('card-driver-gen2v1-wp004.ddd');
    const cardPage = renderDownloadHtml('card.ddd', card.records, card.title);
    expect(cardPage).toContain('<h1>driver card download (gen2v2)</h1>');
    expect(cardPage).toContain('data-device="card"');
    expect(cardPage.match(/class="span (event|fault)/g)).toHaveLength(9);
    expect(cardPage).not.toContain('class="chart speed');
  });
});
