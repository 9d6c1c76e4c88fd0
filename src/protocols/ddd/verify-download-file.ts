import { readCardTlvs, verifyCardFile } from '../card-files/card-download-file.ts';
import { dfOfTag, efName } from '../card-files/card-file-ids.ts';
import { isCardFile } from '../card-files/decode-card-file.ts';
import { DecodeError } from '../decode-error.ts';
import { verificationOk, type BlockVerdict, type FileVerification, type VerificationRoots } from '../file-verification.ts';
import { scanVuFile } from './scan-vu-file.ts';
import { verifyDddG1 } from './verify-g1.ts';
import { verifyGen2Scan } from './verify-gen2.ts';

export interface VerifyDownloadOptions {
  /**
   * The time a card file's certificates are judged at, until the card decoder says which time the file
   * records (issue 14, card files); ms. VU files are judged at their own download time, never at this.
   */
  cardAt?: number;
}

/**
 * `rig decode --verify`: one verification for every kind of download file. A VU file by its generation (gen1:
 * App. 11 Part A RSA, verify-g1.ts; gen2 v1 and v2: verify-gen2.ts, ECDSA), a card file by DDP_035's rules
 * (card-files). Never throws on bad bytes.
 */
export function verifyDownloadFile(file: Uint8Array, roots: VerificationRoots, options: VerifyDownloadOptions = {}): FileVerification {
  if (isCardFile(file)) return verifyCardDownloadFile(file, roots, options.cardAt ?? 0);
  const scan = scanVuFile(file);
  if (scan.generation === 'gen1') return verifyDddG1(file, roots);
  if (scan.generation === 'gen2v1' || scan.generation === 'gen2v2') return verifyGen2Scan(scan, file.length, roots, scan.generation);
  const problems = [file.length === 0 ? 'empty file: nothing to verify' : 'no block of a VU download (SID 76 and a TREP of App. 7 DDP_011): nothing to verify'];
  return { at: 0, atSource: 'none', verdicts: [], problems, ok: false };
}

/**
 * A card file through today's verifyCardFile, its answer in the FileVerification shape: each EF whose signature
 * verified is a verdict, every other finding a problem. The card decoder being rewritten (issue 14) gives per-EF
 * verdicts, unsigned EFs and the download time itself; this adapter stands until it lands.
 */
function verifyCardDownloadFile(file: Uint8Array, roots: VerificationRoots, at: number): FileVerification {
  const offsets = new Map<string, number>();
  try {
    let offset = 0;
    for (const t of readCardTlvs(file)) {
      const name = efName(t.fid, dfOfTag(t.fid, t.appendix));
      const df = dfOfTag(t.fid, t.appendix) === 'tachograph-g2' ? 'DF Tachograph_G2' : 'DF Tachograph';
      if (!offsets.has(`${df} ${name}`)) offsets.set(`${df} ${name}`, offset);
      offset += 5 + t.value.length;
    }
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
  }
  const result = verifyCardFile(file, roots.rootCertificates, at, roots.europeanPublicKeys);
  const verdicts: BlockVerdict[] = result.verified.map((block) => ({ block, offset: offsets.get(block) ?? 0, status: 'verified' }));
  return { at, atSource: 'given (card files: the time is the card decoder\'s to find)', verdicts, problems: result.problems, ok: result.ok && verificationOk(verdicts, result.problems) };
}
