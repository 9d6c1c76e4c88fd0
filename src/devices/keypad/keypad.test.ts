import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../harness/clock/index.ts';
import type { DeviceStimulusEmitted, PortRefusedEmitted, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { keypadMachine, keypadOptions } from './index.ts';

const wiring = { device: 'vu', macros: ['pairSensor', 'selectActivity', 'calibrate'] };

/**
 * The emulated robot alone on a virtual clock: what it answers on its line and what it applies. The test plays
 * the host, answering each stimulus it applies as the wired device would (`outcome`).
 */
function robot(outcome: (e: DeviceStimulusEmitted) => string | undefined = () => undefined, macroMs = 500) {
  const clock = new VirtualClock({ start: Date.parse('2026-03-02T08:00:00Z') });
  const t0 = clock.now();
  const actor = createActor(keypadMachine('keypad', keypadOptions.parse({ wiring, macroMs })), { clock });
  const out: string[] = [];
  actor.on('port.tx', (e: PortTxEmitted) => out.push(`tx ${JSON.stringify(Buffer.from(e.bytes).toString('latin1'))} @${clock.now() - t0}`));
  actor.on('port.refused', (e: PortRefusedEmitted) => out.push(`refused ${e.code}: ${e.detail}`));
  actor.on('device.stimulus', (e: DeviceStimulusEmitted) => {
    out.push(`${e.device}.${e.name} ${JSON.stringify(e.args)} @${clock.now() - t0}`);
    const error = outcome(e);
    // the host answers once the robot's step is over, as DeviceHost does
    queueMicrotask(() => actor.send({ type: 'device.stimulus.result', id: e.reply!, ok: error === undefined, ...(error === undefined ? {} : { error }) }));
  });
  actor.start();
  return { out, clock, rx: (text: string) => actor.send({ type: 'port.rx', port: 'host', bytes: Uint8Array.from(Buffer.from(text, 'latin1')) }) };
}

describe('emulated keypad robot', () => {
  it("runs a macro: after macroMs it applies the stimulus with the line's arguments, then answers OK", async () => {
    const r = robot();
    r.rx('RUN selectActivity slot=driver activity=work\n');
    await r.clock.advance(499);
    expect(r.out).toEqual([]);
    await r.clock.advance(1);
    await Promise.resolve();
    expect(r.out).toEqual(['vu.selectActivity {"slot":"driver","activity":"work"} @500', 'tx "OK\\n" @500']);
  });

  it('answers ERR with the wired device\'s reason when it does not take the entry', async () => {
    const r = robot((e) => (e.name === 'pairSensor' ? "device 'vu' refused stimulus 'pairSensor': not in calibration mode" : undefined));
    r.rx('RUN pairSensor\r\n');
    await r.clock.advance(500);
    await Promise.resolve();
    expect(r.out).toEqual(['vu.pairSensor {} @500', 'tx "ERR device \'vu\' refused stimulus \'pairSensor\': not in calibration mode\\n" @500']);
  });

  it('answers ID? at any time, ERR busy to a second RUN, ERR for a macro it does not hold or a line it cannot read', async () => {
    const r = robot();
    r.rx('RUN calibrate w=8000 tyreSize="315/80 R22.5"\nID?\nRUN pairSensor\nRUN skewClock seconds=90\n');
    r.rx('RUN selectActivity slot\nHELLO\n');
    expect(r.out).toEqual([
      'tx "ID tacho-rig,emulated keypad,keypad,1.0\\n" @0',
      'tx "ERR busy: running calibrate\\n" @0',
      'tx "ERR busy: running calibrate\\n" @0',
      "refused malformed: an argument is name=value: 'slot'",
      'tx "ERR an argument is name=value: \'slot\'\\n" @0',
      "refused malformed: unknown command 'HELLO' (RUN or ID?)",
      'tx "ERR unknown command \'HELLO\' (RUN or ID?)\\n" @0',
    ]);
    await r.clock.advance(500);
    await Promise.resolve();
    expect(r.out.slice(-2)).toEqual(['vu.calibrate {"w":8000,"tyreSize":"315/80 R22.5"} @500', 'tx "OK\\n" @500']);
    r.rx('RUN skewClock seconds=90\n');
    expect(r.out.at(-1)).toBe('tx "ERR no macro for skewClock (this robot has pairSensor, selectActivity, calibrate)\\n" @500');
  });

  it('takes a request split across chunks, and the next one once a macro is over', async () => {
    const r = robot(undefined, 0);
    r.rx('RUN pair');
    r.rx('Sensor\n');
    await r.clock.advance(1);
    await Promise.resolve();
    r.rx('RUN pairSensor\n');
    await r.clock.advance(1);
    await Promise.resolve();
    expect(r.out).toEqual(['vu.pairSensor {} @0', 'tx "OK\\n" @0', 'vu.pairSensor {} @1', 'tx "OK\\n" @1']);
  });
});
