import type { FileVerification, VerificationRoots } from '../file-verification.ts';

/**
 * Verification of a generation 1 VU download (App. 11 Part A, CSM_034). Being built on branch i14-gen1
 * (issue 14); until then it says so and fails, never passes.
 */
export function verifyDddG1(_file: Uint8Array, _roots: VerificationRoots): FileVerification {
  return { at: 0, atSource: 'none', verdicts: [], problems: ['generation 1 VU downloads cannot be verified yet'], ok: false };
}
