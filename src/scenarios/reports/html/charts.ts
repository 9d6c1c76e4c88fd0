import type { DeviceRecord } from '../../../harness/devices/device-kind.ts';
import { showCode } from '../../../harness/devices/record-kinds.ts';
import { formatDuration } from '../../engine/duration.ts';
import type { CheckRead } from '../../engine/records-attachment.ts';
import type { PulseLine } from './conversation.ts';
import type { StoryEntry } from './input.ts';
import { axis, esc, n, offsetTicks, timeScale } from './svg.ts';
import { LABELS, short, WIDTH } from './timeline.ts';

/** The rig time a chart spans, ISO instants: a scenario result's start and end, or a download's period. */
export interface TimeRange {
  start: string;
  end: string;
}

/** Each device's records as the last read of it gave them (a later read holds all an earlier one did). */
export function lastRecords(reads: readonly CheckRead[]): Map<string, DeviceRecord[]> {
  const last = new Map<string, DeviceRecord[]>();
  for (const r of reads) for (const [device, records] of Object.entries(r.devices)) last.set(device, records);
  return last;
}

/** The speed the scenario commanded the vehicle to, as steps: from the world's `speed` and `stop` stimuli. */
export function commandedSpeed(story: readonly StoryEntry[], start: number, end: number): { t: number; kmh: number }[] {
  const points = [{ t: start, kmh: 0 }];
  for (const e of story) {
    if (e.kind !== 'stimulus') continue;
    const kmh = e.name === 'world.stop' ? 0 : e.name === 'world.speed' ? (e.args as { kmh?: number } | undefined)?.kmh : undefined;
    if (kmh !== undefined) points.push({ t: e.t, kmh });
  }
  points.push({ t: end, kmh: points.at(-1)!.kmh });
  return points;
}

/**
 * The speed a VU recorded, from its detailedSpeed records (Annex IC 3.12.9: a block per minute moved, a speed a
 * second): points where the speed changes, dropping to 0 between blocks that are not consecutive (a minute
 * without movement is not stored).
 */
export function recordedSpeed(records: readonly DeviceRecord[]): { t: number; kmh: number }[] {
  const blocks = records.filter((r) => r.kind === 'detailedSpeed' && typeof r.at === 'number').sort((a, b) => a.at! - b.at!);
  const points: { t: number; kmh: number }[] = [];
  let next: number | undefined;
  for (const b of blocks) {
    const speeds = (b.fields as { speeds: number[] }).speeds;
    if (next !== undefined && b.at! !== next) points.push({ t: next, kmh: 0 }, { t: b.at!, kmh: 0 });
    speeds.forEach((kmh, s) => {
      if (s === 0 || kmh !== speeds[s - 1] || s === speeds.length - 1) points.push({ t: b.at! + s * 1000, kmh });
    });
    next = b.at! + speeds.length * 1000;
  }
  if (next !== undefined) points.push({ t: next, kmh: 0 });
  return points;
}

