import { TestMsca, toHex, type SensorKeyMaterial } from '../../crypto/index.ts';
import type { Rng } from '../../crypto/random.ts';
import { encodeExtendedSerialNumber, EQUIPMENT_TYPE_MOTION_SENSOR } from '../../protocols/motion-sensor/index.ts';
import type { MotionSensorOptions } from './options.ts';

/** Ns from the options: ExtendedSerialNumber with type 7 (motion sensor) and the manufacturer code. */
export function sensorSerialNumber(options: MotionSensorOptions): Uint8Array {
  return encodeExtendedSerialNumber({ ...options.serialNumber, type: EQUIPMENT_TYPE_MOTION_SENSOR, manufacturerCode: options.manufacturerCode });
}

/**
 * The CSM_110 material the sensor was manufactured with: given explicitly, or issued by the test MSCA for a
 * pairing key the "manufacturer" draws from the device's seeded stream (CSM_107). One KP serves every
 * generation, as CSM_217's note (1) allows for keys of one length. A first-generation sensor gets none.
 */
export function sensorKeyMaterial(options: MotionSensorOptions, rng: Rng): SensorKeyMaterial {
  const ns = sensorSerialNumber(options);
  if (options.keyMaterial) return { ns: toHex(ns), entries: options.keyMaterial.entries.map((e) => ({ ...e, kp: e.kp.toLowerCase(), encKp: e.encKp.toLowerCase(), encNs: e.encNs.toLowerCase() })) };
  if (options.generation === 1) return { ns: toHex(ns), entries: [] };
  const kp = rng.fork('pairing-key').bytes(options.keyBits / 8);
  return new TestMsca(options.mscaSeed).issueSensor(ns, options.kmVersions.map((version) => ({ version, kp })));
}
