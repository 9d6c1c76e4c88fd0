import { assign, enqueueActions, setup } from 'xstate';
import { fromHex, toHex } from '../../../crypto/index.ts';
import type { Rng } from '../../../crypto/random.ts';
import {
  decodeExtendedSerialNumber,
  decodeIdentificationFile,
  decodeSecurityEventsFile,
  encodePairingInformation,
  FILE,
  NEGATIVE_REASON,
  newSensorEvents,
  rigFraming,
  type MotionSensorFraming,
} from '../../../protocols/motion-sensor/index.ts';
import { attemptDetail, AUTH_FAILURES_FOR_BREACH, causeOf, repeatable, requestKey } from './attempts.ts';
import {
  counterRequest,
  fileRequest,
  interpretAnswer,
  isSuccess,
  pairingInfoRequest,
  pairingKeyRequest,
  serialRequest,
  sessionKeyRequest,
  type Answer,
  type PendingRequest,
  type Request,
} from './exchange.ts';
import { pairingKeys, type VuSensorKeys } from './pairing-keys.ts';
import { withQuickSteps, type QuickOut } from '../../quick-steps.ts';
import {
  DEFAULT_SENSOR_LINK_TIMING,
  type AuthFailureReason,
  type PairingFailureReason,
  type SensorLinkCommand,
  type SensorLinkInput,
  type SensorLinkReport,
  type SensorLinkTiming,
  type SensorSession,
} from './types.ts';

/** A pairing under way (CSM_217 steps 3-8). Plain data: keys as hex. */
interface PairingProgress {
  km: string;
  kid: string;
  kmVersion: number;
  pairingDate: number;
  ns: string | null;
  kp: string | null;
  ks: string | null;
  info: string | null;
  approvalNumber: string | null;
  eventCounts: number[] | null;
}

export interface SensorLinkContext {
  keys: VuSensorKeys;
  vuSerialNumber: string;
  timing: SensorLinkTiming;
  session: SensorSession | null;
  pairing: PairingProgress | null;
  pending: PendingRequest | null;
  /** Bytes of an answer not yet complete. */
  rxHeld: number[];
  /** Why the exchange under way failed, until it is reported. */
  failure: { reason: string; detail: string } | null;
  consecutiveNoAnswers: number;
  /** Failed attempts of the request under way in normal operation (attempts.ts: at most MAX_ATTEMPTS). */
  failures: number;
  /** Failed attempts of each pairing request, by request key: a step repeated from 0x41 keeps its count. */
  stepFailures: Record<string, number>;
  /** Unsuccessful authentication attempts in a row (attempts.ts: AUTH_FAILURES_FOR_BREACH). */
  authFailures: number;
}

/** An answer, checked against the request it answers (`instruction`; `request` as it was pending). */
type InternalEvent = { type: 'answer'; answer: Answer; instruction: number; request: PendingRequest };

/** The part of XState's enqueuer the request helper uses. */
interface Outbox {
  assign(patch: Partial<SensorLinkContext>): void;
  sendParent(event: SensorLinkReport): void;
}
export type SensorLinkEvent = SensorLinkCommand | InternalEvent;

export interface SensorLinkDeps {
  /** Session keys and challenges are drawn from it: the VU's seeded stream. */
  rng: Rng;
  framing?: MotionSensorFraming;
}

/**
 * The VU's side of the motion sensor link, as a child machine the VU invokes. It talks to its parent with
 * events only: it sends `sensor.tx` for bytes to write on the sensor port and reports pairing, authentication,
 * counter values, silences and sensor-side events; the parent sends `sensor.pair` and `sensor.rx`.
 */
