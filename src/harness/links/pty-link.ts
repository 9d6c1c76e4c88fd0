import type { SerialPort } from 'serialport';
// Everything runs on the rig clock but the settle bound of the bytes in flight (in-flight-bytes.ts), real time by nature.
import { InFlightBytes } from './in-flight-bytes.ts';
import type { Direction, LinkOptions } from './link.ts';
import { LinkBase, type Endpoint, type LinkContext } from './link-base.ts';
import { PtyPair, type PtyPairExit, type PtyPairOptions } from './pty-pair.ts';
import { closeSerialPort, drainSerialPort, openSerialPort, writeToPort } from './os-port.ts';
import { checkedAllowance, ReadStamper, StallMeter, TOLERANCE_WINDOW_MS } from './stall-meter.ts';

/**
 * Default wire quantum for a pty link, ms of rig time: bytes the wire would deliver within 2 ms of each
 * other go to the OS in one write. On a virtual clock every delivery instant costs one settle round trip
 * through socat, measured at 100-250 us of wall time per write (2-core Linux 6.x VM, socat 1.7.4), and
 * the number of writes per rig second is about 1000 / max(quantum, one character time). Measured, 5 s of
 * continuous traffic, one direction, median of 5:
 *   9600 baud:   quantum 0: 4800 writes, 0.7-1.3 s wall;  1 ms: 4800 writes (no gain, one character is
 *                1.04 ms);  2 ms: 2400 writes, 0.22-0.33 s;  5 ms: 960 writes, 0.16-0.2 s.
 *   115200 baud: quantum 0: 57600 writes, 9.4-10.2 s wall (slower than real time);  1 ms: 4800, 0.8-1.2 s;
 *                2 ms: 2400, 0.42-0.59 s;  5 ms: ~1000, 0.18-0.23 s.
 * 2 ms is the smallest quantum that coalesces at the slowest rates in use (9600, and K-line's 10400 baud,
 * where a character is just under 1 ms), and it keeps traffic at 10-20x real time. A byte reaches the peer
 * at most one quantum late in rig time, never early, and the last byte of a burst is exactly on time; 2 ms
 * stays well below the inter-byte and response timeouts of the tachograph protocols (P1/P4 up to 20 ms,
 * responses tens to hundreds of ms). Larger values save less and less while blurring inter-byte timing.
 */
export const DEFAULT_PTY_DELIVERY_QUANTUM_MS = 2;

/**
 * What a pty adds to the timing tolerance of bytes read from it on a wall clock, ms (LinkOptions.timingAllowanceMs).
 * A pty is not a line: bytes an outside program writes reach us through its process, socat and the kernel,
 * each of which a loaded host holds up in turn, and this process can measure its own stalls only. Measured
 * (`npm run bench -- soak`, the rig's client pacing each request byte P4 min apart, 2 cores at load 10): of
 * the requests the VU refused as too slow with its own stalls allowed for, 70 of 77 were under 100 ms late;
 * each refusal costs a repeat and three in a row a failed download. 100 ms keeps P4 max (20 ms) meaningful
 * as a check of gross gaps while a busy bench PC does not fail a download; a resend after a lost frame
 * (P2 max, 1 s, later) is still told apart from the frame it follows.
 */
export const DEFAULT_PTY_TIMING_ALLOWANCE_MS = 100;

/** Real-time bound for bytes handed to one pty to come out of the other before they are counted lost. */
export const DEFAULT_PTY_SETTLE_TIMEOUT_MS = 2000;

