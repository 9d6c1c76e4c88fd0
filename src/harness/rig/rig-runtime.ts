import { BROKER_LINK_ID, BrokerNetwork } from '../broker/index.ts';
import type { RigClock, TimeBase } from '../clock/index.ts';
import { VirtualClock, WallClock } from '../clock/index.ts';
import { describeRecord, recordProblems } from '../devices/record-kinds.ts';
import type { ActuationDoneEmitted, ActuatorPerformEvent, DeviceKind, DeviceRecord, RecordFile, RecordWant, RigAccess } from '../devices/device-kind.ts';
import { DeviceHost, UnknownStimulusError, type PortBinding } from '../devices/device-host.ts';
import { actuatorFor } from '../bench/actuators.ts';
import type { OperatorPrompt } from '../bench/operator-prompt.ts';
import type { FaultSettings, Framing, Link, LinkEnd, Transport } from '../links/index.ts';
import { createRng, type Rng } from '../../crypto/random.ts';
import { Recorder } from '../record/index.ts';
import { Trace } from '../trace/index.ts';
import { createWorld, worldStimuli, type World } from '../world/index.ts';
import { createLink } from './link-factory.ts';
import { BENCH_RESET } from '../../devices/bench-actuator/actuation-plan.ts';
import { meterPorts, type PortTimingMeters } from './port-timing.ts';
import type { PortTiming } from '../links/index.ts';
import type { LinkTrace, ResolvedBroker } from './rig-schema.ts';

/** A rig ready to build: device kinds resolved, every default filled in. */
export interface RigPlan {
  name: string;
  clock: 'virtual' | 'wall';
  seed: number;
  /** The MQTT broker the rig starts (embedded) or reaches (external); none when absent. */
  broker?: ResolvedBroker;
  devices: { name: string; kind: DeviceKind<any>; mode: 'emulated' | 'external'; options: unknown }[];
  links: {
    id: string;
    ends: [string, string];
    transport: Transport;
    baud: number;
    framing: Framing;
    pacing: boolean;
    faults: FaultSettings;
    paths?: Record<string, string>;
    /** What the trace keeps of the link's frames; default all of them. */
    trace?: LinkTrace;
  }[];
  /** Scenario device name → this rig's device (a bench's one VU standing for loopback.yaml's vu-egf). */
  aliases?: Record<string, string>;
  /** A wall clock shared with a stand-in DUT that runs faster than the wall (time-base.ts); none: the wall itself. */
  timeBase?: TimeBase;
  /** Windows end this much later on this rig (a real device under test's reaction time). */
  windowSlackMs?: number;
}

export interface RigStartOptions {
  /** Rig time at the start, ms since the epoch (the scenario's start). */
  start: number;
  /** Overrides the plan's seed (a scenario's or the command line's). */
  seed?: number;
  /** Streams the trace to this JSONL file as it is recorded. */
  traceFile?: string;
  /** Keeps the trace's entries in memory for `rig.trace.entries` (default true). */
  keepTrace?: boolean;
  /**
   * Records the bytes on the links of the device(s) under test to this file (`rig run --record`,
   * src/harness/record/): `dut` names them, default the rig's external devices.
   */
  record?: { file: string; scenario: string; dut?: readonly string[] };
  /**
   * Asks a person for a stimulus on an external device that no actuator of the rig can do (`rig run --prompt`,
   * `--yes`); without it such a stimulus is an error.
   */
  operator?: OperatorPrompt;
}

/** How long the bytes of a relay board's command may take to leave the rig's port before the actuation fails, rig ms. */
const DRAIN_LIMIT_MS = 2000;

/**
 * A running rig: its clock, links and devices. Built from a plan, torn down by close(), which always runs
 * to the end even when parts of the rig have already failed.
 */
