import { assign, createActor, emit, sendTo, setup, type AnyActorRef } from 'xstate';
import { toHex } from '../../../crypto/index.ts';
import { VirtualClock, type RigClock } from '../../../harness/clock/index.ts';
import { MemoryLink, NO_FAULTS, type FaultSettings, type Framing } from '../../../harness/links/index.ts';
import { createRng } from '../../../crypto/random.ts';
import type { TransferRequest } from '../../../protocols/app7/index.ts';
import { createDownloadServerMachine } from './machine.ts';
import { answerFetch, type DownloadDataProvider, type DownloadServerInput, type DownloadServerReport, type TransferAnswer } from './types.ts';

/**
 * Test bench (tests only): a stand-in parent that invokes the download server as the VU will, answering its
 * fetches from a provider, and a MemoryLink (8E1, paced) whose `ide.vu` end the test or the client drives.
 */
export const BENCH_T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
export const FRAMING_8E1: Framing = { dataBits: 8, parity: 'even', stopBits: 1 };
/** The one day with activities in the test provider: 2026-03-01. */
export const DAY_WITH_DATA = Date.UTC(2026, 2, 1) / 1000;

/** A deterministic message of `n` bytes, different per TREP. */
export const testMessage = (trep: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + trep) & 0xff);

/** Sizes chosen to cover a whole message, several sub-messages and the empty final sub-message (DDP_004). */
export const TEST_SIZES: Record<number, number> = { 0x21: 600, 0x22: 1004, 0x23: 100, 0x24: 5000, 0x25: 502, 0x06: 300, 0x01: 40 };

/** The stand-in for the VU's App. 1 encoders. */
export const testProvider: DownloadDataProvider = {
  transferData(r: TransferRequest): TransferAnswer {
    if ((r.trtp === 0x22 || r.trtp === 0x02) && r.date !== DAY_WITH_DATA) return { ok: false, nrc: 0xfa };
    // Slot 1 holds a card, slot 2 is empty; no slot given: slot 1 (seed table note).
    if (r.trtp === 0x06 && r.slot === 2) return { ok: false, nrc: 0xfa };
    const n = TEST_SIZES[r.trtp] ?? 10;
    return { ok: true, trep: r.trtp, message: testMessage(r.trtp, n) };
  },
};

type ParentEvent = DownloadServerReport | { type: 'port.rx'; port: string; bytes: Uint8Array; at?: number; toleranceMs?: number };
type Emitted = { type: 'port.tx'; port: string; bytes: Uint8Array } | { type: 'port.baud'; port: string; baud: number };

export interface TranscriptLine {
  t: number;
  from: 'ide' | 'vu';
  hex: string;
}

export class DownloadBench {
  readonly clock: RigClock;
  readonly link: MemoryLink;
  readonly reports: DownloadServerReport[] = [];
  /** Frames the VU wrote, with the rig time (ms since T0) of the write. */
  readonly vuFrames: TranscriptLine[] = [];
  /** Bytes the IDE end received, with arrival times (ms since T0). */
  readonly ideBytes: { t: number; byte: number }[] = [];
  readonly vu: AnyActorRef;

  /** `clock`: the virtual clock by default; a wall clock to see the server on a busy host. */
  constructor(options: { input?: DownloadServerInput; provider?: DownloadDataProvider; faults?: Partial<FaultSettings>; seed?: number; clock?: RigClock } = {}) {
    this.clock = options.clock ?? new VirtualClock({ start: BENCH_T0 });
    this.link = new MemoryLink(
      { id: 'ide~vu', ends: ['ide.vu', 'vu.download'], baud: 9600, framing: FRAMING_8E1, pacing: true, faults: { ...NO_FAULTS, ...options.faults } },
      { clock: this.clock, rng: createRng(options.seed ?? 1, 'link:ide~vu') },
    );
    const provider = options.provider ?? testProvider;
    const reports = this.reports;
    const clock = this.clock;
    const parent = setup({
      types: { events: {} as ParentEvent, emitted: {} as Emitted, context: {} as { n: number } },
      actors: { download: createDownloadServerMachine({ now: () => clock.now() }) },
      actions: {
        toPort: emit(({ event }) => ({ type: 'port.tx' as const, port: 'download', bytes: event.type === 'download.tx' ? event.bytes : new Uint8Array(0) })),
        setBaud: emit(({ event }) => ({ type: 'port.baud' as const, port: 'download', baud: event.type === 'download.baud' ? event.baud : 9600 })),
        toChild: sendTo('download', ({ event }) => ({ type: 'download.rx' as const, bytes: event.type === 'port.rx' ? event.bytes : new Uint8Array(0), ...(event.type === 'port.rx' ? { at: event.at, toleranceMs: event.toleranceMs } : {}) })),
        answer: sendTo('download', ({ event }) => answerFetch(provider, event.type === 'download.fetch' ? event.request : { trtp: 0 })),
        keep: assign({ n: ({ context, event }) => (reports.push(event as DownloadServerReport), context.n + 1) }),
      },
    }).createMachine({
      context: { n: 0 },
      invoke: { id: 'download', src: 'download', input: options.input ?? {} },
      on: {
        'port.rx': { actions: 'toChild' },
        'download.tx': { actions: 'toPort' },
        'download.baud': { actions: ['keep', 'setBaud'] },
        'download.fetch': { actions: ['keep', 'answer'] },
        'download.session': { actions: 'keep' },
        'download.transferred': { actions: 'keep' },
        'download.frameError': { actions: 'keep' },
      },
    });
    this.vu = createActor(parent, { clock: this.clock });
    this.vu.on('port.tx', (e: Emitted) => {
      if (e.type !== 'port.tx') return;
      this.vuFrames.push({ t: this.clock.now() - BENCH_T0, from: 'vu', hex: toHex(e.bytes) });
      this.link.b.write(e.bytes);
    });
    this.vu.on('port.baud', (e: Emitted) => e.type === 'port.baud' && this.link.b.setBaud(e.baud));
    this.link.b.onData((bytes, at) => this.vu.send({ type: 'port.rx', port: 'download', bytes, at }));
    this.link.a.onData((bytes) => bytes.forEach((byte) => this.ideBytes.push({ t: this.clock.now() - BENCH_T0, byte })));
  }

  async start() {
    await this.link.open();
    this.vu.start();
    return this;
  }

  /** The IDE end of the link. */
  get ide() {
    return this.link.a;
  }

  of<T extends DownloadServerReport['type']>(type: T) {
    return this.reports.filter((r): r is Extract<DownloadServerReport, { type: T }> => r.type === type);
  }

  /** Hex of the bytes the IDE received since `from` (ms since T0). */
  receivedSince(from: number): string {
    return toHex(Uint8Array.from(this.ideBytes.filter((b) => b.t >= from).map((b) => b.byte))).toUpperCase();
  }
}
