import { createActor, type AnyActorRef, type InspectionEvent } from 'xstate';
import type { RigClock } from '../clock/index.ts';
import type { LinkEnd } from '../links/index.ts';
import type { Rng } from '../../crypto/random.ts';
import { toHex, type Trace } from '../trace/index.ts';
import type { World } from '../world/index.ts';
import type { DeviceNetwork } from '../broker/index.ts';
import { ZodError } from 'zod';
import type { DeviceErrorEmitted, DeviceKind, DeviceStimulusEmitted, DeviceStimulusResultEvent, PortBaudEmitted, PortRefusedEmitted, PortTxEmitted } from './device-kind.ts';
import { FrameTap } from './frame-tap.ts';
import { keepRunning, type Refusal } from './keep-running.ts';

export interface HostedDevice {
  name: string;
  kind: DeviceKind<any>;
  mode: 'emulated' | 'external';
  options: unknown;
}

/** Where one device port is wired: the local link end, and who is on the other side. */
export interface PortBinding {
  link: string;
  /** Our side of the link: local for an emulated device, the rig's view of the line for an external one. */
  end: LinkEnd;
  peer: { device: string; port: string; kind: DeviceKind<any>; mode: 'emulated' | 'external' };
  /** What the trace keeps of the frames sent on this port (the link's `trace`); default all. */
  trace?: 'frames' | 'count';
  /** Calls back when the line is cut (false) or restored (true): for a port whose spec has `lineEvents`. */
  onConnection?: (listener: (connected: boolean) => void) => () => void;
}

export class UnknownStimulusError extends Error {}

/** A stimulus the device could not take (e.g. a card into an occupied slot): the device runs on as before it. */
export class StimulusRefusedError extends Error {}

/**
 * Runs emulated devices: starts each machine as an XState actor on the rig clock, turns port bytes into
 * `port.rx` events and the actor's `port.tx` emissions into bytes on the link, and records transitions and
 * frames in the trace. External devices get no actor; the host only records the frames they send.
 */
export class DeviceHost {
  private actors = new Map<string, AnyActorRef>();
  private devices = new Map<string, HostedDevice>();
  private unsubscribers: (() => void)[] = [];
  /**
   * Errors thrown inside device actors; the scenario fails on any. An event a device refused is one entry per
   * device and message, however often it recurs (the entry counts them), and the device runs on (keep-running.ts).
   */
  readonly errors: { device: string; message: string }[] = [];
  private readonly refusals = new Map<string, { entry: { device: string; message: string }; first: string; count: number }>();
  /** The device a stimulus is being applied to, and what it refuses meanwhile: the stimulus reports that itself. */
  private stimulating: { device: string; refused: string[] } | null = null;

  constructor(
    private readonly clock: RigClock,
    private readonly trace: Trace,
    private readonly rng: Rng,
    private readonly world: World,
    private readonly network: DeviceNetwork,
  ) {}

  actor(device: string): AnyActorRef | undefined {
    return this.actors.get(device);
  }

  device(name: string): HostedDevice | undefined {
    return this.devices.get(name);
  }

