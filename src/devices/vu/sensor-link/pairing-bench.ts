import { assign, createActor, emit, sendTo, setup, type AnyActorRef } from 'xstate';
import { TestMsca, toHex, type AesKeyBits } from '../../../crypto/index.ts';
import { VirtualClock } from '../../../harness/clock/index.ts';
import type { PortTxEmitted } from '../../../harness/devices/device-kind.ts';
import { FRAMING_8N1, MemoryLink, NO_FAULTS, type FaultSettings } from '../../../harness/links/index.ts';
import { createRng } from '../../../crypto/random.ts';
import { createWorld, type World } from '../../../harness/world/index.ts';
import { createMotionSensorMachine } from '../../motion-sensor/machine.ts';
import { motionSensorOptions } from '../../motion-sensor/options.ts';
import { createSensorLinkMachine } from './machine.ts';
import type { SensorLinkInput, SensorLinkReport, SensorLinkTiming } from './types.ts';
import type { WorkshopCardKeys } from './pairing-keys.ts';

/**
 * Test bench (used by tests only): a stand-in parent that invokes the sensor-link child as the VU will, and
 * an emulated motion sensor, joined by MemoryLinks on a virtual clock. Every frame on the secured link is
 * kept as a transcript.
 */
export const BENCH_T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
export const BENCH_VU_SERIAL = '000001c8f1250610';

type ParentEvent =
  | SensorLinkReport
  | { type: 'port.rx'; port: string; bytes: Uint8Array }
  | { type: 'pair'; workshopCard: WorkshopCardKeys; pairingDate: number };

export interface BenchOptions {
  seed?: number;
  mscaSeed?: number;
  keyBits?: AesKeyBits;
  vuKmVersion?: number;
  vuGeneration?: 1 | 2;
  sensor?: Record<string, unknown>;
  timing?: Partial<SensorLinkTiming>;
  /** Seeded faults on both directions of the secured link from the start (the link's own stream). */
  faults?: Partial<FaultSettings>;
}

export interface TranscriptLine {
  /** Rig ms since the start, when the frame was written. */
  t: number;
  from: 'vu' | 'sensor';
  hex: string;
}

export class PairingBench {
  readonly clock = new VirtualClock({ start: BENCH_T0 });
  readonly world: World = createWorld(this.clock);
  readonly msca: TestMsca;
  readonly reports: SensorLinkReport[] = [];
  readonly transcript: TranscriptLine[] = [];
  readonly pulsesSeen: number[] = [];
  readonly vu: AnyActorRef;
  sensor!: AnyActorRef;
  readonly link: MemoryLink;
  /** A test's hook on the VU's next frames: returns the bytes to put on the line. */
  mutateVu: ((bytes: Uint8Array) => Uint8Array) | null = null;
  /** The same for the sensor's frames on its secured link. */
  mutateSensor: ((bytes: Uint8Array) => Uint8Array) | null = null;
  private detachSensor: () => void = () => {};
  private readonly seed: number;
  private readonly keyBits: AesKeyBits;

