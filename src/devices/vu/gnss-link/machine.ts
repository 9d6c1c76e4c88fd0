import { assign, enqueueActions, setup } from 'xstate';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { SM_SESSION_LIMIT, unwrapResponse, wrapCommand, type SmSession } from '../../../crypto/sm/index.ts';
import type { Rng } from '../../../crypto/random.ts';
import { decodeResponse, encodeCommand, SW, type CommandApdu } from '../../../protocols/apdu/index.ts';
import { createT1State, deframeT1, T1_MAX_SENDS, t1Receive, t1Resynch, t1Retransmit, t1Send, type T1State } from '../../../protocols/t1/index.ts';
import { advance, READ_PAIRS, startAuthentication, startCoupling, startRead, type Job, type Step } from './conversation.ts';
import { AUTH_ATTEMPTS, commandName, MAX_RESYNCHS, onBlockTimeout } from './recovery.ts';
import { withQuickSteps, type QuickOut } from '../../quick-steps.ts';
import {
  DEFAULT_GNSS_LINK_TIMING,
  type AuthFailureReason,
  type CouplingContext,
  type GnssLinkCommand,
  type GnssLinkInput,
  type GnssLinkReport,
  type GnssLinkTiming,
  type VuMaCredentials,
} from './types.ts';

export interface GnssLinkContext {
  credentials: VuMaCredentials;
  timing: GnssLinkTiming;
  /** CSM_193: SM command/response pairs a session may carry before the EGF ends it. */
  smSessionLimit: number;
  egfCertificate: string | null;
  session: SmSession | null;
  job: Job | null;
  /** The next command (encoded, hex) and whether it goes under secure messaging. */
  outgoing: { apdu: string; secure: boolean } | null;
  /** Whether the command awaiting its answer went under SM. */
  awaitingSecure: boolean;
  t1: T1State;
  held: number[];
  /** After a silence the T=1 sequence numbers may disagree: S(RESYNCH) before the next command. */
  needResynch: boolean;
  /** An APDU held back until the resynchronisation is answered. */
  afterResynch: number[] | null;
  /** The APDU awaiting its answer, as sent (SM-wrapped): sent again after a resynchronisation (rule 6.4). */
  sentApdu: number[] | null;
  /** Resynchronisations for that APDU: at most MAX_RESYNCHS (rule 6.4, recovery.ts), then it is unanswered. */
  resynchs: number;
  /** Authentications (or couplings) in a row that failed: at most AUTH_ATTEMPTS (recovery.ts). */
  authFailures: number;
  /** Failures after a resynchronisation, started again without counting: at most AUTH_ATTEMPTS in a row (recovery.ts). */
  uncountedFailures: number;
  /** GNS_28: the unanswered run, in VU time. */
  silence: { since: number; consecutive: number } | null;
  sentAt: number;
  /** When the current request cycle began: T runs from cycle start to cycle start (GNS_23). */
  cycleAt: number;
  /** A coupling asked while a conversation was on the line: it starts when that one ends (T=1 is half duplex). */
  heldCoupling: CouplingContext | null;
}

type InternalEvent = { type: 'response'; bytes: number[] };

export { MAX_RESYNCHS } from './recovery.ts';
export type GnssLinkEvent = GnssLinkCommand | InternalEvent;

export interface GnssLinkDeps {
  /** Ephemeral keys are drawn from it: the VU's seeded stream. */
  rng: Rng;
  /** VU time, ms (the VU's own clock, CSM_160). */
  now: () => number;
}

/**
 * The VU's side of the EGF link (App. 11 §11, App. 12 §4-§5) as a child machine the VU invokes. Events only:
 * the parent sends `gnss.couple` and `gnss.rx`; the child sends `gnss.tx` for bytes to write on the gnss port
 * and reports coupling, authentication, positions and failures (types.ts).
 */
