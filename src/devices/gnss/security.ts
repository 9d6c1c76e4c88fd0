import { fromHex, toHex } from '../../crypto/bytes.ts';
import { decodeCertificate, EQUIPMENT_TYPE, TACHOGRAPH_G2_AID_6, certificateSignedBy, type CvCertificate } from '../../crypto/pki/cv-certificate.ts';
import type { EcKeyPair } from '../../crypto/pki/ec-keys.ts';
import { encodeTlv } from '../../crypto/pki/tlv.ts';
import { SW, type CommandApdu } from '../../protocols/apdu/index.ts';
import { SECURITY_INS } from '../../protocols/apdu/security-commands.ts';
import * as section10 from '../section10-responder.ts';
import { reply, tlvs, type AuthenticationSteps } from '../section10-responder.ts';

/**
 * The EGF's side of App. 11 §11 as the card's side of §10 (CSM_198): VU chain verification at coupling
 * (CSM_208..210), setting the stored VU_MA key (CSM_211), VU Authentication (§10.3), Chip Authentication and
 * session keys (§10.4). Pure functions over plain data; the EGF's private key and certificates are static.
 */
export interface EgfSecurity extends AuthenticationSteps {
  /** CSM_210: the VU_MA certificate stored at coupling (DER hex); null when not coupled. */
  coupledVu: string | null;
  /** Certificates verified in this session (CHR hex → DER hex), usable as a DST key. Choice: not kept. */
  verified: Record<string, string>;
  /** CHR (hex) of the key MSE: SET DST selected for the next PSO: VERIFY CERTIFICATE. */
  dst: string | null;
}

export interface EgfKeys {
  /** EGF_MA key pair (CSM_93). */
  key: EcKeyPair;
  /** EGF_MA certificate, decoded: its CHR goes into the VU's signature (CSM_170). */
  certificate: CvCertificate;
  /** European roots the EGF trusts for a VU chain (DER hex). */
  roots: string[];
}

export interface SecurityContext {
  keys: EgfKeys | null;
  /** CSM_209: the EGF judges certificate validity by GNSS time. */
  gnssTime: number;
  random: (n: number) => Uint8Array;
}

export function createSecurity(coupledVu: string | null = null): EgfSecurity {
  return { coupledVu, verified: {}, dst: null, vuKey: null, compEph: null, challenge: null, vuAuthenticated: false, chipAuthentication: false, session: null };
}

export const isSecurityCommand = (c: CommandApdu) => (Object.values(SECURITY_INS) as number[]).includes(c.ins);

type Result = section10.StepResult<EgfSecurity>;

export function executeSecurityApdu(s: EgfSecurity, c: CommandApdu, ctx: SecurityContext): Result {
  if (!ctx.keys) return reply(s, SW.SECURITY_STATUS_NOT_SATISFIED); // an EGF without its EGF_MA credential cannot authenticate
  switch (c.ins) {
    case SECURITY_INS.MSE:
      if (c.p1 === 0x81 && c.p2 === 0xb6) return setDst(s, c, ctx);
      if (c.p1 === 0x81 && c.p2 === 0xa4) return section10.setAtVuAuthentication(s, c, (chr) => coupledVuCertificate(s, ctx, chr));
      if (c.p1 === 0x41 && c.p2 === 0xa4) return section10.setAtChipAuthentication(s, c, ctx.keys.key);
      return reply(s, SW.INCORRECT_P1_P2);
    case SECURITY_INS.PSO:
      return c.p1 === 0x00 && c.p2 === 0xbe ? verifyCertificate(s, c, ctx) : reply(s, SW.INCORRECT_P1_P2);
    case SECURITY_INS.GET_CHALLENGE:
      return section10.getChallenge(s, c, ctx.random);
    case SECURITY_INS.EXTERNAL_AUTHENTICATE:
      return section10.externalAuthenticate(s, c, ctx.keys.certificate.chr);
    case SECURITY_INS.GENERAL_AUTHENTICATE:
      return section10.generalAuthenticate(s, c, ctx.keys.key, ctx.random);
    default:
      return reply(s, SW.INS_NOT_SUPPORTED);
  }
}

/** The keys the EGF may verify with: its roots, and what it verified in this session (Figure 5). */
function knownKey(s: EgfSecurity, ctx: SecurityContext, chr: string): CvCertificate | null {
  return section10.knownKey(ctx.keys!.roots, s.verified, chr);
}

/**
 * CSM_205, CSM_211: in normal operation VU Authentication accepts only the VU_MA certificate stored at
 * coupling, while valid at GNSS time (CSM_166, CSM_209).
 */
function coupledVuCertificate(s: EgfSecurity, ctx: SecurityContext, chr: string): CvCertificate | null {
  if (!s.coupledVu) return null;
  const vu = decodeCertificate(fromHex(s.coupledVu));
  return vu.chr === chr && ctx.gnssTime >= vu.effectiveDate && ctx.gnssTime <= vu.expirationDate ? vu : null;
}

/** MSE: SET DST, '83' = the CAR of the certificate to verify next. Unknown key: '6A88'. */
function setDst(s: EgfSecurity, c: CommandApdu, ctx: SecurityContext): Result {
  const car = tlvs(c.data)?.get(0x83);
  if (!car || car.length !== 8) return reply(s, SW.WRONG_DATA);
  if (!knownKey(s, ctx, toHex(car))) return reply({ ...s, dst: null }, SW.REFERENCED_DATA_NOT_FOUND);
  return reply({ ...s, dst: toHex(car) }, SW.OK);
}

/**
 * PSO: VERIFY CERTIFICATE, data = certificate body '7F4E' ‖ signature '5F37' (CSM_208 with Figure 5, CSM_161
 * CHA checks: an MSCA, then a VU certificate for mutual authentication; CSM_166 and CSM_209 validity at GNSS
 * time). Choice: every refusal of the certificate itself is '6A80'; no DST key set is '6985'.
 */
function verifyCertificate(s: EgfSecurity, c: CommandApdu, ctx: SecurityContext): Result {
  if (!s.dst) return reply(s, 0x6985);
  const issuer = knownKey(s, ctx, s.dst)!;
  let cert: CvCertificate;
  try {
    cert = decodeCertificate(encodeTlv(0x7f21, c.data));
  } catch {
    return reply(s, SW.WRONG_DATA);
  }
  const chaOk = cert.applicationId === toHex(TACHOGRAPH_G2_AID_6) && (cert.equipmentType === EQUIPMENT_TYPE.msca || cert.equipmentType === EQUIPMENT_TYPE.vehicleUnit || (cert.equipmentType === EQUIPMENT_TYPE.erca && issuer.equipmentType === EQUIPMENT_TYPE.erca));
  const timeOk = ctx.gnssTime >= cert.effectiveDate && ctx.gnssTime <= cert.expirationDate;
  if (cert.car !== issuer.chr || !chaOk || !timeOk || !certificateSignedBy(cert, issuer)) return reply({ ...s, dst: null }, SW.WRONG_DATA);
  const verified = { ...s.verified, [cert.chr]: cert.der };
  // CSM_210, CSM_204: a verified VU_MA certificate replaces the one stored: the EGF is (re-)coupled.
  if (cert.equipmentType === EQUIPMENT_TYPE.vehicleUnit) return reply({ ...s, verified, dst: null, coupledVu: cert.der }, SW.OK);
  return reply({ ...s, verified, dst: null }, SW.OK);
}
