import type { AesKeyBits } from '../../../crypto/index.ts';
import type { ExtendedSerialNumber, SensorEventCode } from '../../../protocols/motion-sensor/index.ts';
import type { AttemptCause } from './attempts.ts';
import type { PairingRefusalReason, WorkshopCardKeys } from './pairing-keys.ts';

export interface SensorLinkTiming {
  /** Rig ms between two authentications of the sensor in normal operation. */
  requestPeriodMs: number;
  /** Rig ms the VU waits for an answer before it counts the request unanswered. */
  answerTimeoutMs: number;
}

export const DEFAULT_SENSOR_LINK_TIMING: SensorLinkTiming = { requestPeriodMs: 10_000, answerTimeoutMs: 1_000 };

/** What the VU keeps of a pairing in its secure memory, to talk to the sensor after a restart. */
export interface SensorSession {
  /** Ns of the paired sensor, hex. */
  ns: string;
  /** The session key KS, hex. */
  ks: string;
  kmVersion: number;
  /** The sensor's event counts ('21'H..'25'H) last read, so only new events are reported. */
  eventCounts: number[];
}

export interface SensorLinkInput {
  /** KM-VU, hex (CSM_103). */
  kmVu: string;
  kmVersion: number;
  keyBits: AesKeyBits;
  vuGeneration: 1 | 2;
  /** The VU's serial number (ExtendedSerialNumber, 8 bytes), hex: it goes into the pairing information. */
  vuSerialNumber: string;
  timing?: Partial<SensorLinkTiming>;
  /** A pairing made earlier (from `sensor.paired`), to resume normal operation. */
  session?: SensorSession | null;
}

/** App. 1 §2.145 SensorPairedRecord (gen2), which the VU stores in its VuSensorPairedRecordArray. */
export interface SensorPairedRecordData {
  sensorSerialNumber: ExtendedSerialNumber;
  /** SensorApprovalNumber, read from the sensor's identification file. */
  sensorApprovalNumber: string;
  /** SensorPairingDate, TimeReal seconds. */
  sensorPairingDate: number;
}

/** Events the parent (the VU machine) sends to the child. */
export type SensorLinkCommand =
  /** Calibration mode with a workshop card inserted: pair (CSM_217). `pairingDate` is TimeReal seconds. */
  | { type: 'sensor.pair'; workshopCard: WorkshopCardKeys; pairingDate: number }
  /** Bytes that arrived on the VU's sensor port. */
  | { type: 'sensor.rx'; bytes: Uint8Array };

export type PairingFailureReason =
  | PairingRefusalReason
  /** CSM_222: the sensor has no AES material. */
  | 'sensor-generation-1'
  /** CSM_217 step 5: E(KID, Ns) matched none of the sensor's encryptions (no common KM generation). */
  | 'vu-not-authenticated'
  /** CSM_217 step 8 (or a KP that does not decrypt): the sensor did not prove its keys. */
  | 'sensor-not-authenticated'
  | 'sensor-refused'
  | 'no-answer'
  | 'malformed-answer';

export type AuthFailureReason =
  /** The sensor has no session key: not paired (to anyone). */
  | 'not-paired'
  /** The sensor answered with another negative reply. */
  | 'refused'
  /** The answers failed decryption, padding or the challenge echo, three attempts in a row: tampering or another key. */
  | 'invalid-answer'
  /** Another serial number answers than the one paired: an unpaired sensor was fitted (the VU's '13'H). */
  | 'sensor-changed';

/** Events the child sends to its parent. */
export type SensorLinkReport =
  | { type: 'sensor.tx'; bytes: Uint8Array }
  | { type: 'sensor.paired'; record: SensorPairedRecordData; session: SensorSession }
  | { type: 'sensor.pairingFailed'; reason: PairingFailureReason; detail: string }
  | { type: 'sensor.authenticated' }
  | { type: 'sensor.authFailed'; reason: AuthFailureReason; detail: string; sensorSerialNumber?: string }
  | { type: 'sensor.counter'; value: number }
  /** A request left unanswered after its attempts (MAX_ATTEMPTS); `consecutive` counts such requests in a row. */
  | { type: 'sensor.noAnswer'; instruction: number; consecutive: number }
  /** An attempt failed and the request goes out again (`attempt` is the failed one, from 1): nothing recorded. */
  | { type: 'sensor.retry'; instruction: number; attempt: number; cause: AttemptCause; detail: string }
  | { type: 'sensor.securityEvent'; code: SensorEventCode; occurrences: number }
  /**
   * A frame that could not be used. Bytes that cannot start a frame (`bad-header`, line noise) and frames
   * while no request is pending (`instruction` null) are only reported. Otherwise the request named failed
   * after its attempts, the last one damaged (the frame's code: bad checksum, bad length, unknown or
   * unexpected instruction) or unauthenticated (`unauthenticated`: fewer in a row than a breach takes).
   */
  | { type: 'sensor.linkError'; code: string; detail: string; instruction: number | null };