export interface PtyLinkOptions extends PtyPairOptions {
  /**
   * Which ends the rig opens. An end that is not local is left for an external program (a download tool)
   * to open at its path (`link.b.path`). Default [true, true].
   */
  local?: [boolean, boolean];
  /** See {@link DEFAULT_PTY_DELIVERY_QUANTUM_MS}. */
  deliveryQuantumMs?: number;
  /** See {@link DEFAULT_PTY_SETTLE_TIMEOUT_MS}. */
  settleTimeoutMs?: number;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A file name for a port name (`vu.download` stays, `a/b` becomes `a_b`). */
function linkName(port: string): string {
  return port.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'port';
}

/**
 * A link over a socat pty pair, opened through `serialport`: real OS I/O with the rig's wires in front.
 *
 * A local end's writes go through its wire (line state, seeded faults, UART pacing on the rig clock, since
 * a pty ignores baud) and the wire's output is written to that end's pty; the OS and socat carry it to the
 * peer's pty, whose 'data' is handed to the peer endpoint. An end that is not local belongs to an external
 * program: the rig opens only the local end; the external program's bytes arrive on the local port and go
 * through the wire external→local (paced too, as a UART would) before reaching the endpoint. Bytes towards
 * the external program are not paced: they go to its pty at once, where it reads them when it reads.
 *
 * On a virtual clock a settler holds rig time still while bytes written to one pty have not yet come out of
 * the other, so each byte is received at the rig instant the wire delivered it: deterministic timing over
 * real I/O. Bytes to an external program are not tracked (the rig cannot see it read them).
 *
 * socat dying (killed, crashed), a port closing under the rig or a port error is a 'disconnected' event,
 * never a throw. The link does not restart socat; close() and open() again to get a new pair.
 */
export class PtyLink extends LinkBase {
  readonly transport = 'pty' as const;
  readonly pair: PtyPair;
  private readonly settleTimeoutMs: number;
  private ports: [SerialPort | undefined, SerialPort | undefined] = [undefined, undefined];
  private state: 'closed' | 'opening' | 'open' = 'closed';
  private removeSettler: (() => void) | undefined;
  private stopExitWatch: (() => void) | undefined;
  // Bytes per direction handed to port.write and not yet seen arriving at the peer port.
  private readonly inFlight: InFlightBytes;
  private socatPidAtOpen: number | undefined;
  private stallMeter: StallMeter | undefined;
  private readonly timingAllowanceMs: number;

  constructor(options: LinkOptions, context: LinkContext, pty: PtyLinkOptions = {}) {
    const local = pty.local ?? [true, true];
    const quantum = options.deliveryQuantumMs ?? pty.deliveryQuantumMs ?? DEFAULT_PTY_DELIVERY_QUANTUM_MS;
    if (!(quantum >= 0)) throw new RangeError(`deliveryQuantumMs must be >= 0, got ${quantum}`);
    let names = pty.names;
    if (!names && !pty.paths) {
      const a = linkName(options.ends[0]);
      const b = linkName(options.ends[1]);
      names = a === b ? [`${a}-a`, `${b}-b`] : [a, b];
    }
    // Paths are needed by the endpoints, before super(); allocating them starts nothing (socat starts in open()).
    const pair = new PtyPair({ ...pty, names });
    super({ ...options, deliveryQuantumMs: quantum }, context, { local, paths: pair.paths });
    this.pair = pair;
    this.settleTimeoutMs = pty.settleTimeoutMs ?? DEFAULT_PTY_SETTLE_TIMEOUT_MS;
    this.inFlight = new InFlightBytes(this.settleTimeoutMs, (direction, bytes, reason) =>
      this.report({ type: 'error', direction, end: this.peerOf(direction).name, detail: `${bytes} bytes lost in the pty pair: ${reason}` }),
    );
    this.timingAllowanceMs = checkedAllowance(options, DEFAULT_PTY_TIMING_ALLOWANCE_MS);
  }

  /** socat's process id while the link is open. */
  get socatPid(): number | undefined {
    return this.pair.pid;
  }


  async open(): Promise<void> {
    if (this.state !== 'closed') return;
    this.state = 'opening';
    // On a wall clock, reads are stamped allowing for this process's own stalls (see ReadStamper).
    if (this.clock.mode === 'wall') this.stallMeter ??= StallMeter.acquire();
    try {
      await this.pair.start();
      this.socatPidAtOpen = this.pair.pid;
      this.stopExitWatch = this.pair.onExit((exit) => this.socatExited(exit));
      // Both local ends must be open before any traffic: bytes written to a pty whose peer is not open yet
      // are lost.
      for (const i of [0, 1] as const) {
        const end = this.endAt(i);
        if (end.local) this.attach(i, await openSerialPort(end.path!, end.baud, this.options.framing));
      }
    } catch (error) {
      await this.teardown();
      throw error;
    }
    this.state = 'open';
    this.removeSettler = this.clock.addSettler(() => this.inFlight.settle());
    const external = [this.a, this.b].filter((e) => !e.local);
    this.setConnected(
      true,
      `socat pid ${this.pair.pid}: ${this.a.name}=${this.a.path}, ${this.b.name}=${this.b.path}` +
        (external.length ? `; left for an external program: ${external.map((e) => `${e.name} at ${e.path}`).join(', ')}` : ''),
    );
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    await this.teardown();
    this.setConnected(false, 'closed');
  }

