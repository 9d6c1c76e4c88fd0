import { getResponse } from 'msw';
import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import { z } from 'zod';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { freeCode, type RecordKinds } from '../../harness/devices/record-kinds.ts';
import { createRng } from '../../crypto/random.ts';
import { cardRecordFields, verifyCarrierPin, type WorkshopCarrier } from './card-slot.ts';
import { ARM_MESSAGE } from './texts.ts';
import { REQUEST_STATUSES, type RequestView } from './data-centre/api.ts';
import { handOver, rigExchange, takeOver, type RigExchange } from './rig-exchange.ts';
import { factoryNoSchema, vehicleSchema, type Vehicle } from './schemas.ts';
import { skziRecordKinds } from './index.ts';
import { Workstation, type ArmResult } from './workstation.ts';

/**
 * The activation workstation (АРМА, seed 5.2–5.6) as a rig device: what a person at it does (write a new request
 * onto the workshop card in its reader, send what the block signed, look at a request, «Обработать ошибку»,
 * write the issued certificate onto the card, upload the receipt, revoke) as stimuli, and what it showed and
 * the request states it received as records. It talks HTTP (workstation.ts) to the rig's data centre device,
 * whose msw handlers answer in the rig process, or to a real data centre at `url`. Cards come and go by hand
 * (rig-exchange.ts): `giveCard` on the tachograph brings one here, `giveCard` here takes it back.
 *
 * Operations run one after another in the order given; while one waits for its HTTP answer, rig time stands
 * still (a settler on the rig clock), so an answer arrives at the rig instant its request was sent.
 */
export const workstationOptions = z
  .strictObject({
    /** The rig's data centre device (skzi-data-centre) this АРМА talks to, through msw in the rig process. */
    dataCentre: z.string().optional(),
    /** A real data centre's API base URL instead (then no data-centre device is needed). */
    url: z.url().optional(),
    /**
     * How long it waits for an answer (rig-defined; the seed names no timeout). A real server's is wall time; a
     * rig data centre's outage in `timeout` mode costs this much rig time.
     */
    timeoutMs: z.number().int().min(1).default(30_000),
    /** An operation the data centre did not answer (unreachable, timeout, 5xx) is tried again after this long (rig time), until it is answered. */
    retryMs: z.number().int().min(1).default(60_000),
    /**
     * 6.24: the АРМА's session ends after this long without an operation (rig time); then every operation shows
     * «Ошибка сохранения запроса: время сессии истекло» until a login. The seed gives no length; unset: never.
     */
    sessionMs: z.number().int().min(1).optional(),
  })
  .refine((o) => (o.dataCentre === undefined) !== (o.url === undefined), { error: 'name exactly one of dataCentre (a rig device) and url (a real data centre)' });
export type WorkstationOptions = z.output<typeof workstationOptions>;

const ownerSchema = z.strictObject({ name: z.string().min(1), inn: z.string().regex(/^\d{10}(\d{2})?$/) });

type Op =
  | { op: 'createRequest'; card: string; nkmFactoryNo: string; tachographNo2: string; vehicle: Vehicle; owner: { name: string; inn: string } }
  | { op: 'sendSigned'; card: string }
  | { op: 'checkRequest'; requestId: string }
  | { op: 'handleError'; requestId: string; vehicle?: Vehicle }
  | { op: 'writeCertificate'; card: string; requestId: string }
  | { op: 'uploadReceipt'; requestId: string }
  | { op: 'revoke'; nkmFactoryNo: string }
  | { op: 'readCard'; card: string }
  | { op: 'login'; card: string; pin: string }
  | { op: 'continueRequest'; card: string }
  | { op: 'giveCard'; card: string; to: string };

