import type { AnyStateMachine } from 'xstate';
import type { z } from 'zod';
import type { RigClock } from '../clock/index.ts';
import type { Rng } from '../../crypto/random.ts';
import type { World } from '../world/index.ts';
import type { DeviceNetwork } from '../broker/index.ts';
import type { RecordKinds } from './record-kinds.ts';
import type { Deframer, PortCodec } from '../../protocols/port-codec.ts';

// Frame codecs are the protocols' own; a device kind names one per port.
export type { Deframer, PortCodec };

/**
 * The contract between a device and the rig. A device is an XState machine plus ports plus codecs; it knows
 * nothing of links, transports or scenarios. The rig starts the machine on the rig clock and wires:
 *   - bytes arriving on a port  → the event `{ type: 'port.rx', port, bytes }` sent to the actor;
 *   - the line of a port with `lineEvents` cut or restored → `{ type: 'port.line', port, connected }`;
 *   - the actor's emitted event `{ type: 'port.tx', port, bytes }` (XState `emit`) → bytes written on the port;
 *   - the actor's emitted event `{ type: 'port.baud', port, baud }` → the port's end of the link changes speed;
 *   - the actor's emitted event `{ type: 'port.refused', port, code, detail }` → a `refused` trace entry;
 *   - the actor's emitted event `{ type: 'device.error', message }` → an error of the run (the scenario errs),
 *     for a device that cannot go on doing its part and says why without crashing (a replay that diverged);
 *   - the actor's emitted event `{ type: 'device.stimulus', device, name, args }` → that stimulus applied to
 *     another device of the rig (bench wiring: a relay board's contact on a VU's supply), see {@link DeviceStimulusEmitted};
 *   - a scenario stimulus       → the event its {@link StimulusSpec.toEvent} returns.
 */
export interface PortRxEvent {
  type: 'port.rx';
  port: string;
  bytes: Uint8Array;
  /**
   * Rig time the last of the bytes arrived on the line. On a wall clock the event may reach the machine
   * later (a busy host): inter-byte timing checks use this, not `now()`. The host always sets it; a
   * machine driven by hand (a unit test) may leave it out, meaning now.
   */
  at?: number;
  /** How far `at` may be off the line (LinkEnd.timingToleranceMs): inter-byte checks allow this much more. */
  toleranceMs?: number;
}

/**
 * The line on a port was cut or restored (a `disconnect` fault, an adapter gone and back), sent to the device
 * only for a port whose spec asks for it (PortSpec.lineEvents): a line that carries a signal rather than
 * messages, whose cut the receiver sees as the signal gone (the motion sensor's pulse line).
 */
export interface PortLineEvent {
  type: 'port.line';
  port: string;
  connected: boolean;
}

export interface PortTxEmitted {
  type: 'port.tx';
  port: string;
  bytes: Uint8Array;
}

/** Emitted by a device to change a port's line speed (App. 7 link control switches both ends' baud). */
export interface PortBaudEmitted {
  type: 'port.baud';
  port: string;
  baud: number;
}

/**
 * Emitted by a device that ignored what arrived on a port (App. 7 DDP_023: a frame with a timing, format or
 * checksum error gets no response): the trace records it with the reason, as nothing on the line shows it.
 */
export interface PortRefusedEmitted {
  type: 'port.refused';
  port: string;
  /** The device's reason code, e.g. `timing`, `bad-checksum`, `busy`. */
  code: string;
  detail: string;
}

/**
 * Emitted by a device that can no longer do its part in the run (a replay whose recording no longer says what
 * the device under test would do): the run records it as an error of the device, and the scenario errs.
 */
export interface DeviceErrorEmitted {
  type: 'device.error';
  message: string;
}

/**
 * Emitted by a device that acts on another device of the same rig other than through bytes: emulated bench
 * hardware wired to the device under test (a relay board's contact in a VU's supply line, a lab supply's
 * output). The host applies it as it applies a scenario's stimulus (arguments checked, traced as a stimulus
 * with `by`: this device); the wired device must be emulated in the same rig and listed in the kind's `actsOn`.
 */
