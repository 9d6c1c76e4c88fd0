import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceKinds } from '../src/devices/index.ts';
import { DeviceRegistry } from '../src/harness/devices/registry.ts';
import { parseRig } from '../src/harness/rig/index.ts';
import { planFromRig } from '../src/harness/rig/plan.ts';
import { Rig } from '../src/harness/rig/rig-runtime.ts';
import { standInRigText } from './fixtures/bench-rigs.ts';

/**
 * The emulated bench hardware as a bench's own tools would see it: the stand-in (an emulated VU with a relay
 * board and a lab supply wired to it), started as `rig serve` starts it (wall clock, now, the outside ends of
 * its links on ptys; in this process, to spare the CLI's start-up), and a client written apart from the rig
 * (Python over termios, from the LCUS sheet and SCPI) drives them; the stand-in's trace shows what their wiring
 * did to the VU.
 */
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('the emulated relay board and lab supply, to an outside client', () => {
  it('answer LCUS bytes and SCPI lines from a Python client as the protocols say, and switch the VU they are wired to', async () => {
    const registry = new DeviceRegistry(deviceKinds);
    const plan = planFromRig(parseRig(standInRigText(), 'stand-in.yaml', registry), registry);
    rig = await Rig.start({ ...plan, clock: 'wall' }, { start: Date.now() });
    const paths = Object.fromEntries(rig.openEnds().map((e) => [e.port, e.path]));
    expect(rig.openEnds().map((e) => `${e.peer} listens for ${e.device}.${e.port}`)).toEqual(['relay.host listens for actuator.relay', 'psu.host listens for actuator.psu']);

    const client = spawn('python3', ['test/fixtures/bench-client.py', paths.relay!, paths.psu!], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    client.stdout!.on('data', (chunk) => (stdout += String(chunk)));
    client.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    const [code] = await once(client, 'exit');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const transcript = JSON.parse(stdout) as { line: string; sent: string; answer: string }[];
    expect(transcript.filter((t) => t.line === 'psu').map((t) => [t.sent, t.answer])).toEqual([
      ['*IDN?', 'tacho-rig,emulated lab-psu,psu,1.0\n'],
      ['OUTP?', '1\n'],
      ['OUTP OFF', ''],
      ['SYST:ERR?', '0,"No error"\n'],
      ['FOO:BAR 1', ''],
      ['syst:err?', '-113,"Undefined header"\n'],
      ['SYSTEM:ERROR?', '0,"No error"\n'],
      ['MEAS:VOLT?', '0.000\n'],
      ['OUTPUT:STATE ON;:VOLT 13.8;MEAS:VOLT?;:OUTP?', '13.800;1\n'],
    ]);

    // What the wiring did to the VU: relay 1 took anna's card in and out of the driver slot, the supply's output
    // went off and on; the bad command switched nothing (the board refused it, as the trace says).
    const entries = rig.trace.entries as unknown as readonly Record<string, unknown>[];
    expect(entries.filter((e) => e.kind === 'stimulus').map((e) => [e.by, e.device, e.name, e.args])).toEqual([
      ['relay', 'vu', 'insertCard', { slot: 'driver', card: 'anna' }],
      ['relay', 'vu', 'withdrawCard', { slot: 'driver' }],
      ['psu', 'vu', 'supply', { on: false }],
      ['psu', 'vu', 'supply', { on: true }],
    ]);
    expect(entries.filter((e) => e.kind === 'refused').map((e) => [e.device, e.code, e.detail])).toEqual([['relay', 'malformed', 'LCUS check byte A4 should be A3 (sum of A0 02 01)']]);
    expect(entries.filter((e) => e.kind === 'error')).toEqual([]);
  });
});
