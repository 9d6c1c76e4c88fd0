import { verifyCardDownload } from '../card-files/verify-card-download.ts';
import { isCardFile } from '../card-files/decode-card-file.ts';
import type { FileVerification, VerificationRoots } from '../file-verification.ts';
import { scanVuFile } from './scan-vu-file.ts';
import { verifyDddG1 } from './verify-g1.ts';
import { verifyGen2Scan } from './verify-gen2.ts';

export interface VerifyDownloadOptions {
  /**
   * The time a card file's certificates are judged at, when the caller knows it (it made the download); ms.
   * Otherwise the latest time the file records (verifyCardDownload). VU files are judged at their own download
   * time, never at this.
   */
  cardAt?: number;
}

/**
 * `rig decode --verify`: one verification for every kind of download file. A VU file by its generation (gen1:
 * App. 11 Part A RSA, verify-g1.ts; gen2 v1 and v2: verify-gen2.ts, ECDSA), a card file by DDP_035's rules
 * (card-files). Never throws on bad bytes.
 */
export function verifyDownloadFile(file: Uint8Array, roots: VerificationRoots, options: VerifyDownloadOptions = {}): FileVerification {
  if (isCardFile(file)) return verifyCardDownload(file, roots, options.cardAt === undefined ? {} : { at: options.cardAt });
  const scan = scanVuFile(file);
  if (scan.generation === 'gen1') return verifyDddG1(file, roots);
  if (scan.generation === 'gen2v1' || scan.generation === 'gen2v2') return verifyGen2Scan(scan, file.length, roots, scan.generation);
  const problems = [file.length === 0 ? 'empty file: nothing to verify' : 'no block of a VU download (SID 76 and a TREP of App. 7 DDP_011): nothing to verify'];
  return { at: 0, atSource: 'none', verdicts: [], problems, ok: false };
}