  /** Binds a device to its ports and, if it is emulated, starts it. */
  start(device: HostedDevice, ports: ReadonlyMap<string, PortBinding>): void {
    this.devices.set(device.name, device);
    if (device.mode === 'external') {
      for (const [port, binding] of ports) this.tapExternal(device, port, binding);
      return;
    }
    const { machine, input } = device.kind.machine({
      name: device.name,
      options: device.options,
      clock: this.clock,
      rng: this.rng.fork(`device:${device.name}`),
      world: this.world,
      network: this.network,
    });
    const previous = new Map<string, string>();
    const actor = createActor(keepRunning(machine, (refusal) => this.refused(device.name, refusal)), {
      id: device.name, // so the trace names the device's root actor by the device's name
      clock: this.clock,
      input,
      // Watching every snapshot costs a tenth of a long run: only when the trace is read.
      ...(this.trace.detailed ? { inspect: (event: InspectionEvent) => this.recordTransition(device.name, event, previous) } : {}),
    });
    const taps = new Map<string, FrameTap>();
    for (const [port, binding] of ports) {
      taps.set(
        port,
        new FrameTap(this.trace, { link: binding.link, from: `${device.name}.${port}`, to: `${binding.peer.device}.${binding.peer.port}` }, device.kind.ports[port]?.codec, binding.trace),
      );
      this.unsubscribers.push(binding.end.onData((bytes, at) => actor.send({ type: 'port.rx', port, bytes, at, toleranceMs: binding.end.timingToleranceMs })));
      const spec = device.kind.ports[port];
      if (spec?.takesFrames && spec.codec) binding.end.takeFrames?.(spec.codec);
      if (spec?.cutSignal) binding.end.tellCut?.(spec.cutSignal.bind(spec));
      if (device.kind.ports[port]?.lineEvents && binding.onConnection) {
        this.unsubscribers.push(binding.onConnection((connected) => actor.send({ type: 'port.line', port, connected })));
      }
    }
    actor.on('port.tx', (emitted: PortTxEmitted) => {
      const binding = ports.get(emitted.port);
      if (!binding) {
        this.trace.record({ kind: 'frame', link: '(none)', from: `${device.name}.${emitted.port}`, to: '(unconnected)', hex: toHex(emitted.bytes) });
        return;
      }
      taps.get(emitted.port)!.push(emitted.bytes);
      binding.end.write(emitted.bytes);
    });
    actor.on('port.baud', (emitted: PortBaudEmitted) => ports.get(emitted.port)?.end.setBaud(emitted.baud));
    actor.on('port.refused', (emitted: PortRefusedEmitted) =>
      this.trace.record({ kind: 'refused', device: device.name, port: emitted.port, link: ports.get(emitted.port)?.link ?? '(none)', code: emitted.code, detail: emitted.detail }),
    );
    actor.on('device.error', (emitted: DeviceErrorEmitted) => {
      this.errors.push({ device: device.name, message: emitted.message });
      this.trace.record({ kind: 'error', source: device.name, message: emitted.message });
    });
    actor.on('device.stimulus', (emitted: DeviceStimulusEmitted) => this.stimulusFrom(device.name, emitted));
    actor.subscribe({
      error: (error) => {
        const message = error instanceof Error ? error.message : String(error);
        this.errors.push({ device: device.name, message });
        this.trace.record({ kind: 'error', source: device.name, message });
      },
    });
    this.actors.set(device.name, actor);
    actor.start();
  }

  /**
   * Sends a stimulus to an emulated device, after validating its arguments: a scenario's, or (`by`) one that
   * another device of the rig applies through its wiring (`device.stimulus`).
   */
  stimulate(device: string, name: string, args: unknown, by?: string): void {
    const hosted = this.devices.get(device);
    if (!hosted) throw new UnknownStimulusError(`no device '${device}' in this rig`);
    const spec = hosted.kind.stimuli[name];
    if (!spec) {
      throw new UnknownStimulusError(`device '${device}' (${hosted.kind.kind}) has no stimulus '${name}'; it has: ${Object.keys(hosted.kind.stimuli).join(', ') || 'none'}`);
    }
    const actor = this.actors.get(device);
    if (!actor) throw new UnknownStimulusError(`device '${device}' is external: the rig cannot apply stimulus '${name}' to it`);
    const parsed = spec.args.parse(args ?? {});
    const event = spec.toEvent(parsed, { name: device, options: hosted.options });
    this.trace.record({ kind: 'stimulus', device, name, args: parsed, ...(by === undefined ? {} : { by }) });
    // The actor handles the event before send returns (nothing else is processing now): what it refuses is
    // this stimulus's error, for the step that applied it. A stimulus may apply another (a device's wiring).
    const refused: string[] = [];
    const outer = this.stimulating;
    this.stimulating = { device, refused };
    try {
      actor.send(event);
    } finally {
      this.stimulating = outer;
    }
    if (refused.length > 0) throw new StimulusRefusedError(`device '${device}' refused stimulus '${name}' and runs on as before it: ${refused.join('; ')}`);
  }

