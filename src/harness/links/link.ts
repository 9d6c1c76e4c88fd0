import type { Deframer } from '../../protocols/port-codec.ts';

/**
 * Links: duplex byte streams between two named ports (`vu.download` ↔ `ide.vu`). Three transports share
 * this interface: an in-memory null modem, a socat pty pair opened through `serialport`, and a real serial
 * port. Devices see only a {@link LinkEnd}: bytes in, bytes out, the line's baud rate.
 */
export type Transport = 'memory' | 'pty' | 'serial' | 'tcp';

export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';

/** UART character framing: a start bit, data bits, an optional parity bit, stop bits. */
export interface Framing {
  dataBits: 5 | 6 | 7 | 8;
  parity: Parity;
  stopBits: 1 | 1.5 | 2;
}

export const FRAMING_8N1: Framing = { dataBits: 8, parity: 'none', stopBits: 1 };

/** Bits on the line for one character: 10 for 8N1, 11 for 8E1. */
export function bitsPerCharacter(f: Framing): number {
  return 1 + f.dataBits + (f.parity === 'none' ? 0 : 1) + f.stopBits;
}

/** Fault injection on one direction of a link. Rates are probabilities drawn from the link's seeded stream. */
export interface FaultSettings {
  /** Probability that a byte is lost. */
  dropRate: number;
  /** Probability that any one bit of a byte is inverted. */
  bitFlipRate: number;
  /** Extra delay added to every byte, ms of rig time. */
  latencyMs: number;
}

export const NO_FAULTS: FaultSettings = { dropRate: 0, bitFlipRate: 0, latencyMs: 0 };

export type Direction = 'a->b' | 'b->a';

export type LinkEventType =
  | 'connected' // both ends usable (at open, and after a reconnect)
  | 'disconnected' // cable cut (injected), socat gone, USB adapter unplugged
  | 'paused'
  | 'resumed'
  | 'dropped' // a byte lost by fault injection
  | 'corrupted' // bits flipped by fault injection
  | 'framing-error' // receiver at another baud rate than the sender
  | 'baud' // an end changed its baud rate
  | 'error';

export interface LinkEvent {
  type: LinkEventType;
  link: string;
  /** Rig time of the event. */
  at: number;
  /** The end concerned (its port name), where one is. */
  end?: string;
  direction?: Direction;
  detail?: string;
  /** For 'dropped' and 'corrupted': the byte as sent and as received. */
  sent?: number;
  received?: number;
}

export type Unsubscribe = () => void;

/**
 * Bytes crossing a link, for a recorder (src/harness/record/): `sent`, as they entered the line from the end
 * `from` (an emulated end's write, or an outside device's bytes read from the OS port), before the rig's
 * injected faults, pauses, cuts and pacing; `delivered`, as they left it towards the end `to`, after them.
 * `start` is the rig time the chunk started on the line: a write's instant or a read's stamp for `sent`; for
 * `delivered`, the arrival of its last byte less its characters' time at the sender's speed on a paced
 * line, else the instant the line handed it on (towards an outside device, an unpaced OS port).
 */
export interface LineTraffic {
  stage: 'sent' | 'delivered';
  direction: Direction;
  from: string;
  to: string;
  bytes: Uint8Array;
  start: number;
  /**
   * When the rig had them: a write's instant, a read's (`start` may be earlier: a read stamped back to when
   * this process was held up, see ReadStamper), a delivery's. Whatever the rig did before this, it did before
   * seeing them: an answer stamped earlier than the request it answers was still seen after it.
   */
  seen: number;
}

/**
 * Bytes as they crossed one direction of a link, whichever of its ends are the rig's, for meters that
 * watch the line itself (answer-timing.ts). `at[i]`: the rig time byte i had wholly arrived (its stop bit):
 * as the rig's wire paced it where it did, else estimated as a UART would have clocked the bytes (see
 * {@link LinkBase}'s `crossed`).
 */
export interface LineCrossing {
  direction: Direction;
  /** Port names of the sender and the receiver. */
  from: string;
  to: string;
  bytes: Uint8Array;
  at: readonly number[];
}

