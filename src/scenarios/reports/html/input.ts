import type { TraceEntry } from '../../../harness/trace/index.ts';
import type { CheckRead } from '../../engine/records-attachment.ts';
import type { ScenarioResult } from '../../engine/result.ts';
import type { Conversation } from './conversation.ts';

/**
 * Everything the HTML report is rendered from: the result records and, per scenario, its attachments (what
 * the checks read, the trace's story entries). Gathered from a report directory by load.ts; the renderer
 * (render-html.ts) is a pure function of it.
 */
export interface ReportInput {
  run: RunSummary;
  scenarios: ScenarioReport[];
}

export interface RunSummary {
  /** The commit the run was made from (`git rev-parse HEAD`), when known. */
  gitCommit?: string;
  /** Wall time of the whole run, ms; the scenarios' sum when not given. */
  wallMs?: number;
  /** The rig file the run used. */
  rigFile?: string;
  /** Devices under test outside the rig (mode external) and what they said they are (a VU's identification). */
  dut?: DutIdentity[];
}

export interface DutIdentity {
  device: string;
  kind: string;
  /** Fields of its identification record as read (manufacturer, part and serial number, software, approval). */
  identity?: Record<string, unknown>;
}

export interface ScenarioReport {
  result: ScenarioResult;
  /** `<id>.records.json`'s reads, when attached. */
  reads?: CheckRead[];
  /** The trace's story: the scenario's stimuli, steps, link events, errors and notes (storyOf). */
  story?: StoryEntry[];
  /** The trace's frames per link and state transitions per device (conversation.ts), kept small. */
  conversation?: Conversation;
}

export type StoryEntry = Extract<TraceEntry, { kind: 'stimulus' | 'link' | 'step' | 'error' | 'note' }>;

/**
 * The entries of a trace a report draws: stimuli the scenario applied (not those a device applied through its
 * wiring: they are the devices' conversation), link events, steps, errors and notes. Frames and transitions
 * stay in the trace file.
 */
export function storyOf(entries: Iterable<TraceEntry>): StoryEntry[] {
  const out: StoryEntry[] = [];
  for (const e of entries) {
    if (e.kind === 'stimulus' && e.by !== undefined) continue;
    if (e.kind === 'stimulus' || e.kind === 'link' || e.kind === 'step' || e.kind === 'error' || e.kind === 'note') out.push(e);
  }
  return out;
}
