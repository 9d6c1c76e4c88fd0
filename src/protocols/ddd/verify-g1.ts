import { CertificateChainError } from '../../crypto/pki/chain.ts';
import { verifyG1Chain } from '../../crypto/pki-g1/chain-g1.ts';
import { verifyDataG1 } from '../../crypto/pki-g1/data-signature.ts';
import { G1_EQUIPMENT_TYPE } from '../../crypto/pki-g1/rsa-certificate.ts';
import type { RsaPublicKey } from '../../crypto/pki-g1/rsa-keys.ts';
import { scanDddG1, type G1Block } from '../app7-records-g1/blocks-g1.ts';
import { App7G1Error } from '../app7-records-g1/fields-g1.ts';
import { splitG1Trep } from '../app7-records-g1/layout-g1.ts';
import { decodeTrep02, signedPartG1 } from '../app7-records-g1/trep-g1.ts';
import { verificationOk, type BlockVerdict, type FileVerification, type VerificationRoots } from '../file-verification.ts';
import { GEN1_TREPS } from './gen1-layout.ts';

/**
 * Verification of a VU download in the generation 1 format (App. 11 Part A), as an IDE or a control body
 * does it with the European public key it holds independently (App. 7 §1.1, CSM_035):
 *
 * 1. the Member State certificate of TREP 01 opened with the European public key its CAR names
 *    (roots.europeanPublicKeys, 144 bytes KID ‖ n ‖ e), the VU certificate with the MS key recovered (CSM_019;
 *    CHA: a Member State, then a vehicle unit, EquipmentType 6);
 * 2. each block's 128-byte Signature checked with the VU key (CSM_035: PKCS #1 v1.5, SHA-1) over the block's
 *    signed data (DDP_029..033: TREP 01 all but the certificates, TREP 02..05 all before the signature).
 *
 * One verdict per block, so a changed byte names its block. Certificates' end of validity is judged at the
 * VU's CurrentDateTime in TREP 01, the time the VU itself gave the download it signed (choice: TREP 01's
 * VuDownloadActivityData.downloadingTime is the previous download in company or calibration mode, Annex IC
 * 129, not this one), so an archived file verifies years later. A CAR naming none of the keys given makes
 * every block `unknown-root`. The TREP byte lies outside every signature (DDP_034 keeps it in front of the
 * signed data), so each block must also read as the TREP it announces, its activities day once: a block that
 * does not, and blocks out of a download's order, are `problems`.
 */