export function createSensorLinkMachine({ rng, framing = rigFraming }: SensorLinkDeps) {
  // Every request starts afresh: leftovers of an earlier answer cannot be glued to the next one.
  const send = (enqueue: Outbox, req: Request, extra: Partial<SensorLinkContext> = {}) => {
    enqueue.assign({ pending: req.pending, rxHeld: [], ...extra });
    enqueue.sendParent({ type: 'sensor.tx', bytes: framing.encode(req.frame) });
  };
  /** What the VU is told of a counter the sensor authenticated (acceptCounter, and the quick step below). */
  const counterReports = (value: number): SensorLinkReport[] => [{ type: 'sensor.authenticated' }, { type: 'sensor.counter', value }];
  // Annex IC §3.9: the sensor's own events reach the VU as counts going up in file 0x03.
  const securityEventReports = (session: SensorSession, counts: number[]): SensorLinkReport[] =>
    newSensorEvents(session.eventCounts, counts).map((e) => ({ type: 'sensor.securityEvent', code: e.code, occurrences: e.occurrences }));
  const answerOf = (event: SensorLinkEvent): Answer | undefined => (event.type === 'answer' ? event.answer : undefined);
  // The request an answer (or the answer timeout: the one still pending) belongs to.
  const requestOf = (context: SensorLinkContext, event: SensorLinkEvent): PendingRequest | null => (event.type === 'answer' ? event.request : context.pending);

  const machine = setup({
    types: {
      context: {} as SensorLinkContext,
      events: {} as SensorLinkEvent,
      input: {} as SensorLinkInput,
    },
    delays: {
      requestPeriod: ({ context }) => context.timing.requestPeriodMs,
      answerTimeout: ({ context }) => context.timing.answerTimeoutMs,
    },
    guards: {
      hasSession: ({ context }) => context.session !== null,
      pairingRefused: ({ context, event }) => event.type === 'sensor.pair' && !pairingKeys(context.keys, event.workshopCard).ok,
      answered: ({ event }) => event.type === 'answer' && isSuccess(event.answer),
      // A lost, damaged or unauthenticated attempt of a pairing request is repeated, three attempts at most.
      pairingRepeatable: ({ context, event }) => repeatable(causeOf(answerOf(event)), (context.stepFailures[requestKey(requestOf(context, event))] ?? 0) + 1),
      repeatable: ({ context, event }) => repeatable(causeOf(answerOf(event)), context.failures + 1),
      // UIA_208 (attempts.ts): authentication failed three attempts in a row; or the sensor refuses outright.
      authenticationFailed: ({ context, event }) => {
        const cause = causeOf(answerOf(event));
        return cause === 'refused' || (cause === 'unauthenticated' && context.authFailures + 1 >= AUTH_FAILURES_FOR_BREACH);
      },
    },
    actions: {
      takeBytes: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'sensor.rx') return;
        const { chunks, held } = framing.deframe(context.rxHeld, event.bytes);
        let pending = context.pending;
        for (const chunk of chunks) {
          const decoded = framing.decode(chunk);
          // Line noise before an answer is reported but does not stand for the answer: keep waiting.
          const noise = !decoded.ok && decoded.error.code === 'bad-header';
          if (!pending || noise) {
            const detail = decoded.ok ? `frame ${decoded.frame.instruction.toString(16).padStart(2, '0')} while no request is pending` : decoded.error.message;
            enqueue.sendParent({ type: 'sensor.linkError', code: decoded.ok ? 'unexpected-reply' : decoded.error.code, detail, instruction: pending?.instruction ?? null });
            continue;
          }
          enqueue.raise({ type: 'answer', answer: interpretAnswer(pending, decoded), instruction: pending.instruction, request: pending });
          pending = null; // one answer per request
        }
        enqueue.assign({ rxHeld: held, pending });
      }),

      refusePairing: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'sensor.pair') return;
        const r = pairingKeys(context.keys, event.workshopCard);
        if (!r.ok) enqueue.sendParent({ type: 'sensor.pairingFailed', reason: r.reason, detail: r.detail });
      }),
      // CSM_217 steps 2-3: KM and KID from KM-VU and the matching KM-WC.
      beginPairing: assign({
        pairing: ({ context, event }) => {
          if (event.type !== 'sensor.pair') return context.pairing;
          const r = pairingKeys(context.keys, event.workshopCard);
          if (!r.ok) return null;
          return { km: r.km, kid: r.kid, kmVersion: r.kmVersion, pairingDate: event.pairingDate, ns: null, kp: null, ks: null, info: null, approvalNumber: null, eventCounts: null };
        },
        failure: null,
        stepFailures: {},
      }),
      requestSerial: enqueueActions(({ context, enqueue }) => send(enqueue, serialRequest(context.keys.keyBits))),
      // CSM_217 step 4.
      requestPairingKey: enqueueActions(({ context, enqueue }) => {
        const p = context.pairing!;
        send(enqueue, pairingKeyRequest(p.kid, p.km, p.ns!, context.keys.keyBits));
      }),
      // CSM_217 step 6, CSM_112: a fresh KS as long as KM-VU.
      sendSessionKey: enqueueActions(({ context, enqueue }) => {
        const p = context.pairing!;
        const ks = toHex(rng.bytes(context.keys.keyBits / 8));
        send(enqueue, sessionKeyRequest(p.kp!, ks, context.keys.keyBits), { pairing: { ...p, ks } });
      }),
      // CSM_217 step 7.
      sendPairingInfo: enqueueActions(({ context, enqueue }) => {
        const p = context.pairing!;
        const info = toHex(encodePairingInformation({ pairingDate: p.pairingDate, vuSerialNumber: context.vuSerialNumber, sensorSerialNumber: p.ns!, kmVersion: p.kmVersion }));
        send(enqueue, pairingInfoRequest(p.kp!, p.ns!, p.ks!, info, context.keys.keyBits), { pairing: { ...p, info } });
      }),
      requestIdentification: enqueueActions(({ context, enqueue }) => send(enqueue, fileRequest(context.pairing!.ks!, rng.bytes(7), FILE.IDENTIFICATION, context.keys.keyBits))),
      requestEventBaseline: enqueueActions(({ context, enqueue }) => send(enqueue, fileRequest(context.pairing!.ks!, rng.bytes(7), FILE.SECURITY_EVENTS, context.keys.keyBits))),
      keepSerial: assign({ pairing: ({ context, event }) => ({ ...context.pairing!, ns: (answerOf(event) as { ns: string }).ns }) }),
      keepPairingKey: assign({ pairing: ({ context, event }) => ({ ...context.pairing!, kp: (answerOf(event) as { kp: string }).kp }) }),
      keepIdentification: assign({
        pairing: ({ context, event }) => ({ ...context.pairing!, approvalNumber: decodeIdentificationFile(fromHex((answerOf(event) as { data: string }).data)).sensorApprovalNumber }),
      }),
      keepEventBaseline: assign({
        pairing: ({ context, event }) => ({ ...context.pairing!, eventCounts: decodeSecurityEventsFile(fromHex((answerOf(event) as { data: string }).data)) }),
      }),
      completePairing: enqueueActions(({ context, enqueue }) => {
        const p = context.pairing!;
        const session: SensorSession = { ns: p.ns!, ks: p.ks!, kmVersion: p.kmVersion, eventCounts: p.eventCounts! };
        enqueue.assign({ session, pairing: null, consecutiveNoAnswers: 0, stepFailures: {}, failures: 0, authFailures: 0 });
        enqueue.sendParent({
          type: 'sensor.paired',
          record: { sensorSerialNumber: decodeExtendedSerialNumber(fromHex(p.ns!)), sensorApprovalNumber: p.approvalNumber!, sensorPairingDate: p.pairingDate },
          session,
        });
      }),
      // The request is sent again (by re-entering its step, or 0x41's: the caller's target).
      notePairingRepeat: enqueueActions(({ context, event, enqueue }) => {
        const request = requestOf(context, event);
        const key = requestKey(request);
        const attempt = (context.stepFailures[key] ?? 0) + 1;
        const answer = answerOf(event);
        enqueue.assign({ stepFailures: { ...context.stepFailures, [key]: attempt }, pending: null });
        enqueue.sendParent({ type: 'sensor.retry', instruction: request?.instruction ?? 0, attempt, cause: causeOf(answer) ?? 'lost', detail: attemptDetail(answer) });
      }),
      notePairingFailure: assign({
        failure: ({ context, event }) => pairingFailure(answerOf(event), (context.stepFailures[requestKey(requestOf(context, event))] ?? 0) + 1),
        pending: null,
      }),
      reportPairingFailure: enqueueActions(({ context, enqueue }) => {
        const f = context.failure ?? { reason: 'no-answer', detail: 'no answer' };
        enqueue.sendParent({ type: 'sensor.pairingFailed', reason: f.reason as PairingFailureReason, detail: f.detail });
        enqueue.assign({ pairing: null, failure: null });
      }),

      requestCounter: enqueueActions(({ context, enqueue }) => send(enqueue, counterRequest(context.session!.ks, rng.bytes(8), context.keys.keyBits))),
      requestEvents: enqueueActions(({ context, enqueue }) => send(enqueue, fileRequest(context.session!.ks, rng.bytes(7), FILE.SECURITY_EVENTS, context.keys.keyBits))),
      acceptCounter: enqueueActions(({ event, enqueue }) => {
        const a = answerOf(event);
        if (a?.kind !== 'counter') return;
        enqueue.assign({ consecutiveNoAnswers: 0, failures: 0, authFailures: 0 });
        for (const report of counterReports(a.value)) enqueue.sendParent(report);
      }),
      // Annex IC §3.9: the sensor's own events reach the VU as counts going up in file 0x03.
      reportSecurityEvents: enqueueActions(({ context, event, enqueue }) => {
        const a = answerOf(event);
        if (a?.kind !== 'file' || !context.session) return;
        const counts = decodeSecurityEventsFile(fromHex(a.data));
        for (const report of securityEventReports(context.session, counts)) enqueue.sendParent(report);
        enqueue.assign({ session: { ...context.session, eventCounts: counts }, consecutiveNoAnswers: 0, failures: 0, authFailures: 0 });
      }),
      // An attempt failed and the request goes out again (re-entering its state draws a fresh challenge).
      noteRepeat: enqueueActions(({ context, event, enqueue }) => {
        const answer = answerOf(event);
        const cause = causeOf(answer) ?? 'lost';
        const attempt = context.failures + 1;
        enqueue.assign({ failures: attempt, authFailures: cause === 'unauthenticated' ? context.authFailures + 1 : context.authFailures, pending: null });
        enqueue.sendParent({ type: 'sensor.retry', instruction: requestOf(context, event)?.instruction ?? 0, attempt, cause, detail: attemptDetail(answer) });
      }),
      // A run of failures is reported once; the next check starts a new run (three attempts again).
      noteAuthFailure: assign({ failure: ({ context, event }) => authFailure(answerOf(event), context.failures + 1), failures: 0, authFailures: 0 }),
      // A failed authentication is told apart from a swapped sensor by asking the serial number.
      reportAuthFailure: enqueueActions(({ context, event, enqueue }) => {
        const a = answerOf(event);
        const f = context.failure ?? { reason: 'invalid-answer', detail: 'authentication failed' };
        if (a?.kind === 'serial' && context.session && a.ns !== context.session.ns) {
          enqueue.sendParent({ type: 'sensor.authFailed', reason: 'sensor-changed', detail: `sensor ${a.ns} answers instead of the paired ${context.session.ns} (${f.detail})`, sensorSerialNumber: a.ns });
        } else {
          enqueue.sendParent({ type: 'sensor.authFailed', reason: f.reason as AuthFailureReason, detail: f.detail, ...(a?.kind === 'serial' ? { sensorSerialNumber: a.ns } : {}) });
        }
        enqueue.assign({ failure: null, pending: null });
      }),
      reportNoAnswer: enqueueActions(({ context, enqueue }) => {
        const consecutive = context.consecutiveNoAnswers + 1;
        enqueue.sendParent({ type: 'sensor.noAnswer', instruction: context.pending?.instruction ?? 0, consecutive });
        enqueue.assign({ consecutiveNoAnswers: consecutive, pending: null, rxHeld: [], failures: 0 });
      }),
      // Annex IC 83: the request failed after its attempts, its last answer damaged or unauthenticated.
      reportLinkError: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'answer') return;
        const a = event.answer;
        const unauthenticated = causeOf(a) === 'unauthenticated';
        const code = a.kind === 'malformed' ? a.code : unauthenticated ? 'unauthenticated' : a.kind;
        enqueue.sendParent({ type: 'sensor.linkError', code, detail: `${attemptDetail(a)} (${context.failures + 1} attempts)`, instruction: event.instruction });
        enqueue.assign({ failures: 0, authFailures: unauthenticated ? context.authFailures + 1 : context.authFailures });
      }),
    },
  }).createMachine({
    id: 'sensorLink',
    context: ({ input }) => ({
      keys: { kmVu: input.kmVu.toLowerCase(), kmVersion: input.kmVersion, keyBits: input.keyBits, vuGeneration: input.vuGeneration },
      vuSerialNumber: input.vuSerialNumber.toLowerCase(),
      timing: { ...DEFAULT_SENSOR_LINK_TIMING, ...input.timing },
      session: input.session ?? null,
      pairing: null,
      pending: null,
      rxHeld: [],
      failure: null,
      consecutiveNoAnswers: 0,
      failures: 0,
      stepFailures: {},
      authFailures: 0,
    }),
    on: {
      'sensor.rx': { actions: 'takeBytes' },
      'sensor.pair': [{ guard: 'pairingRefused', actions: 'refusePairing' }, { target: '.pairing', reenter: true, actions: 'beginPairing' }],
    },
    initial: 'start',
    states: {
      start: { always: [{ guard: 'hasSession', target: 'operating' }, { target: 'unpaired' }] },
      unpaired: {},
      pairing: {
        initial: 'serial',
        states: {
          serial: step('serial', 'requestSerial', 'keepSerial', 'pairingKey'),
          pairingKey: step('pairingKey', 'requestPairingKey', 'keepPairingKey', 'sessionKey'),
          // 0x42 and 0x43 move the sensor's pairing on (CSM_217 steps 6-8): once it took one whose answer was
          // lost, it refuses the same again (out of sequence), so they are repeated from 0x41, which starts its
          // sequence afresh; a new KS goes out with the new 0x42.
          sessionKey: step('pairingKey', 'sendSessionKey', undefined, 'pairingInfo'),
          pairingInfo: step('pairingKey', 'sendPairingInfo', undefined, 'identification'),
          identification: step('identification', 'requestIdentification', 'keepIdentification', 'eventBaseline'),
          eventBaseline: step('eventBaseline', 'requestEventBaseline', 'keepEventBaseline', '#sensorLink.paired'),
        },
      },
      paired: { entry: 'completePairing', always: 'operating' },
      pairingFailed: {
        entry: 'reportPairingFailure',
        always: [{ guard: 'hasSession', target: 'operating' }, { target: 'unpaired' }],
      },
      operating: {
        initial: 'waiting',
        states: {
          waiting: { after: { requestPeriod: 'counter' } },
          counter: exchange('counter', 'requestCounter', 'acceptCounter', 'events'),
          events: exchange('events', 'requestEvents', 'reportSecurityEvents', 'waiting'),
          identity: {
            entry: 'requestSerial',
            on: { answer: { target: 'waiting', actions: 'reportAuthFailure' } },
            after: { answerTimeout: { target: 'waiting', actions: 'reportAuthFailure' } },
          },
        },
      },
    },
  });

  /**
   * Issue 18 (quick-steps.ts): normal operation's check every 10 s without XState's macrosteps, where it goes as
   * it should: the request period runs out (waiting → counter), the counter's answer comes whole and
   * authenticated (counter → events), then the events file's (events → waiting). Each is what the machine does
   * (exchange() below): the exited state's answer timeout (or request period) cancelled, the accepting action's
   * reports, the entered state's request and its timer. Anything else (a damaged, refused or unauthenticated
   * answer, noise, a timeout, a pairing) is the machine's.
   */
  const after = (delay: 'answerTimeout' | 'requestPeriod', state: 'waiting' | 'counter' | 'events') => `xstate.after.${delay}.sensorLink.operating.${state}`;
  const requestOut = (out: QuickOut, req: Request, state: 'counter' | 'events', context: SensorLinkContext): Partial<SensorLinkContext> => {
    out.sendParent({ type: 'sensor.tx', bytes: framing.encode(req.frame) });
    out.schedule(after('answerTimeout', state), context.timing.answerTimeoutMs);
    out.goTo({ operating: state });
    return { pending: req.pending, rxHeld: [] };
  };
  /** The answer completed by `bytes` to the pending request, if it is one whole, usable answer. */
  const wholeAnswer = (context: SensorLinkContext, bytes: Uint8Array) => {
    if (!context.pending) return undefined;
    const { chunks, held } = framing.deframe(context.rxHeld, bytes);
    if (chunks.length !== 1) return undefined;
    const decoded = framing.decode(chunks[0]!);
    if (!decoded.ok) return undefined;
    const answer = interpretAnswer(context.pending, decoded);
    return isSuccess(answer) ? { answer, held } : undefined;
  };
  const inOperating = (snapshot: { value: unknown }, state: string) => (snapshot.value as { operating?: string }).operating === state;
  return withQuickSteps(machine, {
    [after('requestPeriod', 'waiting')]: (context: SensorLinkContext, _event, out, snapshot) => {
      if (!inOperating(snapshot, 'waiting') || !context.session) return undefined;
      out.cancel(after('requestPeriod', 'waiting'));
      return requestOut(out, counterRequest(context.session.ks, rng.bytes(8), context.keys.keyBits), 'counter', context);
    },
    'sensor.rx': (context: SensorLinkContext, event, out, snapshot) => {
      const bytes = (event as unknown as { bytes: Uint8Array }).bytes;
      if (inOperating(snapshot, 'counter')) {
        const taken = wholeAnswer(context, bytes);
        if (taken?.answer.kind !== 'counter' || !context.session) return undefined;
        out.cancel(after('answerTimeout', 'counter'));
        for (const report of counterReports(taken.answer.value)) out.sendParent(report);
        const request = requestOut(out, fileRequest(context.session.ks, rng.bytes(7), FILE.SECURITY_EVENTS, context.keys.keyBits), 'events', context);
        return { consecutiveNoAnswers: 0, failures: 0, authFailures: 0, ...request };
      }
      if (inOperating(snapshot, 'events')) {
        const taken = wholeAnswer(context, bytes);
        if (taken?.answer.kind !== 'file' || !context.session) return undefined;
        out.cancel(after('answerTimeout', 'events'));
        const counts = decodeSecurityEventsFile(fromHex(taken.answer.data));
        for (const report of securityEventReports(context.session, counts)) out.sendParent(report);
        out.schedule(after('requestPeriod', 'waiting'), context.timing.requestPeriodMs);
        out.goTo({ operating: 'waiting' });
        return { rxHeld: taken.held, pending: null, session: { ...context.session, eventCounts: counts }, consecutiveNoAnswers: 0, failures: 0, authFailures: 0 };
      }
      return undefined;
    },
  });
}

