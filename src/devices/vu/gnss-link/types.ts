import type { SmSession } from '../../../crypto/sm/index.ts';

export interface GnssLinkTiming {
  /** GNS_23: T, the period of position requests; at most 20 s. */
  requestPeriodMs: number;
  /** How long the VU waits for each response before it counts the request unanswered (GNS_28). */
  answerTimeoutMs: number;
}

export const DEFAULT_GNSS_LINK_TIMING: GnssLinkTiming = { requestPeriodMs: 20_000, answerTimeoutMs: 1_000 };

/** The VU's VU_MA credential and the certificates it presents to an EGF at coupling (CSM_208), as hex. */
export interface VuMaCredentials {
  /** VU_MA private scalar and curve. */
  privateKey: string;
  curve: 'brainpoolP256r1' | 'prime256v1';
  /** VU_MA certificate (DER hex). */
  certificate: string;
  /** MSCA_VU-EGF certificate that issued it (DER hex). */
  mscaCertificate: string;
  /** The European root the VU trusts for an EGF chain (DER hex). */
  rootCertificate: string;
}

export interface GnssLinkInput {
  credentials: VuMaCredentials;
  /** CSM_207: the EGF_MA certificate stored at an earlier coupling (DER hex), to resume normal operation. */
  egfCertificate?: string | null;
  timing?: Partial<GnssLinkTiming>;
  /** CSM_193: SM pairs per session (default 240, SM_SESSION_LIMIT); the VU renews before a read would cross it. */
  smSessionLimit?: number;
}

/** The workshop card context of a coupling: the parent checks calibration mode and the card (CSM_202). */
export interface CouplingContext {
  calibrationMode: boolean;
  /** The workshop card's number, for the parent's records; the child only passes it back. */
  workshopCardNumber: string;
}

export type GnssLinkCommand =
  /** Calibration mode with a workshop card: couple with the EGF on the line (CSM_201..204). */
  | { type: 'gnss.couple'; workshop: CouplingContext }
  /** Bytes that arrived on the VU's gnss port. */
  | { type: 'gnss.rx'; bytes: Uint8Array };

export type AuthFailureReason =
  /** Coupling: the EGF chain did not verify (CSM_206), or its CHR is not the serial number of EF.ICC. */
  | 'egf-chain'
  /** Coupling: the EGF refused the VU chain (CSM_208). */
  | 'vu-chain-refused'
  /** Normal operation: EF.ICC names another EGF than the one coupled. */
  | 'egf-changed'
  /** The EGF does not know (or no longer accepts) the VU_MA key: not coupled to this VU (CSM_211). */
  | 'not-coupled'
  /** VU Authentication refused by the EGF (CSM_174). */
  | 'vu-authentication-refused'
  /** Chip Authentication: TPICC did not verify, or the answer was malformed (CSM_176 step 9). */
  | 'chip-authentication'
  /** A response under secure messaging failed its MAC or structure, or the EGF reported an SM error (CSM_192). */
  | 'secure-messaging'
  /** Coupling asked outside calibration mode (CSM_202). */
  | 'not-in-calibration'
  /** Any other unexpected status word during authentication. */
  | 'refused';

/** Why a coupling was given up: the EGF chain or the VU chain refused (CSM_206, CSM_208), or no answer (GNS_28). */
export type CouplingFailureReason = Extract<AuthFailureReason, 'egf-chain' | 'vu-chain-refused'> | 'no-answer';

/** A validated position (GNS_23 step 5): what the VU records. */
export interface GnssPosition {
  /** UTC of the fix from RMC, ms. */
  time: number;
  /** App. 1 GeoCoordinates: ±DDMM.M × 10 (1/10 minute, GNS_23). */
  latitude: number;
  longitude: number;
  /** Speed over ground, km/h (one decimal). */
  speedKmh: number;
  /** GNS_5: the minimum HDOP over the GSA sentences of the systems with a fix; null when none gives one. */
  hdop: number | null;
}

export type GnssLinkReport =
  | { type: 'gnss.tx'; bytes: Uint8Array }
  /** CSM_207: the EGF_MA certificate to store; the parent keeps it (and the coupling record). */
  | { type: 'gnss.coupled'; egfCertificate: string; egfSerialNumber: string; workshop: CouplingContext }
  | { type: 'gnss.authenticated' }
  | { type: 'gnss.position'; position: GnssPosition }
  /** RMC status V: not a position to record (GNS_23 step 5). */
  | { type: 'gnss.noFix'; time: number | null }
  /** GNS_30: record 01 read as 12 × 'FF'. */
  | { type: 'gnss.noData' }
  /** GNS_28: no answer; `since` is VU time of the first unanswered request of the run, `durationMs` how long it has lasted. */
  | { type: 'gnss.noAnswer'; consecutive: number; since: number; durationMs: number }
  /** The EGF answers again after `gnss.noAnswer`s. */
  | { type: 'gnss.answering'; since: number; durationMs: number }
  /** GNS_29: status '6690', at each request that gets it (the rules record one 0x19 per episode). */
  | { type: 'gnss.tamper' }
  /** 0x1A: authentication (or a coupling's checks) failed AUTH_ATTEMPTS times in a row (recovery.ts). */
  | { type: 'gnss.authFailed'; reason: AuthFailureReason; detail: string }
  /** An authentication (or coupling) that failed and starts again at once, `consecutive` failures so far: nothing recorded. */
  | { type: 'gnss.authRetry'; reason: AuthFailureReason; detail: string; consecutive: number }
  /** A coupling given up after its attempts (recovery.ts), with the reason: the message to the workshop card holder. */
  | { type: 'gnss.couplingFailed'; reason: CouplingFailureReason; detail: string; workshop: CouplingContext }
  /** GNS_31, CSM_212: the stored EGF_MA certificate is no longer valid (VU time); positions are still used. */
  | { type: 'gnss.certificateExpired'; expiredAt: number }
  /** 0x37: EF EGF answered a processing error ('6400'/'6500', App. 2 TCS_41/TCS_43: a file found corrupted). */
  | { type: 'gnss.facilityFault'; sw: number };

export interface GnssLinkSnapshotData {
  egfCertificate: string | null;
  session: SmSession | null;
}
