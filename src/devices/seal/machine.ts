import { enqueueActions, setup, type ActionFunction } from 'xstate';
import type { RigClock } from '../../harness/clock/index.ts';
import type { PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { mqttSession, type DeviceNetwork, type MqttSessionEvent } from '../../harness/broker/index.ts';
import type { Rng } from '../../crypto/random.ts';
import type { GeoPoint, World } from '../../harness/world/index.ts';
import {
  AuthDomain,
  SealAckSchema,
  authenticate,
  checkAuthenticator,
  decodeDocument,
  decodeFrame,
  deframeShortRange,
  encodeDocument,
  encodeFrame,
  macEqual,
  newGuid,
  parseKey,
  provisionedOperatorPublicKey,
  provisionedSealKey,
  responseMac,
  sealClientId,
  sealDownTopic,
  sealUpTopic,
  statusBodyBytes,
  statusMac,
  utcIso,
  type Diagnostics,
  type SealMessage,
  type ShortRangeFrame,
  type SigningKey,
  type VerifyingKey,
} from '../../protocols/seal/index.ts';
import { afterTransmission, chargeAt, reportedPercent, type BatteryState } from './battery.ts';
import { fixReport, latestFix, startReceiver, stopReceiver, type GnssState } from './gnss.ts';
import { saveOutbox, type StoredOutbox } from './outbox-store.ts';
import { distanceToRouteM } from './route.ts';

export type SealComponent = 'gnss' | 'memory' | 'modem' | 'lock' | 'housing';
export type Custody = SealMessage['custody'];

export interface SealSettings {
  sealId: string;
  homeState: string;
  activationKey: string;
  provisioningSeed: number;
  /** Signs every document (default: Ed25519 from the provisioning seed). */
  originKey?: SigningKey;
  /** The home operator's Ed25519 public key, hex (default: from the provisioning seed). */
  operatorKey?: string;
  exchangePeriodMs: number;
  reconnectMs: number;
  ackTimeoutMs: number;
  challengeTimeoutMs: number;
  fixIntervalMs: number;
  lowBatteryPercent: number;
  routeDeviationKm: number;
  battery: { percent: number; drainPercentPerHour: number; drainPercentPerMessage: number };
  consignment?: { id: string; route: GeoPoint[] };
  outboxPath?: string;
}

/** Plain data: everything the seal knows, including its store-and-forward memory. */
export interface SealContext {
  sealId: string;
  homeState: string;
  custody: Custody;
  consignment: { id: string; route: GeoPoint[] } | null;
  battery: BatteryState;
  gnss: GnssState;
  /** GNSS signal in view (a tunnel, a jammer, a ferry hold take it away). */
  sky: boolean;
  faults: Record<SealComponent, boolean>;
  lockBroken: boolean;
  housingBreached: boolean;
  /** Conditions already reported, so each is reported once per occurrence. */
  reported: { lock: boolean; housing: boolean; deviation: boolean; lowBattery: boolean; malfunction: SealComponent[] };
  /** Unacknowledged uplink messages, oldest first; the head is the one in flight. */
  outbox: SealMessage[];
  nextSeq: number;
  challenge: { reader: string; nonce: string; at: number } | null;
  framesRefused: number;
  radioHeld: number[];
}

export type SealEvent =
  | PortRxEvent
  | MqttSessionEvent
  | { type: 'arm'; consignment: string; route: GeoPoint[] }
  | { type: 'disarm' }
  | { type: 'powerOff' }
  | { type: 'powerOn' }
  | { type: 'cutLock' }
  | { type: 'breachHousing' }
  | { type: 'malfunction'; component: SealComponent }
  | { type: 'gnss'; available: boolean }
  | { type: 'battery'; percent: number; drainPercentPerHour?: number }
  | { type: 'battery.dead' };

type NewMessage =
  | { type: 'position' }
  | { type: 'event'; event: { code: '01' | '02' | '03' | '04' | '05' | '07'; detail?: string } }
  | { type: 'activation'; reader: { id: string } };

export interface SealDeps {
  clock: RigClock;
  rng: Rng;
  world: World;
  network: DeviceNetwork;
}

/** The initial context: a fresh seal, or the one whose outbox was found on disk. */
export function initialSealContext(s: SealSettings, now: number, stored: StoredOutbox | undefined): SealContext {
  return {
    sealId: s.sealId,
    homeState: s.homeState,
    custody: s.consignment ? 'tracking' : 'registered',
    consignment: s.consignment ? { id: s.consignment.id, route: s.consignment.route } : null,
    battery: { percent: s.battery.percent, at: now, drainPercentPerHour: s.battery.drainPercentPerHour, drainPercentPerMessage: s.battery.drainPercentPerMessage },
    gnss: { since: now, lastFixTime: null, fixIntervalMs: s.fixIntervalMs },
    sky: true,
    faults: { gnss: false, memory: false, modem: false, lock: false, housing: false },
    lockBroken: false,
    housingBreached: false,
    reported: { lock: false, housing: false, deviation: false, lowBattery: false, malfunction: [] },
    outbox: stored?.outbox ?? [],
    nextSeq: stored?.nextSeq ?? 0,
    challenge: null,
    framesRefused: 0,
    radioHeld: [],
  };
}

/**
 * The EAEU navigation seal. Parallel regions:
 *   power   on | off (a power-off stimulus, or a flat battery)
 *   duty    awake: every exchange period (and at power-on) a self-check (events 01..05) and a position report
 *   uplink  dark | waiting | session.{connecting, ready, sending}: MQTT to the home operator, store-and-forward,
 *           one message in flight at a time, kept until the operator acknowledges it (so order is kept and
 *           nothing is lost; a resend after the ack timeout keeps its GUID, so duplicates are detectable)
 *   radio   listening | deaf: the short-range module and its activation challenge-response
 * Custody (registered, tracking, violated, disarmed) is data in the context: it must survive power cycles.
 */
export function sealMachine(s: SealSettings, deps: SealDeps, initial: SealContext) {
  const { clock, rng, world } = deps;
  const key = parseKey(s.activationKey);
  // Provisioned by the home operator at registration (README "Message authentication").
  const originKey = s.originKey ?? provisionedSealKey(s.provisioningSeed, s.homeState, s.sealId);
  const operatorKey: VerifyingKey = { alg: 'Ed25519', publicKey: s.operatorKey ?? provisionedOperatorPublicKey(s.provisioningSeed, s.homeState) };
  const clientId = sealClientId(s.sealId);
  const up = sealUpTopic(s.homeState, s.sealId);
  const down = sealDownTopic(s.homeState, s.sealId);

  const diagnostics = (c: SealContext, t: number): Diagnostics => ({
    gnss: c.faults.gnss ? 'fault' : 'ok',
    lock: c.faults.lock ? 'fault' : 'ok',
    housing: c.faults.housing ? 'fault' : 'ok',
    memory: c.faults.memory ? 'fault' : 'ok',
    modem: c.faults.modem ? 'fault' : 'ok',
    battery: chargeAt(c.battery, t) < s.lowBatteryPercent ? 'fault' : 'ok',
  });

  /** A new document, signed: the signature covers everything in it, the GUID and the seq included. */
  const compose = (c: SealContext, t: number, seq: number, m: NewMessage): SealMessage =>
    authenticate(AuthDomain.sealDocument, {
      v: 1,
      id: newGuid(rng),
      ...m,
      sealId: c.sealId,
      homeState: c.homeState,
      seq,
      createdAt: utcIso(t),
      custody: c.custody,
      consignment: c.consignment?.id ?? null,
      fix: fixReport(c.gnss, t, world),
      power: { batteryPercent: reportedPercent(c.battery, t) },
    } as SealMessage, originKey);

  /** Appends messages to the outbox (each with the next sequence number) and persists it. */
  const queue = (c: SealContext, t: number, messages: NewMessage[]): Pick<SealContext, 'outbox' | 'nextSeq'> => {
    const outbox = [...c.outbox];
    let nextSeq = c.nextSeq;
    for (const m of messages) outbox.push(compose(c, t, nextSeq++, m));
    return { outbox, nextSeq };
  };

  /** The self-check: what has gone wrong since the last one becomes an event report. */
  const selfCheck = (c: SealContext, t: number): { patch: Partial<SealContext>; messages: NewMessage[]; dead: boolean } => {
    const messages: NewMessage[] = [];
    const reported = { ...c.reported, malfunction: [...c.reported.malfunction] };
    let custody = c.custody;
    const charge = chargeAt(c.battery, t);
    if (charge <= 0) return { patch: {}, messages, dead: true };
    if (c.lockBroken && !reported.lock) {
      messages.push({ type: 'event', event: { code: '01', detail: 'locking element broken' } }); // EAEU seal event 01
      reported.lock = true;
      custody = 'violated';
    }
    if (c.housingBreached && !reported.housing) {
      messages.push({ type: 'event', event: { code: '02', detail: 'housing of the electronic unit breached' } }); // event 02
      reported.housing = true;
      custody = 'violated';
    }
    if (c.consignment && (custody === 'tracking' || custody === 'violated')) {
      const fix = latestFix(c.gnss, t);
      if (fix) {
        const km = distanceToRouteM(world.vehicle.positionAt(fix.time), c.consignment.route) / 1000;
        // Event 03: more than 50 km (by default) off the route; reported once per excursion.
        if (km > s.routeDeviationKm && !reported.deviation) {
          messages.push({ type: 'event', event: { code: '03', detail: `${km.toFixed(1)} km off route` } });
          reported.deviation = true;
        } else if (km <= s.routeDeviationKm) reported.deviation = false;
      }
    }
    for (const component of Object.keys(c.faults) as SealComponent[]) {
      if (c.faults[component] && !reported.malfunction.includes(component)) {
        messages.push({ type: 'event', event: { code: '04', detail: `${component} fault` } }); // event 04
        reported.malfunction.push(component);
      }
    }
    if (charge < s.lowBatteryPercent && !reported.lowBattery) {
      messages.push({ type: 'event', event: { code: '05', detail: `battery ${charge.toFixed(2)} %` } }); // event 05: below 15 %
      reported.lowBattery = true;
    }
    return { patch: { reported, custody }, messages, dead: false };
  };

  const persist: ActionFunction<SealContext, SealEvent, SealEvent, undefined, never, never, never, never, PortTxEmitted> = ({ context }) => {
    if (s.outboxPath) saveOutbox(s.outboxPath, { sealId: context.sealId, nextSeq: context.nextSeq, outbox: context.outbox });
  };

  return setup({
    types: { context: {} as SealContext, events: {} as SealEvent, emitted: {} as PortTxEmitted },
    actors: { mqtt: mqttSession(deps.network) },
    delays: {
      exchangePeriod: s.exchangePeriodMs,
      reconnect: s.reconnectMs,
      ackTimeout: s.ackTimeoutMs,
    },
    guards: {
      hasCharge: ({ context }) => chargeAt(context.battery, clock.now()) > 0,
      hasQueued: ({ context }) => context.outbox.length > 0,
      isAckOfHead: ({ context, event }) => {
        if (event.type !== 'mqtt.message' || event.topic !== down) return false;
        const ack = decodeDocument(event.payload, SealAckSchema);
        // Only the home operator's signed ack lets a message go: a forged one would make the seal drop an
        // alarm it never delivered.
        return ack.ok && ack.value.ackOf === context.outbox[0]?.id && checkAuthenticator(AuthDomain.ackToSeal, ack.value, operatorKey).ok;
      },
    },
    actions: {
      persist,
      checkAndReport: enqueueActions(({ context, enqueue }) => {
        const t = clock.now();
        const check = selfCheck(context, t);
        if (check.dead) {
          enqueue.raise({ type: 'battery.dead' });
          return;
        }
        const checked = { ...context, ...check.patch };
        enqueue.assign({ ...check.patch, ...queue(checked, t, [...check.messages, { type: 'position' }]) });
        enqueue('persist');
      }),
      checkNow: enqueueActions(({ context, enqueue }) => {
        const t = clock.now();
        const check = selfCheck(context, t);
        if (check.dead) {
          enqueue.raise({ type: 'battery.dead' });
          return;
        }
        if (check.messages.length === 0 && Object.keys(check.patch).length === 0) return;
        enqueue.assign({ ...check.patch, ...queue({ ...context, ...check.patch }, t, check.messages) });
        enqueue('persist');
      }),
      publishHead: enqueueActions(({ context, enqueue }) => {
        const head = context.outbox[0];
        if (!head) return;
        enqueue.sendTo('mqtt', { type: 'mqtt.publish', topic: up, payload: encodeDocument(head), tag: head.id });
        enqueue.assign({ battery: afterTransmission(context.battery, clock.now()) });
      }),
      dropHead: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ outbox: context.outbox.slice(1) });
        enqueue('persist');
      }),
      powerUp: enqueueActions(({ context, enqueue }) => {
        if (context.sky && !context.faults.gnss) enqueue.assign({ gnss: startReceiver(context.gnss, clock.now()) });
      }),
      powerDown: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ gnss: stopReceiver(context.gnss, clock.now()), challenge: null, radioHeld: [] });
      }),
      arm: enqueueActions(({ event, enqueue }) => {
        if (event.type !== 'arm') return;
        enqueue.assign({ custody: 'tracking', consignment: { id: event.consignment, route: event.route }, reported: ({ context }) => ({ ...context.reported, deviation: false }) });
      }),
      disarm: enqueueActions(({ enqueue }) => enqueue.assign({ custody: 'disarmed', consignment: null })),
      cutLock: enqueueActions(({ enqueue }) => enqueue.assign({ lockBroken: true })),
      breachHousing: enqueueActions(({ enqueue }) => enqueue.assign({ housingBreached: true })),
      malfunction: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'malfunction') return;
        const faults = { ...context.faults, [event.component]: true };
        enqueue.assign({ faults, gnss: event.component === 'gnss' ? stopReceiver(context.gnss, clock.now()) : context.gnss });
      }),
      setSky: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'gnss') return;
        const t = clock.now();
        const running = event.available && !context.faults.gnss;
        enqueue.assign({ sky: event.available, gnss: running ? startReceiver(context.gnss, t) : stopReceiver(context.gnss, t) });
      }),
      setBattery: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'battery') return;
        const battery = { ...context.battery, percent: event.percent, at: clock.now(), drainPercentPerHour: event.drainPercentPerHour ?? context.battery.drainPercentPerHour };
        enqueue.assign({ battery, reported: { ...context.reported, lowBattery: event.percent < s.lowBatteryPercent && context.reported.lowBattery } });
      }),
      takeRadioBytes: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx') return;
        const t = clock.now();
        const { frames, held } = deframeShortRange(context.radioHeld, event.bytes);
        let c: SealContext = { ...context, radioHeld: held };
        const send = (f: ShortRangeFrame) => enqueue.emit({ type: 'port.tx', port: 'radio', bytes: encodeFrame(f) });
        let queued = false;
        for (const bytes of frames) {
          let frame: ShortRangeFrame;
          try {
            frame = decodeFrame(bytes);
          } catch {
            // Refused: the reason is in the trace (the port's codec); the count goes to the next reader.
            c = { ...c, framesRefused: c.framesRefused + 1 };
            continue;
          }
          if (frame.dst !== c.sealId && frame.dst !== '') continue; // for another seal in range
          if (frame.type === 'activate') {
            const nonce = rng.bytes(16);
            c = { ...c, challenge: { reader: frame.src, nonce: Buffer.from(nonce).toString('hex'), at: t } };
            send({ type: 'challenge', src: c.sealId, dst: frame.src, nonce });
          } else if (frame.type === 'response') {
            const outcome = judgeResponse(c, frame, t);
            c = { ...c, challenge: null };
            if (outcome === 'ok') {
              const body = { custody: c.custody, batteryPercent: reportedPercent(c.battery, t), diagnostics: diagnostics(c, t), framesRefused: c.framesRefused };
              const mac = statusMac(key, frame.nonce, statusBodyBytes(body));
              send({ type: 'status', src: c.sealId, dst: frame.src, ...body, mac });
              // Decision 141 item 23 (a): coordinates, speed, fix time and power level to the home operator.
              c = { ...c, framesRefused: 0, ...queue(c, t, [{ type: 'activation', reader: { id: frame.src } }]) };
            } else {
              send({ type: 'refused', src: c.sealId, dst: frame.src, reason: outcome });
              if (outcome !== 'expired') {
                // An unauthorised activation gets no data and is itself event 07.
                c = { ...c, custody: 'violated' };
                c = { ...c, ...queue(c, t, [{ type: 'event', event: { code: '07', detail: `activation refused (${outcome}) for reader ${frame.src}` } }]) };
              }
            }
            queued = true;
          }
        }
        enqueue.assign(c);
        if (queued) enqueue('persist');
      }),
    },
  }).createMachine({
    id: 'seal',
    type: 'parallel',
    context: initial,
    on: {
      arm: { actions: 'arm' },
      disarm: { actions: 'disarm' },
      gnss: { actions: 'setSky' },
      battery: { actions: 'setBattery' },
    },
    states: {
      power: {
        initial: 'on',
        states: {
          on: {
            on: {
              powerOff: { target: 'off', actions: 'powerDown' },
              'battery.dead': { target: 'off', actions: 'powerDown' },
              cutLock: { actions: ['cutLock', 'checkNow'] },
              breachHousing: { actions: ['breachHousing', 'checkNow'] },
              malfunction: { actions: ['malfunction', 'checkNow'] },
            },
          },
          off: {
            on: {
              powerOn: { target: 'on', guard: 'hasCharge', actions: 'powerUp' },
              // Unpowered, the seal notices nothing until its first self-check after power-on.
              cutLock: { actions: 'cutLock' },
              breachHousing: { actions: 'breachHousing' },
              malfunction: { actions: 'malfunction' },
            },
          },
        },
      },
      duty: {
        initial: 'awake',
        states: {
          awake: {
            entry: 'checkAndReport',
            after: { exchangePeriod: { target: 'awake', reenter: true } },
            on: { powerOff: 'asleep', 'battery.dead': 'asleep' },
          },
          asleep: { on: { powerOn: { target: 'awake', guard: 'hasCharge' } } },
        },
      },
      uplink: {
        initial: 'session',
        states: {
          dark: { on: { powerOn: { target: 'session', guard: 'hasCharge' } } },
          waiting: {
            after: { reconnect: 'session' },
            on: { powerOff: 'dark', 'battery.dead': 'dark' },
          },
          session: {
            invoke: {
              id: 'mqtt',
              src: 'mqtt',
              input: { clientId, grants: { publish: [up], subscribe: [down] }, subscriptions: [down] },
            },
            on: { 'mqtt.down': 'waiting', powerOff: 'dark', 'battery.dead': 'dark' },
            initial: 'connecting',
            states: {
              connecting: { on: { 'mqtt.up': 'ready' } },
              ready: { always: { guard: 'hasQueued', target: 'sending' } },
              sending: {
                entry: 'publishHead',
                after: { ackTimeout: { target: 'sending', reenter: true } },
                on: { 'mqtt.message': { guard: 'isAckOfHead', target: 'ready', actions: 'dropHead' } },
              },
            },
          },
        },
      },
      radio: {
        initial: 'listening',
        states: {
          listening: { on: { 'port.rx': { actions: 'takeRadioBytes' }, powerOff: 'deaf', 'battery.dead': 'deaf' } },
          deaf: { on: { powerOn: { target: 'listening', guard: 'hasCharge' } } },
        },
      },
    },
  });

  function judgeResponse(c: SealContext, f: Extract<ShortRangeFrame, { type: 'response' }>, t: number): 'ok' | 'badMac' | 'noChallenge' | 'expired' {
    const ch = c.challenge;
    // A response with no challenge outstanding for this reader and nonce is a replay or a forgery.
    if (!ch || ch.reader !== f.src || ch.nonce !== Buffer.from(f.nonce).toString('hex')) return 'noChallenge';
    if (t - ch.at > s.challengeTimeoutMs) return 'expired';
    return macEqual(responseMac(key, c.sealId, f.src, f.nonce), f.mac) ? 'ok' : 'badMac';
  }
}