export class Rig implements RigAccess {
  readonly clock: RigClock;
  readonly trace: Trace;
  readonly host: DeviceHost;
  readonly seed: number;
  readonly world: World;
  readonly network: BrokerNetwork;
  private readonly links = new Map<string, Link>();
  private readonly linkOfPort = new Map<string, Link>();
  private recorder?: Recorder;
  private readonly operator: OperatorPrompt | undefined;
  private actuations = 0;
  /** Answer times per link and asking port, measured on the line whether or not the trace is kept. */
  private readonly portMeters: PortTimingMeters;
  /** Errors from scheduled work and link failures, in order; the scenario fails on any. */
  readonly errors: { source: string; message: string }[] = [];
  private readonly recordFiles = new Map<string, RecordFile>();

  private constructor(readonly plan: RigPlan, options: RigStartOptions) {
    this.seed = options.seed ?? plan.seed;
    this.operator = options.operator;
    this.clock = plan.clock === 'virtual' ? new VirtualClock({ start: options.start }) : new WallClock({ start: options.start, scale: plan.timeBase?.scale });
    this.trace = new Trace(this.clock, { keep: options.keepTrace ?? true });
    if (options.traceFile) this.trace.streamTo(options.traceFile);
    const rng = createRng(this.seed);
    this.world = createWorld(this.clock);
    this.network = new BrokerNetwork(plan.broker, { clock: this.clock, rng: rng.fork('network'), trace: this.trace, onError: (error) => this.fail('broker', error) });
    this.host = new DeviceHost(this.clock, this.trace, rng, this.world, this.network);
    this.clock.onError((error) => this.fail('clock', error));
    this.buildLinks(rng);
    this.portMeters = meterPorts(plan, this.links.values());
  }

  static async start(plan: RigPlan, options: RigStartOptions): Promise<Rig> {
    const rig = new Rig(plan, options);
    try {
      if (options.record) rig.startRecording(options.record, options.start);
      for (const link of rig.links.values()) await link.open();
      await rig.network.start();
      rig.startDevices();
    } catch (error) {
      await rig.close();
      throw error;
    }
    return rig;
  }

  actor(device: string) {
    return this.host.actor(device);
  }

  device(name: string): { kind: string; mode: 'emulated' | 'external'; options: unknown } | undefined {
    const d = this.plan.devices.find((x) => x.name === name);
    return d && { kind: d.kind.kind, mode: d.mode, options: d.options };
  }

  port(name: string): LinkEnd | undefined {
    const link = this.linkOfPort.get(name);
    return link ? link.end(name) : undefined;
  }

  /** How fast each link's answering side answered so far (harness/links/answer-timing.ts). */
  portTiming(): PortTiming[] {
    return this.portMeters.summaries();
  }

  /** Link ends the rig leaves for equipment outside it (an external device's end of a pty or serial link). */
  openEnds(): { device: string; port: string; path: string; peer: string }[] {
    const out: { device: string; port: string; path: string; peer: string }[] = [];
    for (const link of this.links.values()) {
      for (const [end, other] of [[link.a, link.b], [link.b, link.a]] as const) {
        if (!end.local && end.path) {
          const [device, port] = end.name.split('.') as [string, string];
          out.push({ device, port, path: end.path, peer: other.name });
        }
      }
    }
    return out;
  }

  peerOf(port: string): LinkEnd | undefined {
    const link = this.linkOfPort.get(port);
    if (!link) return undefined;
    return link.a.name === port ? link.b : link.a;
  }

  /** The link holding a port (`device.port`) or with this id. */
  link(ref: { link?: string; port?: string }): Link {
    const link = ref.link !== undefined ? this.links.get(ref.link) : this.linkOfPort.get(ref.port ?? '');
    if (!link) throw new Error(ref.link !== undefined ? `no link '${ref.link}' in rig ${this.plan.name}` : `port ${ref.port} is on no link in rig ${this.plan.name}`);
    return link;
  }