/** One end of a link, as a device port sees it. */
export interface LinkEnd {
  /** The port this end is bound to, `device.port`. */
  readonly name: string;
  /** The OS path behind this end (pty or serial), if any. */
  readonly path?: string;
  /** False for an end that belongs to an external device: the rig does not drive it. */
  readonly local: boolean;
  readonly baud: number;
  readonly connected: boolean;
  /** Queues bytes for transmission; they arrive at the peer paced by the baud rate. Never throws for a cut line. */
  write(bytes: Uint8Array): void;
  /**
   * Bytes as they arrive, in order. `at` is the rig time the last of them arrived on the line: the time a
   * paced wire had them due (on a busy host the listener may run later), else the time they were read.
   * Judge inter-byte times by it, not by the clock when the listener runs.
   */
  onData(listener: (bytes: Uint8Array, at: number) => void): Unsubscribe;
  /**
   * How far the arrival times given to `onData` may be off the line's, ms: 0 where the rig sees the line
   * exactly (memory links, a pty on the virtual clock). Bytes from an OS port on a wall clock pass through
   * other processes and threads (socat, the kernel, the peer program) that a loaded host holds up like
   * this one: the longest stall this process had in the last seconds. Inter-byte checks allow this much more.
   */
  readonly timingToleranceMs: number;
  /**
   * Issue 18: the device on this end takes the port's bytes as whole frames of `codec` (PortSpec.takesFrames):
   * bytes short of a frame may then be handed over with the bytes that complete it, at their instant, in one
   * `onData` call (whole-frames.ts). Only a memory link on the virtual clock does so; elsewhere a no-op.
   */
  takeFrames?(codec: { createDeframer(): Deframer }): void;
  /**
   * Issue 18: the bytes that tell the far end the line carries nothing from rig time `at` on
   * (PortSpec.cutSignal). When a cut is injected and the far end is outside the rig (it cannot see the cut),
   * the link writes them from this end before the line stops. Between two rig ends it writes nothing.
   */
  tellCut?(signal: (at: number) => Uint8Array): void;
  /** Changes this end's line speed (App. 7 baud switch). Both ends must agree or bytes are garbled. */
  setBaud(baud: number): void;
  /**
   * Resolves once every byte written so far at this end has left it: through the rig's wire (pacing, latency)
   * and, on an OS port, out of the OS's buffer (tcdrain). For a peer that answers nothing (a relay board), this
   * is all the confirmation a write gets.
   */
  drain?(): Promise<void>;
}

/** Runtime fault controls, for scenario stimuli. */
export interface FaultControls {
  set(settings: Partial<FaultSettings>, direction?: Direction): void;
  /** Holds transmission (bytes queue, nothing is lost) until resume. */
  pause(): void;
  resume(): void;
  /** Cuts the line: both ends see 'disconnected'; bytes written meanwhile are lost. */
  disconnect(): void;
  reconnect(): void;
}

export interface Link {
  readonly id: string;
  readonly transport: Transport;
  readonly a: LinkEnd;
  readonly b: LinkEnd;
  readonly faults: FaultControls;
  end(name: string): LinkEnd;
  onEvent(listener: (event: LinkEvent) => void): Unsubscribe;
  /** Watches the bytes entering and leaving the line (see {@link LineTraffic}); a tap, it changes nothing. */
  onTraffic(listener: (traffic: LineTraffic) => void): Unsubscribe;
  /** Every byte that crosses the line, each direction, with its arrival (see {@link LineCrossing}). */
  onLine(listener: (crossing: LineCrossing) => void): Unsubscribe;
  open(): Promise<void>;
  close(): Promise<void>;
}

/** Everything a transport needs to build a link. */
export interface LinkOptions {
  id: string;
  /** Port names of the two ends. */
  ends: [string, string];
  baud: number;
  framing: Framing;
  /** Paces bytes by baud rate on the rig clock. Off: bytes arrive at the instant they are written. */
  pacing: boolean;
  faults: FaultSettings;
  /**
   * Bytes due within this many ms of a delivery's first byte reach the receiver together, as a UART
   * driver hands over its FIFO. Default 0 (byte by byte) for memory and serial links; see the pty's own.
   */
  deliveryQuantumMs?: number;
  /**
   * How far inter-byte times read from an OS port on a wall clock may be off because of what lies between
   * the line and this process, ms: socat and the peer program on a pty, a USB adapter's latency timer on a
   * serial port. Added to this process's own measured stalls in LinkEnd.timingToleranceMs. Defaults: see
   * DEFAULT_PTY_TIMING_ALLOWANCE_MS and DEFAULT_SERIAL_TIMING_ALLOWANCE_MS; unused on memory links and on a
   * virtual clock, where the rig sees the line exactly.
   */
  timingAllowanceMs?: number;
}