/** What one operation came to: what the АРМА showed, the request it received, the card as it leaves the reader. */
interface Outcome {
  ok: boolean;
  httpStatus: number;
  text: string;
  /** The data centre did not answer (why: `connection refused`, `timeout`, `HTTP 503`): the operation is kept and tried again. */
  unreachable?: string;
  /** Rig time the АРМА waited for the answer that did not come (a rig data centre's outage in `timeout` mode). */
  waitedMs?: number;
  /** A login's result: a new session, and the unfinished stage 1 it offers to continue (6.24). */
  login?: { ok: boolean; offered: string | null };
  view?: RequestView;
  carrier?: WorkshopCarrier;
}

interface ArmLogEntry {
  kind: 'shown' | 'request' | 'cardRead';
  at: number;
  code: string;
  fields: Record<string, unknown>;
}

interface ArmContext {
  cards: Record<string, WorkshopCarrier>;
  queue: Op[];
  current: Op | null;
  log: ArmLogEntry[];
  /** An answer that did not come, while the АРМА still waits for it (rig time, an outage in `timeout` mode). */
  pending: Outcome | null;
  /** 6.24: the session's last operation (rig time); null before the first. */
  sessionAt: number | null;
  /** 6.24: the session ran out; every operation is refused until a login. */
  sessionExpired: boolean;
  /** 6.24 item 3: the unfinished stage 1 the last login offered («Продолжить запрос» sends it). */
  offered: string | null;
}

type ArmEvent = { type: 'arm.op'; op: Op } | { type: 'card.receive'; name: string };

/** What the АРМА shows for an answer: the seed's error text as the data centre gave it, or the request's section (5.3, 6.10, 6.42), or its status. */
function shownFor(result: ArmResult<unknown>, success: (value: never) => string): string {
  return result.ok ? success(result.value as never) : result.error;
}
const sectionOf = (view: RequestView) => view.section ?? view.status;

const unreachableOf = (result: ArmResult<unknown>) => (!result.ok && result.unreachable ? { unreachable: result.unreachable } : {});

const rngForPin = createRng(0, 'arm-pin');
const ddmmyyyy = (ms: number) => new Date(ms).toISOString().slice(0, 10).split('-').reverse().join('.');

/** One operation against the data centre, with the card it works on (already in the reader). */
async function operate(arm: Workstation, op: Op, carrier: WorkshopCarrier | undefined, offered: string | null): Promise<Outcome> {
  const needCard = () => {
    if (!carrier) throw new Error(`no card ${'card' in op ? op.card : ''} at the workstation`);
    return carrier;
  };
  const outcome = (result: ArmResult<RequestView>, card?: WorkshopCarrier): Outcome => ({
    ok: result.ok,
    httpStatus: result.status,
    text: shownFor(result, sectionOf),
    ...unreachableOf(result),
    ...(result.ok ? { view: result.value } : {}),
    ...(card ? { carrier: card } : {}),
  });
  switch (op.op) {
    case 'createRequest': {
      const card = needCard();
      const { op: _op, card: _name, ...input } = op;
      const result = await arm.createRequest({ ...input, cardNumber: card.card.cardNumber });
      // 5.3: the request goes onto the card in the reader
      return outcome(result, result.ok ? arm.writeRequestToCard(card, result.value) : card);
    }
    case 'sendSigned': {
      const { carrier: after, result } = await arm.sendSigned(needCard());
      return outcome(result, after);
    }
    case 'checkRequest':
      return outcome(await arm.request(op.requestId));
    case 'handleError':
      return outcome(await arm.handleError(op.requestId, op.vehicle));
    case 'writeCertificate': {
      const { carrier: after, result } = await arm.writeCertificateToCard(needCard(), op.requestId);
      return { ok: result.ok, httpStatus: result.status, text: shownFor(result, (c: { serial: string }) => `certificate ${c.serial} written to the card`), carrier: after, ...unreachableOf(result) };
    }
    case 'uploadReceipt':
      return outcome(await arm.uploadReceipt(op.requestId));
    case 'revoke': {
      const result = await arm.revoke(op.nkmFactoryNo);
      return { ok: result.ok, httpStatus: result.status, text: shownFor(result, (r: { revocationNo: string }) => `revocation ${r.revocationNo}`), ...unreachableOf(result) };
    }
    case 'login': {
      // 5.2: the workshop card in the reader and its PIN (a real VERIFY on the card: its retry counter)
      const pin = verifyCarrierPin(needCard(), op.pin, rngForPin);
      if (!pin.ok) return { ok: false, httpStatus: 0, text: pin.blocked ? 'the card is blocked' : `wrong PIN, ${pin.triesLeft} tries left`, carrier: pin.carrier, login: { ok: false, offered: null } };
      // 6.24 item 3: a request of this card created and not yet sent is an unfinished stage 1
      const listed = await arm.requests();
      if (!listed.ok) return { ok: false, httpStatus: listed.status, text: listed.error, carrier: pin.carrier, ...unreachableOf(listed) };
      const unfinished = listed.value.requests.find((r) => r.status === 'created' && r.request.cardNumber === pin.carrier.card.cardNumber);
      const text = unfinished
        ? ARM_MESSAGE.unfinishedStage1({ requestId: unfinished.request.requestId, date: ddmmyyyy(unfinished.request.createdAt), pts: unfinished.vehicle.pts, vin: unfinished.vehicle.vin, vrn: unfinished.vehicle.vrn, owner: unfinished.request.owner.name })
        : 'logged in';
      return { ok: true, httpStatus: listed.status, text, carrier: pin.carrier, login: { ok: true, offered: unfinished?.request.requestId ?? null } };
    }
    case 'continueRequest': {
      // 6.24 item 4: «Продолжить запрос» sends the signed request of the unfinished stage 1 the login offered
      if (offered === null) return { ok: false, httpStatus: 0, text: 'no unfinished stage 1 to continue (log in first)' };
      const { carrier: after, result } = await arm.sendSigned(needCard());
      return outcome(result, after);
    }
    case 'giveCard':
    case 'readCard':
      return { ok: true, httpStatus: 0, text: '' };
  }
}

