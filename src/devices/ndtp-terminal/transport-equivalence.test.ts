import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../../harness/trace/index.ts';
import { loadScenarioFile } from '../../scenarios/engine/loader.ts';
import { runScenario } from '../../scenarios/engine/runner.ts';
import { loadSuite } from '../../scenarios/engine/suite.ts';

/** Everything but the link bookkeeping, which names transport details (the TCP port). */
const behaviour = (trace: readonly TraceEntry[]) => trace.filter((e) => e.kind !== 'link');

describe('NDTP over a real TCP connection and over a memory link', () => {
  it('gives the same frames, transitions and records at the same rig instants (the tcp link settles the virtual clock)', async () => {
    const [{ scenario }] = await loadScenarioFile('src/scenarios/ndtp/ndtp-busy-then-ok.scenario.yaml');
    const { plan } = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: [] });
    const ours = (name: string) => name === 'tanker' || name === 'egais';
    const tcp = { ...plan, devices: plan.devices.filter((d) => ours(d.name)), links: plan.links.filter((l) => l.ends.every((e) => ours(e.split('.')[0]!))) };
    expect(tcp.links.map((l) => l.transport)).toEqual(['tcp']);
    const memory = { ...tcp, links: tcp.links.map((l) => ({ ...l, transport: 'memory' as const })) };
    const onTcp = await runScenario(scenario!, tcp);
    const onMemory = await runScenario(scenario!, memory);
    expect(onTcp.result.outcome).toBe('pass');
    expect(onMemory.result.outcome).toBe('pass');
    expect(behaviour(onTcp.trace)).toEqual(behaviour(onMemory.trace));
    expect(behaviour(onTcp.trace).filter((e) => e.kind === 'frame').length).toBeGreaterThan(10);
    expect(onTcp.trace.find((e) => e.kind === 'link')).toMatchObject({ event: 'connected', detail: expect.stringMatching(/^TCP tanker\.uplink → egais\.ndtp at tcp:\/\/127\.0\.0\.1:\d+$/) });
  });
});
