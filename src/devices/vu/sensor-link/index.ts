export { createSensorLinkMachine, pairingFailure, authFailure, type SensorLinkContext, type SensorLinkDeps, type SensorLinkEvent } from './machine.ts';
export { pairingKeys, type PairingKeysResult, type PairingRefusalReason, type VuSensorKeys, type WorkshopCardKeys } from './pairing-keys.ts';
export {
  counterRequest,
  fileRequest,
  interpretAnswer,
  isSuccess,
  pairingInfoRequest,
  pairingKeyRequest,
  serialRequest,
  sessionKeyRequest,
  type Answer,
  type Expectation,
  type PendingRequest,
  type Request,
} from './exchange.ts';
export {
  DEFAULT_SENSOR_LINK_TIMING,
  type AuthFailureReason,
  type PairingFailureReason,
  type SensorLinkCommand,
  type SensorLinkInput,
  type SensorLinkReport,
  type SensorLinkTiming,
  type SensorPairedRecordData,
  type SensorSession,
} from './types.ts';
