import { existsSync } from 'node:fs';
import type { SerialPort } from 'serialport';
import { closeSerialPort, drainSerialPort, isMissingDeviceError, openSerialPort, setPortBaud, writeToPort } from './os-port.ts';
import type { TimerId } from '../clock/index.ts';
import type { Direction, Framing, LinkOptions } from './link.ts';
import { LinkBase, type Endpoint, type LinkContext } from './link-base.ts';
import { checkedAllowance, ReadStamper, StallMeter, TOLERANCE_WINDOW_MS } from './stall-meter.ts';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------------------
// SerialLink
// ---------------------------------------------------------------------------------------------------------

export interface SerialLinkOptions {
  /**
   * OS path of each end's port (`/dev/ttyUSB0`, `/dev/serial/by-id/...`). An end without a path is an
   * external real device on the far side of the cable: not local, the rig neither opens nor drives it.
   */
  paths: [string | undefined, string | undefined];
  /** How often a vanished adapter's path is looked for, ms of rig time (a serial rig runs on the wall clock). */
  pollIntervalMs?: number;
}

export const DEFAULT_SERIAL_POLL_INTERVAL_MS = 500;

/**
 * A real serial port (USB-serial adapter) through `serialport`.
 *
 * Typical bench: end A is our emulated device's port on an adapter, end B is a real device (external, no
 * path). Both ends may also be local, each on its own adapter, joined by a null-modem cable.
 *
 * Pacing: the rig's pacing is switched off on both wires, whatever `LinkOptions.pacing` says. The real UART
 * clocks bits out at the configured baud, so a second pacer on the wall clock would only add a timer per
 * byte and jitter, and inbound bytes arrive already paced by the sender's UART.
 *
 * Data paths:
 * - local end X writes → wire X→peer (faults) → X's port.write. If the peer is local too, its port's
 *   'data' goes straight to the peer endpoint: faults were already applied on the way out.
 * - an external device's bytes arrive on the local end's port and go through the wire external→local
 *   (pacing off) before the endpoint, so drops, bit flips, latency, pause and cut still apply to the
 *   real device's traffic. Framing is not judged on them: the rig cannot see the real device's speed (its
 *   UART garbles for real if they disagree); a baud change on our end is mirrored onto the external
 *   endpoint (see baudChanged), the speed the rig assumes it sends at.
 *
 * A vanished adapter (port 'close' with `disconnected`, an 'error', or an open failing because the path is
 * gone) is a 'disconnected' event, never a throw; the link then polls for the path on the rig clock and
 * reopens it, reporting 'connected' again. `close()` stops polling.
 */
/**
 * What a serial port adds to the timing tolerance of bytes read from it on a wall clock, ms
 * (LinkOptions.timingAllowanceMs): a USB-serial adapter hands the host what it received when its latency
 * timer runs out (16 ms by default on FTDI chips) or its buffer fills, so bytes paced a few ms apart on the
 * line can reach us in bursts up to that far apart.
 */
export const DEFAULT_SERIAL_TIMING_ALLOWANCE_MS = 16;

export class SerialLink extends LinkBase {
  readonly transport = 'serial' as const;
  private readonly pollIntervalMs: number;
  private ports: [SerialPort | undefined, SerialPort | undefined] = [undefined, undefined];
  private opening: [boolean, boolean] = [false, false];
  private pollTimer: TimerId | undefined;
  private closed = true;
  private stallMeter: StallMeter | undefined;
  private readonly timingAllowanceMs: number;

  constructor(options: LinkOptions, context: LinkContext, serial: SerialLinkOptions) {
    const [pathA, pathB] = serial.paths;
    if (pathA === undefined && pathB === undefined) {
      throw new RangeError(`serial link ${options.id}: at least one end needs a port path`);
    }
    super({ ...options, pacing: false }, context, {
      local: [pathA !== undefined, pathB !== undefined],
      paths: [pathA, pathB],
    });
    const poll = serial.pollIntervalMs ?? DEFAULT_SERIAL_POLL_INTERVAL_MS;
    if (!(poll > 0)) throw new RangeError(`pollIntervalMs must be positive, got ${poll}`);
    this.pollIntervalMs = poll;
    this.timingAllowanceMs = checkedAllowance(options, DEFAULT_SERIAL_TIMING_ALLOWANCE_MS);
  }

  /** The open OS port of an end, if any (for diagnostics). */
  portOf(end: 'a' | 'b'): SerialPort | undefined {
    return this.ports[end === 'a' ? 0 : 1];
  }