  constructor(private readonly options: BenchOptions = {}) {
    this.seed = options.seed ?? 1;
    this.keyBits = options.keyBits ?? 128;
    this.msca = new TestMsca(options.mscaSeed ?? 16844);
    const vuKey = this.msca.vuKey(options.vuKmVersion ?? 1, this.keyBits);
    this.link = new MemoryLink(
      { id: 'sensor~vu', ends: ['sensor.vu', 'vu.sensor'], baud: 9600, framing: FRAMING_8N1, pacing: true, faults: { ...NO_FAULTS, ...options.faults } },
      { clock: this.clock, rng: createRng(this.seed, 'link:sensor~vu') },
    );
    const input: SensorLinkInput = {
      kmVu: vuKey.key,
      kmVersion: vuKey.version,
      keyBits: this.keyBits,
      vuGeneration: options.vuGeneration ?? 2,
      vuSerialNumber: BENCH_VU_SERIAL,
      timing: options.timing,
    };
    const reports = this.reports;
    const parent = setup({
      types: { events: {} as ParentEvent, emitted: {} as PortTxEmitted, context: {} as { n: number } },
      actors: { sensorLink: createSensorLinkMachine({ rng: createRng(this.seed, 'device:vu').fork('sensor-link') }) },
      actions: {
        toPort: emit(({ event }) => ({ type: 'port.tx' as const, port: 'sensor', bytes: event.type === 'sensor.tx' ? event.bytes : new Uint8Array(0) })),
        toChild: sendTo('sensorLink', ({ event }) => (event.type === 'port.rx' ? { type: 'sensor.rx' as const, bytes: event.bytes } : { type: 'sensor.rx' as const, bytes: new Uint8Array(0) })),
        pair: sendTo('sensorLink', ({ event }) => (event.type === 'pair' ? { type: 'sensor.pair' as const, workshopCard: event.workshopCard, pairingDate: event.pairingDate } : { type: 'noop' })),
        keep: assign({ n: ({ context, event }) => (reports.push(event as SensorLinkReport), context.n + 1) }),
      },
    }).createMachine({
      context: { n: 0 },
      invoke: { id: 'sensorLink', src: 'sensorLink', input },
      on: {
        'sensor.tx': { actions: 'toPort' },
        'port.rx': { actions: 'toChild' },
        pair: { actions: 'pair' },
        'sensor.paired': { actions: 'keep' },
        'sensor.pairingFailed': { actions: 'keep' },
        'sensor.authenticated': { actions: 'keep' },
        'sensor.authFailed': { actions: 'keep' },
        'sensor.counter': { actions: 'keep' },
        'sensor.noAnswer': { actions: 'keep' },
        'sensor.securityEvent': { actions: 'keep' },
        'sensor.linkError': { actions: 'keep' },
        'sensor.retry': { actions: 'keep' },
      },
    });
    this.vu = createActor(parent, { clock: this.clock });
    this.vu.on('port.tx', (e: PortTxEmitted) => {
      const bytes = this.mutateVu ? this.mutateVu(e.bytes) : e.bytes;
      this.transcript.push({ t: this.clock.now() - BENCH_T0, from: 'vu', hex: toHex(bytes) });
      this.link.b.write(bytes);
    });
    this.link.b.onData((bytes) => this.vu.send({ type: 'port.rx', port: 'sensor', bytes }));
    this.attachSensor(options.sensor ?? {});
  }

  /** Fits a sensor (replacing any fitted before) with these options. */
  attachSensor(options: Record<string, unknown>, deviceName = 'sensor'): AnyActorRef {
    this.detachSensor();
    const sensor = createActor(
      createMotionSensorMachine({
        options: motionSensorOptions.parse({ keyBits: this.keyBits, mscaSeed: this.options.mscaSeed ?? 16844, ...options }),
        clock: this.clock,
        world: this.world,
        rng: createRng(this.seed, `device:${deviceName}`),
      }),
      { clock: this.clock },
    );
    const sub = sensor.on('port.tx', (e: PortTxEmitted) => {
      if (e.port === 'vu') {
        const bytes = this.mutateSensor ? this.mutateSensor(e.bytes) : e.bytes;
        this.transcript.push({ t: this.clock.now() - BENCH_T0, from: 'sensor', hex: toHex(bytes) });
        this.link.a.write(bytes);
      } else {
        this.pulsesSeen.push(...e.bytes);
      }
    });
    const off = this.link.a.onData((bytes) => sensor.send({ type: 'port.rx', port: 'vu', bytes }));
    sensor.start();
    this.sensor = sensor;
    this.detachSensor = () => {
      sub.unsubscribe();
      off();
      sensor.stop();
    };
    return sensor;
  }

  async start(): Promise<void> {
    await this.link.open();
    this.vu.start();
  }

  pair(card: { generation?: 1 | 2; versions: number[]; keyBits?: AesKeyBits }): void {
    this.vu.send({
      type: 'pair',
      workshopCard: { generation: card.generation ?? 2, kmWc: this.msca.workshopCardKeys(card.versions, card.keyBits ?? this.keyBits) },
      pairingDate: Math.floor(this.clock.now() / 1000),
    });
  }

  /** Reports of one type, without the type field. */
  of<T extends SensorLinkReport['type']>(type: T): Omit<Extract<SensorLinkReport, { type: T }>, 'type'>[] {
    return this.reports.filter((r) => r.type === type).map(({ type: _t, ...rest }) => rest as Omit<Extract<SensorLinkReport, { type: T }>, 'type'>);
  }
}
