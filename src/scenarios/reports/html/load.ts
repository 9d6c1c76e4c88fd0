import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TraceEntry } from '../../../harness/trace/index.ts';
import type { RecordsAttachment } from '../../engine/records-attachment.ts';
import type { ScenarioResult } from '../../engine/result.ts';
import { lastRecords } from './charts.ts';
import { ConversationCollector, type Conversation } from './conversation.ts';
import { storyOf, type DutIdentity, type ReportInput, type RunSummary, type ScenarioReport, type StoryEntry } from './input.ts';

/**
 * The report's input from the result records and the attachments beside them in the report directory (what
 * the checks read, the trace's story); a missing attachment leaves its part out. Each device under test
 * gets its identification as its last read gave it (a record of kind `...Identification`).
 */
export async function loadReportInput(results: readonly ScenarioResult[], dir: string, run: RunSummary = {}): Promise<ReportInput> {
  const scenarios: ScenarioReport[] = [];
  for (const result of results) {
    const recordsPath = result.attachments.find((a) => a.name === 'records')?.path;
    const tracePath = result.attachments.find((a) => a.name === 'trace')?.path;
    const reads = recordsPath ? ((JSON.parse(await readFile(join(dir, recordsPath), 'utf8')) as RecordsAttachment).reads ?? undefined) : undefined;
    const trace = tracePath ? await readTrace(join(dir, tracePath)).catch(() => undefined) : undefined;
    scenarios.push({ result, ...(reads ? { reads } : {}), ...(trace ? trace : {}) });
  }
  const dut = run.dut?.map((d): DutIdentity => {
    const identity = scenarios
      .flatMap((s) => lastRecords(s.reads ?? []).get(d.device) ?? [])
      .findLast((r) => /identification$/i.test(r.kind))?.fields;
    return { ...d, ...(identity ? { identity } : {}) };
  });
  return { run: { ...run, ...(dut ? { dut } : {}) }, scenarios };
}

/** A JSONL trace's story entries (storyOf) and its conversation (conversation.ts), reading it a line at a time. */
export async function readTrace(file: string): Promise<{ story: StoryEntry[]; conversation: Conversation }> {
  const entries: TraceEntry[] = [];
  const conversation = new ConversationCollector();
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const entry = JSON.parse(line) as TraceEntry;
    if (entry.kind === 'frame' || entry.kind === 'transition') conversation.add(entry);
    else entries.push(entry);
  }
  return { story: storyOf(entries), conversation: conversation.result() };
}

/** The commit the working directory is at, or undefined outside a git checkout. */
export function gitCommit(cwd = process.cwd()): Promise<string | undefined> {
  return new Promise((resolve) => execFile('git', ['rev-parse', 'HEAD'], { cwd }, (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined)));
}
