import { assign, createActor, emit, sendTo, setup, type AnyActorRef } from 'xstate';
import { toHex } from '../../../crypto/bytes.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { VirtualClock } from '../../../harness/clock/index.ts';
import type { PortTxEmitted } from '../../../harness/devices/device-kind.ts';
import { FRAMING_8N1, MemoryLink, NO_FAULTS, type FaultSettings } from '../../../harness/links/index.ts';
import { createRng } from '../../../crypto/random.ts';
import { createWorld, type World } from '../../../harness/world/index.ts';
import { egfMachine } from '../../gnss/machine.ts';
import { egfOptions } from '../../gnss/options.ts';
import { createGnssLinkMachine } from './machine.ts';
import type { CouplingContext, GnssLinkInput, GnssLinkReport, GnssLinkTiming, VuMaCredentials } from './types.ts';

/**
 * Test bench (tests only): a stand-in parent invoking the gnss-link child as the VU will, and an emulated
 * EGF, joined by a MemoryLink at 115200 Bd on a virtual clock. Every block on the line is kept.
 */
export const BENCH_T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
export const BENCH_VU_SERIAL = { serialNumber: 0x1c8f1, monthYear: '0126', type: 6, manufacturerCode: 0x10 };

type ParentEvent = GnssLinkReport | { type: 'port.rx'; port: string; bytes: Uint8Array } | { type: 'couple'; workshop: CouplingContext };

export interface EgfBenchOptions {
  seed?: number;
  egf?: Record<string, unknown>;
  /** Start with this EGF_MA certificate stored (a coupling made before). */
  egfCertificate?: string | null;
  timing?: Partial<GnssLinkTiming>;
  /** VU clock minus rig time. */
  vuOffsetMs?: number;
  /** The VU's CSM_193 limit (the EGF's is `egf.smSessionLimit`). */
  smSessionLimit?: number;
  /** Seeded faults on both directions of the line from the start (the link's own stream). */
  faults?: Partial<FaultSettings>;
}

export interface BlockLine {
  t: number;
  from: 'vu' | 'egf';
  hex: string;
}

export class EgfBench {
  readonly clock = new VirtualClock({ start: BENCH_T0 });
  readonly world: World = createWorld(this.clock);
  readonly reports: { t: number; report: GnssLinkReport }[] = [];
  readonly blocks: BlockLine[] = [];
  readonly vu: AnyActorRef;
  /** The EGF on the line; {@link replaceEgf} puts another one there. */
  egf: AnyActorRef;
  readonly credentials: VuMaCredentials;
  readonly link: MemoryLink;
  /** A test's hook on the VU's next blocks: returns the bytes to put on the line. */
  mutateVu: ((bytes: Uint8Array) => Uint8Array) | null = null;
  /** The same for the EGF's blocks. */
  mutateEgf: ((bytes: Uint8Array) => Uint8Array) | null = null;
  private readonly seed: number;

