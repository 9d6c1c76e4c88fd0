import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import { renderActivityBars, renderEventSpans, renderSpeedChart, type TimeRange } from './charts.ts';
import { renderGnssTrack } from './gnss-track.ts';
import { STYLE } from './style.ts';
import { esc } from './svg.ts';

/** At most this many days of activity bars on a download's page: a year's file would otherwise be 730 bars. */
const MOST_DAYS = 31;

/**
 * A download (a VU's records as `recordsFromDownload` gives them, or any file's through download-chart-records.ts) as one self-contained page with the
 * report's charts (`rig decode FILE --html OUT`): its identification and overview, the activity bar of each
 * day (the last 31), the detailed speed, the events and faults. Pure, like the run's report.
 */
export function renderDownloadHtml(name: string, records: readonly DeviceRecord[], title = 'VU download'): string {
  const range = periodOf(records);
  const overview = records.find((r) => r.kind === 'overview')?.fields as Record<string, unknown> | undefined;
  const identification = records.find((r) => r.kind === 'vuIdentification')?.fields as Record<string, unknown> | undefined;
  const facts: [string, string][] = [
    ['file', name],
    ['period', `${range.start} to ${range.end}`],
    ...(overview ? [['VIN', String(overview['vin'])] as [string, string], ['registration', String(overview['registrationNumber'])] as [string, string]] : []),
    ...(identification ? Object.entries(identification).map(([k, v]): [string, string] => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]) : []),
    ['records', countKinds(records)],
  ];
  const device = title.includes('card') ? 'card' : 'vu';
  const last = new Map([[device, [...records]]]);
  const parts = [
    `<h1>${esc(title)}</h1><table class="facts">${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`,
    renderActivityBars(activityRange(range, records), records, device, MOST_DAYS) ?? '<p class="note">no activities</p>',
    renderSpeedChart(range, [], last, { commanded: false }) ?? '<p class="note">no detailed speed</p>',
    renderEventSpans(range, records, device) ?? '<p class="note">no events or faults</p>',
    renderGnssTrack(records, device) ?? '',
  ];
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(`${title} ${name}`)}</title><style>${STYLE}</style></head><body>${parts.join('\n')}</body></html>\n`;
}

/** The period the download covers: its overview's downloadable period, or its records' first and last instants. */
export function periodOf(records: readonly DeviceRecord[]): TimeRange {
  const overview = records.find((r) => r.kind === 'overview')?.fields as { minDownloadableTime?: number; maxDownloadableTime?: number } | undefined;
  const times = records.flatMap((r) => [r.at, r.end].filter((t): t is number => typeof t === 'number'));
  const from = overview?.minDownloadableTime ?? Math.min(...times);
  const to = overview?.maxDownloadableTime ?? Math.max(...times);
  const iso = (t: number) => new Date(Number.isFinite(t) ? t : 0).toISOString();
  return { start: iso(from), end: iso(Math.max(to, from)) };
}

/**
 * The days the activity bars cover: from the first recorded change, not the period's start (a gen1 VU's overview
 * may give a downloadable period of years, with the file holding its last days only), to the period's end.
 */
function activityRange(range: TimeRange, records: readonly DeviceRecord[]): TimeRange {
  const first = Math.min(...records.filter((r) => r.kind === 'activity' && typeof r.at === 'number').map((r) => r.at!));
  return Number.isFinite(first) && first > Date.parse(range.start) ? { start: new Date(first).toISOString(), end: range.end } : range;
}

function countKinds(records: readonly DeviceRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
}