type PairingStep = 'serial' | 'pairingKey' | 'identification' | 'eventBaseline';
type PairingRequestAction = 'requestSerial' | 'requestPairingKey' | 'sendSessionKey' | 'sendPairingInfo' | 'requestIdentification' | 'requestEventBaseline';
type PairingKeepAction = 'keepSerial' | 'keepPairingKey' | 'keepIdentification' | 'keepEventBaseline';

/**
 * One pairing step: send on entry; the expected answer moves on. A lost, damaged or unauthenticated attempt
 * is repeated from `repeatFrom` (the step itself, or 0x41) up to MAX_ATTEMPTS of the step's request; a
 * refusal, or the last attempt failing, ends the pairing with the reason.
 */
function step<N extends string>(repeatFrom: PairingStep, send: PairingRequestAction, keep: PairingKeepAction | undefined, next: N) {
  const repeat = { guard: 'pairingRepeatable' as const, target: `#sensorLink.pairing.${repeatFrom}`, reenter: true, actions: 'notePairingRepeat' as const };
  const fail = { target: '#sensorLink.pairingFailed', actions: 'notePairingFailure' as const };
  return {
    entry: send,
    on: { answer: [{ guard: 'answered' as const, target: next, actions: keep ? [keep] : [] }, repeat, fail] },
    after: { answerTimeout: [repeat, fail] },
  };
}

