import { formatDuration } from '../../engine/duration.ts';

/** Text and attribute escaping for HTML and inline SVG. */
export function esc(text: unknown): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A number for an SVG coordinate: at most two decimals, no trailing zeros. */
export function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Maps rig time (ms since the epoch) onto x between `left` and `right`. */
export interface TimeScale {
  from: number;
  to: number;
  left: number;
  right: number;
  x(t: number): number;
}

export function timeScale(from: number, to: number, left: number, right: number): TimeScale {
  const span = Math.max(1, to - from);
  return { from, to, left, right, x: (t) => left + ((Math.min(Math.max(t, from), to) - from) / span) * (right - left) };
}

const TICK_STEPS = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000];

/** Ticks every round step from the start so that at most `most` fit, labelled as offsets (`+1h30m`). */
export function offsetTicks(scale: TimeScale, most = 10): { t: number; label: string }[] {
  const span = scale.to - scale.from;
  const step = TICK_STEPS.find((s) => span / s <= most) ?? Math.ceil(span / most);
  const ticks: { t: number; label: string }[] = [];
  for (let d = 0; d <= span; d += step) ticks.push({ t: scale.from + d, label: d === 0 ? '0' : `+${formatDuration(d)}` });
  return ticks;
}

/** An x axis at `y`: a line and the ticks' labels. */
export function axis(scale: TimeScale, y: number, ticks: readonly { t: number; label: string }[], gridTop?: number): string {
  const parts = [`<line class="axis" x1="${n(scale.left)}" y1="${n(y)}" x2="${n(scale.right)}" y2="${n(y)}"/>`];
  for (const tick of ticks) {
    const x = n(scale.x(tick.t));
    if (gridTop !== undefined) parts.push(`<line class="grid" x1="${x}" y1="${n(gridTop)}" x2="${x}" y2="${n(y)}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${n(y + 12)}">${esc(tick.label)}</text>`);
  }
  return parts.join('');
}

/** An ISO instant without its date when it is the one given (`08:00:03.500Z`), for labels. */
export function clockOf(t: number): string {
  return new Date(Math.floor(t)).toISOString().slice(11, 23) + 'Z';
}