export interface DeviceStimulusEmitted {
  type: 'device.stimulus';
  device: string;
  name: string;
  args: unknown;
  /**
   * The emitting device waits for the outcome (a keypad robot answers OK or ERR after its macro): the host
   * sends it a {@link DeviceStimulusResultEvent} with this id, and what went wrong is the device's to report,
   * not an error of the run. Left out: nobody waits (a relay's contact), and a failure is the run's error.
   */
  reply?: number;
}

/** The outcome of a {@link DeviceStimulusEmitted} with `reply`, sent back to the device that applied it. */
export interface DeviceStimulusResultEvent {
  type: 'device.stimulus.result';
  id: number;
  ok: boolean;
  /** Why the wired device did not take it: its refusal, or arguments it does not take. */
  error?: string;
}

/**
 * Sent by the rig to a device of an {@link ActuatorSpec} kind: perform this stimulus on its target (the
 * arguments already checked against the target's stimulus). The device answers with {@link ActuationDoneEmitted}.
 */
export interface ActuatorPerformEvent {
  type: 'actuator.perform';
  id: number;
  stimulus: string;
  args: unknown;
}

/** Emitted by an actuator when it has done (ok) or failed (error) what an {@link ActuatorPerformEvent} asked. */
export interface ActuationDoneEmitted {
  type: 'actuation.done';
  id: number;
  ok: boolean;
  /** How it acted: the port it used (`relay`, `psu`, `keypad`). */
  via: string;
  error?: string;
  /** A port whose bytes must have left the rig before the actuation counts as done (a relay board answers nothing). */
  drain?: string;
}

/** What makes a device kind an actuator: it performs stimuli on a device outside the rig (the device under test). */
export interface ActuatorSpec<O> {
  /** The external device it acts on (none: it acts on nothing in this rig). */
  target(options: O): string | undefined;
  /** How it would perform this stimulus with these (checked) arguments: the port it acts through, or undefined if it cannot. */
  performs(options: O, stimulus: string, args: unknown): string | undefined;
  /**
   * The shortest time it can hold what a stimulus made through this port (`via`, from `performs`) before the
   * next stimulus of the same name undoes it, with why: a supply cut through a lab supply's SCPI port lasts at
   * least its confirmed commands' round trips. None: as short as rig time allows.
   */
  shortestHold?(options: O, via: string): { ms: number; why: string } | undefined;
}

/** A problem a kind finds in its device's options against the rest of the rig: `path` is inside the options. */
export interface RigCheckIssue {
  path: (string | number)[];
  message: string;
}

/** The rest of the rig, as a kind's {@link DeviceKind.checkRig} sees it while the rig file is loaded. */
export interface RigView {
  /** A device of the rig: its kind (unregistered: undefined) and its options (malformed: undefined). */
  device(name: string): { kind?: DeviceKind<any>; mode: 'emulated' | 'external'; options?: unknown } | undefined;
  deviceNames: string[];
  /** Whether a port (`device.port`) is an end of a link. */
  linked(port: string): boolean;
}


/**
 * A port's part in the request→answer exchanges on its line, for the per-port timing of a run
 * (harness/links/answer-timing.ts): `requests` (it asks, the device on the other end answers;
 * `answerWindow`: how long it waits for an answer to start, from its device's options in the rig file) or
 * `answers`.
 */
export type PortExchange = { role: 'requests'; answerWindow?: (options: unknown) => { name: string; ms: number } } | { role: 'answers' };