/** The operations that need the АРМА's session (6.24); a login opens one, a card in the hand or read needs none. */
const SESSION_OPS = new Set<Op['op']>(['createRequest', 'sendSigned', 'checkRequest', 'handleError', 'writeCertificate', 'uploadReceipt', 'revoke', 'continueRequest']);

export interface WorkstationDeps {
  now: () => number;
  /** 6.24: a session ends after this long without an operation (rig time); undefined: never. */
  sessionMs?: number;
  arm: Workstation;
  exchange: RigExchange;
  inFlight: Set<Promise<unknown>>;
  /** Rig time to wait before trying an unanswered operation again (options.retryMs). */
  retryMs?: number;
  /** Rig time a simulated timeout cost the last operation (the rig data centre's `timeout` outage), read once. */
  takeSimulatedWait?: () => number;
}

export function createWorkstationMachine(deps: WorkstationDeps) {
  return setup({
    types: { context: {} as ArmContext, events: {} as ArmEvent, emitted: {} as { type: 'device.stimulus'; device: string; name: 'receiveCard'; args: { card: string } } },
    actors: {
      operate: fromPromise<Outcome, { op: Op; carrier: WorkshopCarrier | undefined; offered: string | null }>(({ input }) => {
        const running = operate(deps.arm, input.op, input.carrier, input.offered)
          .then((outcome): Outcome => {
            const waitedMs = deps.takeSimulatedWait?.() ?? 0;
            return outcome.unreachable && waitedMs > 0 ? { ...outcome, waitedMs } : outcome;
          })
          .catch((error: unknown): Outcome => ({ ok: false, httpStatus: 0, text: error instanceof Error ? error.message : String(error) }));
        deps.inFlight.add(running);
        void running.then(() => deps.inFlight.delete(running));
        return running;
      }),
    },
    guards: {
      queued: ({ context }) => context.queue.length > 0,
      /** 6.24: the next operation needs the session, and it ran out (or had run out before). */
      sessionOver: ({ context }) => {
        const op = context.queue[0];
        if (!op || !SESSION_OPS.has(op.op)) return false;
        if (context.sessionExpired) return true;
        return deps.sessionMs !== undefined && context.sessionAt !== null && deps.now() - context.sessionAt > deps.sessionMs;
      },
      /** No answer from the data centre (6.3 / 6.4): the operation stays and is tried again. */
      unanswered: (_, outcome: Outcome) => outcome.unreachable !== undefined,
      waitedForIt: (_, outcome: Outcome) => outcome.unreachable !== undefined && (outcome.waitedMs ?? 0) > 0,
    },
    delays: {
      answerWait: ({ context }) => context.pending?.waitedMs ?? 0,
      retry: () => deps.retryMs ?? 60_000,
    },
    actions: {
      enqueue: assign({ queue: ({ context, event }) => (event.type === 'arm.op' ? [...context.queue, event.op] : context.queue) }),
      next: assign(({ context }) => ({ current: context.queue[0] ?? null, queue: context.queue.slice(1), sessionAt: context.queue[0] && SESSION_OPS.has(context.queue[0].op) ? deps.now() : context.sessionAt })),
      /** 6.24: «Ошибка сохранения запроса: время сессии истекло»; the operation is dropped, nothing was sent (the card keeps what it holds). */
      refuseExpired: assign(({ context }) => ({
        queue: context.queue.slice(1),
        sessionExpired: true,
        offered: null,
        log: [...context.log, { kind: 'shown' as const, at: deps.now(), code: ARM_MESSAGE.sessionExpired, fields: { operation: context.queue[0]!.op, ok: false, httpStatus: 0 } }],
      })),
      receiveCard: assign({
        cards: ({ context, event }) => {
          if (event.type !== 'card.receive') return context.cards;
          if (context.cards[event.name]) throw new Error(`a card ${event.name} is at the workstation already`);
          return { ...context.cards, [event.name]: takeOver(deps.exchange, event.name) };
        },
      }),
      /** What the АРМА showed for an operation nobody answered; the operation stays `current`, nothing on the card changes. */
      logUnanswered: enqueueActions(({ context, enqueue }, outcome: Outcome | null) => {
        if (!outcome) return;
        const op = context.current!;
        const entry: ArmLogEntry = { kind: 'shown', at: deps.now(), code: outcome.text, fields: { operation: op.op, ok: false, httpStatus: outcome.httpStatus, cause: outcome.unreachable } };
        enqueue.assign({ log: [...context.log, entry], pending: null });
      }),
      hold: assign({ pending: (_, outcome: Outcome) => outcome }),
      applyOutcome: enqueueActions(({ context, enqueue }, outcome: Outcome) => {
        const op = context.current!;
        const at = deps.now();
        if (op.op === 'giveCard') {
          const carrier = context.cards[op.card];
          if (!carrier) throw new Error(`card ${op.card} is not at the workstation`);
          handOver(deps.exchange, op.card, carrier);
          const { [op.card]: _given, ...rest } = context.cards;
          enqueue.assign({ cards: rest, current: null });
          enqueue.emit({ type: 'device.stimulus', device: op.to, name: 'receiveCard', args: { card: op.card } });
          return;
        }
        if (op.op === 'readCard') {
          // what the reader shows of the card now (the АРМА reads what a step left on it: 5.3 item 7, 6.7)
          const carrier = context.cards[op.card];
          if (!carrier) throw new Error(`card ${op.card} is not at the workstation`);
          const { inSlot: _inSlot, ...fields } = cardRecordFields(carrier, false);
          enqueue.assign({ current: null, log: [...context.log, { kind: 'cardRead', at, code: op.card, fields }] });
          return;
        }
        const entries: ArmLogEntry[] = [{ kind: 'shown', at, code: outcome.text, fields: { operation: op.op, ok: outcome.ok, httpStatus: outcome.httpStatus } }];
        if (outcome.view) {
          const v = outcome.view;
          entries.push({ kind: 'request', at, code: v.request.requestId, fields: { status: v.status, section: v.section ?? null, error: v.error ?? null, certificateSerial: v.certificateSerial ?? null } });
        }
        const cards = 'card' in op && outcome.carrier ? { ...context.cards, [op.card]: outcome.carrier } : context.cards;
        // a login opens a new session (6.24 item 2) and offers the unfinished stage 1; «Продолжить запрос» sent it
        const session = op.op === 'login' && outcome.login?.ok ? { sessionExpired: false, sessionAt: at, offered: outcome.login.offered } : op.op === 'continueRequest' && outcome.ok ? { offered: null } : {};
        enqueue.assign({ cards, current: null, log: [...context.log, ...entries], ...session });
      }),
    },
  }).createMachine({
    id: 'skzi-workstation',
    context: { cards: {}, queue: [], current: null, log: [], pending: null, sessionAt: null, sessionExpired: false, offered: null },
    initial: 'idle',
    on: { 'card.receive': { actions: 'receiveCard' }, 'arm.op': { actions: 'enqueue' } },
    states: {
      idle: {
        always: [
          { guard: 'sessionOver', actions: 'refuseExpired' },
          { guard: 'queued', target: 'working', actions: 'next' },
        ],
      },
      working: {
        invoke: {
          src: 'operate',
          input: ({ context }) => ({ op: context.current!, carrier: context.current && 'card' in context.current ? context.cards[context.current.card] : undefined, offered: context.offered }),
          onDone: [
            { guard: { type: 'waitedForIt', params: ({ event }) => event.output }, target: 'awaitingAnswer', actions: { type: 'hold', params: ({ event }) => event.output } },
            { guard: { type: 'unanswered', params: ({ event }) => event.output }, target: 'retryWait', actions: { type: 'logUnanswered', params: ({ event }) => event.output } },
            { target: 'idle', actions: { type: 'applyOutcome', params: ({ event }) => event.output } },
          ],
        },
      },
      /** The request went out and no answer comes: the АРМА waits its timeout (rig time), then shows 6.3/6.4. */
      awaitingAnswer: {
        after: { answerWait: { target: 'retryWait', actions: { type: 'logUnanswered', params: ({ context }) => context.pending } } },
      },
      /** Nothing is lost: the same operation goes again after retryMs, the later ones wait behind it. */
      retryWait: {
        after: { retry: { target: 'working' } },
      },
    },
  });
}

