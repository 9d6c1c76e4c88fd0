import { enqueueActions, setup } from 'xstate';
import type { RigClock } from '../../harness/clock/index.ts';
import type { DeviceRecord, PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import {
  FrameError,
  decodeFrame,
  deframeShortRange,
  encodeFrame,
  macEqual,
  parseKey,
  responseMac,
  statusBodyBytes,
  statusMac,
  type ShortRangeFrame,
} from '../../protocols/seal/index.ts';

/**
 * The special device (a customs or transport-control officer's reader). On `activate` it wakes a seal over
 * the short-range link, answers the seal's challenge with the key the seal's home operator provisioned, and
 * logs what the seal returns (Decision 141 item 23 (b): state, battery charge, self-diagnostics), checking
 * the seal's MAC over it. It keeps only frames addressed to it: the radio is shared.
 *
 * Its log is its interface: it is the rig's instrument on the far side of the seal's radio, as the operator
 * emulator is on the far side of the uplink, so records are read from it, never from the seal.
 */
export interface ReaderSettings {
  readerId: string;
  keys: Record<string, string>;
  responseTimeoutMs: number;
}

export interface ReaderContext {
  session: { sealId: string; nonce: string | null } | null;
  held: number[];
  log: DeviceRecord[];
}

export type ReaderEvent = PortRxEvent | { type: 'activate'; sealId: string } | { type: 'sendRaw'; hex: string };

export function readerMachine(s: ReaderSettings, clock: RigClock) {
  return setup({
    types: { context: {} as ReaderContext, events: {} as ReaderEvent, emitted: {} as PortTxEmitted },
    delays: { responseTimeout: s.responseTimeoutMs },
    guards: {
      sessionOver: ({ context }) => context.session === null,
    },
    actions: {
      startSession: enqueueActions(({ event, enqueue }) => {
        if (event.type !== 'activate') return;
        enqueue.assign({ session: { sealId: event.sealId, nonce: null } });
        enqueue.emit({ type: 'port.tx', port: 'radio', bytes: encodeFrame({ type: 'activate', src: s.readerId, dst: event.sealId }) });
      }),
      sendRaw: enqueueActions(({ event, enqueue }) => {
        if (event.type !== 'sendRaw') return;
        enqueue.emit({ type: 'port.tx', port: 'radio', bytes: Uint8Array.from(Buffer.from(event.hex.replace(/\s+/g, ''), 'hex')) });
      }),
      timeout: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ session: null, log: [...context.log, { kind: 'timeout', code: context.session?.sealId, at: clock.now(), fields: { sealId: context.session?.sealId } }] });
      }),
      takeBytes: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx') return;
        const t = clock.now();
        const { frames, held } = deframeShortRange(context.held, event.bytes);
        let session = context.session;
        const log = [...context.log];
        for (const bytes of frames) {
          let f: ShortRangeFrame;
          try {
            f = decodeFrame(bytes);
          } catch (error) {
            // Noise is only worth a line while the reader is waiting for an answer.
            if (session) log.push({ kind: 'frameError', code: 'refused', at: t, fields: { reason: (error as FrameError).message } });
            continue;
          }
          if (f.dst !== s.readerId) continue; // to another reader, or a reader's own frame heard back
          if (!session || f.src !== session.sealId) {
            log.push({ kind: 'unsolicited', code: f.type, at: t, fields: { from: f.src } });
            continue;
          }
          const keyHex = s.keys[session.sealId];
          if (f.type === 'challenge') {
            if (!keyHex) {
              log.push({ kind: 'refused', code: 'noKey', at: t, fields: { sealId: f.src, reason: 'no activation key for this seal' } });
              session = null;
              continue;
            }
            const mac = responseMac(parseKey(keyHex), f.src, s.readerId, f.nonce);
            session = { ...session, nonce: Buffer.from(f.nonce).toString('hex') };
            enqueue.emit({ type: 'port.tx', port: 'radio', bytes: encodeFrame({ type: 'response', src: s.readerId, dst: f.src, nonce: f.nonce, mac }) });
          } else if (f.type === 'status' && session.nonce) {
            const nonce = Uint8Array.from(Buffer.from(session.nonce, 'hex'));
            const expected = keyHex ? statusMac(parseKey(keyHex), nonce, statusBodyBytes(f)) : undefined;
            log.push({
              kind: 'status',
              code: f.src,
              at: t,
              fields: {
                sealId: f.src,
                custody: f.custody,
                batteryPercent: f.batteryPercent,
                diagnostics: f.diagnostics,
                framesRefused: f.framesRefused,
                authentic: expected !== undefined && macEqual(expected, f.mac),
              },
            });
            session = null;
          } else if (f.type === 'refused') {
            log.push({ kind: 'refused', code: f.reason, at: t, fields: { sealId: f.src } });
            session = null;
          } else {
            log.push({ kind: 'unsolicited', code: f.type, at: t, fields: { from: f.src } });
          }
        }
        enqueue.assign({ held, session, log });
      }),
    },
  }).createMachine({
    id: 'reader',
    context: { session: null, held: [], log: [] },
    initial: 'idle',
    on: { sendRaw: { actions: 'sendRaw' } },
    states: {
      idle: {
        on: { activate: { target: 'busy', actions: 'startSession' }, 'port.rx': { actions: 'takeBytes' } },
      },
      busy: {
        after: { responseTimeout: { target: 'idle', actions: 'timeout' } },
        always: { guard: 'sessionOver', target: 'idle' },
        on: { 'port.rx': { actions: 'takeBytes' } },
      },
    },
  });
}
