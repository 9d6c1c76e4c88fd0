import { createActor } from 'xstate';
import { VirtualClock } from '../../harness/clock/index.ts';
import { anna } from '../cards/test-cards.ts';
import { cardPortOptions } from './index.ts';
import { cardPortMachine } from './machine.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/**
 * Anna's card behind the card port on a virtual clock, for the port's line tests: `send` gives the board's bytes
 * (hex, spaces allowed) on `port` and returns what the card sent back for them, joined; `refused` collects the
 * port's refusals as they are recorded.
 */
export function cardOnPort(port: string) {
  const clock = new VirtualClock({ start: Date.UTC(2026, 2, 2, 8) });
  const actor = createActor(cardPortMachine(cardPortOptions.parse({ card: anna }), clock), { clock });
  const out: string[] = [];
  const refused: { port: string; code: string; detail: string }[] = [];
  actor.on('port.tx', (e) => out.push(toHex(e.bytes)));
  actor.on('port.refused', (e) => refused.push({ port: e.port, code: e.code, detail: e.detail }));
  actor.start();
  const send = (bytes: string) => {
    out.length = 0;
    actor.send({ type: 'port.rx', port, bytes: hex(bytes) });
    return out.join(' ');
  };
  return { clock, send, refused };
}
