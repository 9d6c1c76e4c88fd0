import { beforeAll, describe, expect, it } from 'vitest';
import { deviceKinds } from '../../devices/index.ts';
import { APPLICABLE_EVENT_FAULT_CODES } from '../../devices/vu/data-memory/applicable-codes.ts';
import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { loadRigFile } from '../../harness/rig/rig-loader.ts';
import { planFromRig } from '../../harness/rig/plan.ts';
import type { RigPlan } from '../../harness/rig/rig-runtime.ts';
import { scenario } from '../engine/builder.ts';
import { eventFaultCoverage, renderCoverage } from './coverage.ts';

let plan: RigPlan;
beforeAll(async () => {
  const rig = await loadRigFile('rigs/loopback.yaml', new DeviceRegistry(deviceKinds));
  plan = planFromRig(rig, rig.registry);
});

describe('EventFaultType coverage', () => {
  it('is issue 11 §3 set: 0x01-0x0E, 0x11-0x1B, 0x21-0x25, 0x31-0x39', () => {
    expect(APPLICABLE_EVENT_FAULT_CODES.length).toBe(39);
    expect(APPLICABLE_EVENT_FAULT_CODES.map((c) => c.toString(16)).join(' ')).toBe(
      '1 2 3 4 5 6 7 8 9 a b c d e 11 12 13 14 15 16 17 18 19 1a 1b 21 22 23 24 25 31 32 33 34 35 36 37 38 39',
    );
  });

  it('counts a code when a records expectation on a VU requires at least one record of it, in a check or at the end', () => {
    const a = scenario('a')
      .emulated('vu')
      .start('2026-03-02T08:00:00Z')
      .check('mid', (e) => e.records({ device: 'vu-egf', kind: 'event', code: 0x0e, count: 1 }))
      .expect((e) => e.records({ device: 'vu', kind: 'event', code: '0x07' }).records({ device: 'vu', kind: 'fault', code: 0x35, count: { min: 1, max: 2 } }))
      .build();
    const b = scenario('b')
      .emulated('vu')
      .start('2026-03-02T08:00:00Z')
      // none of these proves a code was seen: a count that allows none, an absence, the wrong kind, a non-VU device
      .expect((e) =>
        e
          .records({ device: 'vu', kind: 'event', code: 0x05, count: 0 })
          .records({ device: 'vu', kind: 'event', code: 0x04, count: { max: 3 } })
          .absent({ device: 'vu', kind: 'event', code: 0x08 })
          .records({ device: 'vu', kind: 'fault', code: 0x07 })
          .records({ device: 'operator-ru', kind: 'event', code: '03' }),
      )
      .build();
    const c = eventFaultCoverage([a, b], plan);
    const of = (code: string) => c.codes.find((r) => r.code === code)!;
    expect(of('0x07')).toEqual({ code: '0x07', name: 'over speeding', category: 'event', applicable: true, scenarios: ['a'] });
    expect(of('0x0E').scenarios).toEqual(['a']);
    expect(of('0x35').scenarios).toEqual(['a']);
    expect(of('0x03')).toEqual({ code: '0x03', name: 'time overlap', category: 'event', applicable: true, scenarios: [] });
    for (const code of ['0x04', '0x05', '0x08']) expect(of(code).scenarios).toEqual([]);
    expect(of('0x10').applicable).toBe(false);
    expect([c.covered, c.applicable]).toEqual([3, 39]);
    const text = renderCoverage(c).split('\n');
    expect(text).toContain('0x07\tevent\tapplicable\tover speeding\ta');
    expect(text).toContain('0x30\tfault\tnot applicable\trecording equipment fault, no further details\t-');
    expect(text.at(-1)).toBe('3 of 39 applicable codes covered');
  });
});

describe("the README's table of codes", () => {
  it('is what `rig list --covers --markdown` prints for the shipped scenarios', async () => {
    const { readFile } = await import('node:fs/promises');
    const { discoverScenarioFiles, loadScenarioFile } = await import('../engine/loader.ts');
    const { renderCoverageMarkdown } = await import('./coverage.ts');
    const scenarios = [];
    for (const file of await discoverScenarioFiles(['src/scenarios'])) for (const { scenario } of await loadScenarioFile(file)) scenarios.push(scenario);
    const readme = await readFile('README.md', 'utf8');
    const block = /<!-- coverage:begin -->\n([\s\S]*?)\n<!-- coverage:end -->/.exec(readme)?.[1];
    expect(block, 'README.md has a coverage block').toBeDefined();
    expect(block).toBe(renderCoverageMarkdown(eventFaultCoverage(scenarios, plan)));
  }, 60_000);
});
