import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { DeviceStimulusEmitted, PortRefusedEmitted, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { labPsuMachine, labPsuOptions } from './index.ts';

const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

function bench(options: Record<string, unknown> = {}) {
  const actor = createActor(labPsuMachine('psu', labPsuOptions.parse({ wiring: { device: 'vu' }, ...options })));
  const out: string[] = [];
  actor.on('port.tx', (e: PortTxEmitted) => out.push(`tx ${e.port} ${JSON.stringify(Buffer.from(e.bytes).toString('latin1'))}`));
  actor.on('device.stimulus', (e: DeviceStimulusEmitted) => out.push(`stimulus ${e.device}.${e.name} ${JSON.stringify(e.args)}`));
  actor.on('port.refused', (e: PortRefusedEmitted) => out.push(`refused ${e.code}`));
  actor.start();
  return { out, rx: (text: string) => actor.send({ type: 'port.rx', port: 'host', bytes: ascii(text) }) };
}

describe('emulated lab supply', () => {
  it('answers SCPI lines on host, each answer a line ended by LF, lines split across chunks', () => {
    const psu = bench();
    psu.rx('*ID');
    psu.rx('N?\r\nOUTP?\n');
    expect(psu.out).toEqual(['tx host "tacho-rig,emulated lab-psu,psu,1.0\\n"', 'tx host "1\\n"']);
  });

  it("drives the wired device's supply stimulus as its output goes off and on, once per change", () => {
    const psu = bench();
    psu.rx('OUTP OFF\nOUTP OFF\nOUTP ON\n*RST\n');
    expect(psu.out).toEqual(['stimulus vu.supply {"on":false}', 'stimulus vu.supply {"on":true}', 'stimulus vu.supply {"on":false}']);
  });

  it('starts with the output its option says, applying nothing at start', () => {
    const psu = bench({ output: 'off', wiring: { device: 'vu', stimulus: 'power' } });
    psu.rx('OUTP?\nOUTP ON\n');
    expect(psu.out).toEqual(['tx host "0\\n"', 'stimulus vu.power {"on":true}']);
  });

  it('refuses a line of non-ASCII bytes, and one too long up to its LF, queueing -101 and -363', () => {
    const psu = bench();
    psu.rx('OUTP \xff\n');
    psu.rx('X'.repeat(300));
    psu.rx('X'.repeat(300) + 'OUTP OFF\nSYST:ERR?;ERR?;ERR?\n');
    expect(psu.out).toEqual(['refused invalid-character', 'refused overrun', 'tx host "-101,\\"Invalid character\\";-363,\\"Input buffer overrun\\";0,\\"No error\\"\\n"']);
  });

  it('cannot be emulated without wiring', () => {
    expect(() => labPsuMachine('psu', labPsuOptions.parse({}))).toThrow("lab-psu 'psu' is emulated without wiring");
  });
});