  /**
   * A device applies a stimulus to another through its wiring (an emulated relay board closing the contact in
   * a VU's supply line): the same checked path as a scenario's, traced with `by`. Nobody waits for it, so what
   * goes wrong (an unknown device or stimulus, bad arguments, a refusal) is the run's error, with both names.
   */
  private stimulusFrom(source: string, emitted: DeviceStimulusEmitted): void {
    if (emitted.reply !== undefined) return this.stimulusWithReply(source, emitted, emitted.reply);
    try {
      this.stimulate(emitted.device, emitted.name, emitted.args, source);
    } catch (error) {
      const message = `its wiring applied stimulus '${emitted.name}' to '${emitted.device}', which failed: ${error instanceof Error ? error.message : String(error)}`;
      this.trace.record({ kind: 'error', source, message });
      this.errors.push({ device: source, message });
    }
  }

  /**
   * The same for a device that waits for the outcome (a keypad robot's macro): it is told, and reports it on its
   * own line (ERR and the reason); the run goes on, as a bench's would after a robot's ERR.
   */
  private stimulusWithReply(source: string, emitted: DeviceStimulusEmitted, id: number): void {
    let result: DeviceStimulusResultEvent;
    try {
      this.stimulate(emitted.device, emitted.name, emitted.args, source);
      result = { type: 'device.stimulus.result', id, ok: true };
    } catch (error) {
      const why =
        error instanceof ZodError
          ? `device '${emitted.device}' does not take stimulus '${emitted.name}' with ${JSON.stringify(emitted.args)}: ${error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`
          : error instanceof Error
            ? error.message
            : String(error);
      this.trace.record({ kind: 'note', message: `${source}: stimulus '${emitted.name}' on '${emitted.device}' not applied: ${why}` });
      result = { type: 'device.stimulus.result', id, ok: false, error: why };
    }
    this.actors.get(source)?.send(result);
  }

  /** An event the device could not take: traced, and the stimulus's error or the run's. */
  private refused(device: string, refusal: Refusal): void {
    const reason = refusal.error instanceof Error ? refusal.error.message : String(refusal.error);
    const traced = `refused '${refusal.event}' and runs on as before it: ${reason}`;
    if (this.stimulating?.device === device) {
      this.trace.record({ kind: 'error', source: device, message: traced });
      this.stimulating.refused.push(reason);
      return;
    }
    // One entry (and one trace line) per device, event and reason: a refusal that recurs every second is counted, not repeated.
    const key = `${device}\n${refusal.event}\n${reason}`;
    const known = this.refusals.get(key);
    if (known) {
      known.count++;
      known.entry.message = `${known.first} (${known.count} times)`;
      return;
    }
    this.trace.record({ kind: 'error', source: device, message: traced });
    const first = `refused '${refusal.event}' at ${new Date(Math.floor(this.clock.now())).toISOString()} and runs on as before it: ${reason}`;
    const entry = { device, message: first };
    this.refusals.set(key, { entry, first, count: 1 });
    this.errors.push(entry);
  }

  stop(): void {
    for (const u of this.unsubscribers.splice(0)) u();
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
  }

  private tapExternal(device: HostedDevice, port: string, binding: PortBinding): void {
    // The rig's end of the line carries what the real device sent; record it with the device's own codec.
    const tap = new FrameTap(this.trace, { link: binding.link, from: `${device.name}.${port}`, to: `${binding.peer.device}.${binding.peer.port}` }, device.kind.ports[port]?.codec, binding.trace);
    this.unsubscribers.push(binding.end.onData((bytes) => tap.push(bytes)));
  }

  private recordTransition(device: string, event: InspectionEvent, previous: Map<string, string>): void {
    if (event.type !== '@xstate.snapshot') return;
    const snapshot = event.snapshot as { value?: unknown };
    if (snapshot.value === undefined) return; // not a state machine (a promise or callback actor)
    const key = event.actorRef.sessionId;
    const to = JSON.stringify(snapshot.value);
    const from = previous.get(key);
    if (from === to) return;
    previous.set(key, to);
    this.trace.record({
      kind: 'transition',
      device,
      actor: (event.actorRef as AnyActorRef).id,
      from: from === undefined ? null : JSON.parse(from),
      to: snapshot.value,
      event: event.event.type,
    });
  }
}