  linkAction(ref: { link?: string; port?: string }, action: string, faults?: Partial<FaultSettings>, direction?: 'a->b' | 'b->a'): void {
    if (ref.link === BROKER_LINK_ID && !this.links.has(BROKER_LINK_ID)) return this.brokerAction(action);
    const link = this.link(ref);
    this.trace.record({ kind: 'stimulus', link: link.id, name: action, args: faults ? { faults, direction } : undefined });
    switch (action) {
      case 'disconnect':
        return link.faults.disconnect();
      case 'reconnect':
        return link.faults.reconnect();
      case 'pause':
        return link.faults.pause();
      case 'resume':
        return link.faults.resume();
      case 'faults':
        return link.faults.set(faults ?? {}, direction);
      default:
        throw new Error(`unknown link action '${action}'`);
    }
  }

  /** The rig's path to the MQTT broker, as a link: cut (a broker outage, as devices see it) and restored. */
  private brokerAction(action: string): void {
    this.trace.record({ kind: 'stimulus', link: BROKER_LINK_ID, name: action });
    if (!this.plan.broker) throw new Error(`rig ${this.plan.name} has no broker`);
    if (action === 'disconnect') return this.network.cut();
    if (action === 'reconnect') return this.network.restore();
    throw new Error(`the broker link takes disconnect and reconnect only, not '${action}'`);
  }

  /**
   * Applies a scenario's stimulus to a device. An emulated device takes it directly. On an external device (a
   * device under test) the first bench actuator aimed at it that can do it does it (a relay board, a lab
   * supply), and this resolves once the actuator has confirmed it; otherwise a person does it when the run
   * allows prompts; otherwise it is an error. The trace records the stimulus with `via` (relay, psu, operator).
   */
  async actuate(device: string, stimulus: string, args: unknown): Promise<void> {
    const hosted = this.host.device(device);
    if (!hosted) throw new UnknownStimulusError(`no device '${device}' in this rig`);
    // A device that plays an outside one (a replay) is acted on as that one was: through the bench's actuator,
    // whose own lines a replay of the instrument plays; what a person did to it is in its recording.
    if (hosted.mode === 'emulated' && !hosted.kind.playsExternal) return this.host.stimulate(device, stimulus, args);
    const spec = hosted.kind.stimuli[stimulus];
    if (!spec) {
      throw new UnknownStimulusError(`device '${device}' (${hosted.kind.kind}) has no stimulus '${stimulus}'; it has: ${Object.keys(hosted.kind.stimuli).join(', ') || 'none'}`);
    }
    const target = { name: device, options: hosted.options };
    const parsed = (spec.argsFor?.(target) ?? spec.args).parse(args ?? {}) as unknown;
    const started = this.clock.now();
    const actuator = actuatorFor(this.plan, device, stimulus, parsed);
    if (actuator) {
      const via = await this.performWith(actuator.name, device, stimulus, parsed);
      this.trace.record({ kind: 'stimulus', device, name: stimulus, args: parsed, via, actuator: actuator.name, tookMs: Math.round(this.clock.now() - started) });
      return;
    }
    if (hosted.kind.playsExternal) return this.host.stimulate(device, stimulus, args);
    if (this.operator) {
      const instruction = spec.instruction?.(parsed, target) ?? `Apply '${stimulus}'${isEmpty(parsed) ? '' : ` ${JSON.stringify(parsed)}`} to ${device} (${spec.description})`;
      this.trace.record({ kind: 'note', message: `asking the operator: ${instruction}` });
      const answer = await this.operator.ask(instruction, this.clock);
      this.trace.record({ kind: 'stimulus', device, name: stimulus, args: parsed, via: 'operator', tookMs: Math.round(answer.waitedMs) });
      return;
    }
    throw new Error(`stimulus '${stimulus}' on external device '${device}': no actuator of rig ${this.plan.name} can do it, and operator prompts are off (rig run --prompt, or --yes)`);
  }

