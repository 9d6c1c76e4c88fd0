import { parseDuration, formatDuration } from '../../engine/duration.ts';
import { describeNearMiss } from '../../engine/expectations.ts';
import type { CheckedExpectation, ScenarioResult } from '../../engine/result.ts';
import type { StoryEntry } from './input.ts';
import { conversationLanes, type Conversation } from './conversation.ts';
import { axis, esc, n, offsetTicks, timeScale, type TimeScale } from './svg.ts';

export const WIDTH = 1000;
export const LABELS = 150;
const ROW = 16;

/** Where an expectation's window lies in rig time; `open` where the author gave no bound (up to the check). */
export interface PlacedWindow {
  from: number;
  to: number;
  open: boolean;
}

/**
 * An expectation's window in rig time: its `window` bounds (an ISO instant, or an offset from the start as the
 * result record shows it, `2h30m`), a missing `from` the start and a missing `to` the check's instant.
 */
export function placeExpectation(e: CheckedExpectation, start: number): PlacedWindow {
  const at = Date.parse(e.at);
  const matcher = 'records' in e.expected ? e.expected.records : e.expected.absent;
  const w = matcher.window;
  // a bench window widened before the start shows as a negative offset (formatDuration: '-2s')
  const instant = (v: string) => (/^\d{4}-\d\d-\d\d/.test(v) ? Date.parse(v) : v.startsWith('-') ? start - parseDuration(v.slice(1)) : start + parseDuration(v));
  if (!w || (w.from === undefined && w.to === undefined)) return { from: start, to: at, open: true };
  return { from: w.from !== undefined ? instant(w.from) : start, to: w.to !== undefined ? instant(w.to) : at, open: false };
}

/** The id of expectation `j` of scenario `i` on the page: the near miss links to it. */
export function expectationId(i: number, j: number): string {
  return `s${i}-e${j}`;
}

/** Cuts of each link: from a `disconnected` to the next `connected` of the same link, or the end. */
export function linkCuts(story: readonly StoryEntry[], end: number): { link: string; from: number; to: number; detail?: string }[] {
  const open = new Map<string, { from: number; detail?: string }>();
  const cuts: { link: string; from: number; to: number; detail?: string }[] = [];
  for (const e of story) {
    if (e.kind !== 'link') continue;
    if (e.event === 'disconnected' && !open.has(e.link)) open.set(e.link, { from: e.t, ...(e.detail ? { detail: e.detail } : {}) });
    if (e.event === 'connected' && open.has(e.link)) {
      cuts.push({ link: e.link, to: e.t, ...open.get(e.link)! });
      open.delete(e.link);
    }
  }
  for (const [link, o] of open) cuts.push({ link, to: end, ...o });
  // the rig's teardown closes every link after the run's end: no cut of the story
  return cuts.filter((c) => c.from < end).sort((a, b) => a.from - b.from || a.link.localeCompare(b.link));
}

/**
 * The scenario's timeline over rig time, one SVG: the steps that act (stimuli, world, link actions), link cuts
 * shaded across every lane, the frames on each link and each device's state changes (when the trace gave them), each check's instant, and each expectation as a bar over its window, green or red
 * (a diamond where the window is one instant; a faint bar from the start where it has no bounds), a failed one
 * with its closest records as rings where they were.
 */
