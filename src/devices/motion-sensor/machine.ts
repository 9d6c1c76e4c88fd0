import { assign, enqueueActions, fromCallback, setup } from 'xstate';
import type { RigClock } from '../../harness/clock/index.ts';
import type { PortLineEvent, PortRxEvent, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import type { Rng } from '../../crypto/random.ts';
import type { World } from '../../harness/world/index.ts';
import { encodePulseFrames, encodeRateFrame, INSTRUCTIONS, rigFraming, type LinkFrame, type MotionSensorFraming, type SensorEventCode } from '../../protocols/motion-sensor/index.ts';
import { sensorKeyMaterial } from './key-material.ts';
import type { MotionSensorOptions } from './options.ts';
import { countStep, cumulativePulses, initialPulseLine, lineStep, setTamper, type PulseLineState, type Sensed } from './pulses.ts';
import { initialSecurityState, recordSensorEvent, respond, respondToMalformed, type SensorSecurityState } from './responder.ts';
import { sensedDistance, setSpeedFactor, trueSensing, type SensingState } from './sensing.ts';
import { readSensorState, restoredSecurity, sensorStateOf, writeSensorState } from './state-file.ts';
import { withQuickSteps } from '../quick-steps.ts';

/**
 * How the sensor misbehaves on its `vu` port (the `fault` stimulus). `garbleRequests` is the line, not the
 * sensor: the VU's secured requests reach it with a corrupted ciphertext (a device spliced into the cable).
 */
export type SensorLinkFault = 'none' | 'silent' | 'garble' | 'noise' | 'garbleRequests';

export type PulseTamperChange = { mode: 'none' } | { mode: 'inject'; pulsesPerSecond: number } | { mode: 'suppress'; fraction: number };

export type MotionSensorEvent =
  | PortRxEvent
  | PortLineEvent
  | { type: 'sensorEvent'; code: SensorEventCode }
  | { type: 'fault'; mode: SensorLinkFault }
  | ({ type: 'pulseTamper' } & PulseTamperChange)
  /** The sensor reads `factor` times the vehicle's true speed from now on (1: truly), line and counter alike. */
  | { type: 'speedFactor'; factor: number }
  | ({ type: 'replace' } & SensorReplacement)
  /** The world's vehicle changed speed (from the world's change notification). */
  | { type: 'vehicle.changed' };

/** Another unit fitted in this sensor's place (the `replace` stimulus): its own identity and keys, unpaired. */
export interface SensorReplacement {
  serialNumber: MotionSensorOptions['serialNumber'];
  generation?: 1 | 2;
  approvalNumber?: string;
}

export interface MotionSensorContext {
  security: SensorSecurityState;
  k: number;
  initialCounter: number;
  pulseIntervalMs: number;
  pulses: PulseLineState;
  /** What the sensor makes of the vehicle's travel: true, or misread (`speedFactor`). */
  sensing: SensingState;
  fault: SensorLinkFault;
  /** Bytes of a request not yet complete, and when the last of them came. */
  rxHeld: number[];
  rxHeldAt: number | null;
}

export interface MotionSensorDeps {
  options: MotionSensorOptions;
  clock: RigClock;
  world: World;
  rng: Rng;
  /** The link framing; a licensed ISO 16844-3 framing can be passed here. */
  framing?: MotionSensorFraming;
}

export function createMotionSensorMachine({ options, clock, world, rng, framing = rigFraming }: MotionSensorDeps) {
  const material = sensorKeyMaterial(options, rng);
  // The pulse line and the authenticated counter both count what the sensor senses, so they agree with each
  // other whatever it misreads.
  const sensedPulses = (context: Pick<MotionSensorContext, 'k' | 'sensing'>) =>
    cumulativePulses(sensedDistance(context.sensing, world.vehicle.distanceAt(clock.now())), context.k);
  // The same, unfloored, and its rate: what the pulse line's rate frame says (pulses.ts).
  const sensed = (context: Pick<MotionSensorContext, 'k' | 'sensing'>): Sensed => {
    const now = clock.now();
    return {
      pulses: (sensedDistance(context.sensing, world.vehicle.distanceAt(now)) * context.k) / 1000,
      pulsesPerSecond: (context.sensing.factor * world.vehicle.speedAt(now) * context.k) / 3600,
    };
  };
  /** The pulse line's rate frame, when the rate changed or `restate`. */
  const lineUpdate = (context: MotionSensorContext, restate: boolean) => lineStep(context.pulses, sensed(context), clock.now(), restate);

  // What the unit kept from an earlier run (options.stateFile): its pairing, event counts and counter.
  const fresh = initialSecurityState({ ns: material.ns, approvalNumber: options.approvalNumber, generation: options.generation, entries: material.entries });
  const saved = options.stateFile === undefined ? undefined : readSensorState(options.stateFile, material.ns);
  let written: string | undefined;

  const encodeReply = (frame: LinkFrame, fault: SensorLinkFault): Uint8Array | undefined => {
    if (fault === 'silent') return undefined;
    if (fault === 'garble' && INSTRUCTIONS.reply[frame.instruction]?.table6) {
      // A valid frame around a corrupted ciphertext: the VU's decryption, not its framing, must catch it.
      const payload = frame.payload.slice();
      payload[0]! ^= 0xff;
      return framing.encode({ ...frame, payload });
    }
    const bytes = framing.encode(frame);
    if (fault === 'noise') bytes[bytes.length - 1]! ^= 0xff;
    return bytes;
  };

  /** A count frame of the pulses the line reached since the last one (no frame carries 0). */
  const emitCount = (context: MotionSensorContext, enqueue: { emit: (e: PortTxEmitted) => void; assign: (patch: Partial<MotionSensorContext>) => void }) => {
    const { state, count } = countStep(context.pulses, sensed(context), clock.now());
    if (count > 0) enqueue.emit({ type: 'port.tx', port: 'pulses', bytes: encodePulseFrames(count) });
    enqueue.assign({ pulses: state });
  };

  /**
   * The requests complete with `bytes`, answered (each reply to `send`, in order), and what the sensor keeps of
   * them: the machine's `answerRequests`, and its quick step (below).
   */
  const answer = (context: MotionSensorContext, bytes: Uint8Array, send: (bytes: Uint8Array) => void): Pick<MotionSensorContext, 'security' | 'rxHeld' | 'rxHeldAt'> => {
    const now = clock.now();
    const stale = context.rxHeldAt !== null && now - context.rxHeldAt > options.interByteTimeoutMs;
    const { chunks, held } = framing.deframe(stale ? [] : context.rxHeld, bytes);
    let security = context.security;
    for (const chunk of chunks) {
      const decoded = framing.decode(chunk);
      let reply: LinkFrame | undefined;
      if (decoded.ok) {
        const counter = (context.initialCounter + sensedPulses(context)) >>> 0; // modulo 2^32
        const frame = context.fault === 'garbleRequests' ? garbleRequest(decoded.frame) : decoded.frame;
        // A request it cannot authenticate is the sensor's own '21'H (responder.ts), and a negative reply.
        const r = respond(security, frame, counter);
        security = r.state;
        reply = r.reply;
      } else {
        reply = respondToMalformed(decoded.error, chunk);
      }
      const out = reply && encodeReply(reply, context.fault);
      if (out) send(out);
    }
    return { security, rxHeld: held, rxHeldAt: held.length > 0 ? now : null };
  };

  /** Writes the state file when what a real sensor keeps has changed (a plain action: the file is outside the machine). */
  const keepState = (context: MotionSensorContext) => {
    if (options.stateFile === undefined) return;
    const state = sensorStateOf(context.security, context.initialCounter + sensedPulses(context));
    const text = JSON.stringify(state);
    if (text === written) return;
    writeSensorState(options.stateFile, state);
    written = text;
  };

  const machine = setup({
    types: { context: {} as MotionSensorContext, events: {} as MotionSensorEvent, emitted: {} as PortTxEmitted },
    delays: {
      pulseTick: ({ context }) => context.pulseIntervalMs,
    },
    actors: {
      watchVehicle: fromCallback(({ sendBack }) => world.vehicle.onChange(() => sendBack({ type: 'vehicle.changed' }))),
    },
    guards: {
      isVuPort: ({ event }) => event.type === 'port.rx' && event.port === 'vu',
      // A line at rate 0 (the vehicle still, nothing injected) needs no restating: nothing to look at until
      // the world says the vehicle moves (a month parked costs nothing).
      lineIdle: ({ context }) => context.pulses.sentRate === 0,
      lineCarries: ({ context }) => context.pulses.sentRate > 0,
      pulseLineRestored: ({ event }) => event.type === 'port.line' && event.port === 'pulses' && event.connected,
    },
    actions: {
      answerRequests: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx') return;
        enqueue.assign(answer(context, event.bytes, (bytes) => enqueue.emit({ type: 'port.tx', port: 'vu', bytes })));
      }),
      // Issue 18: the line as the signal it is, a rate frame per change of rate (speed, misreading, tampering);
      // with `pulseLine: count`, the pulses since the last count frame
      emitRate: enqueueActions(({ context, enqueue }) => {
        if (options.pulseLine === 'count') return emitCount(context, enqueue);
        const { state, frame } = lineUpdate(context, false);
        if (frame) enqueue.emit({ type: 'port.tx', port: 'pulses', bytes: encodeRateFrame(frame) });
        if (state !== context.pulses) enqueue.assign({ pulses: state });
      }),
      // the same rate again: a frame the line lost or damaged, or a line reconnected, costs no more than a period
      restateRate: enqueueActions(({ context, enqueue, event }) => {
        if (options.pulseLine === 'count') return event.type === 'port.line' ? undefined : emitCount(context, enqueue);
        const { state, frame } = lineUpdate(context, true);
        if (frame) enqueue.emit({ type: 'port.tx', port: 'pulses', bytes: encodeRateFrame(frame) });
        enqueue.assign({ pulses: state });
      }),
      changeTamper: assign({
        pulses: ({ context, event }) => {
          if (event.type !== 'pulseTamper') return context.pulses;
          const { type: _type, ...change } = event;
          return setTamper(context.pulses, change, sensed(context), clock.now());
        },
      }),
      changeSensing: assign({
        sensing: ({ context, event }) => (event.type === 'speedFactor' ? setSpeedFactor(context.sensing, event.factor, world.vehicle.distanceAt(clock.now())) : context.sensing),
      }),
      recordEvent: assign({
        security: ({ context, event }) => (event.type === 'sensorEvent' ? recordSensorEvent(context.security, event.code) : context.security),
      }),
      setFault: assign({ fault: ({ context, event }) => (event.type === 'fault' ? event.mode : context.fault) }),
      keepState: ({ context }) => keepState(context),
      // The new unit shares the vehicle (so the pulse line carries on) but nothing of the old unit's secrets.
      replaceUnit: assign(({ context, event }) => {
        if (event.type !== 'replace') return {};
        const unit: MotionSensorOptions = {
          ...options,
          serialNumber: event.serialNumber,
          generation: event.generation ?? options.generation,
          approvalNumber: event.approvalNumber ?? options.approvalNumber,
          keyMaterial: undefined,
        };
        const fitted = sensorKeyMaterial(unit, rng.fork(`unit:${event.serialNumber.serialNumber}/${event.serialNumber.monthYear}`));
        return {
          security: initialSecurityState({ ns: fitted.ns, approvalNumber: unit.approvalNumber, generation: unit.generation, entries: fitted.entries }),
          fault: 'none' as const,
          rxHeld: [],
          rxHeldAt: null,
          pulses: context.pulses,
        };
      }),
    },
  }).createMachine({
    id: 'motionSensor',
    context: {
      security: saved ? restoredSecurity(fresh, saved) : fresh,
      k: options.k,
      initialCounter: saved?.counter ?? options.initialCounter,
      pulseIntervalMs: options.pulseIntervalMs,
      pulses: initialPulseLine(),
      sensing: trueSensing(),
      fault: 'none',
      rxHeld: [],
      rxHeldAt: null,
    },
    on: {
      'port.rx': { guard: 'isVuPort', actions: ['answerRequests', 'keepState'] },
      'port.line': { guard: 'pulseLineRestored', actions: 'restateRate' },
      // the world's vehicle changed speed (or heading: then the rate holds and nothing is sent)
      'vehicle.changed': { actions: ['emitRate', 'keepState'] },
      sensorEvent: { actions: ['recordEvent', 'keepState'] },
      fault: { actions: 'setFault' },
      replace: { actions: ['replaceUnit', 'keepState'] },
      // The line so far stays as it was; the new rate holds from the change on.
      pulseTamper: { actions: ['changeTamper', 'emitRate', 'keepState'] },
      speedFactor: { actions: ['changeSensing', 'emitRate', 'keepState'] },
    },
    invoke: { src: 'watchVehicle' },
    initial: 'still',
    states: {
      running: {
        always: { guard: 'lineIdle', target: 'still' },
        after: { pulseTick: { target: 'running', reenter: true, actions: 'restateRate' } },
      },
      still: {
        always: { guard: 'lineCarries', target: 'running' },
      },
    },
  });
  // Issue 18 (quick-steps.ts): a request on the `vu` port is answered without a macrostep. Its transition is the
  // root's, targetless: answerRequests and keepState; neither touches the pulse line, which the `always`
  // transitions read.
  return withQuickSteps(machine, {
    'port.rx': (context: MotionSensorContext, event, out) => {
      const rx = event as PortRxEvent;
      if (rx.port !== 'vu') return undefined;
      const patch = answer(context, rx.bytes, (bytes) => out.emit({ type: 'port.tx', port: 'vu', bytes }));
      keepState({ ...context, ...patch });
      return patch;
    },
  });
}

/** A secured request (App. 11 Table 6) with its first ciphertext byte flipped; plaintext ones pass as sent. */
export function garbleRequest(frame: LinkFrame): LinkFrame {
  if (!INSTRUCTIONS.request[frame.instruction]?.table6 || frame.payload.length === 0) return frame;
  const payload = frame.payload.slice();
  payload[0]! ^= 0xff;
  return { ...frame, payload };
}
