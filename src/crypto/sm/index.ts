export { SM_ORDER, SM_TAG, checkOrder, encodeDo, parseDos, type DoParseResult, type SmDataObject } from './data-objects.ts';
export { authenticationToken, cipherSuiteOf, compressedPoint, deriveSessionKeys, ecdhSecret, macLengthOf, type SessionKeys } from './key-agreement.ts';
export {
  SM_CLA,
  SM_SESSION_LIMIT,
  SM_SW,
  incrementSsc,
  sessionExhausted,
  startSession,
  unwrapCommand,
  unwrapResponse,
  wrapCommand,
  wrapResponse,
  type SmCommand,
  type SmResponse,
  type SmSession,
  type UnwrapCommandResult,
  type UnwrapResponseResult,
} from './secure-messaging.ts';
