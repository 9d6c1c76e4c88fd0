import { describe, expect, it } from 'vitest';
import { TestMsca } from '../../crypto/index.ts';
import type { VuOptions } from '../../devices/vu/vu-options.ts';
import type { MotionSensorOptions } from '../../devices/motion-sensor/options.ts';
import { scenarioTests } from '../engine/vitest-adapter.ts';
import { loadSuite } from '../engine/suite.ts';

// The pairing over the OS tty layer too: the same bytes through socat pty pairs and serialport.
await scenarioTests({ rigFile: 'rigs/pty.yaml', paths: ['src/scenarios/motion-sensor/sensor-pairing.scenario.yaml'] });

/**
 * The shipped rigs write KM-WC keys out as hex: they must be the ones the test MSCA issues, and each VU must
 * hold the KM-VU generation its sensor's KP is encrypted under, or the pairing scenarios would test nothing.
 */
describe.each(['rigs/loopback.yaml', 'rigs/pty.yaml'])('motion sensor keys in %s', async (rigFile) => {
  const { plan } = await loadSuite({ rigFile, paths: [] });
  const options = (name: string) => plan.devices.find((d) => d.name === name)!.options;
  const msca = new TestMsca();

  it.each([
    ['vu', 'sensor', 1, 128],
    ['vu192', 'sensor192', 2, 192],
    ['vu256', 'sensor256', 3, 256],
  ] as const)('%s and %s share KM generation %i with %i-bit keys, and the workshop card holds its KM-WC', (vuName, sensorName, version, keyBits) => {
    const vu = options(vuName) as VuOptions;
    const sensor = options(sensorName) as MotionSensorOptions;
    expect(vu.motionSensor).toMatchObject({ kmVuVersion: version, keyBits, mscaSeed: msca.seed });
    expect(sensor).toMatchObject({ kmVersions: [version], keyBits, mscaSeed: msca.seed });
    const wendy = vu.cards['wendy'];
    expect(wendy?.type === 'workshop' && wendy.kmwcKeys.find((k) => k.version === version)).toEqual(msca.workshopCardKeys([version], keyBits)[0]);
  });
});
