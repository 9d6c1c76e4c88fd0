import { emit, setup } from 'xstate';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { deviceKinds } from '../../devices/index.ts';
import { standInRigText } from '../../../test/fixtures/bench-rigs.ts';
import { parseRig } from '../rig/index.ts';
import { planFromRig } from '../rig/plan.ts';
import { Rig, type RigPlan } from '../rig/rig-runtime.ts';
import type { DeviceKind } from './device-kind.ts';
import { DeviceRegistry } from './registry.ts';

/** A host PC on a serial line: a stimulus makes it send bytes, as a bench tool would. */
const hostKind: DeviceKind<Record<string, never>> = {
  kind: 'test-host',
  description: 'sends the bytes a stimulus gives it',
  options: z.strictObject({}),
  ports: { line: { description: 'its serial line' } },
  machine: () => ({
    machine: setup({ types: { events: {} as { type: 'send'; hex: string } } }).createMachine({
      on: { send: { actions: emit(({ event }) => ({ type: 'port.tx', port: 'line', bytes: Uint8Array.from(Buffer.from(event.hex.replaceAll(' ', ''), 'hex')) })) } },
    }),
  }),
  stimuli: { send: { description: 'send these bytes', args: z.strictObject({ hex: z.string() }), toEvent: (a) => ({ type: 'send', hex: a.hex }) } },
};

/** The stand-in's relay board and VU on a virtual clock, the board's host port on a memory line from the test host. */
function plan(): RigPlan {
  const registry = new DeviceRegistry([...deviceKinds, hostKind]);
  const text = standInRigText()
    .replace('clock: wall', 'clock: virtual')
    .replace('  actuator: { kind: bench-actuator, mode: external }', '  pc: { kind: test-host }')
    .replace(/ {2}- \{ ends: \[actuator\.relay.*\n {2}- \{ ends: \[actuator\.psu.*\n/, '  - { ends: [pc.line, relay.host], transport: memory }\n');
  return planFromRig(parseRig(text, 'stand-in.yaml', registry), registry);
}

describe('a device applying a stimulus to another through its wiring (device.stimulus)', () => {
  it('goes the checked path of a scenario stimulus, traced with the device that applied it', async () => {
    const rig = await Rig.start(plan(), { start: Date.parse('2026-03-02T08:00:00Z') });
    try {
      rig.host.stimulate('pc', 'send', { hex: 'A0 01 01 A2' });
      await rig.clock.advance(1000);
      const stimuli = rig.trace.entries.filter((e) => e.kind === 'stimulus').map((e) => [e.device, e.name, e.args, e.by]);
      expect(stimuli).toEqual([
        ['pc', 'send', { hex: 'A0 01 01 A2' }, undefined],
        ['vu', 'insertCard', { slot: 'driver', card: 'anna' }, 'relay'],
      ]);
      expect(rig.host.errors).toEqual([]);
      expect((rig.actor('vu')!.getSnapshot() as { context: { slots: Record<string, unknown> } }).context.slots).toMatchObject({ driver: { card: { cardNumber: 'B000000012345601' } } });
    } finally {
      await rig.close();
    }
  });

  it('makes what the wired device refuses an error of the run, naming both', async () => {
    const rig = await Rig.start(plan(), { start: Date.parse('2026-03-02T08:00:00Z') });
    try {
      rig.host.stimulate('pc', 'send', { hex: 'A0 01 01 A2' }); // anna into the driver slot
      await rig.clock.advance(1000);
      rig.host.stimulate('pc', 'send', { hex: 'A0 02 01 A3' }); // wendy into the same slot: no bench should
      await rig.clock.advance(1000);
      expect(rig.host.errors).toHaveLength(1);
      expect(rig.host.errors[0]!.device).toBe('relay');
      expect(rig.host.errors[0]!.message).toMatch(/^its wiring applied stimulus 'insertCard' to 'vu', which failed: device 'vu' refused stimulus 'insertCard' and runs on as before it: /);
    } finally {
      await rig.close();
    }
  });

  it('tells a device that waits for the outcome (a keypad robot), which reports the refusal on its own line; the run goes on', async () => {
    const registry = new DeviceRegistry([...deviceKinds, hostKind]);
    const text = standInRigText({ keypad: ['insertCard', 'selectActivity'] })
      .replace('clock: wall', 'clock: virtual')
      .replace('  actuator: { kind: bench-actuator, mode: external }', '  pc: { kind: test-host }')
      .replace(/ {2}- \{ ends: \[actuator\.relay.*\n {2}- \{ ends: \[actuator\.psu.*\n {2}- \{ ends: \[actuator\.keypad.*\n/, '  - { ends: [pc.line, keypad.host], transport: memory }\n');
    const rig = await Rig.start(planFromRig(parseRig(text, 'stand-in.yaml', registry), registry), { start: Date.parse('2026-03-02T08:00:00Z') });
    const line = (t: string) => ({ hex: Buffer.from(`${t}\n`, 'latin1').toString('hex') });
    try {
      rig.host.stimulate('pc', 'send', line('RUN insertCard slot=driver card=anna'));
      await rig.clock.advance(1000);
      rig.host.stimulate('pc', 'send', line('RUN insertCard slot=driver card=wendy')); // the slot is taken
      await rig.clock.advance(1000);
      const answers = rig.trace.entries.flatMap((e) => (e.kind === 'frame' && e.from === 'keypad.host' ? [Buffer.from(e.hex.replaceAll(' ', ''), 'hex').toString('latin1')] : []));
      expect(answers[0]).toBe('OK\n');
      expect(answers[1]).toMatch(/^ERR device 'vu' refused stimulus 'insertCard' and runs on as before it: .+\n$/);
      expect(answers).toHaveLength(2);
      expect(rig.host.errors).toEqual([]);
      expect(rig.trace.entries.filter((e) => e.kind === 'stimulus').map((e) => [e.device, e.name, e.by])).toEqual([
        ['pc', 'send', undefined],
        ['vu', 'insertCard', 'keypad'],
        ['pc', 'send', undefined],
        ['vu', 'insertCard', 'keypad'],
      ]);
    } finally {
      await rig.close();
    }
  });
});