type OperatingRequestAction = 'requestCounter' | 'requestEvents';
type OperatingAcceptAction = 'acceptCounter' | 'reportSecurityEvents';

/**
 * One request of normal operation: the usable answer moves on; authentication failing three attempts in a
 * row (or a refusal) asks who is fitted (then 0x11 or 0x13); another failed attempt sends the request again,
 * with a fresh challenge; the last one failing is the motion data error's report (Annex IC 83).
 */
function exchange<N extends string>(self: 'counter' | 'events', send: OperatingRequestAction, accept: OperatingAcceptAction, next: N) {
  const repeat = { guard: 'repeatable' as const, target: self, reenter: true, actions: 'noteRepeat' as const };
  return {
    entry: send,
    on: {
      answer: [
        { guard: 'answered' as const, target: next, actions: accept },
        { guard: 'authenticationFailed' as const, target: 'identity', actions: 'noteAuthFailure' as const },
        repeat,
        { target: 'waiting', actions: 'reportLinkError' as const },
      ],
    },
    after: { answerTimeout: [repeat, { target: 'waiting', actions: 'reportNoAnswer' as const }] },
  };
}

/** " (n attempts)" after a reason found on the last of several attempts. */
const afterAttempts = (detail: string, attempts: number) => (attempts > 1 ? `${detail} (${attempts} attempts)` : detail);

