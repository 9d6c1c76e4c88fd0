import { existsSync, realpathSync, writeSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { Framing } from './link.ts';

/** Port helpers shared by the OS-backed transports (serial and pty). */
/** Opens an OS serial device (a tty, a pty slave) through `serialport`, resolving once it is open. */
export async function openSerialPort(path: string, baudRate: number, framing: Framing): Promise<SerialPort> {
  const port = new SerialPort({
    path,
    baudRate,
    dataBits: framing.dataBits,
    parity: framing.parity,
    stopBits: framing.stopBits,
    autoOpen: false,
  });
  // An EventEmitter without an 'error' listener throws; callers add their own once the port is theirs.
  const swallow = () => {};
  port.on('error', swallow);
  try {
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  } finally {
    port.off('error', swallow);
  }
  watchStalledWrites(port);
  return port;
}

/**
 * Works around a lost-wakeup in @serialport/bindings-cpp 13 on Linux: its poller arms libuv with only the
 * event just asked for (`uv_poll_start(handle, events)` instead of the accumulated mask), so a read
 * re-arming for 'readable' drops a pending write's 'writable' interest. A write that met EAGAIN then waits
 * forever while data flows the other way (seen as a 1 MiB duplex transfer stuck with ~6 KiB left). While
 * a write is pending and makes no progress, re-arm both events; libuv's poll is level-triggered, so a port
 * that is writable wakes the write at once. Real time, not rig time: this is OS plumbing.
 */
const STALL_CHECK_MS = 50;
const UV_READABLE_AND_WRITABLE = 0b0011;

function watchStalledWrites(port: SerialPort): void {
  let lastPending = 0;
  const timer = setInterval(() => {
    const pending = port.writableLength;
    if (pending > 0 && pending === lastPending && port.isOpen) {
      const poller = (port.port as { poller?: { poll(flags: number): void } } | undefined)?.poller;
      try {
        poller?.poll(UV_READABLE_AND_WRITABLE);
      } catch {
        // a port closing under us: its own 'close' reports it
      }
    }
    lastPending = pending;
  }, STALL_CHECK_MS);
  timer.unref();
  port.once('close', () => clearInterval(timer));
}

/**
 * Sets an OS port's speed without losing bytes. `@serialport/bindings-cpp` 13 calls `tcflush(fd, TCIOFLUSH)`
 * before `tcsetattr` ("throw away all the buffered data"), so the last bytes written before a baud switch,
 * still in the kernel's output buffer (App. 7's link control stage 2, which the sender follows at once with
 * its own switch), would vanish. Drain first: wait until the OS has sent everything written. The flush takes
 * the input not yet read too, so a port already at that speed is left alone; bytes arriving in the instant of
 * a real switch are lost, as they would be on a UART changing speed under them (App. 7 has the sender wait).
 *
 * A pseudo-terminal is left alone altogether: it has no UART, so its speed changes nothing on the line, and
 * its drain does not wait for the reader: flushing a pty's output discards what the program at the other
 * end (socat) has not read yet. The caller switches after its last byte reached the OS (Wire.whenSent).
 */
export function setPortBaud(port: SerialPort, baudRate: number, onError: (error: Error) => void): void {
  if (port.baudRate === baudRate || isPseudoTerminal(port.path)) return;
  port.drain((drainError) => {
    if (drainError) return onError(drainError);
    if (!port.isOpen) return;
    port.update({ baudRate }, (error) => error && onError(error));
  });
}

/**
 * Writes to an OS port at once when nothing is queued before: bindings-cpp writes through libuv's thread
 * pool, one more thread to be scheduled per write, which a loaded host holds up by tens of ms between two
 * bytes of a request (App. 7 P4 max is 20 ms). The port is non-blocking: what the kernel does not take at
 * once (a full UART buffer), and anything written while the stream still has bytes queued, goes through the
 * stream in order.
 */
export function writeToPort(port: SerialPort, bytes: Uint8Array): void {
  const fd = (port.port as { fd?: number | null } | undefined)?.fd;
  let written = 0;
  if (typeof fd === 'number' && port.writableLength === 0) {
    try {
      written = writeSync(fd, bytes);
    } catch {
      written = 0; // EAGAIN and the like: the stream retries when writable, and reports real errors
    }
  }
  if (written < bytes.length) port.write(Buffer.from(bytes.buffer, bytes.byteOffset + written, bytes.byteLength - written));
}

/** True for a pseudo-terminal (a socat pty, or a link to one): Linux `/dev/pts/N`, macOS `/dev/ttysNNN`. */
export function isPseudoTerminal(path: string): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return false; // gone: nothing to set either way, and a real port's errors are reported by its update
  }
  return /^\/dev\/(pts\/\d+|ttys\d+)$/.test(real);
}

/** Resolves once the port has written out everything given to it (the stream's queue, then the OS's: tcdrain). */
export function drainSerialPort(port: SerialPort): Promise<void> {
  return new Promise((resolve, reject) => port.drain((error) => (error ? reject(error) : resolve())));
}

/** Closes a port, ignoring the errors of a port that is already gone (unplugged, pty master closed). */
export async function closeSerialPort(port: SerialPort): Promise<void> {
  if (!port.isOpen) return;
  const swallow = () => {};
  port.on('error', swallow);
  await new Promise<void>((resolve) => {
    try {
      port.close(() => resolve());
    } catch {
      resolve();
    }
  });
}

/**
 * True when opening failed because the device node is not there (adapter unplugged, socat gone). The
 * bindings report "Error: No such file or directory, cannot open <path>" with no `code`, so the path is
 * checked as well: a dangling symlink (socat killed) does not exist either.
 */
export function isMissingDeviceError(error: unknown, path: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO') return true;
  const message = error instanceof Error ? error.message : String(error);
  if (/No such file or directory|No such device|ENOENT|ENODEV|ENXIO/i.test(message)) return true;
  return !existsSync(path);
}

