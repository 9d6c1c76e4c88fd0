import type { TraceEntry } from '../../../harness/trace/index.ts';
import { formatDuration } from '../../engine/duration.ts';
import { esc, n, type TimeScale } from './svg.ts';
import { LABELS, short, WIDTH } from './timeline.ts';

type Frame = Extract<TraceEntry, { kind: 'frame' }>;
type Transition = Extract<TraceEntry, { kind: 'transition' }>;

/** Frames kept per link for the page's list (every frame is counted and drawn as a tick). */
export const FRAMES_LISTED = 40;
/** Transitions kept per actor: past this the actor's lane says how many more there were. */
export const TRANSITIONS_KEPT = 150;

/**
 * What the devices said to each other, kept small enough for a page: per link every frame's instant (a tick
 * each) and the first FRAMES_LISTED frames whole (hex, decoded fields); per device and actor its state
 * transitions, the first TRANSITIONS_KEPT of them.
 */
export interface Conversation {
  links: { link: string; times: number[]; listed: Frame[] }[];
  actors: { device: string; actor: string; transitions: Transition[]; more: number }[];
  /**
   * Each pulse line's signal, every rate frame of it (a few per change of speed, issue 18): from `t` on, the
   * sensor puts `pulsesPerSecond` on the line; `position` is the line's pulse count at `t`. Absent in reports
   * written before it was gathered.
   */
  pulseLines?: PulseLine[];
}

export interface PulseLine {
  link: string;
  /** The rate frames in order; `lost`: the line was cut from `t` (no signal until the next frame). */
  rates: { t: number; pulsesPerSecond: number; position?: number; lost?: true }[];
}

/** A rate frame's decoded fields (src/protocols/motion-sensor/port-codecs.ts, pulseCodec.describe). */
function rateOf(e: Frame): { at: number; pulsesPerSecond: number; position: number } | undefined {
  if (e.codec !== 'motion-sensor-pulses' || !e.decoded || typeof e.decoded !== 'object') return undefined;
  const d = e.decoded as { at?: unknown; pulsesPerSecond?: unknown; position?: unknown };
  if (typeof d.pulsesPerSecond !== 'number' || typeof d.at !== 'string' || typeof d.position !== 'number') return undefined;
  return { at: Date.parse(d.at), pulsesPerSecond: d.pulsesPerSecond, position: d.position };
}

/** Gathers the conversation from trace entries in order (one pass: a long run's trace is streamed through it). */
export class ConversationCollector {
  private readonly links = new Map<string, { times: number[]; listed: Frame[] }>();
  private readonly actors = new Map<string, { device: string; actor: string; transitions: Transition[]; more: number }>();
  private readonly pulseLines = new Map<string, PulseLine['rates']>();

  add(e: TraceEntry): void {
    if (e.kind === 'frame') {
      const rate = rateOf(e);
      if (rate) {
        const rates = this.pulseLines.get(e.link) ?? [];
        this.pulseLines.set(e.link, rates);
        rates.push({ t: rate.at, pulsesPerSecond: rate.pulsesPerSecond, position: rate.position });
      }
      const l = this.links.get(e.link) ?? { times: [], listed: [] };
      this.links.set(e.link, l);
      l.times.push(e.t);
      if (l.listed.length < FRAMES_LISTED) l.listed.push(e);
    } else if (e.kind === 'link' && this.pulseLines.has(e.link)) {
      // a cut line carries no signal until the sensor's next rate frame reaches the VU
      if (e.event === 'disconnected') this.pulseLines.get(e.link)!.push({ t: e.t, pulsesPerSecond: 0, lost: true });
    } else if (e.kind === 'transition') {
      const key = `${e.device}/${e.actor}`;
      const a = this.actors.get(key) ?? { device: e.device, actor: e.actor, transitions: [], more: 0 };
      this.actors.set(key, a);
      if (a.transitions.length < TRANSITIONS_KEPT) a.transitions.push(e);
      else a.more++;
    }
  }

  result(): Conversation {
    return {
      links: [...this.links].map(([link, l]) => ({ link, ...l })).sort((a, b) => a.link.localeCompare(b.link)),
      actors: [...this.actors.values()].sort((a, b) => `${a.device}/${a.actor}`.localeCompare(`${b.device}/${b.actor}`)),
      ...(this.pulseLines.size ? { pulseLines: [...this.pulseLines].map(([link, rates]) => ({ link, rates })).sort((a, b) => a.link.localeCompare(b.link)) } : {}),
    };
  }
}