/** Why a pairing step failed, on its `attempts`th attempt; no answer at all when the event is the timeout. */
export function pairingFailure(answer: Answer | undefined, attempts = 1): { reason: PairingFailureReason; detail: string } {
  const f = pairingFailureOf(answer);
  return { ...f, detail: afterAttempts(f.detail, attempts) };
}

function pairingFailureOf(answer: Answer | undefined): { reason: PairingFailureReason; detail: string } {
  if (!answer) return { reason: 'no-answer', detail: 'the sensor did not answer in time' };
  switch (answer.kind) {
    case 'refused':
      // CSM_222 and CSM_217 step 5, as the sensor reports them.
      if (answer.code === NEGATIVE_REASON.AES_NOT_SUPPORTED) return { reason: 'sensor-generation-1', detail: `a second-generation VU cannot pair with a first-generation sensor (CSM_222): ${answer.detail}` };
      if (answer.code === NEGATIVE_REASON.VU_NOT_AUTHENTICATED) return { reason: 'vu-not-authenticated', detail: answer.detail };
      return { reason: 'sensor-refused', detail: answer.detail };
    case 'invalid':
      return { reason: 'sensor-not-authenticated', detail: answer.detail };
    case 'malformed':
      return { reason: 'malformed-answer', detail: `${answer.code}: ${answer.detail}` };
    default:
      return { reason: 'malformed-answer', detail: `unexpected ${answer.kind} answer` };
  }
}

/** Why the sensor failed to authenticate, found on the `attempts`th attempt of a request. */
export function authFailure(answer: Answer | undefined, attempts = 1): { reason: AuthFailureReason; detail: string } {
  if (answer?.kind === 'refused') {
    if (answer.code === NEGATIVE_REASON.NOT_PAIRED) return { reason: 'not-paired', detail: afterAttempts(answer.detail, attempts) };
    return { reason: 'refused', detail: afterAttempts(answer.detail, attempts) };
  }
  return { reason: 'invalid-answer', detail: afterAttempts(answer?.kind === 'invalid' ? answer.detail : 'no valid answer', attempts) };
}
