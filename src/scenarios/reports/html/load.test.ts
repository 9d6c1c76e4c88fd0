import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../engine/result.ts';
import { loadReportInput } from './load.ts';

const result: ScenarioResult = {
  id: 'bench-run',
  title: 'on the bench',
  tags: [],
  covers: [],
  rig: 'bench-vu',
  seed: 1,
  outcome: 'pass',
  start: '2026-03-02T08:00:00.000Z',
  startFrom: 'wall-clock',
  end: '2026-03-02T08:01:00.000Z',
  wallMs: 60_000,
  steps: [],
  measurements: [],
  expectations: [],
  errors: [],
  attachments: [
    { name: 'trace', mediaType: 'application/x-ndjson', path: 'bench-run.trace.jsonl' },
    { name: 'records', mediaType: 'application/json', path: 'bench-run.records.json' },
  ],
};

describe("the report's input from a report directory", () => {
  it("keeps the trace's story (not frames, transitions, or stimuli a device applied) and identifies the device under test", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rig-report-input-'));
    const T = Date.UTC(2026, 2, 2, 8);
    const lines = [
      { t: T, at: '2026-03-02T08:00:00.000Z', kind: 'step', index: 0, description: 'world: speed {"kmh":50}', phase: 'start' },
      { t: T, at: '2026-03-02T08:00:00.000Z', kind: 'stimulus', name: 'world.speed', args: { kmh: 50 } },
      { t: T + 1, at: '2026-03-02T08:00:00.001Z', kind: 'frame', link: 'l', from: 'a', to: 'b', hex: '00' },
      { t: T + 1, at: '2026-03-02T08:00:00.001Z', kind: 'transition', device: 'vu', actor: 'vu', from: 'a', to: 'b', event: 'x' },
      { t: T + 2, at: '2026-03-02T08:00:00.002Z', kind: 'stimulus', device: 'sensor', name: 'pulse', by: 'vu' },
      { t: T + 3, at: '2026-03-02T08:00:00.003Z', kind: 'link', link: 'l', event: 'disconnected' },
    ];
    await writeFile(join(dir, 'bench-run.trace.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const identification = { manufacturerName: 'ACME', approvalNumber: 'e1-123' };
    await writeFile(join(dir, 'bench-run.records.json'), JSON.stringify({ scenario: 'bench-run', reads: [{ check: 'end', at: result.end, devices: { vu: [{ kind: 'vuIdentification', code: 'e1-123', fields: identification }] } }] }));
    const input = await loadReportInput([result], dir, { dut: [{ device: 'vu', kind: 'vu' }, { device: 'egf', kind: 'gnss' }] });
    expect(input.scenarios[0]!.story!.map((e) => e.kind)).toEqual(['step', 'stimulus', 'link']);
    const conversation = input.scenarios[0]!.conversation!;
    expect(conversation.links.map((l) => [l.link, l.times])).toEqual([['l', [T + 1]]]);
    expect(conversation.actors.map((a) => [a.device, a.actor, a.transitions.length, a.more])).toEqual([['vu', 'vu', 1, 0]]);
    expect(input.run.dut).toEqual([{ device: 'vu', kind: 'vu', identity: identification }, { device: 'egf', kind: 'gnss' }]);
    expect(input.scenarios[0]!.reads![0]!.devices['vu']).toHaveLength(1);
  });

  it('leaves out what is not attached', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rig-report-input-'));
    const input = await loadReportInput([{ ...result, attachments: [] }], dir);
    expect(input).toEqual({ run: {}, scenarios: [{ result: { ...result, attachments: [] } }] });
  });
});
