import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { certificateSignedBy, decodeCertificate, EQUIPMENT_TYPE, TACHOGRAPH_G2_AID_6, type CvCertificate } from '../../../crypto/pki/cv-certificate.ts';
import type { EcKeyPair } from '../../../crypto/pki/ec-keys.ts';
import { encodeTlv } from '../../../crypto/pki/tlv.ts';
import { SW, type CommandApdu } from '../../../protocols/apdu/index.ts';
import { SECURITY_INS } from '../../../protocols/apdu/security-commands.ts';
import * as section10 from '../../section10-responder.ts';
import { reply, tlvs, type AuthenticationSteps } from '../../section10-responder.ts';

/**
 * The card's side of gen2 mutual authentication (App. 11 part B §10.2-10.4, App. 2 §3.5.10-3.5.12): it checks
 * the VU's certificate chain (PSO: VERIFY CERTIFICATE under the key MSE: SET DST names, CSM_161-167), the VU's
 * signature over its challenge (terminal authentication, CSM_170-174) and proves it holds its Card_MA private
 * key (chip authentication, CSM_175-180), which starts secure messaging. Pure functions over plain data.
 */
export interface Gen2Security extends AuthenticationSteps {
  /** Certificates verified since the last reset (CHR hex → DER hex): usable as a DST key (Figure 5). */
  verified: Record<string, string>;
  /** CHR (hex) of the key MSE: SET DST selected for the next PSO: VERIFY CERTIFICATE. */
  dst: string | null;
}

export interface CardKeys {
  /** Card_MA key pair and the CHR of its certificate (CSM_170: what the VU signs with the challenge). */
  key: EcKeyPair;
  chr: string;
  /** The European root certificates the card trusts (DER hex): its own PKI's. */
  roots: string[];
}

export interface SecurityContext {
  keys: CardKeys;
  /** CSM_167: the card judges certificate validity by its currentAuthenticatedTime (ms). */
  authenticatedTime: number;
  random: (n: number) => Uint8Array;
  /** App. 2 TCS_26 (the command access table): EXTERNAL AUTHENTICATE on a workshop card needs the PIN verified (PWD). */
  pinRequired: boolean;
  pinVerified: boolean;
  /** The `failAuthentication` option: the card refuses every VU's signature ('6300'). */
  refuseVu: boolean;
}

export function createGen2Security(): Gen2Security {
  return { verified: {}, dst: null, vuKey: null, compEph: null, challenge: null, vuAuthenticated: false, chipAuthentication: false, session: null };
}

export type SecurityResult = section10.StepResult<Gen2Security> & { authenticatedTime?: number };

export const isSecurityCommand = (c: CommandApdu) => c.ins === SECURITY_INS.MSE || c.ins === SECURITY_INS.GENERAL_AUTHENTICATE || c.ins === SECURITY_INS.EXTERNAL_AUTHENTICATE || (c.ins === SECURITY_INS.PSO && c.p1 === 0x00 && c.p2 === 0xbe);

export function executeSecurityApdu(s: Gen2Security, c: CommandApdu, ctx: SecurityContext): SecurityResult {
  switch (c.ins) {
    case SECURITY_INS.MSE:
      if (c.p1 === 0x81 && c.p2 === 0xb6) return setDst(s, c, ctx);
      // CSM_165: the VU_MA certificate must be one verified since the reset, valid on the card's time
      if (c.p1 === 0x81 && c.p2 === 0xa4) return section10.setAtVuAuthentication(s, c, (chr) => vuCertificate(s, ctx, chr));
      if (c.p1 === 0x41 && c.p2 === 0xa4) return section10.setAtChipAuthentication(s, c, ctx.keys.key);
      return reply(s, SW.INCORRECT_P1_P2);
    case SECURITY_INS.PSO:
      return verifyCertificate(s, c, ctx);
    case SECURITY_INS.EXTERNAL_AUTHENTICATE:
      // App. 2 TCS_26: a workshop card without its PIN verified is '6982' (PWD)
      if (ctx.pinRequired && !ctx.pinVerified) return reply(s, SW.SECURITY_STATUS_NOT_SATISFIED);
      return section10.externalAuthenticate(s, c, ctx.keys.chr, ctx.refuseVu);
    case SECURITY_INS.GENERAL_AUTHENTICATE:
      return section10.generalAuthenticate(s, c, ctx.keys.key, ctx.random);
    default:
      return reply(s, SW.INS_NOT_SUPPORTED);
  }
}