  protected carry(direction: Direction, bytes: Uint8Array, at: number): void {
    const from = direction === 'a->b' ? 0 : 1;
    if (!this.endAt(from).local) {
      // From the external program, through its wire: hand it to our end.
      this.peerOf(direction).receive(bytes, at);
      return;
    }
    const port = this.ports[from];
    if (this.state !== 'open' || !port?.isOpen) return; // socat or the port gone: lost, as on a cut line
    if (this.peerOf(direction).local) this.inFlight.sent(direction, bytes.length);
    writeToPort(port, bytes);
  }

  /**
   * On a wall clock, the longest stall of this process in the last 2 s, and for bytes from an outside program
   * the pty's allowance (see LinkEnd.timingToleranceMs). Bytes between two rig ends carry their wire's due
   * times: only our own stalls can blur them.
   */
  override timingToleranceMs(end: Endpoint): number {
    if (!this.stallMeter) return 0;
    const stall = this.stallMeter.longestStallWithin(TOLERANCE_WINDOW_MS);
    // stalls and the allowance are wall ms; on a scaled time base each is that many times more rig ms
    return (this.otherEnd(end).local ? stall : stall + this.timingAllowanceMs) * this.clock.scale;
  }

  override baudChanged(end: Endpoint, baud: number): void {
    super.baudChanged(end, baud);
    const i = end === this.a ? 0 : 1;
    const peer = this.endAt(i === 0 ? 1 : 0);
    // The OS speed of our pty is left alone. A pty carries bytes at any speed, and socat joins two ptys, so
    // an external program on the other one never sees ours. Setting it is not harmless either: bindings-cpp
    // flushes in update(), and flushing a pty's output discards what socat has not read yet: the VU's answer
    // to Stop Communication, written just before its switch back to 9600, was lost so at 115200 baud.
    // An external program's speed is invisible to the rig: assume it follows, so what it sends next is
    // paced at the new speed (framing is not judged on its bytes: see LinkBase).
    if (end.local && !peer.local) peer.setBaud(baud);
  }

  /** A local end's OS port has written out what it was given (tcdrain); a port that is gone has nothing to wait for. */
  protected override drainPort(end: Endpoint): Promise<void> {
    const port = this.ports[end === this.a ? 0 : 1];
    if (!port?.isOpen) return Promise.resolve();
    return drainSerialPort(port);
  }

  private endAt(i: 0 | 1): Endpoint {
    return i === 0 ? this.a : this.b;
  }

  private attach(i: 0 | 1, port: SerialPort): void {
    this.ports[i] = port;
    const end = this.endAt(i);
    const peer = this.endAt(i === 0 ? 1 : 0);
    const inbound: Direction = i === 0 ? 'b->a' : 'a->b';
    const stamper = new ReadStamper(this.clock, this.stallMeter);
    port.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const at = stamper.stamp();
      if (peer.local) {
        // Written by our other port after its wire: deliver now, at the rig instant the wire chose.
        end.receive(bytes, at);
        this.inFlight.arrivedNow(inbound, bytes.length);
      } else {
        this.enter(inbound, bytes, at);
      }
    });
    port.on('error', (error: Error) => {
      this.report({ type: 'error', end: end.name, detail: `${end.path}: ${describe(error)}` });
      this.broken(`port error on ${end.path}: ${describe(error)}`);
    });
    port.on('close', (error?: Error & { disconnected?: boolean }) => {
      if (this.ports[i] !== port) return; // closed by us
      this.ports[i] = undefined;
      this.broken(
        error?.disconnected
          ? `pty ${end.path} disconnected (socat gone?)`
          : `pty ${end.path} closed: ${error ? describe(error) : 'by the OS'}`,
      );
    });
  }

  private socatExited(exit: PtyPairExit): void {
    if (exit.expected) return;
    this.broken(`socat (pid ${this.socatPidAtOpen}) exited: code ${exit.code}, signal ${exit.signal}`);
  }

  /** The pair is no longer usable: report it once, release anything waiting on the settler. */
  private broken(detail: string): void {
    if (this.state !== 'open') return;
    this.setConnected(false, detail);
    this.inFlight.giveUp(detail);
  }

  private async teardown(): Promise<void> {
    this.state = 'closed';
    if (this.stallMeter) StallMeter.release();
    this.stallMeter = undefined;
    this.removeSettler?.();
    this.removeSettler = undefined;
    this.stopExitWatch?.();
    this.stopExitWatch = undefined;
    this.inFlight.giveUp('link closed');
    const ports = this.ports.filter((p): p is SerialPort => p !== undefined);
    this.ports = [undefined, undefined];
    await Promise.all(ports.map((p) => closeSerialPort(p)));
    await this.pair.dispose();
  }
}