/** Commanded speed (a step line) against the speed each VU recorded, over the scenario's rig time. */
export function renderSpeedChart(result: TimeRange, story: readonly StoryEntry[], last: Map<string, DeviceRecord[]>, options: { commanded?: boolean } = {}): string | undefined {
  const start = Date.parse(result.start);
  const end = Math.max(Date.parse(result.end), start + 1);
  // a download alone has no commanded speed: only what the VU recorded
  const withCommanded = options.commanded ?? true;
  const commanded = withCommanded ? commandedSpeed(story, start, end) : [];
  const recorded = [...last].map(([device, records]) => ({ device, points: recordedSpeed(records) })).filter((r) => r.points.length > 0);
  if (commanded.every((p) => p.kmh === 0) && recorded.length === 0) return undefined;
  const top = Math.max(20, ...commanded.map((p) => p.kmh), ...recorded.flatMap((r) => r.points.map((p) => p.kmh)));
  const yMax = Math.ceil(top / 20) * 20;
  const scale = timeScale(start, end, LABELS, WIDTH - 10);
  const h = 140;
  const y = (kmh: number) => 8 + (1 - kmh / yMax) * (h - 8);
  // both as steps: a commanded speed holds until the next command, a recorded one for its second
  const stepPath = (points: readonly { t: number; kmh: number }[]) =>
    points.map((p, i) => (i === 0 ? `M${n(scale.x(p.t))} ${n(y(p.kmh))}` : `H${n(scale.x(p.t))}V${n(y(p.kmh))}`)).join('');
  const yTicks = [0, yMax / 2, yMax].map((v) => `<line class="grid" x1="${LABELS}" y1="${n(y(v))}" x2="${WIDTH - 10}" y2="${n(y(v))}"/><text class="tick y" x="${LABELS - 4}" y="${n(y(v) + 4)}">${v}</text>`);
  const legend = [...(withCommanded ? [`<text class="legend commanded" x="4" y="20">commanded</text>`] : []), ...recorded.map((r, k) => `<text class="legend recorded" x="4" y="${36 + k * 16}">${esc(short(r.device, 12))} recorded</text>`)];
  const lines = [
    ...(withCommanded ? [`<path class="commanded" d="${stepPath(commanded)}"><title>commanded speed (world.speed, world.stop)</title></path>`] : []),
    ...recorded.map((r) => `<path class="recorded" data-device="${esc(r.device)}" d="${stepPath(r.points)}"><title>${esc(`${r.device}: detailed speed as downloaded (Annex IC 3.12.9)`)}</title></path>`),
  ];
  const caption = withCommanded ? 'Speed, km/h: commanded against recorded (detailed speed through the download)' : 'Speed, km/h: detailed speed as recorded';
  return `<figure><figcaption>${caption}</figcaption><svg class="chart speed" viewBox="0 0 ${WIDTH} ${h + 20}" width="100%" role="img" aria-label="speed">${yTicks.join('')}${axis(scale, h, offsetTicks(scale))}${lines.join('')}${legend.join('')}</svg></figure>`;
}

/**
 * What each motion sensor put on its pulse line, pulses per second over rig time (its rate frames, a step each,
 * issue 18): the sensor's side of the speed chart above, in the line's own unit (the pulse line does not carry
 * the vehicle's k, so km/h would be the report's guess). Injected or suppressed pulses (`pulseTamper`) and a cut
 * line show here and not in the commanded speed. The title of each step gives the line's pulse count there.
 */