const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
const DAY = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function verifyDddG1(file: Uint8Array, roots: VerificationRoots): FileVerification {
  const { blocks, problem } = scanDddG1(file);
  const problems: string[] = [];
  const verdicts: BlockVerdict[] = [];
  const names = new Map<G1Block, string>(blocks.map((b) => [b, blockName(b)]));

  problems.push(...orderProblems(blocks, names));
  const overview = blocks.find((b) => b.trep === 0x01);
  const timeOf = overview ? currentDateTime(overview) : undefined;
  const at = timeOf ?? 0;
  const atSource = timeOf === undefined ? 'none' : 'TREP 01 CurrentDateTime';

  // DDP_054: the overview carries the certificates; without it nothing can be verified
  let vuKey: RsaPublicKey | undefined;
  let chainVerdict: { status: 'failed' | 'unknown-root'; reason: string } | undefined;
  if (!overview) {
    problems.push('no Overview (TREP 01): the certificates every block is verified with are missing (DDP_054)');
    chainVerdict = { status: 'failed', reason: 'no Overview (TREP 01) in the file: no certificates to verify with' };
  } else if (timeOf === undefined) {
    chainVerdict = { status: 'failed', reason: 'TREP 01 is unreadable: no certificates to verify with' };
  } else {
    const v = splitG1Trep(0x01, overview.data).elements;
    const zero = [v[0]!, v[1]!].find((c) => c.bytes.every((b) => b === 0));
    try {
      // an all-zero certificate is none (anonymised files keep the layout and zero it): nothing can verify
      if (zero) throw new CertificateChainError(zero === v[0] ? 'EQT.CA' : 'EQT', 'structure', `the ${zero.element.name} is ${zero.bytes.length} zero bytes: no certificate`);
      const chain = verifyG1Chain({ eqt: v[1]!.bytes, ca: v[0]!.bytes, eurPublicKeys: roots.europeanPublicKeys, at, eqtTypes: [G1_EQUIPMENT_TYPE.vehicleUnit] });
      vuKey = chain.eqt.publicKey;
    } catch (error) {
      if (!(error instanceof CertificateChainError)) throw error;
      // CSM_019: the CAR names no European key given: nothing is claimed either way
      const unknown = error.role === 'EQT.CA' && error.problem === 'issuer';
      chainVerdict = { status: unknown ? 'unknown-root' : 'failed', reason: `TREP 01 certificates: ${error.message}` };
    }
  }

  const days = new Set<number>();
  for (const block of blocks) {
    const name = names.get(block)!;
    const layout = GEN1_TREPS[block.trep]!;
    try {
      layout.decode(block.data);
    } catch (error) {
      if (!(error instanceof App7G1Error)) throw error;
      // the TREP is not signed: content that is not what it announces is a problem, whatever the signature
      problems.push(`${name}: does not read as ${layout.name} (${layout.requirement}): ${error.message}`);
    }
    if (block.trep === 0x02) {
      const day = activitiesDay(block);
      if (day !== undefined && days.has(day)) problems.push(`${name}: the day ${DAY(day)} comes twice (a session downloads a day once)`);
      if (day !== undefined) days.add(day);
    }
    if (!vuKey) {
      verdicts.push({ block: name, offset: block.offset, ...chainVerdict! });
      continue;
    }
    const { signed, signature } = signedPartG1(block.trep, block.data);
    const ok = verifyDataG1(vuKey, signed, signature);
    verdicts.push(
      ok
        ? { block: name, offset: block.offset, status: 'verified' }
        : { block: name, offset: block.offset, status: 'failed', reason: `the RSA signature (CSM_034) does not verify over ${signedElements(block.trep)} with the VU key of TREP 01` },
    );
  }

  if (problem) {
    problems.push(`unreadable: ${problem}`);
    const end = blocks.length ? blocks[blocks.length - 1]!.offset + 2 + blocks[blocks.length - 1]!.data.length : 0;
    const trep = file[end] === 0x76 && end + 1 < file.length ? file[end + 1]! : undefined;
    const name = trep !== undefined && GEN1_TREPS[trep] ? `TREP ${hex(trep)} (${GEN1_TREPS[trep]!.name})` : `byte ${end}`;
    verdicts.push({ block: name, offset: end, status: 'failed', reason: problem });
  }
  return { at, atSource, verdicts, problems, ok: verificationOk(verdicts, problems) };
}

function blockName(block: G1Block): string {
  const layout = GEN1_TREPS[block.trep]!;
  const day = block.trep === 0x02 ? activitiesDay(block) : undefined;
  return `TREP ${hex(block.trep)} (${layout.name}${day === undefined ? '' : ` ${DAY(day)}`})`;
}

/** The day of a TREP 02 (its first element), or undefined when the block does not read. */
function activitiesDay(block: G1Block): number | undefined {
  try {
    return decodeTrep02(block.data).data.dateOfDayDownloaded;
  } catch (error) {
    if (!(error instanceof App7G1Error)) throw error;
    return undefined;
  }
}

/** TREP 01's CurrentDateTime, read from its element (the block splits, scanDddG1 found its end). */
function currentDateTime(overview: G1Block): number | undefined {
  const element = splitG1Trep(0x01, overview.data).elements[4]!;
  return new DataView(element.bytes.buffer, element.bytes.byteOffset, 4).getUint32(0) * 1000;
}

/** DDP_054: the overview first; the overview, events, speed and technical data once in a session. */
function orderProblems(blocks: readonly G1Block[], names: Map<G1Block, string>): string[] {
  const problems: string[] = [];
  if (blocks.length > 0 && blocks[0]!.trep !== 0x01) problems.push(`block 1 is ${names.get(blocks[0]!)}: a download starts with the Overview, TREP 01 (DDP_054)`);
  for (const trep of [0x01, 0x03, 0x04, 0x05]) {
    const n = blocks.filter((b) => b.trep === trep).length;
    if (n > 1) problems.push(`TREP ${hex(trep)} (${GEN1_TREPS[trep]!.name}) ${n} times: a session downloads it once`);
  }
  return problems;
}

/** What DDP_029..033 say each signature covers. */
function signedElements(trep: number): string {
  return (
    {
      0x01: 'VehicleIdentificationNumber .. VuControlActivityData (DDP_029)',
      0x02: 'TimeReal .. VuSpecificConditionData (DDP_030)',
      0x03: 'VuFaultData .. VuTimeAdjustmentData (DDP_031)',
      0x04: 'VuDetailedSpeedData (DDP_032)',
      0x05: 'VuIdentification .. VuCalibrationData (DDP_033)',
    } as Record<number, string>
  )[trep]!;
}