  constructor(options: EgfBenchOptions = {}) {
    const seed = options.seed ?? 1;
    const vu = TestPki.of().vu(BENCH_VU_SERIAL);
    this.credentials = { privateKey: vu.vuMa.key.privateKey, curve: vu.vuMa.key.curve, certificate: vu.vuMa.certificate, mscaCertificate: vu.mscaCertificate, rootCertificate: vu.rootCertificate };
    this.link = new MemoryLink(
      { id: 'egf~vu', ends: ['egf.vu', 'vu.gnss'], baud: 115200, framing: FRAMING_8N1, pacing: true, faults: { ...NO_FAULTS, ...options.faults } },
      { clock: this.clock, rng: createRng(seed, 'link:egf~vu') },
    );
    const input: GnssLinkInput = { credentials: this.credentials, egfCertificate: options.egfCertificate ?? null, ...(options.timing ? { timing: options.timing } : {}), ...(options.smSessionLimit ? { smSessionLimit: options.smSessionLimit } : {}) };
    const reports = this.reports;
    const clock = this.clock;
    const offset = options.vuOffsetMs ?? 0;
    const parent = setup({
      types: { events: {} as ParentEvent, emitted: {} as PortTxEmitted, context: {} as { n: number } },
      actors: { gnssLink: createGnssLinkMachine({ rng: createRng(seed, 'device:vu').fork('gnss-link'), now: () => clock.now() + offset }) },
      actions: {
        toPort: emit(({ event }) => ({ type: 'port.tx' as const, port: 'gnss', bytes: event.type === 'gnss.tx' ? event.bytes : new Uint8Array(0) })),
        toChild: sendTo('gnssLink', ({ event }) => ({ type: 'gnss.rx' as const, bytes: event.type === 'port.rx' ? event.bytes : new Uint8Array(0) })),
        couple: sendTo('gnssLink', ({ event }) => (event.type === 'couple' ? { type: 'gnss.couple' as const, workshop: event.workshop } : { type: 'noop' })),
        keep: assign({ n: ({ context, event }) => (reports.push({ t: clock.now() - BENCH_T0, report: event as GnssLinkReport }), context.n + 1) }),
      },
    }).createMachine({
      context: { n: 0 },
      invoke: { id: 'gnssLink', src: 'gnssLink', input },
      on: { 'gnss.tx': { actions: 'toPort' }, 'port.rx': { actions: 'toChild' }, couple: { actions: 'couple' }, '*': { actions: 'keep' } },
    });
    this.vu = createActor(parent, { clock: this.clock });
    this.vu.on('port.tx', (e: PortTxEmitted) => {
      const bytes = this.mutateVu ? this.mutateVu(e.bytes) : e.bytes;
      this.blocks.push({ t: this.clock.now() - BENCH_T0, from: 'vu', hex: toHex(bytes) });
      this.link.b.write(bytes);
    });
    this.link.b.onData((bytes) => this.vu.send({ type: 'port.rx', port: 'gnss', bytes }));
    this.seed = seed;
    this.egf = this.createEgf(options.egf);
    this.link.a.onData((bytes) => this.egf.send({ type: 'port.rx', port: 'vu', bytes }));
  }

  private createEgf(options: Record<string, unknown> = {}): AnyActorRef {
    const egf = createActor(egfMachine(egfOptions.parse({ testPki: {}, ...options }), this.clock, this.world, createRng(this.seed, 'device:egf')), { clock: this.clock });
    egf.on('port.tx', (e: PortTxEmitted) => {
      const bytes = this.mutateEgf ? this.mutateEgf(e.bytes) : e.bytes;
      this.blocks.push({ t: this.clock.now() - BENCH_T0, from: 'egf', hex: toHex(bytes) });
      this.link.a.write(bytes);
    });
    return egf;
  }

  /** Another EGF on the line (the cable moved to another unit): the old one is stopped, the new one started. */
  replaceEgf(options: Record<string, unknown> = {}): void {
    this.egf.stop();
    this.egf = this.createEgf(options);
    this.egf.start();
  }

  async start(): Promise<void> {
    await this.link.open();
    this.egf.start();
    this.vu.start();
  }

  couple(calibrationMode = true): void {
    this.vu.send({ type: 'couple', workshop: { calibrationMode, workshopCardNumber: 'W000000000000100' } });
  }

  /** Reports of one type, without the type field. */
  of<T extends GnssLinkReport['type']>(type: T): Omit<Extract<GnssLinkReport, { type: T }>, 'type'>[] {
    return this.reports.filter((r) => r.report.type === type).map(({ report: { type: _t, ...rest } }) => rest as Omit<Extract<GnssLinkReport, { type: T }>, 'type'>);
  }

  /** Report types in order, with their rig ms. */
  timeline(): string[] {
    return this.reports.map((r) => `${r.t} ${r.report.type}`);
  }
}
