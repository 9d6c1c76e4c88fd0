import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../src/harness/trace/index.ts';
import { loadScenarioFile } from '../src/scenarios/engine/loader.ts';
import { runScenario } from '../src/scenarios/engine/runner.ts';
import { loadSuite } from '../src/scenarios/engine/suite.ts';

/** Everything but the link bookkeeping, which names transport details (socat pid, pty paths). */
const behaviour = (trace: readonly TraceEntry[]) => trace.filter((e) => e.kind !== 'link');

describe('the same scenario on memory links and on pty pairs', () => {
  it('produces the same frames, transitions and stimuli at the same rig instants', async () => {
    const [{ scenario }] = await loadScenarioFile('test/scenarios/silence.scenario.yaml');
    const memory = await loadSuite({ rigFile: 'test/rigs/beacon-logger.yaml', paths: [] });
    const pty = await loadSuite({ rigFile: 'test/rigs/beacon-logger-pty.yaml', paths: [] });
    const onMemory = await runScenario(scenario!, memory.plan);
    const onPty = await runScenario(scenario!, pty.plan);
    expect(onMemory.result.outcome).toBe('pass');
    expect(onPty.result.outcome).toBe('pass');
    expect(behaviour(onPty.trace)).toEqual(behaviour(onMemory.trace));
    expect(behaviour(onMemory.trace).filter((e) => e.kind === 'frame')).toHaveLength(8);
    // The answer times measured on the line are the same too: the pty's wires pace as the memory link's do.
    expect(onPty.result.portTiming).toEqual(onMemory.result.portTiming);
    expect(onMemory.result.portTiming!.links[0]).toMatchObject({ exchanges: 4, answerMs: { p50: 1.042, p99: 1.042, max: 1.042 } });
    expect(onPty.trace[0]).toMatchObject({ kind: 'link', event: 'connected', detail: expect.stringMatching(/^socat pid \d+: beacon\.out=\/.*\/beacon\.out, logger\.in=\/.*\/logger\.in$/) });
  });
});