export interface PortSpec {
  description: string;
  /** Line defaults; a rig file's link may override them. */
  baud?: number;
  codec?: PortCodec;
  exchange?: PortExchange;
  /** The device is told when the line is cut or restored ({@link PortLineEvent}). */
  lineEvents?: boolean;
  /**
   * Issue 18: this port sends a signal that holds until it changes (the sensor's pulse rate), so a far end the
   * rig does not run (a device outside it, behind a pty or a serial adapter) cannot tell a cut line from one
   * that goes on at the last rate: the bytes, in the port's own protocol, that tell it the line carries
   * nothing from rig time `at` on. The link writes them towards such an end when a cut is injected, before
   * the line stops; between two rig ends it writes nothing (both see the cut, `lineEvents`).
   */
  cutSignal?(at: number): Uint8Array;
  /**
   * Issue 18: the device takes this port's bytes as whole frames of `codec` only: it keeps them in a buffer that
   * is the codec's deframer over the bytes it took (a buffer it may empty at any of its events: a timeout, a
   * restart, bytes come too late), and does nothing with bytes short of a frame but keep them, at most stamped
   * with the time. Then the rig may hand over a frame's bytes in one `port.rx`, at the instant of its last
   * group, instead of one per delivery quantum (src/harness/links/whole-frames.ts): the same records, fewer
   * events. Needs `codec`.
   */
  takesFrames?: boolean;
}

export interface StimulusSpec<A = unknown> {
  description: string;
  /** Validates the stimulus arguments in a scenario file. */
  args: z.ZodType<A>;
  /**
   * The arguments as one device of a rig takes them, where values come from the rig file (a card named in
   * the VU's `options.cards`): a narrower `args` with those names as enums, so `rig validate` refuses an
   * unknown name before anything runs and `rig schema --rig` offers the names to the editor.
   */
  argsFor?(device: { name: string; options: unknown }): z.ZodType<A>;
  /** The event for the machine; `device.options` lets it resolve names (a card named in the rig file). Throws with a reason on bad arguments. */
  toEvent(args: A, device: { name: string; options: unknown }): { type: string } & Record<string, unknown>;
  /**
   * What a person does to a real device for this stimulus, in plain words, as the operator prompt says it
   * ("Insert card anna (driver card B000000012345601, PEETERS Anna) into the driver slot of vu"). Without it
   * the prompt names the stimulus, its arguments and its description.
   */
  instruction?(args: A, device: { name: string; options: unknown }): string;
  /**
   * Set on a stimulus that acts inside the device (its clock, its data memory, a part of it failing), which
   * only its emulation can be made to do: nothing outside a real device under test (an actuator, a person)
   * reaches it. Says why, in words. A scenario with it on an external device cannot run (`unmetRequirements`),
   * and no actuator mapping may name it.
   */
  emulatedOnly?: string;
}

/** A record read from equipment through its own interfaces (a download, an interrogation, a broker). */
export interface DeviceRecord {
  /** Record family: 'event', 'fault', 'timeAdjustment', ... */
  kind: string;
  /** Event or fault code, where the family has one. */
  code?: number | string;
  /** Rig time (ms since epoch) the record is stamped with; for a span, its begin. */
  at?: number;
  end?: number;
  fields?: Record<string, unknown>;
}

/** What a check asks a record source for. */
export interface RecordWant {
  kinds?: ReadonlySet<string>;
}

/** Reads records from a device through the front door; it works the same for an emulated or external device. */
export interface RecordSource {
  /**
   * `want.kinds`: the kinds the check at hand asks for (a scenario's records and absent matchers of this
   * device), so a source may read what costs extra only when asked (a VU's cards through TRTP 06); absent: all
   * the source reads by default.
   */
  read(want?: RecordWant): Promise<DeviceRecord[]>;
  /**
   * The file the last `read` decoded its records from, as a person would open it in another tool (a VU's
   * App. 7 download as a .DDD file), when the source reads through one: a report attaches it.
   */
  file?(): RecordFile | undefined;
}

/** A file a record source read from, for reports (`<scenario id>.<device>.<extension>`). */
export interface RecordFile {
  /** File name extension, without the dot: 'ddd'. */
  extension: string;
  mediaType: string;
  description: string;
  bytes: Uint8Array;
}

