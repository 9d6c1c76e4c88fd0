import { and, assign, enqueueActions, setup } from 'xstate';
import type { PortRefusedEmitted, PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import type { RigClock } from '../../harness/clock/index.ts';
import type { World } from '../../harness/world/index.ts';
import {
  decodePacket,
  deframeNpl,
  encodePacket,
  NdtpError,
  NplError,
  NphResult,
  PROFILES,
  request,
  resultName,
  authProof,
  CONN_FLAG_SECURE,
  encodeSecureAuth,
  isEncrypted,
  newNonce,
  openFrame,
  sealFrame,
  sessionKeys,
  type NavRecord,
  type NphBody,
  type ProfileName,
} from '../../protocols/ndtp/index.ts';
import { loadBuffer, saveBuffer } from './buffer-store.ts';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import type { Rng } from '../../crypto/random.ts';
import { sampleRecord } from './sample.ts';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';

// A navigation cell time is in Unix seconds (navdata.ts).
const isoOfNav = (seconds: number) => new Date(seconds * 1000).toISOString();

export interface TerminalSettings {
  profile: ProfileName;
  peerAddress: number;
  authString?: string;
  protoVersionHigh?: number;
  periodMs: number;
  ackTimeoutMs: number;
  reconnectMs: number;
  busyRetryMs: number;
  refusedRetryMs: number;
  compartments: number;
  altitudeM: number;
  batteryVolts: number;
  bufferFile?: string;
  bufferLimit: number;
  /** Pre-shared AES-128 key (hex): the terminal asks for a secure session (secure.ts). */
  encryptionKey?: string;
}

/** A record not yet acknowledged, and how it is to go: real time (made while the link was up) or history. */
export interface Pending {
  record: NavRecord;
  mode: 'realtime' | 'history';
  /**
   * The server refused it for good in this session (an NPH_RESULT other than OK, BUSY, SERVICE_NOT_AVAILABLE
   * and PACKET_UNEXPECTED): kept, not sent again in this session, offered again in the next (README "NDTP").
   */
  setAside?: true;
}

export interface TerminalContext {
  pending: Pending[];
  nextRequestId: number;
  inFlight: { requestId: number; kind: 'conn' | 'auth' | 'realtime' | 'history'; time?: number } | null;
  held: number[];
  linkUp: boolean;
  corruptNext: boolean;
  /** Records the full buffer had to let go, oldest first. */
  dropped: number;
  /** What the terminal did with a record the server did not take, and what the full buffer let go (record-kinds.ts). */
  log: DeviceRecord[];
  /** Compartments whose level sensor does not answer: their Type 13 cell is left out. */
  failedSensors: number[];
  /** A secure session's keys (hex) and counters, from its AUTH_STRING on; null when none. */
  secure: { up: string; down: string; sent: number; received: number } | null;
}

type TerminalEvent =
  | PortRxEvent
  | { type: 'ndtp.result'; requestId: number; error: number }
  | { type: 'ndtp.nplError'; error: number }
  | { type: 'power'; on: boolean }
  | { type: 'corruptNext' }
  | { type: 'levelSensor'; compartment: number; working: boolean };

/**
 * An NPL_TYPE_ERROR while setting up (state `step`): its frame was damaged (the request again), the routing
 * behind the server is unavailable (again after reconnectMs), or the address is refused (again after
 * refusedRetryMs).
 */
function setupNplError(step: 'connecting' | 'authenticating') {
  return [
    { guard: 'crcFailed', target: step, reenter: true },
    { guard: 'peerNotAvailable', target: 'offline' },
    { target: 'refused' },
  ] as const;
}

/**
 * The next record to send: the newest real-time one, else the oldest of the history (README "NDTP": real time
 * first); a record set aside in this session waits for the next.
 */
export function nextToSend(pending: readonly Pending[]): Pending | undefined {
  for (let i = pending.length - 1; i >= 0; i--) if (pending[i]!.mode === 'realtime' && !pending[i]!.setAside) return pending[i];
  return pending.find((x) => !x.setAside);
}

/** How the terminal takes an NPH_RESULT that is not OK for a navigation packet. */
export function refusalHandling(error: number): 'retry' | 'reconnect' | 'set-aside' {
  // BUSY and SERVICE_NOT_AVAILABLE say "not now": the same packet again after busyRetryMs.
  if (error === NphResult.BUSY || error === NphResult.SERVICE_NOT_AVAILABLE) return 'retry';
  // PACKET_UNEXPECTED: the server has no session for this connection (it ended it on a cut, a restart):
  // set up a new one at once; the record goes as history in it.
  if (error === NphResult.PACKET_UNEXPECTED) return 'reconnect';
  // Anything else refuses this packet as it is. Sending it again at once would be refused again, forever;
  // letting it go would drop a record. It stays in the buffer (and its file), is not sent again in this
  // session, and is offered again in the next one (a server whose configuration was mended takes it).
  return 'set-aside';
}

export function initialTerminalContext(s: TerminalSettings): TerminalContext {
  const stored = s.bufferFile ? loadBuffer(s.bufferFile, s.peerAddress) : undefined;
  return {
    // After a start (a supply cut, a restart) nothing is real time any more: the buffer goes as history.
    pending: (stored?.records ?? []).map((record) => ({ record, mode: 'history' as const })),
    nextRequestId: stored?.nextRequestId ?? 1,
    inFlight: null,
    held: [],
    linkUp: false,
    corruptNext: false,
    dropped: 0,
    log: [],
    failedSensors: [],
    secure: null,
  };
}

/**
 * The NDTP on-board terminal (СТС, seed 001). A sampler makes one record every period from the world; the
 * link side connects (NPH_SGC_CONN_REQUEST, then NPH_SGC_CONN_AUTH_STRING where it has one), then sends
 * one packet at a time and waits for the NPH_RESULT carrying its request id. A record counts as delivered
 * only on <error> = 0. No answer within the time-out is a lost link: the terminal goes offline, keeps
 * making records into its buffer, and tries again every reconnect period; what was made while offline goes
 * as NPH_SND_HISTORY, never as real time. It sees no socket: like a modem behind GPRS, it knows the link
 * by its answers.
 */
export function ndtpTerminalMachine(s: TerminalSettings, io: { clock: RigClock; world: World; rng: Rng }, initial: TerminalContext) {
  const p = PROFILES[s.profile];
  const persist = (c: TerminalContext) => {
    if (s.bufferFile) saveBuffer(s.bufferFile, { peerAddress: s.peerAddress, nextRequestId: c.nextRequestId, records: c.pending.map((x) => x.record) });
  };
  const send = (c: TerminalContext, kind: NonNullable<TerminalContext['inFlight']>['kind'], body: NphBody, time?: number) => {
    const requestId = c.nextRequestId;
    let bytes = encodePacket(request(s.peerAddress, requestId, body), p);
    // In a secure session everything after the set-up goes encrypted (seed 001 section 5).
    let secure = c.secure;
    if (secure && kind !== 'conn' && kind !== 'auth') {
      secure = { ...secure, sent: secure.sent + 1 };
      bytes = sealFrame(bytes, fromHex(secure.up), secure.sent, p);
    }
    if (c.corruptNext) {
      bytes = bytes.slice();
      bytes[bytes.length - 1]! ^= 0x01; // after the CRC: the frame is damaged on its way, the CRC shows it
    }
    return {
      context: { ...c, secure, nextRequestId: (requestId + 1) >>> 0, inFlight: { requestId, kind, ...(time === undefined ? {} : { time }) }, corruptNext: false },
      bytes,
    };
  };

  return setup({
    types: { context: {} as TerminalContext, events: {} as TerminalEvent, emitted: {} as PortTxEmitted | PortRefusedEmitted },
    delays: {
      period: s.periodMs,
      ackTimeout: s.ackTimeoutMs,
      reconnect: s.reconnectMs,
      busyRetry: s.busyRetryMs,
      refusedRetry: s.refusedRetryMs,
    },
    guards: {
      answersInFlight: ({ context, event }) => event.type === 'ndtp.result' && event.requestId === context.inFlight?.requestId,
      ok: ({ event }) => event.type === 'ndtp.result' && event.error === NphResult.OK,
      busy: ({ event }) => event.type === 'ndtp.result' && event.error === NphResult.BUSY,
      // a secure session always has the AUTH_STRING step: it carries the key proof and the nonce
      needsAuth: () => s.authString !== undefined || s.encryptionKey !== undefined,
      hasWork: ({ context }) => nextToSend(context.pending) !== undefined,
      retryLater: ({ event }) => event.type === 'ndtp.result' && refusalHandling(event.error) === 'retry',
      sessionGone: ({ event }) => event.type === 'ndtp.result' && refusalHandling(event.error) === 'reconnect',
      crcFailed: ({ event }) => event.type === 'ndtp.nplError' && event.error === NplError.CRC_FAILED,
      peerNotAvailable: ({ event }) => event.type === 'ndtp.nplError' && event.error === NplError.PEER_NOT_AVAILABLE,
      isPowerOff: ({ event }) => event.type === 'power' && !event.on,
      isPowerOn: ({ event }) => event.type === 'power' && event.on,
    },
    actions: {
      receive: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx') return;
        const { pieces, held } = deframeNpl(context.held, event.bytes);
        let secure = context.secure;
        for (const piece of pieces) {
          if (piece.kind !== 'frame') {
            enqueue.emit({ type: 'port.refused', port: 'uplink', code: piece.kind === 'corrupt' ? 'crc' : 'garbage', detail: piece.kind === 'corrupt' ? piece.detail : `${piece.bytes.length} bytes` });
            continue;
          }
          try {
            let bytes = piece.bytes;
            if (isEncrypted(bytes)) {
              if (!secure) throw new NdtpError('decrypt', 'an encrypted frame outside a secure session');
              const opened = openFrame(bytes, fromHex(secure.down), secure.received, p);
              secure = { ...secure, received: opened.counter };
              bytes = opened.plain;
            }
            const packet = decodePacket(bytes, p);
            // An OK must come encrypted in a secure session: a plain one could be anybody's, and would make
            // the terminal let a record go. Refusals and NPL errors come plain (seed 001 sections 4.1, 5).
            if (secure && bytes === piece.bytes && packet.npl === 'nph' && packet.body.kind === 'result' && packet.body.error === NphResult.OK) {
              throw new NdtpError('decrypt', 'a plain NPH_RESULT OK in a secure session');
            }
            if (packet.npl === 'error') enqueue.raise({ type: 'ndtp.nplError', error: packet.error });
            else if (packet.body.kind === 'result') enqueue.raise({ type: 'ndtp.result', requestId: packet.requestId, error: packet.body.error });
            else enqueue.emit({ type: 'port.refused', port: 'uplink', code: 'packet', detail: `${packet.body.kind} from the server` });
          } catch (error) {
            if (!(error instanceof NdtpError)) throw error;
            enqueue.emit({ type: 'port.refused', port: 'uplink', code: error.reason, detail: error.message });
          }
        }
        enqueue.assign({ held, secure });
      }),
      sample: assign(({ context }) => {
        const record = sampleRecord(io.world, io.clock.now(), { periodMs: s.periodMs, compartments: s.compartments, altitudeM: s.altitudeM, batteryVolts: s.batteryVolts, cellNumber: p.singleCellNumber }, context.linkUp);
        record.levels = record.levels.filter((l) => !context.failedSensors.includes(l.compartment));
        const flying = context.inFlight?.time;
        // Only the newest record is real time: an older one still waiting (not on its way) becomes history.
        let pending: Pending[] = context.pending.map((x) => (x.mode === 'realtime' && x.record.nav.time !== flying ? { ...x, mode: 'history' as const } : x));
        pending.push({ record, mode: context.linkUp ? 'realtime' : 'history' });
        let dropped = context.dropped;
        let log = context.log;
        if (pending.length > s.bufferLimit) {
          const lost = pending.slice(0, pending.length - s.bufferLimit);
          dropped += lost.length;
          pending = pending.slice(pending.length - s.bufferLimit);
          // Bounded memory is a real terminal's limit; the loss is never silent (README "NDTP").
          log = [...log, { kind: 'overflow', code: 'buffer-full', at: io.clock.now(), fields: { lost: lost.length, recordAt: isoOfNav(lost[0]!.record.nav.time), bufferLimit: s.bufferLimit } }];
        }
        const next = { ...context, pending, dropped, log };
        persist(next);
        return next;
      }),
      sendConnRequest: enqueueActions(({ context, enqueue }) => {
        const { context: next, bytes } = send(context, 'conn', {
          kind: 'connRequest',
          request: { protoVersionHigh: s.protoVersionHigh ?? p.protoVersionHigh, protoVersionLow: p.protoVersionLow, connectionFlags: s.encryptionKey ? CONN_FLAG_SECURE : 0, peerAddress: s.peerAddress, maxPacketSize: 1024 },
        });
        next.secure = null; // a new session
        enqueue.assign(next);
        enqueue.emit({ type: 'port.tx', port: 'uplink', bytes });
      }),
      sendAuth: enqueueActions(({ context, enqueue }) => {
        if (!s.encryptionKey) {
          const { context: next, bytes } = send(context, 'auth', { kind: 'authString', auth: s.authString! });
          enqueue.assign(next);
          enqueue.emit({ type: 'port.tx', port: 'uplink', bytes });
          return;
        }
        // Secure: the string is the key proof and a fresh nonce; the session keys follow from them (secure.ts).
        const key = fromHex(s.encryptionKey);
        const nonce = newNonce((n) => io.rng.bytes(n));
        const { context: next, bytes } = send(context, 'auth', { kind: 'authString', auth: encodeSecureAuth(nonce, authProof(key, s.peerAddress, nonce)) });
        const keys = sessionKeys(key, s.peerAddress, nonce);
        next.secure = { up: toHex(keys.up), down: toHex(keys.down), sent: 0, received: 0 };
        enqueue.assign(next);
        enqueue.emit({ type: 'port.tx', port: 'uplink', bytes });
      }),
      sendNext: enqueueActions(({ context, enqueue }) => {
        const item = nextToSend(context.pending);
        if (!item) return;
        const { context: next, bytes } = send(context, item.mode, { kind: item.mode, record: item.record }, item.record.nav.time);
        enqueue.assign(next);
        enqueue.emit({ type: 'port.tx', port: 'uplink', bytes });
      }),
      // A refusal that keeps the record: set aside for this session, or (reconnect) history for the next.
      noteRefusal: assign(({ context, event }) => {
        if (event.type !== 'ndtp.result') return context;
        const flying = context.inFlight;
        const item = context.pending.find((x) => x.record.nav.time === flying?.time);
        const then = refusalHandling(event.error);
        const entry: DeviceRecord = { kind: 'refused', code: resultName(event.error), at: io.clock.now(), fields: { requestId: event.requestId, packet: flying?.kind === 'history' ? 'history' : 'realtime', ...(item ? { recordAt: isoOfNav(item.record.nav.time) } : {}), then } };
        const pending = then === 'set-aside' ? context.pending.map((x) => (x === item ? { ...x, mode: 'history' as const, setAside: true as const } : x)) : context.pending;
        return { ...context, pending, inFlight: null, log: [...context.log, entry] };
      }),
      delivered: assign(({ context }) => {
        const next = { ...context, pending: context.pending.filter((x) => x.record.nav.time !== context.inFlight?.time), inFlight: null };
        persist(next);
        return next;
      }),
      clearInFlight: assign({ inFlight: null }),
      // A new session: what was set aside in the last one is offered again.
      linkUp: assign(({ context }) => ({ ...context, linkUp: true, pending: context.pending.some((x) => x.setAside) ? context.pending.map(({ setAside: _s, ...x }) => x) : context.pending })),
      // The link is gone: nothing waiting is real time any more.
      linkDown: assign(({ context }) => ({ ...context, linkUp: false, inFlight: null, secure: null, pending: context.pending.map((x) => ({ ...x, mode: 'history' as const })) })),
      markCorrupt: assign({ corruptNext: true }),
      setSensor: assign(({ context, event }) => {
        if (event.type !== 'levelSensor') return context;
        const others = context.failedSensors.filter((n) => n !== event.compartment);
        return { ...context, failedSensors: event.working ? others : [...others, event.compartment].sort((a, b) => a - b) };
      }),
      powerDown: assign(({ context }) => ({ ...context, linkUp: false, inFlight: null, held: [], secure: null, pending: context.pending.map((x) => ({ ...x, mode: 'history' as const })) })),
      // Power back: what the buffer file holds is what survived (the volatile state is gone); the log is the
      // rig's view of the terminal, not its memory, so it stays.
      powerUp: assign(({ context }) => (s.bufferFile ? { ...initialTerminalContext(s), log: context.log } : context)),
    },
  }).createMachine({
    id: 'ndtp-terminal',
    context: initial,
    initial: 'on',
    states: {
      off: {
        entry: 'powerDown',
        on: { power: { guard: 'isPowerOn', target: 'on', actions: 'powerUp' } },
      },
      on: {
        type: 'parallel',
        on: {
          'port.rx': { actions: 'receive' },
          power: { guard: 'isPowerOff', target: 'off' },
          corruptNext: { actions: 'markCorrupt' },
          levelSensor: { actions: 'setSensor' },
        },
        states: {
          sampler: {
            initial: 'running',
            states: { running: { after: { period: { target: 'running', reenter: true, actions: 'sample' } } } },
          },
          link: {
            initial: 'connecting',
            states: {
              connecting: {
                entry: 'sendConnRequest',
                on: {
                  'ndtp.result': [
                    { guard: and(['answersInFlight', 'ok', 'needsAuth']), target: 'authenticating', actions: 'clearInFlight' },
                    { guard: and(['answersInFlight', 'ok']), target: 'online', actions: 'clearInFlight' },
                    { guard: 'answersInFlight', target: 'refused', actions: 'clearInFlight' },
                  ],
                  'ndtp.nplError': setupNplError('connecting'),
                },
                after: { ackTimeout: 'offline' },
              },
              authenticating: {
                entry: 'sendAuth',
                on: {
                  'ndtp.result': [
                    { guard: and(['answersInFlight', 'ok']), target: 'online', actions: 'clearInFlight' },
                    { guard: 'answersInFlight', target: 'refused', actions: 'clearInFlight' },
                  ],
                  'ndtp.nplError': setupNplError('authenticating'),
                },
                after: { ackTimeout: 'offline' },
              },
              refused: {
                entry: 'linkDown',
                after: { refusedRetry: 'connecting' },
              },
              offline: {
                entry: 'linkDown',
                after: { reconnect: 'connecting' },
              },
              online: {
                entry: 'linkUp',
                initial: 'idle',
                states: {
                  idle: { always: { guard: 'hasWork', target: 'awaiting' } },
                  awaiting: {
                    entry: 'sendNext',
                    on: {
                      'ndtp.result': [
                        { guard: and(['answersInFlight', 'ok']), target: 'idle', actions: 'delivered' },
                        { guard: and(['answersInFlight', 'busy']), target: 'busy', actions: 'clearInFlight' },
                        { guard: and(['answersInFlight', 'retryLater']), target: 'busy', actions: 'noteRefusal' },
                        { guard: and(['answersInFlight', 'sessionGone']), target: '#ndtp-terminal.on.link.connecting', actions: ['noteRefusal', 'linkDown'] },
                        // Refused for good: kept and set aside, never let go (refusalHandling).
                        { guard: 'answersInFlight', target: 'idle', actions: 'noteRefusal' },
                      ],
                      // NPL errors answer the one packet in flight (NPL carries no NPH request id). The record
                      // stays in the buffer whatever the error: damaged on the way, sent again at once; routing
                      // behind the server unavailable, again after busyRetryMs, like BUSY; an address refused
                      // (invalid, permission denied) or any other NPL error: the session is not what the
                      // terminal took it for, so it connects again, and the record goes as history.
                      'ndtp.nplError': [
                        { guard: 'crcFailed', target: 'awaiting', reenter: true },
                        { guard: 'peerNotAvailable', target: 'busy', actions: 'clearInFlight' },
                        { target: '#ndtp-terminal.on.link.offline' },
                      ],
                    },
                    after: { ackTimeout: '#ndtp-terminal.on.link.offline' },
                  },
                  busy: { after: { busyRetry: 'idle' } },
                },
              },
            },
          },
        },
      },
    },
  });
}
