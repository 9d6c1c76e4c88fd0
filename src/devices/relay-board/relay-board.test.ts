import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { DeviceStimulusEmitted, PortRefusedEmitted, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { relayBoardMachine, relayBoardOptions } from './index.ts';

const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replaceAll(' ', ''), 'hex'));

const wiring = {
  device: 'vu',
  channels: {
    1: { close: { stimulus: 'supply', args: { on: true } }, open: { stimulus: 'supply', args: { on: false } } },
    3: { close: { stimulus: 'insertCard', args: { slot: 'driver', card: 'anna' } }, open: { stimulus: 'withdrawCard', args: { slot: 'driver' } } },
    6: { close: { stimulus: 'openCase' } },
  },
};

function board(channels = 8) {
  const actor = createActor(relayBoardMachine('relay', relayBoardOptions.parse({ channels, wiring })));
  const out: string[] = [];
  actor.on('port.tx', (e: PortTxEmitted) => out.push(`tx ${JSON.stringify(Buffer.from(e.bytes).toString('latin1'))}`));
  actor.on('device.stimulus', (e: DeviceStimulusEmitted) => out.push(`${e.device}.${e.name} ${JSON.stringify(e.args)}`));
  actor.on('port.refused', (e: PortRefusedEmitted) => out.push(`refused ${e.code}: ${e.detail}`));
  actor.start();
  return { out, rx: (hex: string) => actor.send({ type: 'port.rx', port: 'host', bytes: bytes(hex) }) };
}

describe('emulated LCUS relay board', () => {
  it("applies the wired device's stimulus as each relay closes and opens, and nothing for a relay already there", () => {
    const b = board();
    b.rx('A0 03 01 A4'); // card anna joined to the driver slot
    b.rx('A0 03 01 A4'); // again: the contact does not move
    b.rx('A0 01 00 A1'); // relay 1 is open already
    b.rx('A0 06 01 A7 A0 06 00 A6'); // the case contact: closed, then open (no wiring on open)
    b.rx('A0 03 00 A3');
    b.rx('A0 02 01 A3'); // an unwired relay switches nothing
    expect(b.out).toEqual(['vu.insertCard {"slot":"driver","card":"anna"}', 'vu.openCase {}', 'vu.withdrawCard {"slot":"driver"}']);
  });

  it('answers FF with every relay in ASCII lines, as a command split across chunks left them', () => {
    const b = board(4);
    b.rx('A0 01');
    b.rx('01 A2 FF');
    expect(b.out).toEqual(['vu.supply {"on":true}', 'tx "CH1: ON \\r\\nCH2: OFF\\r\\nCH3: OFF\\r\\nCH4: OFF\\r\\n"']);
  });

  it('refuses a bad check byte, junk, and a relay beyond the board, switching nothing', () => {
    const b = board(2);
    b.rx('A0 01 01 A3 17 A0 03 01 A4 FF');
    expect(b.out).toEqual([
      'refused malformed: LCUS check byte A3 should be A2 (sum of A0 01 01)',
      'refused malformed: not an LCUS command: 17 (a command starts with A0, a status query is FF)',
      'refused no-such-relay: relay 3 on a 2-relay board',
      'tx "CH1: OFF\\r\\nCH2: OFF\\r\\n"',
    ]);
  });
});
