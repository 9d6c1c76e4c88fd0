import { assign, enqueueActions, fromCallback, setup, type AnyActorRef } from 'xstate';
import type { PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import type { RigClock } from '../../harness/clock/index.ts';
import type { World } from '../../harness/world/index.ts';
import { decodeCommand, encodeResponse, SW } from '../../protocols/apdu/index.ts';
import { sentencesFromWorld } from '../../harness/world/index.ts';
import { createT1State, deframeT1, t1Receive, t1Send, type T1State } from '../../protocols/t1/index.ts';
import { createRng, type Rng } from '../../crypto/random.ts';
import { resolveCredentials } from './credentials.ts';
import { createMemory, eraseMemory, storeSentences, type EgfMemory } from './memory.ts';
import { createSecurity, type EgfSecurity } from './security.ts';
import { serveApdu } from './transceiver.ts';
import type { EgfOptions } from './options.ts';
import { readEgfState, writeEgfState } from './state-file.ts';
import { latchedReceiver, receiverLatchOf, startReceiverTimer } from './receiver-latch.ts';
import { withQuickSteps } from '../quick-steps.ts';

/** The EGF's one port to the VU: APDUs in T=1 blocks (GNS_15, GNS_17). */
export const EGF_PORT = 'vu';

export interface EgfContext {
  options: EgfOptions;
  t1: T1State;
  /** Bytes of a T=1 block not yet complete, and when the last of them came (ISO/IEC 7816-3 §11.4.3: CWT). */
  held: number[];
  heldAt: number | null;
  memory: EgfMemory;
  /** Coupling, authentication and the secure messaging session (App. 11 §11). */
  security: EgfSecurity;
  /** Rig time of the receiver's last data (a valid fix), or of power-up. */
  lastReceiverData: number;
  receiverOn: boolean;
  /** A scenario made the EGF fall silent (a hung transceiver). */
  silent: boolean;
  /** A scenario made EF EGF fail its integrity check (the `fault` stimulus): '6400'. */
  faulty: boolean;
  tampered: boolean;
}

export type EgfEvent =
  | PortRxEvent
  | { type: 'receiver'; on: boolean }
  | { type: 'silence'; on: boolean }
  | { type: 'fault'; on: boolean }
  | { type: 'tamper' }
  /** The receiver's latched reading is taken (receiver-latch.ts). */
  | { type: 'receiver.sample' };

export function egfMachine(options: EgfOptions, clock: RigClock, world: World, rng: Rng = createRng(1, 'egf')) {
  const credentials = resolveCredentials(options);
  // What the unit kept from an earlier run (options.stateFile): the VU its last coupling stored.
  const memory = createMemory({ ...options, certificates: credentials.certificates });
  const serialNumber = Buffer.from(memory.transparent['0002']!).toString('hex');
  const saved = options.stateFile === undefined ? undefined : readEgfState(options.stateFile, serialNumber);
  let written = saved?.coupledVu;
  /**
   * The VU's T=1 blocks `frames` answered (each block out to `send`, in order), and what the EGF keeps: the
   * machine's `receiveBytes`, and its quick step (below).
   */
  /**
   * The VU's `bytes` taken: ISO/IEC 7816-3 §11.4.3, a block whose next character comes CWT or later after the
   * last is abandoned, judged as the next bytes come (so the EGF does nothing with a block's first bytes but keep
   * them, stamped: PortSpec.takesFrames). Choice: CWT exactly abandons it, as the CWT timer this replaces did
   * for bytes written after the partial block's last came (README, issue 18).
   */
  const receive = (context: EgfContext, bytes: Uint8Array, send: (bytes: Uint8Array) => void): Pick<EgfContext, 't1' | 'memory' | 'security' | 'held' | 'heldAt'> => {
    const now = clock.now();
    const stale = context.heldAt !== null && now - context.heldAt >= context.options.cwtMs;
    const { frames, held } = deframeT1(stale ? [] : context.held, bytes);
    return { ...answerBlocks(context, frames, send), held, heldAt: held.length > 0 ? now : null };
  };

  const answerBlocks = (context: EgfContext, frames: readonly Uint8Array[], send: (bytes: Uint8Array) => void): Pick<EgfContext, 't1' | 'memory' | 'security'> => {
    // GNS_29's alternative, and the silence stimulus: the transceiver answers nothing at all.
    const mute = context.silent || (context.tampered && context.options.tamperResponse === 'silent');
    let t1 = context.t1;
    let memory = context.memory;
    let security = context.security;
    for (const frame of mute ? [] : frames) {
      const step = t1Receive(t1, frame);
      t1 = step.state;
      for (const b of step.out) send(b);
      if (!step.message) continue;
      const decoded = decodeCommand(step.message);
      let response;
      if (!decoded.ok) response = { data: new Uint8Array(0), sw: context.tampered ? SW.TAMPERED : SW.WRONG_LENGTH };
      else {
        const receiverSilent = clock.now() - context.lastReceiverData > context.options.noDataLimitMs; // GNS_30: more than 3 h
        // CSM_209: the EGF's time is GNSS time: the world's true UTC, unless a scenario offsets the sky's time.
        const r = serveApdu({ memory, security }, decoded.apdu, {
          tampered: context.tampered,
          receiverSilent,
          plainAccess: context.options.plainAccess,
          efEgfCorrupted: context.faulty,
          sessionLimit: context.options.smSessionLimit,
          keys: credentials.keys,
          gnssTime: world.gnss.timeAt(clock.now()),
          random: (n) => rng.bytes(n),
        });
        memory = r.memory;
        security = r.security;
        response = r.response;
      }
      const sent = t1Send(t1, encodeResponse(response));
      t1 = sent.state;
      for (const b of sent.out) send(b);
    }
    return { t1, memory, security };
  };

  /**
   * A coupling stored a VU's certificate (CSM_210): into the state file, for the next run. Choice: a tampering's
   * erasure is not kept there (a bench's next run has its EGF intact again, as if the breached unit had been
   * put back in order); the run that tampers sees the erasure (GNS_29).
   */
  const keepCoupling = (context: EgfContext) => {
    const coupled = context.security.coupledVu;
    if (options.stateFile === undefined || coupled === null || coupled === written || context.tampered) return;
    writeEgfState(options.stateFile, { version: 1, serialNumber, coupledVu: coupled });
    written = coupled;
  };

  const machine = setup({
    types: { context: {} as EgfContext, events: {} as EgfEvent, emitted: {} as PortTxEmitted },
    actors: {
      // GNS_9: the receiver's sentences at 1 Hz, on a plain rig-clock timer (a re-entered delayed transition
      // cost its exits and entries every second), at whole periods so a wall clock's late firings do not drift.
      // Issue 18: each reading is latched and the machine takes the latest when anything can look at it
      // (receiver-latch.ts); a receiver off, or an erased unit, gives none, as the sample did.
      receiverTicker: fromCallback(({ sendBack, input }: { sendBack: (e: EgfEvent) => void; input: { egf: AnyActorRef } }) =>
        startReceiverTimer(
          clock,
          options.receiverPeriodMs,
          input.egf,
          (at) => {
            const { receiverOn, tampered } = (input.egf.getSnapshot() as { context: EgfContext }).context;
            return receiverOn && !tampered ? { at, sentences: sentencesFromWorld(world, at), fix: world.gnss.fixAt(at) } : undefined;
          },
          () => sendBack({ type: 'receiver.sample' }),
        ),
      ),
    },
    actions: {
      // GNS_9, GNS_23 step 2: the receiver talks at 1 Hz; the transceiver keeps the latest sentences.
      sampleReceiver: assign(({ context }) => {
        if (!context.receiverOn || context.tampered) return {};
        const now = clock.now();
        const sentences = sentencesFromWorld(world, now);
        // Choice (GNS_30): "data from the receiver" means a valid fix; sentences with status V are no data.
        const fix = world.gnss.fixAt(now);
        return { memory: storeSentences(context.memory, sentences), ...(fix ? { lastReceiverData: now } : {}) };
      }),
      // The latest latched reading (receiver-latch.ts): storing it is what storing every second's came to.
      takeReceiverReading: assign(({ context, self }) => {
        const taken = receiverLatchOf(self).take();
        if (!taken || !context.receiverOn || context.tampered) return {};
        return { memory: storeSentences(context.memory, taken.reading.sentences), ...(taken.lastFix !== null ? { lastReceiverData: taken.lastFix } : {}) };
      }),
      receiveBytes: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx') return;
        enqueue.assign(receive(context, event.bytes, (bytes) => enqueue.emit({ type: 'port.tx', port: EGF_PORT, bytes })));
      }),
      // A receiver coming back is not data yet: the 3-hour count runs on until its first fix.
      setReceiver: assign({ receiverOn: ({ context, event }) => (event.type === 'receiver' ? event.on : context.receiverOn) }),
      setSilence: assign({ silent: ({ context, event }) => (event.type === 'silence' ? event.on : context.silent) }),
      setFault: assign({ faulty: ({ context, event }) => (event.type === 'fault' ? event.on : context.faulty) }),
      keepCoupling: ({ context }) => keepCoupling(context),
      // GNS_29: tampering erases the whole memory, keys included, and is not undone.
      tamper: assign({ tampered: () => true, memory: () => eraseMemory(), security: () => createSecurity() }),
    },
  }).createMachine({
    id: 'egf',
    context: {
      options,
      t1: createT1State({ ifsReceive: options.ifsc }),
      held: [],
      heldAt: null,
      memory,
      security: createSecurity(saved?.coupledVu ?? options.coupledVuCertificate?.toLowerCase() ?? null),
      lastReceiverData: clock.now(),
      receiverOn: true,
      silent: false,
      faulty: false,
      tampered: false,
    },
    type: 'parallel',
    on: {
      receiver: { actions: 'setReceiver' },
      silence: { actions: 'setSilence' },
      fault: { actions: 'setFault' },
      tamper: { actions: 'tamper' },
    },
    states: {
      receiver: {
        initial: 'sampling',
        states: {
          sampling: { entry: 'sampleReceiver', invoke: { src: 'receiverTicker', input: ({ self }) => ({ egf: self }) }, on: { 'receiver.sample': { actions: 'takeReceiverReading' } } },
        },
      },
      link: {
        initial: 'idle',
        states: {
          // ISO/IEC 7816-3 §11.4.3's CWT is judged as bytes come (receive, above)
          idle: { on: { 'port.rx': { actions: ['receiveBytes', 'keepCoupling'] } } },
        },
      },
    },
  });
  // Issue 18 (quick-steps.ts): the VU's bytes taken without a macrostep: `port.rx` is targetless (receiveBytes,
  // keepCoupling), and no state has an `always`.
  const quick = withQuickSteps(machine, {
    'port.rx': (context: EgfContext, event, out) => {
      const rx = event as PortRxEvent;
      const patch = receive(context, rx.bytes, (bytes) => out.emit({ type: 'port.tx', port: EGF_PORT, bytes }));
      keepCoupling({ ...context, ...patch });
      return patch;
    },
  });
  // Issue 18: the receiver's latched reading is taken before each event (receiver-latch.ts)
  return latchedReceiver(quick, { type: 'receiver.sample' });
}