/** A state value as a short label: `powered.sampling` for the first path of a nested state, the string itself else. */
export function stateLabel(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    if (key === undefined) return '';
    const rest = stateLabel(inner);
    return rest ? `${key}.${rest}` : key;
  }
  return String(value);
}

const ROW = 16;

/**
 * The timeline's lanes for the conversation, from `top`: a row per link with a tick per frame, a row per actor
 * whose state changed with a band per state. Returns the SVG parts and the height used.
 */
export function conversationLanes(c: Conversation, scale: TimeScale, top: number, end: number): { svg: string; height: number } {
  const parts: string[] = [];
  let y = top;
  if (c.links.length) {
    parts.push(`<text class="lane" x="4" y="${n(y + 12)}">frames</text>`);
    y += ROW;
    for (const l of c.links) {
      // one tick per half pixel: a busy link's thousands of frames draw as the few hundred marks a page can show
      const xs = [...new Set(l.times.map((t) => Math.round(scale.x(t) * 2) / 2))];
      const ticks = xs.map((x) => `M${n(x)} ${n(y + 3)}v10`).join('');
      parts.push(`<g class="frames" data-link="${esc(l.link)}"><title>${esc(`${l.link}: ${l.times.length} frames`)}</title><text class="row-label" x="${n(LABELS - 4)}" y="${n(y + 12)}">${esc(short(l.link, 24))}</text><path d="${ticks}"/></g>`);
      y += ROW;
    }
    y += 6;
  }
  const changing = c.actors.filter((a) => a.transitions.length > 1);
  if (changing.length) {
    parts.push(`<text class="lane" x="4" y="${n(y + 12)}">states</text>`);
    y += ROW;
    for (const a of changing) {
      const bands = a.transitions.map((tr, i) => {
        const from = tr.t;
        const to = a.transitions[i + 1]?.t ?? end;
        const x1 = scale.x(from);
        const w = Math.max(0.5, scale.x(to) - x1);
        const label = stateLabel(tr.to);
        const text = w > label.length * 5.5 ? `<text x="${n(x1 + 2)}" y="${n(y + 11)}">${esc(label)}</text>` : '';
        return `<g class="state s${i % 2}"><title>${esc(`${a.device} ${a.actor}: ${label} from +${formatDuration(Math.max(0, from - scale.from))} (${tr.event})`)}</title><rect x="${n(x1)}" y="${n(y + 2)}" width="${n(w)}" height="${ROW - 4}"/>${text}</g>`;
      });
      const more = a.more ? ` (+${a.more} more transitions not drawn)` : '';
      parts.push(`<g class="actor" data-actor="${esc(`${a.device}/${a.actor}`)}"><text class="row-label" x="${n(LABELS - 4)}" y="${n(y + 12)}">${esc(short(`${a.device} ${a.actor}`, 24))}<title>${esc(`${a.device} ${a.actor}${more}`)}</title></text>${bands.join('')}</g>`);
      y += ROW;
    }
    y += 6;
  }
  return { svg: parts.join(''), height: y - top };
}

/** The frames of each link as a list to expand: instant, direction, hex and the codec's decoded fields. */
export function frameLists(c: Conversation, start: number): string {
  if (c.links.length === 0) return '';
  const lists = c.links.map((l) => {
    const rows = l.listed.map(
      (f) =>
        `<tr><td class="num">+${esc(formatDuration(Math.max(0, Math.round((f.t - start) * 1000) / 1000)))}</td><td>${esc(`${f.from} → ${f.to}`)}</td><td><code>${esc(f.hex)}</code></td><td><code>${esc(f.decodeError ? `not decoded: ${f.decodeError}` : f.decoded === undefined ? '' : JSON.stringify(f.decoded))}</code></td></tr>`,
    );
    const shown = l.listed.length < l.times.length ? `the first ${l.listed.length} of ${l.times.length}` : `${l.times.length}`;
    return `<details class="frames"><summary>${esc(l.link)}: ${shown} frames</summary><table><tr><th>rig time</th><th>from → to</th><th>hex</th><th>decoded</th></tr>${rows.join('')}</table></details>`;
  });
  return `<div class="frame-lists">${lists.join('')}</div>`;
}

export { WIDTH };