export function createGnssLinkMachine({ rng, now }: GnssLinkDeps) {
  type Enqueue = { assign(p: Partial<GnssLinkContext>): void; sendParent(e: GnssLinkReport): void };
  const apply = (context: GnssLinkContext, step: Step, enqueue: Enqueue): void => {
    const failed = step.reports.find((r) => r.type === 'gnss.authFailed');
    if (failed && failed.type === 'gnss.authFailed') {
      authenticationFailed(context, failed.reason, failed.detail, enqueue);
      return;
    }
    for (const r of step.reports) enqueue.sendParent(r);
    enqueue.assign({
      job: step.job,
      outgoing: step.command ? { apdu: toHex(encodeCommand(step.command)), secure: step.secure ?? false } : null,
      ...(step.session !== undefined ? { session: step.session } : {}),
      ...(step.egfCertificate ? { egfCertificate: step.egfCertificate } : {}),
      // a coupling whose checks passed ends a run of failures; an authentication, only once a response under
      // its session verifies (handleResponse): chip authentication passing and every MAC failing is a run
      ...(step.reports.some((r) => r.type === 'gnss.coupled') ? { authFailures: 0, uncountedFailures: 0 } : {}),
    });
  };
  /**
   * Recovery.ts, AUTH_ATTEMPTS: the session is gone (CSM_192); the first and second failure in a row start the
   * authentication (or the coupling) again at once (CSM_195, CSM_215), the third is reported: 0x1A, and for a
   * coupling its end, with the reason.
   */
  const authenticationFailed = (context: GnssLinkContext, reason: AuthFailureReason, detail: string, enqueue: Enqueue): void => {
    const job = context.job;
    const again = job?.kind === 'couple' ? startCoupling(job.workshop) : startAuthentication();
    // recovery.ts: the answer to an APDU sent again after a resynchronisation proves nothing against the EGF
    if (context.resynchs > 0 && context.uncountedFailures < AUTH_ATTEMPTS) {
      enqueue.sendParent({ type: 'gnss.authRetry', reason, detail: `${detail}, after a resynchronisation: not counted`, consecutive: context.authFailures });
      enqueue.assign({ uncountedFailures: context.uncountedFailures + 1, session: null });
      apply(context, again, enqueue);
      return;
    }
    const consecutive = context.authFailures + 1;
    if (consecutive < AUTH_ATTEMPTS) {
      enqueue.sendParent({ type: 'gnss.authRetry', reason, detail, consecutive });
      enqueue.assign({ authFailures: consecutive, session: null });
      apply({ ...context, authFailures: consecutive }, again, enqueue);
      return;
    }
    const final = `${detail} (${consecutive} in a row)`;
    enqueue.sendParent({ type: 'gnss.authFailed', reason, detail: final });
    // advanceCoupling fails with these two reasons only (conversation.ts)
    if (job?.kind === 'couple') enqueue.sendParent({ type: 'gnss.couplingFailed', reason: reason === 'vu-chain-refused' ? reason : 'egf-chain', detail: final, workshop: job.workshop });
    enqueue.assign({ authFailures: 0, uncountedFailures: 0, session: null, job: null, outgoing: null });
  };
  /** The command `outgoing` sent (under SM when it says so): the `exchanging` state's entry. */
  const sendCommand = (context: GnssLinkContext, enqueue: Enqueue): void => {
    const out = context.outgoing;
    if (!out) return;
    let apdu = fromHex(out.apdu);
    let session = context.session;
    if (out.secure && session) {
      const c = decodeCommandShape(apdu);
      const w = wrapCommand(session, c);
      session = w.session;
      apdu = encodeCommand({ ...w.command, extended: false } as CommandApdu);
    }
    let t1 = context.t1;
    let afterResynch: number[] | null = null;
    if (context.needResynch) {
      // ISO/IEC 7816-3 rule 6.4: the master resynchronises, then sends.
      const r = t1Resynch(createT1State({ ifsSend: t1.ifsSend, ifsReceive: t1.ifsReceive }));
      t1 = r.state;
      afterResynch = [...apdu];
      for (const b of r.out) enqueue.sendParent({ type: 'gnss.tx', bytes: b });
    } else {
      const sent = t1Send(t1, apdu);
      t1 = sent.state;
      for (const b of sent.out) enqueue.sendParent({ type: 'gnss.tx', bytes: b });
    }
    enqueue.assign({ t1, session, afterResynch, sentApdu: [...apdu], resynchs: 0, needResynch: false, awaitingSecure: out.secure, outgoing: null, sentAt: now() });
  };
  /** A response to the command awaiting it: the conversation's next step (`exchanging` on `response`). */
  const handleResponse = (context: GnssLinkContext, event: GnssLinkEvent, enqueue: Enqueue): void => {
    if (event.type !== 'response' || !context.job) return;
    const t = now();
    if (context.silence) enqueue.sendParent({ type: 'gnss.answering', since: context.silence.since, durationMs: t - context.silence.since });
    enqueue.assign({ silence: null });
    let response = decodeResponse(Uint8Array.from(event.bytes));
    // GNS_29: '6690' comes plain (the EGF lost its keys); the session is gone with them. Each request that
    // gets it is reported: the VU's rules record one 0x19 per episode, and none in calibration mode.
    if (response.sw === SW.TAMPERED) {
      enqueue.sendParent({ type: 'gnss.tamper' });
      enqueue.assign({ job: null, outgoing: null, session: null });
      return;
    }
    if (context.awaitingSecure && context.session) {
      const u = unwrapResponse(context.session, response);
      if (!u.ok) {
        // CSM_192: the session is aborted; CSM_215: a new one is established at once (not from inside one),
        // up to AUTH_ATTEMPTS in a row (recovery.ts).
        authenticationFailed(context, 'secure-messaging', `${u.kind}: ${u.reason}`, enqueue);
        return;
      }
      enqueue.assign({ session: u.session, authFailures: 0, uncountedFailures: 0 });
      response = u.response;
    }
    apply(context, advance(context.job, response, env(context)), enqueue);
  };

  const env = (context: GnssLinkContext, egfCertificate = context.egfCertificate) => ({ credentials: context.credentials, egfCertificate, now: now(), rng });

  /**
   * The T=1 blocks complete with `bytes`, taken (blocks to send back to `send`, in order): the responses they
   * complete and what the link keeps of them. The machine's `takeBytes`, and its quick step where no response
   * completes (below).
   */
  const takeBlocks = (context: GnssLinkContext, bytes: Uint8Array, send: (bytes: Uint8Array) => void) => {
    const { frames, held } = deframeT1(context.held, bytes);
    let t1 = context.t1;
    let afterResynch = context.afterResynch;
    let resynchs = context.resynchs;
    const responses: number[][] = [];
    for (const frame of frames) {
      const step = t1Receive(t1, frame);
      t1 = step.state;
      for (const b of step.out) send(b);
      // ISO/IEC 7816-3 rules 7.4, 6.4: our block sent three times and asked for again (the EGF does not share
      // our sequence numbers: another unit on the line, say): resynchronise, then send the APDU again.
      if (step.exhausted && context.sentApdu && resynchs < MAX_RESYNCHS) {
        resynchs += 1;
        const r = t1Resynch(createT1State({ ifsSend: t1.ifsSend, ifsReceive: t1.ifsReceive }));
        t1 = r.state;
        afterResynch = context.sentApdu;
        for (const b of r.out) send(b);
        continue;
      }
      if (step.resynchronised && afterResynch) {
        const sent = t1Send(t1, Uint8Array.from(afterResynch));
        t1 = sent.state;
        afterResynch = null;
        for (const b of sent.out) send(b);
      }
      // an answer shorter than SW1-SW2 is no response APDU (ISO/IEC 7816-4 §5.1): the EGF under test sent it,
      // so it must not stop the link; the answer timeout reports it as no answer
      if (step.message && step.message.length >= 2) responses.push([...step.message]);
    }
    return { responses, patch: { t1, held, afterResynch, resynchs } };
  };

  const machine = setup({
    types: { context: {} as GnssLinkContext, events: {} as GnssLinkEvent, input: {} as GnssLinkInput },
    delays: {
      requestPeriod: ({ context }) => Math.max(0, context.timing.requestPeriodMs - (now() - context.cycleAt)),
      answerTimeout: ({ context }) => context.timing.answerTimeoutMs,
    },
    guards: {
      coupled: ({ context }) => context.egfCertificate !== null,
      hasCommand: ({ context }) => context.outgoing !== null,
      inCalibration: ({ event }) => event.type === 'gnss.couple' && event.workshop.calibrationMode,
      couplingHeld: ({ context }) => context.heldCoupling !== null,
      canRecover: ({ context }) => onBlockTimeout(context.t1, context.resynchs) !== 'give-up',
    },
    actions: {
      takeBytes: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'gnss.rx') return;
        const taken = takeBlocks(context, event.bytes, (bytes) => enqueue.sendParent({ type: 'gnss.tx', bytes }));
        for (const bytes of taken.responses) enqueue.raise({ type: 'response', bytes });
        enqueue.assign(taken.patch);
      }),
      sendCommand: enqueueActions(({ context, enqueue }) => sendCommand(context, enqueue)),
      handleResponse: enqueueActions(({ context, event, enqueue }) => handleResponse(context, event, enqueue)),
      startCycle: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ cycleAt: now() });
        // CSM_193: the EGF ends a session with its 240th SM pair. A read that would cross the limit would end in
        // '6982' and look like an SM failure, so the VU opens a new session first (CSM_215), silently.
        const renew = context.session !== null && context.session.pairs + READ_PAIRS > context.smSessionLimit;
        if (renew) enqueue.assign({ session: null });
        apply(context, context.session && !renew ? startRead() : startAuthentication(), enqueue);
      }),
      startCoupling: enqueueActions(({ context, event, enqueue }) => {
        const workshop = event.type === 'gnss.couple' ? event.workshop : context.heldCoupling;
        if (!workshop) return;
        // CSM_193: starting over ends any session; the workshop's coupling gets its own attempts.
        enqueue.assign({ session: null, heldCoupling: null, authFailures: 0, uncountedFailures: 0 });
        enqueue.assign({ cycleAt: now() });
        apply(context, startCoupling(workshop), enqueue);
      }),
      holdCoupling: assign({ heldCoupling: ({ context, event }) => (event.type === 'gnss.couple' ? event.workshop : context.heldCoupling) }),
      refuseCoupling: enqueueActions(({ enqueue }) => enqueue.sendParent({ type: 'gnss.authFailed', reason: 'not-in-calibration', detail: 'coupling needs calibration mode (CSM_202)' })),
      // Recovery.ts: the block waiting time ran out. What is held of a block is dropped (its characters stopped
      // long ago, §11.4.3); our last block goes out again, or the protocol is resynchronised and the APDU sent again.
      recoverBlock: enqueueActions(({ context, enqueue }) => {
        if (onBlockTimeout(context.t1, context.resynchs) === 'retransmit') {
          const r = t1Retransmit(context.t1);
          for (const b of r.out) enqueue.sendParent({ type: 'gnss.tx', bytes: b });
          enqueue.assign({ t1: r.state, held: [] });
          return;
        }
        const r = t1Resynch(createT1State({ ifsSend: context.t1.ifsSend, ifsReceive: context.t1.ifsReceive }));
        for (const b of r.out) enqueue.sendParent({ type: 'gnss.tx', bytes: b });
        enqueue.assign({ t1: r.state, held: [], resynchs: context.resynchs + 1, afterResynch: context.sentApdu });
      }),
      reportNoAnswer: enqueueActions(({ context, enqueue }) => {
        const since = context.silence?.since ?? context.sentAt;
        const consecutive = (context.silence?.consecutive ?? 0) + 1;
        enqueue.sendParent({ type: 'gnss.noAnswer', consecutive, since, durationMs: now() - since });
        // a coupling is given up with the reason, after the T=1 recovery (recovery.ts)
        const job = context.job;
        if (job?.kind === 'couple') {
          const detail = `the EGF did not answer ${commandName(context.sentApdu)} (${T1_MAX_SENDS} sendings, ${context.resynchs} resynchronisations)`;
          enqueue.sendParent({ type: 'gnss.couplingFailed', reason: 'no-answer', detail, workshop: job.workshop });
        }
        enqueue.assign({ silence: { since, consecutive }, job: null, outgoing: null, session: null, needResynch: true, held: [], afterResynch: null });
      }),
    },
  }).createMachine({
    id: 'gnssLink',
    context: ({ input }) => ({
      credentials: input.credentials,
      timing: { ...DEFAULT_GNSS_LINK_TIMING, ...input.timing },
      smSessionLimit: input.smSessionLimit ?? SM_SESSION_LIMIT,
      egfCertificate: input.egfCertificate?.toLowerCase() ?? null,
      session: null,
      job: null,
      outgoing: null,
      awaitingSecure: false,
      t1: createT1State(),
      held: [],
      needResynch: false,
      afterResynch: null,
      sentApdu: null,
      resynchs: 0,
      authFailures: 0,
      uncountedFailures: 0,
      heldCoupling: null,
      silence: null,
      sentAt: 0,
      cycleAt: 0,
    }),
    on: {
      'gnss.rx': { actions: 'takeBytes' },
      'gnss.couple': [{ guard: 'inCalibration', target: '.route', actions: 'startCoupling' }, { actions: 'refuseCoupling' }],
    },
    initial: 'start',
    states: {
      start: { always: [{ guard: 'coupled', target: 'cycle' }, { target: 'uncoupled' }] },
      uncoupled: {},
      waiting: { after: { requestPeriod: 'cycle' } },
      cycle: { entry: 'startCycle', always: 'route' },
      route: {
        always: [
          { guard: 'hasCommand', target: 'exchanging' },
          { guard: 'couplingHeld', target: 'exchanging', actions: 'startCoupling' },
          { guard: 'coupled', target: 'waiting' },
          { target: 'uncoupled' },
        ],
      },
      exchanging: {
        entry: 'sendCommand',
        on: {
          response: { target: 'route', actions: 'handleResponse' },
          // The master sends no block before the answer to its last (ISO/IEC 7816-3 §11.6.3): a coupling
          // asked now starts once this conversation is over.
          'gnss.couple': [{ guard: 'inCalibration', actions: 'holdCoupling' }, { actions: 'refuseCoupling' }],
        },
        initial: 'awaiting',
        states: {
          // The block waiting time runs from the last block sent: a recovery re-enters this state, not the
          // exchange (whose entry sends the APDU).
          awaiting: {
            after: {
              answerTimeout: [
                { guard: 'canRecover', target: 'awaiting', reenter: true, actions: 'recoverBlock' },
                { target: '#gnssLink.route', actions: 'reportNoAnswer' },
              ],
            },
          },
        },
      },
    },
  });
  // Issue 18 (quick-steps.ts): a block that completes no response (a chained answer's block, an R-block, noise)
  // is taken without a macrostep. `gnss.rx` is the root's targetless transition (takeBytes), and the states the
  // link rests in have no `always`. So is the response to a read's command (readResponse, below).
  return withQuickSteps(machine, {
    'gnss.rx': (context: GnssLinkContext, event, out, snapshot) => {
      const sends: Uint8Array[] = [];
      const taken = takeBlocks(context, (event as unknown as { bytes: Uint8Array }).bytes, (bytes) => sends.push(bytes));
      if (taken.responses.length === 1) return readResponse({ ...context, ...taken.patch }, taken.patch, sends, taken.responses[0]!, out, snapshot);
      if (taken.responses.length > 0) return undefined;
      for (const bytes of sends) out.sendParent({ type: 'gnss.tx', bytes });
      return taken.patch;
    },
  });

  /**
   * The response to a command of a read (records 01..06 every 20 s, GNS_23) as the machine takes it: the raised
   * `response` leaves `exchanging` (its block waiting time cancelled) for `route` (handleResponse), whose
   * `always` goes to `exchanging` again with the next command (sendCommand, a new block waiting time) or, the
   * read done, to `waiting` (the rest of the request period). A read only: authentication and coupling draw
   * random numbers and go other ways, which the machine takes. Nothing here is done before it is sure to apply.
   */
  function readResponse(context: GnssLinkContext, taken: Partial<GnssLinkContext>, blocks: Uint8Array[], bytes: number[], out: QuickOut, snapshot: { value: unknown }): Partial<GnssLinkContext> | undefined {
    if ((snapshot.value as { exchanging?: string }).exchanging !== 'awaiting' || context.job?.kind !== 'read') return undefined;
    const patch: Partial<GnssLinkContext> = { ...taken };
    const reports: GnssLinkReport[] = [];
    const collect: Enqueue = { assign: (p) => Object.assign(patch, p), sendParent: (e) => void reports.push(e) };
    handleResponse(context, { type: 'response', bytes }, collect);
    const routed = { ...context, ...patch };
    const commands: GnssLinkReport[] = [];
    if (routed.outgoing !== null) {
      sendCommand(routed, { assign: (p) => Object.assign(patch, p), sendParent: (e) => void commands.push(e) });
    } else if (routed.heldCoupling !== null || routed.egfCertificate === null) return undefined;
    for (const b of blocks) out.sendParent({ type: 'gnss.tx', bytes: b });
    out.cancel('xstate.after.answerTimeout.gnssLink.exchanging.awaiting');
    for (const r of [...reports, ...commands]) out.sendParent(r);
    if (routed.outgoing !== null) {
      out.schedule('xstate.after.answerTimeout.gnssLink.exchanging.awaiting', routed.timing.answerTimeoutMs);
      out.goTo({ exchanging: 'awaiting' });
    } else {
      const waited = { ...context, ...patch };
      out.schedule('xstate.after.requestPeriod.gnssLink.waiting', Math.max(0, waited.timing.requestPeriodMs - (now() - waited.cycleAt)));
      out.goTo('waiting');
    }
    return patch;
  }
}

/** The command as the SM layer sees it, from its encoding (short lengths only on this link, GNS_16). */
function decodeCommandShape(apdu: Uint8Array) {
  const [cla, ins, p1, p2] = [apdu[0]!, apdu[1]!, apdu[2]!, apdu[3]!];
  if (apdu.length === 4) return { cla, ins, p1, p2, data: new Uint8Array(0) };
  if (apdu.length === 5) return { cla, ins, p1, p2, data: new Uint8Array(0), le: apdu[4] === 0 ? 256 : apdu[4]! };
  const lc = apdu[4]!;
  const data = apdu.slice(5, 5 + lc);
  return apdu.length > 5 + lc ? { cla, ins, p1, p2, data, le: apdu[5 + lc] === 0 ? 256 : apdu[5 + lc]! } : { cla, ins, p1, p2, data };
}
