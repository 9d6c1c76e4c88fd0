import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestMsca } from '../../crypto/index.ts';
import { FRAMING_8N1, NO_FAULTS } from '../../harness/links/index.ts';
import { Rig, type RigPlan } from '../../harness/rig/rig-runtime.ts';
import { vuKind } from '../vu/index.ts';
import { motionSensorKind } from './index.ts';

/**
 * A sensor that outlives one rig run, as a bench's emulated peer of a VU under test that stays paired between
 * scenarios: its state file keeps the pairing, the event counts and the authenticated counter. Each run is a
 * fresh rig; the VU keeps its own memory in its data memory file, as a real VU keeps it.
 */
const T0 = Date.UTC(2026, 3, 1, 8, 0, 0);
const HOUR = 3_600_000;
const msca = new TestMsca();
const cards = {
  wendy: { type: 'workshop', issuingMemberState: 'B', cardNumber: 'B000000000777000', workshopName: 'W', holder: { surname: 'W', firstNames: 'W' }, validity: { begin: '2025-01-01', expiry: '2030-12-31' }, kmwcKeys: msca.workshopCardKeys([1], 128) },
  anna: { type: 'driver', issuingMemberState: 'B', cardNumber: 'B000000012345601', holder: { surname: 'PEETERS', firstNames: 'Anna' }, validity: { begin: '2025-01-01', expiry: '2030-12-31' } },
};
const link = (a: string, b: string) => ({ id: `${a}~${b}`, ends: [a, b] as [string, string], transport: 'memory' as const, baud: 9600, framing: FRAMING_8N1, pacing: true, faults: NO_FAULTS });

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function plan(files: { vu: string; sensor?: string }): RigPlan {
  return {
    name: 'sensor-state',
    clock: 'virtual',
    seed: 1,
    devices: [
      { name: 'vu', kind: vuKind, mode: 'emulated', options: vuKind.options.parse({ cards, dataMemoryFile: files.vu }) },
      { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse(files.sensor ? { stateFile: files.sensor } : {}) },
    ],
    links: [link('sensor.pulses', 'vu.pulses'), link('sensor.vu', 'vu.sensor')],
  };
}

/** A run of the rig from `start`: what `body` does, then the VU's events and faults stamped in this run. */
async function run(p: RigPlan, start: number, body: (rig: Rig) => Promise<void>): Promise<string[]> {
  const rig = await Rig.start(p, { start });
  try {
    await body(rig);
    const records = await rig.records('vu');
    expect(rig.host.errors).toEqual([]);
    return records.filter((r) => (r.kind === 'event' || r.kind === 'fault') && r.at! >= start).map((r) => `${r.kind} 0x${Number(r.code).toString(16)}`);
  } finally {
    await rig.close();
  }
}

async function drive(rig: Rig, ms: number): Promise<void> {
  rig.worldAction('speed', { kmh: 80 });
  await rig.clock.advance(ms);
  rig.worldAction('stop', {});
  await rig.clock.advance(30_000);
}

describe("a motion sensor's state file (options.stateFile)", () => {
  it('keeps the pairing and the counter for the next run, where a sensor without it answers the paired VU "not paired"', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sensor-state-'));
    const files = { vu: join(dir, 'vu.dm'), sensor: join(dir, 'sensor.json') };
    const first = await run(plan(files), T0, async (rig) => {
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'wendy' });
      rig.host.stimulate('vu', 'pairSensor', {});
      await rig.clock.advance(2_000);
      rig.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
      rig.host.stimulate('vu', 'insertCard', { slot: 'driver', card: 'anna' });
      await drive(rig, 120_000);
    });
    expect(first).toEqual([]);
    const saved = JSON.parse(readFileSync(files.sensor, 'utf8')) as Record<string, unknown>;
    // two minutes at 80 km/h, 8000 pulses a km: 21333 pulses, the session key of the pairing
    expect(saved).toMatchObject({ version: 1, ns: '0000000101260710', counter: 21333, eventCounts: [0, 0, 0, 0, 0] });
    expect(saved.ks).toMatch(/^[0-9a-f]{32}$/);

    // the next run: a fresh rig, the same VU memory and sensor state: the sensor authenticates, its counter goes on
    writeFileSync(join(dir, 'vu-copy.dm'), readFileSync(files.vu));
    expect(await run(plan(files), T0 + HOUR, (rig) => drive(rig, 120_000))).toEqual([]);
    expect(JSON.parse(readFileSync(files.sensor, 'utf8'))).toMatchObject({ ks: saved.ks, counter: 42666 });

    // the control: the same VU memory with a sensor that forgot everything: the paired VU is refused at once
    const forgetful = await run(plan({ vu: join(dir, 'vu-copy.dm') }), T0 + HOUR, (rig) => drive(rig, 120_000));
    expect(forgetful).toContain('event 0x11');
  });

  it("ignores the state of another unit, and refuses a file that is not one", async () => {
    dir = mkdtempSync(join(tmpdir(), 'sensor-state-'));
    const file = join(dir, 'sensor.json');
    writeFileSync(file, JSON.stringify({ version: 1, ns: '0000030901260710', ks: '00'.repeat(16), pairingInfo: null, eventCounts: [1, 0, 0, 0, 0], counter: 5 }));
    const rig = await Rig.start(plan({ vu: join(dir, 'vu.dm'), sensor: file }), { start: T0 });
    try {
      const context = (rig.actor('sensor')!.getSnapshot() as { context: { initialCounter: number; security: { ks: string | null } } }).context;
      expect([context.initialCounter, context.security.ks]).toEqual([0, null]);
    } finally {
      await rig.close();
    }
    writeFileSync(file, '{"version":1}');
    await expect(Rig.start(plan({ vu: join(dir, 'vu2.dm'), sensor: file }), { start: T0 })).rejects.toThrow(`the motion sensor's state file ${file} is not one: ns:`);
  });
});