/** App. 2 §3.5.9 GET CHALLENGE (TCS_91). */
export function getChallenge(s: Gen2Security, c: CommandApdu, ctx: Pick<SecurityContext, 'random'>): SecurityResult {
  return section10.getChallenge(s, c, ctx.random);
}

/** The keys the card may verify with: its roots, and what it verified since the last reset (Figure 5). */
function knownKey(s: Gen2Security, ctx: SecurityContext, chr: string): CvCertificate | null {
  return section10.knownKey(ctx.keys.roots, s.verified, chr);
}

/** A VU_MA certificate verified since the reset and not expired before the card's currentAuthenticatedTime. */
function vuCertificate(s: Gen2Security, ctx: SecurityContext, chr: string): CvCertificate | null {
  const der = s.verified[chr];
  const vu = der ? decodeCertificate(fromHex(der)) : null;
  return vu && vu.equipmentType === EQUIPMENT_TYPE.vehicleUnit && vu.expirationDate >= ctx.authenticatedTime ? vu : null;
}

/** MSE: SET DST (App. 2 TCS_114): '83' the CAR of the certificate to verify next; a key the card does not hold is '6A88'. */
function setDst(s: Gen2Security, c: CommandApdu, ctx: SecurityContext): SecurityResult {
  const car = tlvs(c.data)?.get(0x83);
  if (!car || car.length !== 8) return reply(s, SW.WRONG_DATA);
  const key = knownKey(s, ctx, toHex(car));
  if (!key) return reply({ ...s, dst: null }, SW.REFERENCED_DATA_NOT_FOUND);
  // TCS_114: a key that expired before the card's currentAuthenticatedTime is '6A88'
  if (key.expirationDate < ctx.authenticatedTime) return reply({ ...s, dst: null }, SW.REFERENCED_DATA_NOT_FOUND);
  return reply({ ...s, dst: toHex(car) }, SW.OK);
}

/** TCS_29: '6688' wrong certificate (during certificate verification). */
const WRONG_CERTIFICATE = 0x6688;

/**
 * PSO: VERIFY CERTIFICATE (App. 2 §3.5.7, CSM_161-167): the body and signature of an MSCA or VU_MA certificate,
 * issued by the DST key, the tachograph AID in its CHA, not expired before the card's currentAuthenticatedTime
 * (CSM_166). CSM_167: a verified MSCA or VU certificate later than the card's time moves that time forward.
 * No DST key set: '6985' (conditions of use).
 */
function verifyCertificate(s: Gen2Security, c: CommandApdu, ctx: SecurityContext): SecurityResult {
  if (c.p1 !== 0x00 || c.p2 !== 0xbe) return reply(s, SW.INCORRECT_P1_P2);
  if (!s.dst) return reply(s, 0x6985);
  const issuer = knownKey(s, ctx, s.dst)!;
  let cert: CvCertificate;
  try {
    cert = decodeCertificate(encodeTlv(0x7f21, c.data));
  } catch {
    return reply({ ...s, dst: null }, SW.WRONG_DATA);
  }
  const chaOk = cert.applicationId === toHex(TACHOGRAPH_G2_AID_6) && (cert.equipmentType === EQUIPMENT_TYPE.msca || cert.equipmentType === EQUIPMENT_TYPE.vehicleUnit);
  if (cert.car !== issuer.chr || !chaOk || cert.expirationDate < ctx.authenticatedTime || !certificateSignedBy(cert, issuer)) return reply({ ...s, dst: null }, WRONG_CERTIFICATE);
  const authenticatedTime = Math.max(ctx.authenticatedTime, cert.effectiveDate);
  return { ...reply({ ...s, verified: { ...s.verified, [cert.chr]: cert.der }, dst: null }, SW.OK), authenticatedTime };
}