export function renderPulseLineChart(result: TimeRange, lines: readonly PulseLine[]): string | undefined {
  const drawn = lines.filter((l) => l.rates.some((r) => r.pulsesPerSecond > 0));
  if (drawn.length === 0) return undefined;
  const start = Date.parse(result.start);
  const end = Math.max(Date.parse(result.end), start + 1);
  const top = Math.max(1, ...drawn.flatMap((l) => l.rates.map((r) => r.pulsesPerSecond)));
  const step = 10 ** Math.floor(Math.log10(top));
  const yMax = Math.ceil(top / step) * step;
  const scale = timeScale(start, end, LABELS, WIDTH - 10);
  const h = 100;
  const y = (pps: number) => 8 + (1 - pps / yMax) * (h - 8);
  const yTicks = [0, yMax / 2, yMax].map((v) => `<line class="grid" x1="${LABELS}" y1="${n(y(v))}" x2="${WIDTH - 10}" y2="${n(y(v))}"/><text class="tick y" x="${LABELS - 4}" y="${n(y(v) + 4)}">${v}</text>`);
  const paths = drawn.map((l) => {
    const points = [{ t: start, pulsesPerSecond: 0 }, ...l.rates.filter((r) => r.t >= start && r.t <= end), { t: end, pulsesPerSecond: l.rates.filter((r) => r.t <= end).at(-1)?.pulsesPerSecond ?? 0 }];
    const d = points.map((p, i) => (i === 0 ? `M${n(scale.x(p.t))} ${n(y(p.pulsesPerSecond))}` : `H${n(scale.x(p.t))}V${n(y(p.pulsesPerSecond))}`)).join('');
    const marks = l.rates
      .filter((r) => r.t >= start && r.t <= end)
      .map((r) => `<circle class="rate${r.lost ? ' lost' : ''}" cx="${n(scale.x(r.t))}" cy="${n(y(r.pulsesPerSecond))}" r="2"><title>${esc(`${new Date(r.t).toISOString().slice(11, 19)} ${r.lost ? 'line cut: no signal' : `${r.pulsesPerSecond} pulses/s from pulse ${r.position}`}`)}</title></circle>`);
    return `<g class="pulse-line" data-link="${esc(l.link)}"><path class="pulses" d="${d}"><title>${esc(`${l.link}: rate frames on the pulse line`)}</title></path>${marks.join('')}</g>`;
  });
  const legend = drawn.map((l, k) => `<text class="legend pulses" x="4" y="${20 + k * 16}">${esc(short(l.link.split('~')[0] ?? l.link, 12))}</text>`);
  return `<figure><figcaption>Pulse line, pulses per second: what the motion sensor signalled to the VU (its rate frames)</figcaption><svg class="chart pulse-lines" viewBox="0 0 ${WIDTH} ${h + 20}" width="100%" role="img" aria-label="pulse line">${yTicks.join('')}${axis(scale, h, offsetTicks(scale))}${paths.join('')}${legend.join('')}</svg></figure>`;
}

const ACTIVITY_HEIGHT: Record<string, number> = { driving: 1, work: 0.75, availability: 0.5, 'break-rest': 0.25 };
const DAY = 86_400_000;
/** At most this many days drawn: the last ones of the run. */
const MOST_DAYS = 7;

/**
 * The 24-hour activity bar of each slot and UTC day the scenario ran through (App. 1 ActivityChangeInfo: an
 * activity from its minute until the slot's next change; the bar stops at the run's end, past which nothing
 * was recorded yet). Heights as tachograph charts draw them: driving highest, break/rest lowest.
 */
export function renderActivityBars(result: TimeRange, records: readonly DeviceRecord[], device: string, mostDays = MOST_DAYS): string | undefined {
  const changes = records.filter((r) => r.kind === 'activity' && typeof r.at === 'number').sort((a, b) => a.at! - b.at!);
  if (changes.length === 0) return undefined;
  const start = Date.parse(result.start);
  const end = Date.parse(result.end);
  const firstDay = Math.max(Math.floor(start / DAY) * DAY, Math.floor(end / DAY) * DAY - (mostDays - 1) * DAY);
  const slots = [...new Set(changes.map((c) => String((c.fields as { slot?: string }).slot ?? 'driver')))];
  const rows: { day: number; slot: string }[] = [];
  for (let day = firstDay; day <= end; day += DAY) for (const slot of slots) rows.push({ day, slot });
  const barH = 28;
  const parts: string[] = [];
  rows.forEach(({ day, slot }, k) => {
    const top = k * (barH + 8) + 4;
    const scale = timeScale(day, day + DAY, LABELS, WIDTH - 10);
    parts.push(`<text class="row-label" x="${LABELS - 4}" y="${n(top + barH - 8)}">${esc(`${new Date(day).toISOString().slice(0, 10)} ${slot}`)}</text>`);
    parts.push(`<rect class="day" x="${LABELS}" y="${n(top)}" width="${WIDTH - 10 - LABELS}" height="${barH}"/>`);
    const mine = changes.filter((c) => String((c.fields as { slot?: string }).slot ?? 'driver') === slot);
    mine.forEach((c, i) => {
      const from = c.at!;
      const to = Math.min(mine[i + 1]?.at ?? end, end, day + DAY);
      if (to <= day || from >= day + DAY || to <= from) return;
      const activity = String(c.code);
      const height = (ACTIVITY_HEIGHT[activity] ?? 0.25) * barH;
      const status = (c.fields as { cardStatus?: string }).cardStatus;
      const x1 = scale.x(from);
      parts.push(
        `<rect class="activity ${esc(activity)}${status === 'not-inserted' ? ' no-card' : ''}" x="${n(x1)}" y="${n(top + barH - height)}" width="${n(Math.max(0.5, scale.x(to) - x1))}" height="${n(height)}"><title>${esc(`${slot} ${activity} ${new Date(Math.max(from, day)).toISOString().slice(11, 16)}–${to === day + DAY ? '24:00' : new Date(to).toISOString().slice(11, 16)}${status ? ` (card ${status})` : ''}`)}</title></rect>`,
      );
    });
    if (k === rows.length - 1) {
      const hours = Array.from({ length: 9 }, (_, h) => ({ t: day + h * 3 * 3_600_000, label: `${String(h * 3).padStart(2, '0')}:00` }));
      parts.push(axis(scale, top + barH + 2, hours));
    }
  });
  const height = rows.length * (barH + 8) + 22;
  const legend = Object.keys(ACTIVITY_HEIGHT).map((a) => `<span class="key ${a}">${esc(a)}</span>`).join(' ');
  return `<figure><figcaption>${esc(device)}: activities, 24-hour bar per UTC day (through the download) ${legend}</figcaption><svg class="chart activities" data-device="${esc(device)}" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="activities">${parts.join('')}</svg></figure>`;
}

