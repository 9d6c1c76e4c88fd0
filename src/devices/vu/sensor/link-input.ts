import { TestMsca, toHex } from '../../../crypto/index.ts';
import { encodeExtendedSerialNumber, SENSOR_EVENT_CODES, type SensorEventCode } from '../../../protocols/motion-sensor/index.ts';
import type { SensorLinkInput, SensorSession } from '../sensor-link/types.ts';
import type { VuOptions } from '../vu-options.ts';

/**
 * What the VU gives its sensor-link child: its KM-VU (CSM_103: one generation, from the test MSCA unless a
 * real key is given), its serial number for the pairing information, its timing, and the pairing in force.
 * The VU is of the second generation: it pairs per App. 11 Part B only.
 */
export function sensorLinkInput(options: VuOptions, session: SensorSession | null): SensorLinkInput {
  const m = options.motionSensor;
  return {
    kmVu: m.kmVu ?? new TestMsca(m.mscaSeed).vuKey(m.kmVuVersion, m.keyBits).key,
    kmVersion: m.kmVuVersion,
    keyBits: m.keyBits,
    vuGeneration: 2,
    vuSerialNumber: vuSerialNumber(options),
    timing: { requestPeriodMs: m.checkPeriodMs, answerTimeoutMs: m.answerTimeoutMs },
    session,
  };
}

/** The VU's ExtendedSerialNumber (App. 1 §2.72), hex. */
export function vuSerialNumber(options: VuOptions): string {
  return toHex(encodeExtendedSerialNumber(options.identification.serialNumber));
}

/**
 * The session as the child now holds it after reporting `occurrences` new events of `code`: the VU keeps the
 * sensor's event counts with the session, so a restart does not report the same events again.
 */
export function sessionAfterEvents(session: SensorSession, code: SensorEventCode, occurrences: number): SensorSession {
  const i = SENSOR_EVENT_CODES.indexOf(code);
  return { ...session, eventCounts: session.eventCounts.map((c, j) => (j === i ? (c + occurrences) & 0xff : c)) };
}
