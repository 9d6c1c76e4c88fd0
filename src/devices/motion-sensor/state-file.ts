import { readJsonStateFile, writeFileAtomically } from '../state-file.ts';
import { z } from 'zod';
import { SENSOR_EVENT_CODES } from '../../protocols/motion-sensor/index.ts';
import type { SensorSecurityState } from './responder.ts';

/**
 * What a real motion sensor keeps in its non-volatile memory across power cycles, for an emulated sensor that
 * must outlive one rig run: on a bench, the VU under test stays paired with the sensor between scenarios, while
 * the rig builds a fresh sensor for each. Without it the next scenario's sensor would answer the VU's secured
 * requests "not paired" (a 0x11 the scenario never asked for), and its authenticated counter would start again
 * at 0 under a VU that last read it higher (a 0x09). Kept: the unit it belongs to (Ns, its serial number), the
 * session key and pairing information of the current pairing (CSM_217 step 8, file 0x02), its own security
 * event counts (file 0x03), and the authenticated counter.
 */
const stateFileSchema = z.strictObject({
  version: z.literal(1),
  ns: z.string(),
  ks: z.string().nullable(),
  pairingInfo: z.string().nullable(),
  eventCounts: z.array(z.number().int().min(0).max(255)).length(SENSOR_EVENT_CODES.length),
  counter: z.number().int().min(0).max(0xffffffff),
});
export type SensorStateFile = z.output<typeof stateFileSchema>;

export function sensorStateOf(security: SensorSecurityState, counter: number): SensorStateFile {
  return { version: 1, ns: security.ns, ks: security.ks, pairingInfo: security.pairingInfo, eventCounts: [...security.eventCounts], counter: counter >>> 0 };
}

/**
 * The state saved in `file` for this unit (the same Ns), or undefined when there is none: no file yet, or one
 * of another unit (a sensor fitted in its place, another rig file). A file that does not read is an error
 * naming it: a bench must not go on with a sensor that silently forgot its pairing.
 */
export function readSensorState(file: string, ns: string): SensorStateFile | undefined {
  const saved = readJsonStateFile(file, stateFileSchema, "the motion sensor's state file");
  return saved && saved.ns.toLowerCase() === ns.toLowerCase() ? saved : undefined;
}

/** The security state as the saved one left it: the pairing in force and the event counts. */
export function restoredSecurity(security: SensorSecurityState, saved: SensorStateFile): SensorSecurityState {
  return { ...security, ks: saved.ks, pairingInfo: saved.pairingInfo, eventCounts: [...saved.eventCounts] };
}

/** Writes the state atomically (a whole file or the old one, never half of one). */
export function writeSensorState(file: string, state: SensorStateFile): void {
  writeFileAtomically(file, `${JSON.stringify(state)}\n`);
}
