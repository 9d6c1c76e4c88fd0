import { describe, expect, it } from 'vitest';
import { assign, emit, sendTo, setup } from 'xstate';
import { z } from 'zod';
import { TestMsca, TEST_MSCA_DEFAULT_SEED } from '../../../crypto/index.ts';
import type { DeviceKind, PortTxEmitted } from '../../../harness/devices/device-kind.ts';
import { FRAMING_8N1, NO_FAULTS } from '../../../harness/links/index.ts';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import { motionSensorLinkCodec, pulseCodec } from '../../../protocols/motion-sensor/index.ts';
import { countLine, createPulseInput, PULSE_INPUT_LATENCY_MS, takeLine, type PulseInput } from '../motion/pulse-line.ts';
import { decodePulseLine } from '../pulse-input.ts';
import { motionSensorKind } from '../../motion-sensor/index.ts';
import { createSensorLinkMachine } from './machine.ts';
import type { SensorLinkReport } from './types.ts';

/**
 * The sensor kind and the sensor-link child inside a real rig (device host, links, trace), with a
 * test-only probe standing in for the VU: what the VU machine will do, reduced to the link.
 */
const msca = new TestMsca(TEST_MSCA_DEFAULT_SEED);

const probeKind: DeviceKind<Record<string, never>> = {
  kind: 'test-vu-probe',
  description: 'test-only: invokes the sensor-link child and counts pulses',
  options: z.strictObject({}),
  ports: { sensor: { description: 'secured link', codec: motionSensorLinkCodec() }, pulses: { description: 'pulse input', codec: pulseCodec } },
  machine: ({ rng }) => ({
    machine: setup({
      types: { context: {} as { reports: SensorLinkReport[]; pulses: number; held: number[]; input: PulseInput }, events: {} as any, emitted: {} as PortTxEmitted },
      actors: { sensorLink: createSensorLinkMachine({ rng: rng.fork('sensor-link') }) },
      actions: {
        toPort: emit(({ event }) => ({ type: 'port.tx' as const, port: 'sensor', bytes: event.bytes })),
        toChild: sendTo('sensorLink', ({ event }) => ({ type: 'sensor.rx', bytes: event.bytes })),
        pair: sendTo('sensorLink', ({ event }) => ({ type: 'sensor.pair', workshopCard: { generation: 2, kmWc: msca.workshopCardKeys([1], 128) }, pairingDate: event.pairingDate })),
        keep: assign({ reports: ({ context, event }) => [...context.reports, event] }),
        // as the VU counts them (pulse-input.ts, motion/pulse-line.ts), at each frame, the line as it stood 100 ms before
        countPulses: assign(({ context, event }) => {
          const { pulses, held, line = [] } = decodePulseLine(context.held, event.bytes);
          let { input } = context;
          let counted = context.pulses + pulses;
          for (const item of line) {
            const r = takeLine(input, item, event.at - PULSE_INPUT_LATENCY_MS);
            input = r.input;
            counted += r.pulses;
          }
          const now = countLine(input, event.at - PULSE_INPUT_LATENCY_MS);
          return { pulses: counted + now.pulses, held, input: now.input };
        }),
      },
      guards: { fromSensor: ({ event }) => event.port === 'sensor', fromPulses: ({ event }) => event.port === 'pulses' },
    }).createMachine({
      context: { reports: [], pulses: 0, held: [], input: createPulseInput() },
      invoke: { id: 'sensorLink', src: 'sensorLink', input: { kmVu: msca.vuKey(1, 128).key, kmVersion: 1, keyBits: 128, vuGeneration: 2, vuSerialNumber: '000001c8f1250610', timing: { requestPeriodMs: 10_000 } } },
      on: {
        'sensor.tx': { actions: 'toPort' },
        'port.rx': [{ guard: 'fromSensor', actions: 'toChild' }, { guard: 'fromPulses', actions: 'countPulses' }],
        pair: { actions: 'pair' },
        '*': { actions: 'keep' },
      },
    }),
  }),
  stimuli: { pair: { description: 'pair now', args: z.strictObject({ pairingDate: z.number() }), toEvent: (a) => ({ type: 'pair', ...a }) } },
};

const link = (id: string, ends: [string, string]) => ({ id, ends, transport: 'memory' as const, baud: 9600, framing: FRAMING_8N1, pacing: true, faults: NO_FAULTS });

const plan: RigPlan = {
  name: 'sensor-probe',
  clock: 'virtual',
  seed: 4,
  devices: [
    { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({ k: 8000 }) },
    { name: 'vu', kind: probeKind, mode: 'emulated', options: {} },
  ],
  links: [link('sensor~vu', ['sensor.vu', 'vu.sensor']), link('pulses', ['sensor.pulses', 'vu.pulses'])],
};

describe('motion sensor in a rig', () => {
  it('pairs, authenticates, and its pulses match its authenticated counter; the trace names every frame', async () => {
    const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
    const rig = await Rig.start(plan, { start: T0 });
    try {
      rig.host.stimulate('vu', 'pair', { pairingDate: T0 / 1000 });
      await rig.clock.advance(1_000);
      rig.world.vehicle.setSpeed(90);
      await rig.clock.advance(600_000);
      rig.world.vehicle.setSpeed(0);
      await rig.clock.advance(12_000);
      const ctx = rig.actor('vu')!.getSnapshot().context as { reports: SensorLinkReport[]; pulses: number };
      const types = ctx.reports.map((r) => r.type);
      expect(types[0]).toBe('sensor.paired');
      expect(types.filter((t) => t === 'sensor.authFailed' || t === 'sensor.linkError' || t === 'sensor.noAnswer')).toEqual([]);
      const counters = ctx.reports.flatMap((r) => (r.type === 'sensor.counter' ? [r.value] : []));
      expect(counters.at(-1)).toBe(120_000); // 15 km at 8000 imp/km
      expect(ctx.pulses).toBe(120_000);
      const frames = rig.trace.entries.filter((e) => e.kind === 'frame' && e.link === 'sensor~vu');
      expect(frames.every((f) => f.kind === 'frame' && f.decoded !== undefined && f.decodeError === undefined)).toBe(true);
      expect(frames.slice(0, 2).map((f) => (f.kind === 'frame' ? f.decoded : null))).toEqual([
        { direction: 'request', instruction: '40', name: 'serial number request', payload: '' },
        { direction: 'reply', instruction: '40', name: 'serial number', payload: '0000000101260710' },
      ]);
      expect(rig.host.errors).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});