/**
 * Events and faults as spans over the scenario's rig time, one row each with its code and name (an instant as
 * a diamond; one still on-going runs to the end). Records stamped before the start are drawn from the start.
 */
export function renderEventSpans(result: TimeRange, records: readonly DeviceRecord[], device: string): string | undefined {
  const start = Date.parse(result.start);
  const end = Math.max(Date.parse(result.end), start + 1);
  const spans = records.filter((r) => (r.kind === 'event' || r.kind === 'fault') && typeof r.at === 'number').sort((a, b) => a.at! - b.at!);
  if (spans.length === 0) return undefined;
  const scale = timeScale(start, end, LABELS, WIDTH - 10);
  const parts: string[] = [];
  spans.forEach((r, k) => {
    const top = 4 + k * 16;
    const name = String((r.fields as { name?: string } | undefined)?.name ?? '');
    const label = `${showCode(r.code)} ${name}`;
    const x1 = scale.x(r.at!);
    const to = r.end ?? end;
    const x2 = scale.x(to);
    const mark = x2 - x1 < 3 ? `<path d="M${n(x1)} ${n(top + 1)}l5 6l-5 6l-5 -6z"/>` : `<rect x="${n(x1)}" y="${n(top + 2)}" width="${n(x2 - x1)}" height="10"/>`;
    const when = `${r.kind} ${label} from +${formatDuration(Math.max(0, r.at! - start))}${r.end !== undefined ? ` to +${formatDuration(Math.max(0, r.end - start))}` : ', on-going'}`;
    parts.push(`<g class="span ${r.kind}${r.end === undefined ? ' ongoing' : ''}" data-code="${esc(showCode(r.code))}"><title>${esc(when)}</title><text class="row-label" x="${LABELS - 4}" y="${n(top + 11)}">${esc(short(label, 26))}</text>${mark}</g>`);
  });
  const axisY = 4 + spans.length * 16 + 2;
  return `<figure><figcaption>${esc(device)}: events and faults (through the download)</figcaption><svg class="chart events" data-device="${esc(device)}" viewBox="0 0 ${WIDTH} ${axisY + 18}" width="100%" role="img" aria-label="events and faults">${axis(scale, axisY, offsetTicks(scale), 0)}${parts.join('')}</svg></figure>`;
}
