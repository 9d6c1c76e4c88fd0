import { afterEach, describe, expect, it } from 'vitest';
import { deviceKinds } from '../src/devices/index.ts';
import { DeviceRegistry } from '../src/harness/devices/registry.ts';
import { parseRig } from '../src/harness/rig/index.ts';
import { planFromRig } from '../src/harness/rig/plan.ts';
import { Rig } from '../src/harness/rig/rig-runtime.ts';
import { runScenario } from '../src/scenarios/engine/runner.ts';
import { scenarioSchema } from '../src/scenarios/engine/schema.ts';
import { benchRigText, standInRigText } from './fixtures/bench-rigs.ts';

/**
 * How the rig reads an external VU, over socat pty pairs on the wall clock: a download on its front connector,
 * and, where the VU will not give its data in the mode it is in, the bench's card switch inserts the VU's
 * downloadCard first. In operational mode with a driver card in a slot, a VU opens the session for that card's
 * data (Annex IC 12 (b)) but refuses its own overview ('FA' data not available): that too needs the card.
 */
const registry = new DeviceRegistry(deviceKinds);
const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0).reverse()) await rig.close();
});

async function standIn(): Promise<Rig> {
  const text = standInRigText()
    .replace('  actuator: { kind: bench-actuator, mode: external }', '  actuator: { kind: bench-actuator, mode: external }\n  ide: { kind: ide, mode: external }')
    .replace(/\n$/, '\n  - { ends: [ide.vu, vu.download], transport: pty, framing: 8E1 }\n');
  const rig = await Rig.start(planFromRig(parseRig(text, 'stand-in.yaml', registry), registry), { start: Date.now() });
  rigs.push(rig);
  return rig;
}

describe('reading an external VU through its download', () => {
  it('with a driver card in (operational mode), inserts the downloadCard, downloads, and withdraws it', async () => {
    const vuSide = await standIn();
    const path = (device: string, port: string) => vuSide.openEnds().find((e) => e.device === device && e.port === port)!.path;
    const text = benchRigText({ relay: path('actuator', 'relay'), psu: path('actuator', 'psu') }, '\n  ide: { kind: ide }')
      .replace('    mode: external\n    options:\n', '    mode: external\n    options:\n      downloadCard: { card: wendy, slot: co-driver, readMs: 500 }\n')
      .replace(/\n$/, `\n  - { ends: [ide.vu, vu.download], transport: serial, framing: 8E1, paths: { ide.vu: ${path('ide', 'vu')} } }\n`);
    const bench = planFromRig(parseRig(text, 'bench.yaml', registry), registry);
    const scenario = scenarioSchema.parse({
      id: 'read-operational',
      title: 'a check with a driver card in',
      requires: { mayBeExternal: ['vu'] },
      start: '2026-03-02T08:00:00Z',
      steps: [
        { do: 'stimulus', device: 'vu', name: 'insertCard', args: { slot: 'driver', card: 'anna' } },
        { do: 'wait', for: '1s' },
        { do: 'check', expect: [{ records: { device: 'vu', kind: 'cardInsertion', code: 'B000000012345601', count: 1, fields: { slot: 'driver', withdrawn: false } } }] },
      ],
    });
    const { result, trace } = await runScenario(scenario, bench);
    expect(result.steps.map((s) => s.error ?? s.outcome)).toEqual(['pass', 'pass', 'pass']);
    expect(result.outcome).toBe('pass');
    // the card switch did it: wendy into the co-driver slot for the download, and out again
    expect(trace.filter((e) => e.kind === 'stimulus').map((e) => [e.name, e.args, e.via])).toEqual([
      ['bench.reset', undefined, 'relay'],
      ['insertCard', { slot: 'driver', card: 'anna' }, 'relay'],
      ['insertCard', { slot: 'co-driver', card: 'wendy' }, 'relay'],
      ['withdrawCard', { slot: 'co-driver' }, 'relay'],
    ]);
  });
});