  async open(): Promise<void> {
    if (!this.closed) return;
    this.closed = false;
    // On a wall clock, reads are stamped allowing for this process's own stalls (see ReadStamper).
    if (this.clock.mode === 'wall') this.stallMeter ??= StallMeter.acquire();
    const missing: string[] = [];
    try {
      for (const i of [0, 1] as const) {
        const end = this.endAt(i);
        if (!end.local) continue;
        try {
          await this.openEnd(i);
        } catch (error) {
          if (!isMissingDeviceError(error, end.path!)) throw error;
          missing.push(`${end.name} (${end.path}): ${describe(error)}`);
        }
      }
    } catch (error) {
      await this.closePorts();
      this.closed = true;
      if (this.stallMeter) StallMeter.release();
      this.stallMeter = undefined;
      throw new Error(`serial link ${this.id}: cannot open port: ${describe(error)}`, { cause: error });
    }
    if (missing.length === 0) {
      this.setConnected(true, `serial ${this.describePaths()}`);
      return;
    }
    // Not yet plugged in: not an error, the bench may be wired up later. The state already is
    // disconnected, so setConnected would say nothing; report it explicitly.
    this.report({
      type: 'disconnected',
      detail: `adapter missing: ${missing.join('; ')}; looking again every ${this.pollIntervalMs} ms`,
    });
    this.schedulePoll();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.stallMeter) StallMeter.release();
    this.stallMeter = undefined;
    if (this.pollTimer !== undefined) this.clock.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    await this.closePorts();
    this.setConnected(false, 'closed');
  }

  protected carry(direction: Direction, bytes: Uint8Array, at: number): void {
    const from = direction === 'a->b' ? 0 : 1;
    const sender = this.endAt(from);
    if (!sender.local) {
      // Inbound from the external device, after its wire's faults: hand it to our end.
      this.peerOf(direction).receive(bytes, at);
      return;
    }
    const port = this.ports[from];
    if (!port?.isOpen) return; // adapter gone: the bytes are lost, as on a cut line
    writeToPort(port, bytes);
  }

  /** The adapter's allowance and the longest stall of this process in the last 2 s, on a wall clock (see LinkEnd.timingToleranceMs). */
  override timingToleranceMs(_end: Endpoint): number {
    // wall ms; on a scaled time base each is that many times more rig ms
    return this.stallMeter ? (this.timingAllowanceMs + this.stallMeter.longestStallWithin(TOLERANCE_WINDOW_MS)) * this.clock.scale : 0;
  }

  override baudChanged(end: Endpoint, baud: number): void {
    super.baudChanged(end, baud);
    const i = end === this.a ? 0 : 1;
    const port = this.ports[i];
    if (end.local && port?.isOpen) {
      // After the last byte written at the old speed has reached the OS (the wire), and left it (the drain):
      // a UART switched under its transmit FIFO garbles what is still in it.
      this.wires[i === 0 ? 'a->b' : 'b->a'].whenSent(() => {
        if (this.ports[i] !== port || !port.isOpen) return;
        setPortBaud(port, baud, (error) => this.report({ type: 'error', end: end.name, detail: `cannot set ${baud} baud on ${end.path}: ${describe(error)}` }));
      });
    }
    const peer = this.endAt(i === 0 ? 1 : 0);
    if (end.local && !peer.local) peer.setBaud(baud); // see the class comment: the real UARTs judge framing
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

  private describePaths(): string {
    return [this.a, this.b].map((e) => `${e.name}=${e.local ? e.path : 'external'}`).join(', ');
  }

  private async openEnd(i: 0 | 1): Promise<void> {
    const end = this.endAt(i);
    this.opening[i] = true;
    let port: SerialPort;
    try {
      port = await openSerialPort(end.path!, end.baud, this.options.framing);
    } finally {
      this.opening[i] = false;
    }
    if (this.closed) {
      await closeSerialPort(port);
      return;
    }
    this.ports[i] = port;
    const peerIndex = i === 0 ? 1 : 0;
    const inbound: Direction = i === 0 ? 'b->a' : 'a->b';
    const stamper = new ReadStamper(this.clock, this.stallMeter);
    port.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const at = stamper.stamp();
      if (this.endAt(peerIndex).local) end.receive(bytes, at); // from our other adapter: already through its wire
      else this.enter(inbound, bytes, at); // from the real device: through the wire, pacing off
    });
    port.on('error', (error: Error) => {
      this.report({ type: 'error', end: end.name, detail: `${end.path}: ${describe(error)}` });
      this.lost(i, port, `port error on ${end.path}: ${describe(error)}`);
    });
    port.on('close', (error?: Error & { disconnected?: boolean }) => {
      if (this.ports[i] !== port) return; // our own close
      this.lost(i, port, error?.disconnected ? `adapter ${end.path} disconnected` : `port ${end.path} closed: ${describe(error ?? 'by the OS')}`);
    });
  }

  /** An end's adapter went away: report it, drop the port, look for the path again. */
  private lost(i: 0 | 1, port: SerialPort, detail: string): void {
    if (this.ports[i] !== port) return;
    this.ports[i] = undefined;
    void closeSerialPort(port);
    if (this.closed) return;
    this.setConnected(false, detail);
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.closed || this.pollTimer !== undefined) return;
    this.pollTimer = this.clock.setTimeout(() => {
      this.pollTimer = undefined;
      void this.poll();
    }, this.pollIntervalMs);
  }

  private async poll(): Promise<void> {
    if (this.closed) return;
    const waiting: (0 | 1)[] = ([0, 1] as const).filter((i) => this.endAt(i).local && !this.ports[i] && !this.opening[i]);
    for (const i of waiting) {
      const path = this.endAt(i).path!;
      if (!existsSync(path)) continue;
      try {
        await this.openEnd(i);
      } catch {
        // Just plugged in: udev may not have set permissions yet, or the node vanished again. Try later.
      }
      if (this.closed) return;
    }
    const allOpen = ([0, 1] as const).every((i) => !this.endAt(i).local || this.ports[i]?.isOpen);
    if (allOpen) this.setConnected(true, `reopened: ${this.describePaths()}`);
    else this.schedulePoll();
  }

  private async closePorts(): Promise<void> {
    const ports = this.ports.filter((p): p is SerialPort => p !== undefined);
    this.ports = [undefined, undefined];
    await Promise.all(ports.map((p) => closeSerialPort(p)));
  }
}