  /**
   * Before a scenario on a real device under test: every bench actuator aimed at it resets the bench (cards out
   * of the slots, the supply on), so a run does not inherit the cards an earlier run left in (BENCH_RESET).
   */
  async resetBench(): Promise<void> {
    for (const d of this.plan.devices) {
      if (!d.kind.actuator || d.mode !== 'emulated') continue;
      const target = d.kind.actuator.target(d.options);
      const aimed = target === undefined ? undefined : this.plan.devices.find((x) => x.name === target);
      // a replay of a real DUT's run (playsExternal) resets as the recorded run did
      if (!target || !aimed || (aimed.mode !== 'external' && !aimed.kind.playsExternal)) continue;
      if (!d.kind.actuator.performs(d.options, BENCH_RESET, {})) continue; // nothing of the bench to reset
      const started = this.clock.now();
      const via = await this.performWith(d.name, target, BENCH_RESET, {});
      this.trace.record({ kind: 'stimulus', device: target, name: BENCH_RESET, via, actuator: d.name, tookMs: Math.round(this.clock.now() - started) });
    }
  }

  /** Asks an actuator device to perform the stimulus and waits, on the rig clock, until it has confirmed it. */
  private async performWith(actuator: string, device: string, stimulus: string, args: unknown): Promise<string> {
    const actor = this.host.actor(actuator);
    if (!actor) throw new Error(`actuator '${actuator}' is not running`);
    const id = ++this.actuations;
    const done = new Promise<ActuationDoneEmitted>((resolve) => {
      const subscription = actor.on('actuation.done', (emitted: ActuationDoneEmitted) => {
        if (emitted.id !== id) return;
        subscription.unsubscribe();
        resolve(emitted);
      });
    });
    const perform: ActuatorPerformEvent = { type: 'actuator.perform', id, stimulus, args };
    actor.send(perform);
    const result = await this.runUntilSettled(done);
    if (!result.ok) throw new Error(`${actuator} could not apply '${stimulus}' to ${device}: ${result.error}`);
    if (result.drain) {
      // A relay board answers nothing: done is the command's bytes out of the port, on a line that is up.
      const port = `${actuator}.${result.drain}`;
      const end = this.port(port);
      if (!end?.connected) throw new Error(`${actuator} could not apply '${stimulus}' to ${device}: port ${port} is disconnected, the command was lost`);
      const drained = end.drain ? end.drain() : Promise.resolve();
      let timer: number | undefined;
      const limit = new Promise<'late'>((resolve) => (timer = this.clock.setTimeout(() => resolve('late'), DRAIN_LIMIT_MS)));
      const outcome = await this.runUntilSettled(Promise.race([drained, limit])).finally(() => this.clock.clearTimeout(timer!));
      if (outcome === 'late') {
        throw new Error(`${actuator} could not apply '${stimulus}' to ${device}: the command did not leave port ${port} within ${DRAIN_LIMIT_MS} ms`);
      }
    }
    return result.via;
  }

