import { decodeCertificate, certificateSignedBy, EQUIPMENT_TYPE, TACHOGRAPH_G2_AID_6, type CvCertificate } from './cv-certificate.ts';
import { toHex } from '../bytes.ts';

/**
 * CSM_234, IDE side: verify every certificate of the chain in the data file and its CHA: EQT a signing
 * certificate (VU_Sign 19 or Card_Sign 17/18), EQT.CA an MSCA, EQT.Link the ERCA, each signed by the next
 * and valid at the given time, ending in a trusted European root.
 */
export type ChainRole = 'EQT' | 'EQT.CA' | 'EQT.Link' | 'EUR';
export type ChainProblem = 'structure' | 'cha' | 'issuer' | 'signature' | 'expired' | 'not-yet-valid';

export class CertificateChainError extends Error {
  constructor(
    readonly role: ChainRole,
    readonly problem: ChainProblem,
    message: string,
  ) {
    super(`${role} certificate: ${message}`);
    this.name = 'CertificateChainError';
  }
}

export interface ChainInput {
  /** The signer's certificate (DER). */
  eqt: Uint8Array;
  /** The MSCA certificate that issued it (DER). */
  ca: Uint8Array;
  /** A link certificate, when the MSCA was issued under an older root than the one trusted. */
  link?: Uint8Array;
  /** Trusted European root certificates (DER), CSM_232: "all valid European root certificates". */
  roots: readonly Uint8Array[];
  /** ms: the time validity is judged at. */
  at: number;
  /** Equipment types accepted for EQT; default VU_Sign (19) only. */
  eqtTypes?: readonly number[];
}

export interface VerifiedChain {
  eqt: CvCertificate;
  ca: CvCertificate;
  root: CvCertificate;
}

function decodeAs(role: ChainRole, der: Uint8Array): CvCertificate {
  try {
    return decodeCertificate(der);
  } catch (error) {
    throw new CertificateChainError(role, 'structure', (error as Error).message);
  }
}

function checkCha(role: ChainRole, cert: CvCertificate, types: readonly number[], what: string): void {
  if (cert.applicationId !== toHex(TACHOGRAPH_G2_AID_6)) throw new CertificateChainError(role, 'cha', `CHA application ID ${cert.applicationId} is not the tachograph G2 AID`);
  if (!types.includes(cert.equipmentType)) throw new CertificateChainError(role, 'cha', `CHA equipment type ${cert.equipmentType} does not indicate ${what}`);
}

function checkTime(role: ChainRole, cert: CvCertificate, at: number): void {
  if (at < cert.effectiveDate) throw new CertificateChainError(role, 'not-yet-valid', `valid from ${new Date(cert.effectiveDate).toISOString()}, checked at ${new Date(at).toISOString()}`);
  if (at > cert.expirationDate) throw new CertificateChainError(role, 'expired', `expired at ${new Date(cert.expirationDate).toISOString()}, checked at ${new Date(at).toISOString()}`);
}

function checkIssuedBy(role: ChainRole, cert: CvCertificate, issuer: CvCertificate): void {
  // CSM_138: the CAR names the issuer's CHR
  if (cert.car !== issuer.chr) throw new CertificateChainError(role, 'issuer', `CAR ${cert.car} is not the CHR ${issuer.chr} of its issuer`);
  if (!signedBy(role, cert, issuer)) throw new CertificateChainError(role, 'signature', `signature does not verify with the key of ${issuer.chr}`);
}

/** certificateSignedBy, an issuer key that is no curve point (a damaged file) being the chain's structure problem, not a crash. */
function signedBy(role: ChainRole, cert: CvCertificate, issuer: CvCertificate): boolean {
  try {
    return certificateSignedBy(cert, issuer);
  } catch (error) {
    if (error instanceof TypeError || error instanceof ReferenceError) throw error;
    throw new CertificateChainError(role, 'structure', `the key of ${issuer.chr} cannot verify: ${(error as Error).message}`);
  }
}

export function verifyChain(input: ChainInput): VerifiedChain {
  const eqt = decodeAs('EQT', input.eqt);
  const ca = decodeAs('EQT.CA', input.ca);
  const roots = input.roots.map((r) => decodeAs('EUR', r));
  for (const r of roots) {
    checkCha('EUR', r, [EQUIPMENT_TYPE.erca], 'the ERCA');
    // CSM_139: a root is self-signed
    if (r.car !== r.chr || !signedBy('EUR', r, r)) throw new CertificateChainError('EUR', 'signature', `root ${r.chr} is not validly self-signed`);
  }
  checkCha('EQT', eqt, input.eqtTypes ?? [EQUIPMENT_TYPE.vehicleUnitSign], 'a signing certificate');
  checkCha('EQT.CA', ca, [EQUIPMENT_TYPE.msca], 'an MSCA');
  checkIssuedBy('EQT', eqt, ca);
  checkTime('EQT', eqt, input.at);
  checkTime('EQT.CA', ca, input.at);

  let caIssuer: CvCertificate | undefined = roots.find((r) => r.chr === ca.car);
  if (!caIssuer && input.link) {
    const link = decodeAs('EQT.Link', input.link);
    checkCha('EQT.Link', link, [EQUIPMENT_TYPE.erca], 'the ERCA');
    const oldRoot = roots.find((r) => r.chr === link.car);
    if (!oldRoot) throw new CertificateChainError('EQT.Link', 'issuer', `CAR ${link.car} names no trusted root`);
    checkIssuedBy('EQT.Link', link, oldRoot);
    checkTime('EQT.Link', link, input.at);
    if (link.chr === ca.car) caIssuer = link;
  }
  if (!caIssuer) throw new CertificateChainError('EQT.CA', 'issuer', `CAR ${ca.car} names no trusted root`);
  checkIssuedBy('EQT.CA', ca, caIssuer);
  const root = roots.find((r) => r.chr === caIssuer.chr) ?? caIssuer;
  checkTime('EUR', root, input.at);
  return { eqt, ca, root };
}