export function renderTimeline(result: ScenarioResult, story: readonly StoryEntry[], index: number, conversation?: Conversation): string {
  const start = Date.parse(result.start);
  const end = Math.max(Date.parse(result.end), start + 1);
  const scale = timeScale(start, end, LABELS, WIDTH - 10);
  const cuts = linkCuts(story, end);
  const cutLinks = [...new Set(cuts.map((c) => c.link))];
  const acting = result.steps.filter((s) => s.start !== undefined && s.do !== 'wait' && s.do !== 'until' && s.do !== 'check');
  const checks = [...new Map(result.expectations.map((e) => [`${e.check}@${e.at}`, e])).values()];

  const parts: string[] = [];
  let y = 4;
  // a lane whose rows carry labels of their own gets its name on a line above them
  const lane = (label: string, rows: number, headed = false) => {
    parts.push(`<text class="lane" x="4" y="${n(y + 12)}">${esc(label)}</text>`);
    if (headed) y += ROW;
    const top = y;
    y += Math.max(1, rows) * ROW + 6;
    return top;
  };

  // steps: three staggered rows of labels so neighbours do not overwrite each other
  const stepsTop = lane('steps', 3);
  acting.forEach((s, k) => {
    const x = scale.x(Date.parse(s.start!));
    const row = k % 3;
    const cls = s.outcome === 'error' ? 'step error' : 'step';
    parts.push(`<g class="${cls}" data-step="${s.index}"><title>${esc(`step ${s.index}: ${s.description}${s.start ? ` at ${s.start}` : ''}${s.error ? ` — ${s.error}` : ''}`)}</title><line x1="${n(x)}" y1="${n(stepsTop + row * ROW + 2)}" x2="${n(x)}" y2="${n(stepsTop + 3 * ROW)}"/><text x="${n(x + 2)}" y="${n(stepsTop + row * ROW + 12)}">${esc(short(s.description, 40))}</text></g>`);
  });

  const linksTop = cutLinks.length ? lane('link cuts', cutLinks.length, true) : undefined;
  cutLinks.forEach((link, k) => {
    parts.push(`<text class="row-label" x="${n(LABELS - 4)}" y="${n(linksTop! + k * ROW + 12)}">${esc(short(link, 24))}</text>`);
    for (const c of cuts.filter((x) => x.link === link)) {
      parts.push(`<rect class="cut-bar" x="${n(scale.x(c.from))}" y="${n(linksTop! + k * ROW + 3)}" width="${n(Math.max(1, scale.x(c.to) - scale.x(c.from)))}" height="${ROW - 6}"><title>${esc(`${link} cut ${formatDuration(c.from - start)} to ${formatDuration(c.to - start)}${c.detail ? ` (${c.detail})` : ''}`)}</title></rect>`);
    }
  });

  if (conversation) {
    const lanes = conversationLanes(conversation, scale, y, end);
    parts.push(lanes.svg);
    y += lanes.height;
  }

  const checksTop = lane('checks', 1);
  for (const c of checks) {
    const x = scale.x(Date.parse(c.at));
    parts.push(`<g class="check"><title>${esc(`check ${c.check} at ${c.at}`)}</title><circle cx="${n(x)}" cy="${n(checksTop + 8)}" r="4"/></g>`);
  }

  const expTop = lane('expectations', result.expectations.length, true);
  result.expectations.forEach((e, j) => {
    const w = placeExpectation(e, start);
    const rowY = expTop + j * ROW;
    const x1 = scale.x(w.from);
    const x2 = scale.x(w.to);
    const cls = `expectation ${e.outcome}${w.open ? ' open' : ''}`;
    const mark =
      x2 - x1 < 3
        ? `<path d="M${n(x1)} ${n(rowY + 2)}l5 6l-5 6l-5 -6z"/>`
        : `<rect x="${n(x1)}" y="${n(rowY + 3)}" width="${n(x2 - x1)}" height="${ROW - 6}"/>`;
    // a failed expectation's closest records, where they were: how far off the window they fell
    const near = (e.nearMisses ?? [])
      .filter((m) => m.record.at !== undefined)
      .map((m) => `<circle class="near" cx="${n(scale.x(Date.parse(m.record.at!)))}" cy="${n(rowY + 8)}" r="3"><title>${esc(`closest: ${describeNearMiss(m)}`)}</title></circle>`);
    parts.push(
      `<g id="${expectationId(index, j)}" class="${cls}"><title>${esc(`${e.name}: ${e.message}`)}</title><text class="row-label" x="${n(LABELS - 4)}" y="${n(rowY + 12)}">${esc(short(e.name, 24))}</text>${mark}${near.join('')}</g>`,
    );
  });

  const axisY = y + 2;
  const shades = cuts.map((c) => `<rect class="cut" x="${n(scale.x(c.from))}" y="0" width="${n(Math.max(1, scale.x(c.to) - scale.x(c.from)))}" height="${n(axisY)}"/>`);
  const checkLines = checks.map((c) => `<line class="check-line" x1="${n(scale.x(Date.parse(c.at)))}" y1="${n(checksTop)}" x2="${n(scale.x(Date.parse(c.at)))}" y2="${n(axisY)}"/>`);
  const height = axisY + 18;
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${n(height)}" width="100%" role="img" aria-label="timeline of ${esc(result.id)}">${shades.join('')}${axis(scale, axisY, offsetTicks(scale), 0)}${checkLines.join('')}${parts.join('')}</svg>`;
}

export function short(text: string, most: number): string {
  return text.length <= most ? text : `${text.slice(0, most - 1)}…`;
}

export type { TimeScale };
