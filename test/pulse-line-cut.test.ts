import { afterEach, describe, expect, it } from 'vitest';
import { deviceKinds } from '../src/devices/index.ts';
import { DeviceRegistry } from '../src/harness/devices/registry.ts';
import { parseRig } from '../src/harness/rig/index.ts';
import { planFromRig } from '../src/harness/rig/plan.ts';
import { Rig } from '../src/harness/rig/rig-runtime.ts';

/**
 * Issue 18: a cut pulse line over the OS, as on the bench. The VU runs in a rig of its own (the stand-in's side,
 * its pulse input on a pty), the sensor in another (the bench's side, the VU external, on a serial path to that
 * pty): the VU does not see the sensor rig's cut, only what comes down the line. The sensor's rig tells it in
 * the line's own language (a no-signal frame, src/protocols/motion-sensor/pulse-frame.ts): from the cut on, the
 * VU counts nothing; at the reconnect the sensor restates its rate and the VU counts again. Wall clock, socat.
 */
const registry = new DeviceRegistry(deviceKinds);
const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0).reverse()) await rig.close();
});

async function start(text: string, name: string): Promise<Rig> {
  const rig = await Rig.start(planFromRig(parseRig(text, name, registry), registry), { start: Date.now() });
  rigs.push(rig);
  return rig;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a cut pulse line whose VU is outside the rig (pty and serial path)', () => {
  it('the VU counts at the rate before the cut, nothing from the cut on, and again once the line is back', async () => {
    const vuSide = await start(
      `
name: vu-side
clock: wall
seed: 1
devices:
  vu: { kind: vu, options: {} }
  sensor: { kind: motion-sensor, mode: external }
links:
  - { ends: [sensor.pulses, vu.pulses], transport: pty }
`,
      'vu-side.yaml',
    );
    const path = vuSide.openEnds().find((e) => e.device === 'sensor' && e.port === 'pulses')!.path;
    const sensorSide = await start(
      `
name: sensor-side
clock: wall
seed: 1
devices:
  sensor: { kind: motion-sensor, options: {} }
  vu: { kind: vu, mode: external }
links:
  - { id: pulses, ends: [sensor.pulses, vu.pulses], transport: serial, paths: { sensor.pulses: ${path} } }
`,
      'sensor-side.yaml',
    );
    const counted = () => (vuSide.actor('vu')!.getSnapshot().context as { motion: { totalPulses: number } }).motion.totalPulses;

    // 60 km/h with k = 8000: 133⅓ pulses a second
    sensorSide.worldAction('speed', { kmh: 60 });
    await sleep(2500);
    const moving = counted();
    // positive control: the VU counts the line's signal (a one-second sample looks at least twice)
    expect(moving).toBeGreaterThan(130);

    sensorSide.linkAction({ link: 'pulses' }, 'disconnect');
    // a sample after the cut has counted what came before it
    await sleep(1500);
    const atCut = counted();
    await sleep(2500);
    // the vehicle drives on at 60 km/h; the line carries nothing: not a pulse (without the frame: about 330)
    expect(counted() - atCut).toBe(0);

    sensorSide.linkAction({ link: 'pulses' }, 'reconnect');
    await sleep(2500);
    // the sensor restated its rate at the reconnect: about 133 a second again
    expect(counted() - atCut).toBeGreaterThan(130);
    expect(vuSide.errors).toEqual([]);
    expect(sensorSide.errors).toEqual([]);
  });
});