const atWorkstation = 'what the АРМА showed and received: the emulation keeps its log';

export const workstationRecordKinds: RecordKinds = {
  shown: {
    description: "what the АРМА showed for an operation: the data centre's error text exactly (6.22–6.25, 6.43, 6.44), else the request's section (5.3, 6.42) or its status, or what it wrote",
    code: freeCode(z.string(), 'the text'),
    time: 'instant',
    fields: z.strictObject({
      operation: z.string(),
      ok: z.boolean(),
      httpStatus: z.number().int(),
      /** Only when the data centre did not answer (6.3/6.4): `connection refused`, `timeout`, `HTTP 503`. */
      cause: z.string().optional(),
    }),
    emulatedOnly: atWorkstation,
  },
  request: {
    description: 'a request as the АРМА received it (its lifecycle state then, with the processing error of 6.11–6.21)',
    code: freeCode(z.string(), 'the request id'),
    time: 'instant',
    fields: z.strictObject({ status: z.enum(REQUEST_STATUSES), section: z.string().nullable(), error: z.string().nullable(), certificateSerial: z.string().nullable() }),
    emulatedOnly: atWorkstation,
  },
  card: { ...skziRecordKinds.card!, description: "a named workshop card's СКЗИ content while it is at the АРМА (inSlot: false)" },
  cardRead: {
    description: "what the АРМА's reader read off a named card at that instant (stimulus readCard): the ids of its request, signed request and certificate",
    code: freeCode(z.string(), 'the card name'),
    time: 'instant',
    fields: z.strictObject({ request: z.string().nullable(), signedRequest: z.string().nullable(), certificate: z.string().nullable(), pinTriesLeft: z.number().int().nullable() }),
    emulatedOnly: atWorkstation,
  },
};