  /** Lets rig time run until the promise settles: a virtual clock advances, a wall clock just passes. */
  private async runUntilSettled<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    if (this.clock.mode === 'wall') return watched;
    while (!settled) await this.clock.advance(1);
    return watched;
  }

  /** Acts on the physical world (the vehicle), which every device senses. */
  worldAction(name: string, args: unknown): void {
    const spec = worldStimuli[name];
    if (!spec) throw new Error(`no world stimulus '${name}'; there are: ${Object.keys(worldStimuli).join(', ')}`);
    const parsed = spec.args.parse(args ?? {});
    this.trace.record({ kind: 'stimulus', name: `world.${name}`, args: parsed });
    spec.apply(this.world, parsed);
  }

  /** Reads a device's records through its kind's record source (the device's own interface). */
  async records(device: string, want?: RecordWant): Promise<DeviceRecord[]> {
    const hosted = this.host.device(device);
    if (!hosted) throw new Error(`no device '${device}' in rig ${this.plan.name}`);
    if (!hosted.kind.records) throw new Error(`device kind '${hosted.kind.kind}' has no record source`);
    const source = hosted.kind.records(device, this);
    const records = await source.read(want);
    const file = source.file?.();
    if (file) this.recordFiles.set(device, file);
    // What a source returns must fit what its kind declares: scenarios were checked against the declaration.
    const kinds = hosted.kind.recordKinds ?? {};
    const misfits = records.flatMap((r) => recordProblems(kinds, r).map((p) => `${describeRecord(r)}: ${p}`));
    if (misfits.length) {
      const more = misfits.length > 5 ? `; and ${misfits.length - 5} more` : '';
      throw new Error(`device '${device}' (${hosted.kind.kind}) returned records its kind does not declare: ${misfits.slice(0, 5).join('; ')}${more}`);
    }
    return records;
  }

  /** The file the last read of a device's records came from (RecordSource.file): a VU's last download as a .DDD. */
  recordFile(device: string): RecordFile | undefined {
    return this.recordFiles.get(device);
  }

  async close(): Promise<void> {
    this.host.stop();
    try {
      await this.network.close();
    } catch (error) {
      this.fail('broker', error);
    }
    for (const link of this.links.values()) {
      try {
        await link.close();
      } catch (error) {
        this.fail(`link ${link.id}`, error);
      }
    }
    this.portMeters.stop();
    try {
      await this.recorder?.close();
    } catch (error) {
      this.fail('recorder', error);
    }
    await this.trace.close();
  }

  /** Taps the DUT's links before they open (see RigStartOptions.record). */
  private startRecording(record: NonNullable<RigStartOptions['record']>, start: number): void {
    const dut = record.dut ?? this.plan.devices.filter((d) => d.mode === 'external').map((d) => d.name);
    if (dut.length === 0) throw new Error(`nothing to record: rig ${this.plan.name} has no external device; name the device under test (rig run --record-dut)`);
    this.recorder = Recorder.start({
      file: record.file,
      rig: this.plan.name,
      scenario: record.scenario,
      seed: this.seed,
      clock: this.clock,
      // The run's start (a wall clock's runs on from it): the replay's clock starts there, and so do the scenario's offsets.
      start,
      dut,
      devices: this.plan.devices,
      links: this.plan.links.map((spec) => ({ ...spec, link: this.links.get(spec.id)! })),
    });
  }

  private fail(source: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.errors.push({ source, message });
    this.trace.record({ kind: 'error', source, message });
  }

  private buildLinks(rng: Rng): void {
    const modeOf = new Map(this.plan.devices.map((d) => [d.name, d.mode]));
    for (const spec of this.plan.links) {
      const local = spec.ends.map((port) => modeOf.get(port.split('.')[0]!) === 'emulated') as [boolean, boolean];
      const link = createLink(spec, { clock: this.clock, rng: rng.fork(`link:${spec.id}`) }, local);
      link.onEvent((e) => {
        const { link: id, at: _at, type, ...rest } = e;
        this.trace.record({ kind: 'link', link: id, event: type, ...rest });
      });
      this.links.set(spec.id, link);
      for (const port of spec.ends) this.linkOfPort.set(port, link);
    }
  }

  private startDevices(): void {
    const deviceOf = new Map(this.plan.devices.map((d) => [d.name, d]));
    for (const device of this.plan.devices) {
      const bindings = new Map<string, PortBinding>();
      for (const port of Object.keys(device.kind.ports)) {
        const name = `${device.name}.${port}`;
        const link = this.linkOfPort.get(name);
        if (!link) continue;
        const peerName = link.a.name === name ? link.b.name : link.a.name;
        const [peerDevice, peerPort] = peerName.split('.') as [string, string];
        const peer = deviceOf.get(peerDevice)!;
        // An external device's bytes are seen at the peer's (local) end of the line.
        const end = device.mode === 'emulated' ? link.end(name) : link.end(peerName);
        const trace = this.plan.links.find((l) => l.id === link.id)?.trace ?? 'frames';
        const onConnection = (listener: (connected: boolean) => void) =>
          link.onEvent((e) => (e.type === 'connected' || e.type === 'disconnected') && listener(e.type === 'connected'));
        bindings.set(port, { link: link.id, end, peer: { device: peerDevice, port: peerPort, kind: peer.kind, mode: peer.mode }, trace, onConnection });
      }
      this.host.start(device, bindings);
    }
  }
}

function isEmpty(args: unknown): boolean {
  return args === undefined || (typeof args === 'object' && args !== null && Object.keys(args).length === 0);
}
