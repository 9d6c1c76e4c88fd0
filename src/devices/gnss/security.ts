import { bytesEqual, concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import { decodeCertificate, EQUIPMENT_TYPE, TACHOGRAPH_G2_AID_6, certificateSignedBy, type CvCertificate } from '../../crypto/pki/cv-certificate.ts';
import { verifyPlain, type EcKeyPair } from '../../crypto/pki/ec-keys.ts';
import { encodeTlv, readTlvSequence } from '../../crypto/pki/tlv.ts';
import { authenticationToken, cipherSuiteOf, compressedPoint, deriveSessionKeys, ecdhSecret, startSession, type SmSession } from '../../crypto/sm/index.ts';
import { SW, type CommandApdu, type ResponseApdu } from '../../protocols/apdu/index.ts';
import { OID, SECURITY_INS } from '../../protocols/apdu/security-commands.ts';

/**
 * The EGF's side of App. 11 §11 as the card's side of §10 (CSM_198): VU chain verification at coupling
 * (CSM_208..210), setting the stored VU_MA key (CSM_211), VU Authentication (§10.3), Chip Authentication and
 * session keys (§10.4). Pure functions over plain data; the EGF's private key and certificates are static.
 */
export interface EgfSecurity {
  /** CSM_210: the VU_MA certificate stored at coupling (DER hex); null when not coupled. */
  coupledVu: string | null;
  /** Certificates verified in this session (CHR hex → DER hex), usable as a DST key. Choice: not kept. */
  verified: Record<string, string>;
  /** CHR (hex) of the key MSE: SET DST selected for the next PSO: VERIFY CERTIFICATE. */
  dst: string | null;
  /** CSM_165: VU.PK set for VU Authentication, and Comp(VU.PKeph) (hex). */
  vuKey: string | null;
  compEph: string | null;
  /** CSM_172: the last challenge only. */
  challenge: string | null;
  vuAuthenticated: boolean;
  chipAuthentication: boolean;
  /** Secure messaging (CSM_214); null outside a session. */
  session: SmSession | null;
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

type Result = { security: EgfSecurity; response: ResponseApdu };
const reply = (security: EgfSecurity, sw: number, data: Uint8Array = new Uint8Array(0)): Result => ({ security, response: { data, sw } });

export function executeSecurityApdu(s: EgfSecurity, c: CommandApdu, ctx: SecurityContext): Result {
  if (!ctx.keys) return reply(s, SW.SECURITY_STATUS_NOT_SATISFIED); // an EGF without its EGF_MA credential cannot authenticate
  switch (c.ins) {
    case SECURITY_INS.MSE:
      if (c.p1 === 0x81 && c.p2 === 0xb6) return setDst(s, c, ctx);
      if (c.p1 === 0x81 && c.p2 === 0xa4) return setAtVuAuthentication(s, c, ctx);
      if (c.p1 === 0x41 && c.p2 === 0xa4) return setAtChipAuthentication(s, c);
      return reply(s, SW.INCORRECT_P1_P2);
    case SECURITY_INS.PSO:
      return c.p1 === 0x00 && c.p2 === 0xbe ? verifyCertificate(s, c, ctx) : reply(s, SW.INCORRECT_P1_P2);
    case SECURITY_INS.GET_CHALLENGE: {
      if (c.le !== 8) return reply(s, SW.WRONG_LENGTH);
      // CSM_172: a new 8-byte challenge each time, only the last one kept.
      const challenge = ctx.random(8);
      return reply({ ...s, challenge: toHex(challenge) }, SW.OK, challenge);
    }
    case SECURITY_INS.EXTERNAL_AUTHENTICATE:
      return externalAuthenticate(s, c, ctx);
    case SECURITY_INS.GENERAL_AUTHENTICATE:
      return generalAuthenticate(s, c, ctx);
    default:
      return reply(s, SW.INS_NOT_SUPPORTED);
  }
}

function tlvs(data: Uint8Array): Map<number, Uint8Array> | null {
  try {
    return new Map(readTlvSequence(data).map((t) => [t.tag, t.value]));
  } catch {
    return null;
  }
}

/** The keys the EGF may verify with: its roots, and what it verified in this session (Figure 5). */
function knownKey(s: EgfSecurity, ctx: SecurityContext, chr: string): CvCertificate | null {
  for (const root of ctx.keys!.roots) {
    const r = decodeCertificate(fromHex(root));
    if (r.chr === chr) return r;
  }
  const der = s.verified[chr];
  return der ? decodeCertificate(fromHex(der)) : null;
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

/**
 * MSE: SET AT for VU Authentication (CSM_163..165, CSM_211): '80' the ECDSA mechanism, '83' the CHR of the
 * VU_MA certificate, '91' Comp(VU.PKeph). In normal operation only the certificate stored at coupling is
 * accepted (CSM_205), if still valid at GNSS time (CSM_166, CSM_209); anything else is '6A88'.
 */
function setAtVuAuthentication(s: EgfSecurity, c: CommandApdu, ctx: SecurityContext): Result {
  const t = tlvs(c.data);
  const mech = t?.get(0x80);
  const chr = t?.get(0x83);
  const comp = t?.get(0x91);
  // A new VU Authentication starts: CSM_193 ends any session, and an earlier authentication no longer counts.
  const reset: EgfSecurity = { ...s, session: null, vuAuthenticated: false, chipAuthentication: false, challenge: null };
  if (!mech || !chr || !comp) return reply(reset, SW.WRONG_DATA);
  if (!bytesEqual(mech, OID.ecdsaWithSha256)) return reply(reset, SW.WRONG_DATA);
  if (!s.coupledVu) return reply(reset, SW.REFERENCED_DATA_NOT_FOUND);
  const vu = decodeCertificate(fromHex(s.coupledVu));
  if (vu.chr !== toHex(chr) || ctx.gnssTime < vu.effectiveDate || ctx.gnssTime > vu.expirationDate) return reply(reset, SW.REFERENCED_DATA_NOT_FOUND);
  return reply({ ...reset, vuKey: vu.der, compEph: toHex(comp) }, SW.OK);
}

/** CSM_174: verify the VU's ECDSA signature over EGF.CHR ‖ r ‖ Comp(VU.PKeph). A wrong one is '6300'. */
function externalAuthenticate(s: EgfSecurity, c: CommandApdu, ctx: SecurityContext): Result {
  if (!s.vuKey || !s.challenge || !s.compEph) return reply(s, 0x6985);
  const vu = decodeCertificate(fromHex(s.vuKey));
  const token = concatBytes(fromHex(ctx.keys!.certificate.chr), fromHex(s.challenge), fromHex(s.compEph));
  const ok = verifyPlain(vu.curve, fromHex(vu.publicPoint), token, c.data);
  // The challenge answers once, right or wrong.
  return ok ? reply({ ...s, challenge: null, vuAuthenticated: true }, SW.OK) : reply({ ...s, challenge: null, vuAuthenticated: false }, 0x6300);
}

/** MSE: SET AT for Chip Authentication (CSM_176 step 1): the mechanism must match the EGF_MA key size. */
function setAtChipAuthentication(s: EgfSecurity, c: CommandApdu): Result {
  const mech = tlvs(c.data)?.get(0x80);
  if (!s.vuAuthenticated) return reply(s, 0x6985);
  if (!mech || !bytesEqual(mech, OID.caEcdhAes128Cmac)) return reply(s, SW.WRONG_DATA);
  return reply({ ...s, chipAuthentication: true }, SW.OK);
}

/**
 * GENERAL AUTHENTICATE (CSM_176 steps 3-6): '7C' { '80' VU.PKeph } → '7C' { '81' NPICC, '82' TPICC }. The
 * session keys are agreed and secure messaging starts with SSC 0 (CSM_185); Comp(VU.PKeph) is reset (CSM_165).
 */
function generalAuthenticate(s: EgfSecurity, c: CommandApdu, ctx: SecurityContext): Result {
  if (!s.chipAuthentication || !s.compEph) return reply(s, 0x6985);
  const inner = tlvs(c.data)?.get(0x7c);
  const point = inner ? tlvs(inner)?.get(0x80) : undefined;
  if (!point) return reply(s, SW.WRONG_DATA);
  let eph: Uint8Array;
  try {
    // CSM_177: Comp(VU.PKeph) from the point must be the one announced with MSE: SET AT.
    if (toHex(compressedPoint(point)) !== s.compEph) return reply(s, SW.WRONG_DATA);
    eph = ecdhSecret(ctx.keys!.key, point);
  } catch {
    return reply(s, SW.WRONG_DATA);
  }
  const nonce = ctx.random(8);
  const keys = deriveSessionKeys(eph, nonce, cipherSuiteOf(ctx.keys!.key.curve).keyBits);
  const token = authenticationToken(keys.kMac, point);
  const data = encodeTlv(0x7c, concatBytes(encodeTlv(0x81, nonce), encodeTlv(0x82, token)));
  return reply({ ...s, compEph: null, chipAuthentication: false, session: startSession(keys) }, SW.OK, data);
}