const cardArg = z.string().min(1);
const op = <A extends z.ZodType>(description: string, args: A, build: (a: z.output<A>) => Op) => ({ description, args, toEvent: (a: z.output<A>) => ({ type: 'arm.op', op: build(a) }) });

export const workstationKind: DeviceKind<WorkstationOptions> = {
  kind: 'skzi-workstation',
  description: 'the СКЗИ activation workstation (АРМА) with its card reader: an HTTP client of the data centre (a rig skzi-data-centre, or a real one by url)',
  options: workstationOptions as unknown as z.ZodType<WorkstationOptions>,
  ports: {},
  actsOn: (options) => (options.dataCentre ? [options.dataCentre] : []),
  checkRig: (self, rig) => {
    const name = self.options.dataCentre;
    if (name === undefined) return [];
    const dc = rig.device(name);
    if (!dc) return [{ path: ['dataCentre'], message: `no device ${name} in the rig` }];
    if (dc.kind?.kind !== 'skzi-data-centre') return [{ path: ['dataCentre'], message: `${name} is a ${dc.kind?.kind ?? 'device of an unknown kind'}, not an skzi-data-centre` }];
    // an external device's machine is not built in the rig: the АРМА reaches that data centre by its own url
    if (dc.mode === 'external') return [{ path: ['dataCentre'], message: `${name} is external (a real data centre): give url: ${(dc.options as { url?: string } | undefined)?.url ?? '<its API base URL>'} instead` }];
    return [];
  },
  machine: ({ name, options, clock }) => {
    const exchange = rigExchange(clock);
    const inFlight = new Set<Promise<unknown>>();
    // rig time waits for the HTTP answers in flight (the data centre answers at the instant it was asked)
    clock.addSettler(() => (inFlight.size ? Promise.allSettled([...inFlight]).then(() => undefined) : undefined));
    let arm: Workstation;
    let simulatedWaitMs = 0;
    const takeSimulatedWait = () => {
      const waited = simulatedWaitMs;
      simulatedWaitMs = 0;
      return waited;
    };
    if (options.url) arm = new Workstation(options.url, globalThis.fetch, options.timeoutMs);
    else {
      const dcName = options.dataCentre!;
      // the data centre device's msw handlers answer in this process; a request no handler takes is an error
      // (msw's onUnhandledRequest: 'error'), so nothing leaves the rig
      // (msw's onUnhandledRequest: 'error'), so nothing leaves the rig. The base URL is the data centre's, known
      // once its device is built (either may come first in the rig): the client asks for paths, this adds it.
      const viaMsw: typeof fetch = async (input, init) => {
        const served = exchange.dataCentres.get(dcName);
        if (!served) throw new Error(`${name}: the data centre ${dcName} is not served in this rig`);
        // a real data centre (its url): over HTTP, as with the workstation's own url
        if (served.real) return globalThis.fetch(`${served.baseUrl.replace(/\/$/, '')}${String(input)}`, init);
        // the data centre's outage (its stimulus outage): the request never reaches it
        const outage = served.outage && clock.now() < served.outage.until ? served.outage : undefined;
        if (outage?.mode === 'refused') throw new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ECONNREFUSED ${served.baseUrl}`), { code: 'ECONNREFUSED' }) });
        if (outage?.mode === 'timeout') {
          simulatedWaitMs = options.timeoutMs;
          throw new DOMException(`no answer from ${dcName} within ${options.timeoutMs} ms`, 'TimeoutError');
        }
        if (outage?.mode === 'http') return new Response(`<html><body><h1>${outage.status}</h1></body></html>`, { status: outage.status, headers: { 'content-type': 'text/html' } });
        const request = new Request(`${served.baseUrl.replace(/\/$/, '')}${String(input)}`, init);
        const response = await getResponse(served.handlers ?? [], request);
        if (!response) throw new Error(`${name}: no handler of ${dcName} answers ${request.method} ${request.url}`);
        return response;
      };
      arm = new Workstation('', viaMsw);
    }
    return { machine: createWorkstationMachine({ now: () => clock.now(), arm, exchange, inFlight, retryMs: options.retryMs, takeSimulatedWait, ...(options.sessionMs !== undefined ? { sessionMs: options.sessionMs } : {}) }) };
  },
  stimuli: {
    createRequest: op(
      'АРМП «Создание» and 5.3: create the request for a block, a tachograph, a vehicle and its owner, and write it onto the card at the workstation',
      z.strictObject({ card: cardArg, nkmFactoryNo: factoryNoSchema, tachographNo2: z.string().min(1), vehicle: vehicleSchema, owner: ownerSchema }),
      (a) => ({ op: 'createRequest', ...a }),
    ),
    sendSigned: op('5.3 item 7: read the request the block signed off the card and send it to the data centre', z.strictObject({ card: cardArg }), (a) => ({ op: 'sendSigned', ...a })),
    checkRequest: op('look at a request: its status, section and processing error', z.strictObject({ requestId: z.string() }), (a) => ({ op: 'checkRequest', ...a })),
    handleError: op(
      '«Обработать ошибку» (6.10): correct the vehicle data (6.39) and send the request again',
      z.strictObject({ requestId: z.string(), vehicle: vehicleSchema.optional() }),
      (a) => ({ op: 'handleError', requestId: a.requestId, ...(a.vehicle ? { vehicle: a.vehicle } : {}) }),
    ),
    writeCertificate: op('5.4 item 1: fetch the issued certificate and write it onto the card at the workstation', z.strictObject({ card: cardArg, requestId: z.string() }), (a) => ({ op: 'writeCertificate', ...a })),
    uploadReceipt: op("the owner's receipt for the certificate (1.1 item 10): closes the request", z.strictObject({ requestId: z.string() }), (a) => ({ op: 'uploadReceipt', ...a })),
    revoke: op('5.6 «Отзыв активизации» of a block', z.strictObject({ nkmFactoryNo: factoryNoSchema }), (a) => ({ op: 'revoke', ...a })),
    readCard: op("read what is on the card in the workstation's reader (its request, signed request, certificate), a cardRead record", z.strictObject({ card: cardArg }), (a) => ({ op: 'readCard', ...a })),
    login: op(
      '5.2 / 6.24 item 1–3: log in again with the workshop card in the reader and its PIN: a new session; an unfinished stage 1 of this card is offered (the 6.24 prompt)',
      z.strictObject({ card: cardArg, pin: z.string() }),
      (a) => ({ op: 'login', ...a }),
    ),
    continueRequest: op('6.24 item 4 «Продолжить запрос»: send the signed request of the unfinished stage 1 the login offered', z.strictObject({ card: cardArg }), (a) => ({ op: 'continueRequest', ...a })),
    giveCard: op('a person takes a card from the workstation to another device of the rig (a tachograph)', z.strictObject({ card: cardArg, to: z.string() }), (a) => ({ op: 'giveCard', ...a })),
    receiveCard: {
      description: 'the named card handed over by another device (its giveCard applies this one)',
      args: z.strictObject({ card: cardArg }),
      toEvent: (a: { card: string }) => ({ type: 'card.receive', name: a.card }),
    },
  },
  recordKinds: workstationRecordKinds,
  records: (device, rig) => ({
    read: async () => {
      const actor = rig.actor(device);
      if (!actor) throw new Error(`skzi-workstation '${device}' is not emulated: what it showed is not reachable`);
      const context = (actor.getSnapshot() as { context: ArmContext }).context;
      const cards = Object.entries(context.cards).map(([name, carrier]) => ({ kind: 'card', code: name, fields: cardRecordFields(carrier, false) }));
      return [...context.log.map((e) => ({ kind: e.kind, at: e.at, code: e.code, fields: e.fields })), ...cards];
    },
  }),
};
