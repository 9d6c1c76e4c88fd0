import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../engine/result.ts';
import { describePortTiming, progressLine, renderSummary } from './console.ts';

const download = { link: 'download', requester: 'ide.vu', answerer: 'vu.download', exchanges: 29, unanswered: 1, answerMs: { p50: 3500.095, p99: 3501.146, max: 3501.146 }, window: { name: 'P2 max', ms: 4000, of: 'ide' } };

const result = (clock: 'virtual' | 'wall'): ScenarioResult => ({
  id: 'over-speeding',
  title: 'over speeding',
  tags: [],
  covers: [],
  rig: 'bench-vu',
  seed: 1,
  outcome: 'pass',
  start: '2026-03-02T08:00:00.000Z',
  startFrom: 'scenario',
  end: '2026-03-02T08:14:00.000Z',
  wallMs: 840_000,
  steps: [],
  measurements: [],
  expectations: [],
  errors: [],
  attachments: [],
  portTiming: { clock, links: [download] },
});

// picocolors leaves colours out when the output is no terminal, as under vitest; strip them anyway
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('console report: answer times', () => {
  it('says in a line how close the answers run to their window', () => {
    expect(describePortTiming(download)).toBe('download ide.vu → vu.download: 29 exchanges, 1 unanswered, answers p50 3500.1 ms, p99 3501.1 ms, max 3501.1 ms; P2 max (ide) 4000 ms, max at 88 %');
    expect(describePortTiming({ link: 's', requester: 'vu.sensor', answerer: 'sensor.vu', exchanges: 0, unanswered: 0, answerMs: null })).toBe('s vu.sensor → sensor.vu: 0 exchanges');
  });

  it('prints them under a scenario run on a wall clock only: on virtual time they are the emulation\'s own', () => {
    expect(plain(renderSummary([result('wall')]))).toContain('\n     download ide.vu → vu.download: 29 exchanges');
    expect(plain(renderSummary([result('virtual')]))).not.toContain('exchanges');
  });
});

describe('console report: progress', () => {
  const p = { scenario: 'over-speeding', rigTime: Date.UTC(2026, 2, 2, 8, 1), elapsed: 60_000 };
  it('gives done/total and, at the pace so far, the wall time the rest may take', () => {
    expect(plain(progressLine({ ...p, state: 'running', suite: { index: 2, total: 10, remainingMs: 80_400 } }))).toBe('[2/10] RUN  over-speeding  rig +1m  2026-03-02T08:01:00.000Z  ~1m20s left');
    expect(plain(progressLine({ ...p, state: 'pass', suite: { index: 2, total: 10, remainingMs: 80_400 } }))).toBe('[3/10] PASS over-speeding  rig +1m  2026-03-02T08:01:00.000Z  ~1m20s left');
    // the first has no pace yet, the last nothing left
    expect(plain(progressLine({ ...p, state: 'running', suite: { index: 0, total: 10 } }))).toBe('[0/10] RUN  over-speeding  rig +1m  2026-03-02T08:01:00.000Z');
    expect(plain(progressLine({ ...p, state: 'fail', suite: { index: 9, total: 10, remainingMs: 5000 } }))).toBe('[10/10] FAIL over-speeding  rig +1m  2026-03-02T08:01:00.000Z');
  });

  it('is the bare line outside a suite', () => {
    expect(plain(progressLine({ ...p, state: 'running' }))).toBe('RUN  over-speeding  rig +1m  2026-03-02T08:01:00.000Z');
  });
});