/** What the rig gives a record source: the devices and link ends of the running rig. */
export interface RigAccess {
  clock: RigClock;
  /** The actor of an emulated device, by device name. */
  actor(device: string): import('xstate').AnyActorRef | undefined;
  /** A local link end by port name (`device.port`). */
  port(name: string): import('../links/index.ts').LinkEnd | undefined;
  /** The other end of the link a port is on: how the rig reaches a device through its own interface. */
  peerOf(port: string): import('../links/index.ts').LinkEnd | undefined;
  /** The rig's MQTT network; `settled()` before reading records that arrive over it. */
  network: DeviceNetwork;
  /** A device of the rig by name: its kind's id, mode and options as the rig file gives them (parsed). */
  device(name: string): { kind: string; mode: 'emulated' | 'external'; options: unknown } | undefined;
  /**
   * Has the bench do a stimulus to an external device (a card switch, a relay, a lab supply, or an operator):
   * resolves once it is done. Absent on a rig without bench actuators.
   */
  actuate?(device: string, stimulus: string, args: Record<string, unknown>): Promise<void>;
  /** The physical world of the rig (the vehicle's motion), where a reader must wait for it (a VU seeing a stop). */
  world?: World;
}

export interface DeviceContext<O> {
  name: string;
  options: O;
  clock: RigClock;
  rng: Rng;
  /** The physical world the device senses (the vehicle's motion); shared by every device of the rig. */
  world: World;
  /** The rig's MQTT broker, for devices that talk MQTT (wrap the client in an actor: `mqttSession`). */
  network: DeviceNetwork;
}

export interface DeviceKind<O = unknown> {
  /** The kind's id in rig files, e.g. `vu`, `motion-sensor`. */
  kind: string;
  description: string;
  options: z.ZodType<O>;
  ports: Record<string, PortSpec>;
  /** Builds the machine and its input for one device instance. */
  machine(context: DeviceContext<O>): { machine: AnyStateMachine; input?: unknown };
  stimuli: Record<string, StimulusSpec<any>>;
  /**
   * What a device of this kind fixes of the run it is in, from its options: a replay plays a recording made
   * from one start, with one seed, of one scenario. The runner starts the rig's clock at `start`, uses `seed`
   * (over the command line's and the scenario's), and skips any other scenario than `scenario`, saying `why`.
   */
  fixesRun?(options: O): { start?: number; seed?: number; scenario?: string; why: string };
  /**
   * True for a kind that plays a device from outside the rig (a replay of a recorded one): the runner reads its
   * records as an external device's (those stamped before the run set aside, as they were when recorded).
   */
  playsExternal?: boolean;
  /**
   * True for kinds that talk to each other over the rig's MQTT network rather than over links: a run that
   * builds only part of a rig (`scopePlan`) keeps all of them together.
   */
  usesNetwork?: boolean;
  /**
   * Devices this one acts on other than through a link (bench wiring, an actuator's target): a run that builds
   * only part of a rig keeps them together, as it keeps linked devices.
   */
  actsOn?(options: O): string[];
  /** Checks the device's options against the rest of the rig when the rig file is loaded (names of other devices, their stimuli, their cards). */
  checkRig?(self: { name: string; mode: 'emulated' | 'external'; options: O }, rig: RigView): RigCheckIssue[];
  /** Present on kinds that perform stimuli on an external device for the rig (`Rig.actuate`). */
  actuator?: ActuatorSpec<O>;
  /** Record source for scenario expectations addressed to a device of this kind. */
  records?(device: string, rig: RigAccess): RecordSource;
  /**
   * What the record source returns, by record kind: codes, time and fields (harness/devices/record-kinds.ts).
   * Required with `records`: scenarios are checked against it, and so is every record read.
   */
  recordKinds?: RecordKinds;
}
