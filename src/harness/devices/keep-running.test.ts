import { assign, createActor, emit, fromCallback, sendTo, setup } from 'xstate';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { NO_FAULTS, FRAMING_8N1 } from '../links/index.ts';
import { Rig, type RigPlan } from '../rig/rig-runtime.ts';
import type { DeviceKind } from './device-kind.ts';
import { StimulusRefusedError } from './device-host.ts';
import { keepRunning, type Refusal } from './keep-running.ts';

/**
 * A counter that refuses to count past 3 (as an event store refuses a value outside its type), emits each
 * count it takes on its port, and forwards `child.crash` to a child that stops with an error.
 */
const counter = setup({
  types: { context: {} as { count: number }, events: {} as { type: 'add'; n: number } | { type: 'child.crash' }, emitted: {} as { type: 'port.tx'; port: string; bytes: Uint8Array } },
  actors: {
    child: fromCallback<{ type: 'crash' }>(({ receive }) => {
      receive(() => {
        throw new Error('the child broke');
      });
    }),
  },
  actions: {
    announce: emit(({ context }) => ({ type: 'port.tx' as const, port: 'out', bytes: Uint8Array.of(context.count) })),
    add: assign(({ context, event }) => {
      const count = context.count + (event.type === 'add' ? event.n : 0);
      if (count > 3) throw new Error(`${count} is more than the counter holds`);
      return { count };
    }),
  },
}).createMachine({
  context: { count: 0 },
  invoke: { id: 'child', src: 'child' },
  on: {
    // the emit comes first: a refused step must take back what it queued, not only its context
    add: { actions: ['announce', 'add', 'announce'] },
    'child.crash': { actions: sendTo('child', { type: 'crash' as const }) },
  },
});

describe('keepRunning: an event a device cannot take leaves it as before the event, running', () => {
  function start() {
    const clock = new VirtualClock({ start: 0 });
    const refusals: Refusal[] = [];
    const sent: number[] = [];
    const actor = createActor(keepRunning(counter, (r) => refusals.push(r)), { clock });
    actor.on('port.tx', (e) => sent.push(e.bytes[0]!));
    actor.start();
    return { actor, refusals, sent };
  }

  it('refuses the event whose assign throws, keeps the context and drops its emitted bytes, and takes the next', () => {
    const { actor, refusals, sent } = start();
    actor.send({ type: 'add', n: 2 });
    actor.send({ type: 'add', n: 5 });
    expect(actor.getSnapshot().status).toBe('active');
    expect(actor.getSnapshot().context.count).toBe(2);
    expect(refusals.map((r) => [r.event, (r.error as Error).message])).toEqual([['add', '7 is more than the counter holds']]);
    actor.send({ type: 'add', n: 1 });
    expect(actor.getSnapshot().context.count).toBe(3);
    // 0 and 2 from the first add, none from the refused one, 2 and 3 from the last
    expect(sent).toEqual([0, 2, 2, 3]);
  });

  it('without it, the same assign stops the actor for good (the failure it guards against)', () => {
    const clock = new VirtualClock({ start: 0 });
    const actor = createActor(counter, { clock });
    actor.subscribe({ error: () => undefined });
    actor.start();
    actor.send({ type: 'add', n: 5 });
    expect(actor.getSnapshot().status).toBe('error');
    expect(actor.getSnapshot().context.count).toBe(0);
  });

  it('reports a child that stops with an error instead of stopping with it', () => {
    const { actor, refusals } = start();
    actor.send({ type: 'child.crash' });
    expect(actor.getSnapshot().status).toBe('active');
    expect(refusals.map((r) => (r.error as Error).message)).toEqual(['the child broke']);
    actor.send({ type: 'add', n: 3 });
    expect(actor.getSnapshot().context.count).toBe(3);
  });
});

describe('the device host: refusals are the stimulus error, or one run error per reason', () => {
  const counterKind: DeviceKind<Record<string, never>> = {
    kind: 'test-counter',
    description: 'a counter that holds 0..3',
    options: z.strictObject({}),
    ports: { out: { description: 'each count taken' } },
    machine: () => ({ machine: counter }),
    stimuli: {
      add: { description: 'adds n', args: z.strictObject({ n: z.number() }), toEvent: (a) => ({ type: 'add', n: a.n }) },
    },
  };
  const plan: RigPlan = {
    name: 'counter',
    clock: 'virtual',
    seed: 1,
    devices: [
      { name: 'a', kind: counterKind, mode: 'emulated', options: {} },
      { name: 'b', kind: counterKind, mode: 'emulated', options: {} },
    ],
    links: [{ id: 'a~b', ends: ['a.out', 'b.out'], transport: 'memory', baud: 9600, framing: FRAMING_8N1, pacing: true, faults: NO_FAULTS }],
  };

  it('throws the refusal to the step that applied the stimulus; the device runs on', async () => {
    const rig = await Rig.start(plan, { start: 0 });
    try {
      rig.host.stimulate('a', 'add', { n: 3 });
      expect(() => rig.host.stimulate('a', 'add', { n: 1 })).toThrow(StimulusRefusedError);
      expect(() => rig.host.stimulate('a', 'add', { n: 1 })).toThrow("device 'a' refused stimulus 'add' and runs on as before it: 4 is more than the counter holds");
      expect(rig.actor('a')!.getSnapshot().status).toBe('active');
      expect(rig.actor('a')!.getSnapshot().context.count).toBe(3);
      expect(rig.host.errors).toEqual([]);
      expect(rig.trace.entries.filter((e) => e.kind === 'error').map((e) => (e as { message: string }).message)).toEqual([
        "refused 'add' and runs on as before it: 4 is more than the counter holds",
        "refused 'add' and runs on as before it: 4 is more than the counter holds",
      ]);
    } finally {
      await rig.close();
    }
  });

  it('makes a refusal outside a stimulus a run error, once per reason, counted', async () => {
    const rig = await Rig.start(plan, { start: 0 });
    try {
      for (let i = 0; i < 3; i++) rig.actor('b')!.send({ type: 'add', n: 9 });
      rig.actor('b')!.send({ type: 'add', n: 8 });
      expect(rig.host.errors).toEqual([
        { device: 'b', message: "refused 'add' at 1970-01-01T00:00:00.000Z and runs on as before it: 9 is more than the counter holds (3 times)" },
        { device: 'b', message: "refused 'add' at 1970-01-01T00:00:00.000Z and runs on as before it: 8 is more than the counter holds" },
      ]);
      expect(rig.actor('b')!.getSnapshot().status).toBe('active');
    } finally {
      await rig.close();
    }
  });
});
