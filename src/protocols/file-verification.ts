/**
 * What `rig decode --verify` says of a download file, VU's or card's, every generation (issue 14): one
 * verdict per signed unit (a VU file's TREP block, a card file's EF), so a user sees which block failed.
 *
 * - `verified`: the signature verifies under a key whose chain reaches one of the roots given, at `at`.
 * - `failed`: the chain or the signature does not verify; `reason` says which and why.
 * - `unknown-root`: the chain names a root (CAR / KID) that none of the roots given is; nothing is claimed.
 * - `unsigned`: the regulation leaves it unsigned (DDP_035: EF ICC, EF IC and the certificates of a card
 *   download; an all-zero EF Link_Certificate is the card's "no link certificate"), so nothing to verify.
 *
 * A file verifies when no verdict is `failed` or `unknown-root` and `problems` (structure, order, missing
 * blocks) is empty.
 */
export type BlockVerdictStatus = 'verified' | 'failed' | 'unknown-root' | 'unsigned';

export interface BlockVerdict {
  /** 'TREP 22 (Activities 2026-03-03)', 'DF Tachograph_G2 EF Identification', ... */
  block: string;
  /** Byte offset of the block (or EF TLV) in the file. */
  offset: number;
  status: BlockVerdictStatus;
  reason?: string;
}

/** The trust anchors a user gives (`--root FILE...`); when none are given, the rig's own test roots. */
export interface VerificationRoots {
  /** Gen1 European public keys, 144 bytes each (KID 8 ‖ n 128 ‖ e 8), App. 11 Part A. */
  europeanPublicKeys: readonly Uint8Array[];
  /** Gen2 ERCA root certificates (CV certificates, App. 11 Part B), as their bytes. */
  rootCertificates: readonly Uint8Array[];
}

export interface FileVerification {
  /** TimeReal ms at which certificates were judged: the download time the file itself records, not now. */
  at: number;
  /** Where `at` came from, e.g. 'TREP 21 VuDownloadActivityData.downloadingTime'. */
  atSource: string;
  verdicts: BlockVerdict[];
  /** File-level problems: unreadable structure, block order, blocks missing, a day twice. */
  problems: string[];
  ok: boolean;
}

/** ok as defined above, for builders of a FileVerification. */
export function verificationOk(verdicts: readonly BlockVerdict[], problems: readonly string[]): boolean {
  return problems.length === 0 && verdicts.every((v) => v.status === 'verified' || v.status === 'unsigned');
}
