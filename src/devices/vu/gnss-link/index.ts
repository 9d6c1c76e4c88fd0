export { createGnssLinkMachine, type GnssLinkContext, type GnssLinkDeps, type GnssLinkEvent } from './machine.ts';
export { EGF_AID, READ_PAIRS, advance, startAuthentication, startCoupling, startRead, type Env, type Job, type Step } from './conversation.ts';
export { geoCoordinate, readPosition, type PositionResult } from './position.ts';
export {
  DEFAULT_GNSS_LINK_TIMING,
  type AuthFailureReason,
  type CouplingContext,
  type CouplingFailureReason,
  type GnssLinkCommand,
  type GnssLinkInput,
  type GnssLinkReport,
  type GnssLinkTiming,
  type GnssPosition,
  type VuMaCredentials,
} from './types.ts';
