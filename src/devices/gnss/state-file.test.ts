import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceKinds } from '../index.ts';
import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { parseRig } from '../../harness/rig/index.ts';
import { planFromRig } from '../../harness/rig/plan.ts';
import { Rig } from '../../harness/rig/rig-runtime.ts';

/**
 * An EGF that outlives one rig run, as a bench's emulated peer of a VU under test that stays coupled between
 * scenarios: its state file keeps the VU_MA certificate the coupling stored (CSM_210). Each run is a fresh rig;
 * the VU keeps its own memory (the EGF's certificate, its session) in its data memory file.
 */
const T0 = Date.UTC(2026, 3, 1, 8, 0, 0);
const HOUR = 3_600_000;
const registry = new DeviceRegistry(deviceKinds);

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rigText = (vuFile: string, egfFile?: string) => `
clock: virtual
devices:
  vu:
    kind: vu
    options:
      dataMemoryFile: ${vuFile}
      gnss: { receiver: external }
      cards:
        wendy:
          type: workshop
          issuingMemberState: B
          cardNumber: B000000000777000
          workshopName: W
          holder: { surname: W, firstNames: W }
          validity: { begin: '2025-01-01', expiry: '2030-12-31' }
  egf: { kind: gnss, options: { testPki: {}${egfFile ? `, stateFile: ${egfFile}` : ''} } }
links:
  - { ends: [egf.vu, vu.gnss], transport: memory, deliveryQuantumMs: 5 }
`;

/** A run from `start`: `body`, then the VU's events and faults stamped in this run. */
async function run(text: string, start: number, body: (rig: Rig) => Promise<void>): Promise<string[]> {
  const rig = await Rig.start(planFromRig(parseRig(text, 'egf-state.yaml', registry), registry), { start });
  try {
    await body(rig);
    const records = await rig.records('vu');
    expect(rig.host.errors).toEqual([]);
    return records.filter((r) => (r.kind === 'event' || r.kind === 'fault') && r.at! >= start).map((r) => `${r.kind} 0x${Number(r.code).toString(16)}`);
  } finally {
    await rig.close();
  }
}

describe("an EGF's state file (options.stateFile)", () => {
  it('keeps the coupled VU for the next run, where an EGF without it refuses the VU three times: 0x1A', async () => {
    dir = mkdtempSync(join(tmpdir(), 'egf-state-'));
    const files = { vu: join(dir, 'vu.dm'), egf: join(dir, 'egf.json') };
    const coupled = await run(rigText(files.vu, files.egf), T0, async (rig) => {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
      rig.host.stimulate('vu', 'coupleGnss', {});
      await rig.clock.advance(30_000);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      await rig.clock.advance(60_000);
    });
    expect(coupled).toEqual([]);
    const saved = JSON.parse(readFileSync(files.egf, 'utf8')) as { version: number; serialNumber: string; coupledVu: string };
    expect([saved.version, saved.serialNumber]).toEqual([1, '0000000101260840']);
    expect(saved.coupledVu).toMatch(/^7f21/); // a CV certificate (tag 7F21), the VU's VU_MA

    writeFileSync(join(dir, 'vu-copy.dm'), readFileSync(files.vu));
    // the next run: a fresh EGF that kept the coupling, a VU that kept its side: it authenticates again at once
    expect(await run(rigText(files.vu, files.egf), T0 + HOUR, (rig) => rig.clock.advance(120_000))).toEqual([]);
    // the control: the same VU with an EGF that forgot the coupling
    expect(await run(rigText(join(dir, 'vu-copy.dm')), T0 + HOUR, (rig) => rig.clock.advance(120_000))).toContain('event 0x1a');
  });

  it('ignores the state of another unit, and refuses a file that is not one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'egf-state-'));
    const file = join(dir, 'egf.json');
    writeFileSync(file, JSON.stringify({ version: 1, serialNumber: '0000000201260840', coupledVu: '7f21' }));
    const rig = await Rig.start(planFromRig(parseRig(rigText(join(dir, 'vu.dm'), file), 'egf-state.yaml', registry), registry), { start: T0 });
    try {
      expect((rig.actor('egf')!.getSnapshot() as { context: { security: { coupledVu: string | null } } }).context.security.coupledVu).toBeNull();
    } finally {
      await rig.close();
    }
    writeFileSync(file, '{"version":1}');
    await expect(Rig.start(planFromRig(parseRig(rigText(join(dir, 'vu2.dm'), file), 'egf-state.yaml', registry), registry), { start: T0 })).rejects.toThrow(`the EGF's state file ${file} is not one: serialNumber:`);
  });
});
