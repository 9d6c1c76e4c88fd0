import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { createRng } from '../../crypto/random.ts';
import { FRAMING_8N1, NO_FAULTS } from './link.ts';

// A real UART cannot be had in a test: the OS port is a stand-in that logs what the link asks of it, so the
// order of a baud switch on a real serial port can be checked (on a pty the speed is never set at all).
const calls: string[] = [];

class LoggingPort extends EventEmitter {
  isOpen = true;
  baudRate = 115200;
  path = '/dev/ttyUSB-test';
  writableLength = 0;
  write(bytes: Buffer) {
    calls.push(`write ${bytes.toString('hex')}`);
    return true;
  }
  drain(cb: (error: Error | null) => void) {
    calls.push('drain');
    setImmediate(() => cb(null));
  }
  update(options: { baudRate: number }, cb: (error: Error | null) => void) {
    calls.push(`update ${options.baudRate}`);
    this.baudRate = options.baudRate;
    setImmediate(() => cb(null));
  }
  close(cb: () => void) {
    this.isOpen = false;
    cb();
  }
}

vi.mock('./os-port.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./os-port.ts')>()),
  openSerialPort: async () => new LoggingPort(),
}));

const { SerialLink } = await import('./serial-link.ts');

describe('SerialLink baud switch on a real port', () => {
  // Issue 12: the VU's answer to Stop Communication, followed at once by its switch back to 9600, must leave
  // at the old speed: the port is switched after the wire has handed over the last byte and the OS sent it.
  it('switches the OS port after the last byte written at the old speed has been handed over and drained', async () => {
    calls.length = 0;
    const clock = new VirtualClock({ start: 0 });
    const link = new SerialLink(
      { id: 'dl', ends: ['vu.download', 'ide.vu'], baud: 115200, framing: FRAMING_8N1, pacing: false, faults: NO_FAULTS },
      { clock, rng: createRng(1) },
      { paths: ['/dev/ttyUSB-test', undefined] },
    );
    await link.open();
    link.a.write(Uint8Array.of(0x80, 0xf0, 0xee, 0x01, 0xc2, 0x21));
    link.a.setBaud(9600);
    expect(link.a.baud).toBe(9600); // the endpoint's speed is the new one at once (what it writes next)
    expect(calls).toEqual([]); // nothing asked of the OS before the bytes are on their way
    await clock.advance(1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['write 80f0ee01c221', 'drain', 'update 9600']);
    await link.close();
  });
});
