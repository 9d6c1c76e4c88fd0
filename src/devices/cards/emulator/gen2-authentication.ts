import { bytesEqual, concatBytes, fromHex, toHex } from '../../../crypto/bytes.ts';
import { certificateSignedBy, decodeCertificate, EQUIPMENT_TYPE, TACHOGRAPH_G2_AID_6, type CvCertificate } from '../../../crypto/pki/cv-certificate.ts';
import { verifyPlain, type EcKeyPair } from '../../../crypto/pki/ec-keys.ts';
import { encodeTlv, readTlvSequence } from '../../../crypto/pki/tlv.ts';
import { authenticationToken, cipherSuiteOf, compressedPoint, deriveSessionKeys, ecdhSecret, startSession, type SmSession } from '../../../crypto/sm/index.ts';
import { SW, type CommandApdu, type ResponseApdu } from '../../../protocols/apdu/index.ts';
import { OID, SECURITY_INS } from '../../../protocols/apdu/security-commands.ts';

/**
 * The card's side of gen2 mutual authentication (App. 11 part B §10.2-10.4, App. 2 §3.5.10-3.5.12): it checks
 * the VU's certificate chain (PSO: VERIFY CERTIFICATE under the key MSE: SET DST names, CSM_161-167), the VU's
 * signature over its challenge (terminal authentication, CSM_170-174) and proves it holds its Card_MA private
 * key (chip authentication, CSM_175-180), which starts secure messaging. Pure functions over plain data.
 */
export interface Gen2Security {
  /** Certificates verified since the last reset (CHR hex → DER hex): usable as a DST key (Figure 5). */
  verified: Record<string, string>;
  /** CHR (hex) of the key MSE: SET DST selected for the next PSO: VERIFY CERTIFICATE. */
  dst: string | null;
  /** CSM_165: the VU_MA certificate MSE: SET AT selected, and Comp(VU.PKeph) (hex). */
  vuKey: string | null;
  compEph: string | null;
  /** CSM_172: the last challenge only. */
  challenge: string | null;
  /** Terminal authentication done (EXTERNAL AUTHENTICATE verified). */
  vuAuthenticated: boolean;
  /** MSE: SET AT for chip authentication accepted. */
  chipAuthentication: boolean;
  /** Secure messaging (CSM_181-191); null outside a session. */
  session: SmSession | null;
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

export type SecurityResult = { security: Gen2Security; response: ResponseApdu; authenticatedTime?: number };
const reply = (security: Gen2Security, sw: number, data: Uint8Array = new Uint8Array(0)): SecurityResult => ({ security, response: { data, sw } });

export const isSecurityCommand = (c: CommandApdu) => c.ins === SECURITY_INS.MSE || c.ins === SECURITY_INS.GENERAL_AUTHENTICATE || c.ins === SECURITY_INS.EXTERNAL_AUTHENTICATE || (c.ins === SECURITY_INS.PSO && c.p1 === 0x00 && c.p2 === 0xbe);

export function executeSecurityApdu(s: Gen2Security, c: CommandApdu, ctx: SecurityContext): SecurityResult {
  switch (c.ins) {
    case SECURITY_INS.MSE:
      if (c.p1 === 0x81 && c.p2 === 0xb6) return setDst(s, c, ctx);
      if (c.p1 === 0x81 && c.p2 === 0xa4) return setAtVuAuthentication(s, c, ctx);
      if (c.p1 === 0x41 && c.p2 === 0xa4) return setAtChipAuthentication(s, c, ctx);
      return reply(s, SW.INCORRECT_P1_P2);
    case SECURITY_INS.PSO:
      return verifyCertificate(s, c, ctx);
    case SECURITY_INS.EXTERNAL_AUTHENTICATE:
      return externalAuthenticate(s, c, ctx);
    case SECURITY_INS.GENERAL_AUTHENTICATE:
      return generalAuthenticate(s, c, ctx);
    default:
      return reply(s, SW.INS_NOT_SUPPORTED);
  }
}

/** App. 2 §3.5.9 GET CHALLENGE (TCS_91): Le '08'; CSM_172: a new challenge each time, only the last kept. */
export function getChallenge(s: Gen2Security, c: CommandApdu, ctx: Pick<SecurityContext, 'random'>): SecurityResult {
  if (c.p1 !== 0 || c.p2 !== 0) return reply(s, SW.INCORRECT_P1_P2);
  if (c.le !== 8) return reply(s, SW.WRONG_LENGTH);
  const challenge = ctx.random(8);
  return reply({ ...s, challenge: toHex(challenge) }, SW.OK, challenge);
}

function tlvs(data: Uint8Array): Map<number, Uint8Array> | null {
  try {
    return new Map(readTlvSequence(data).map((t) => [t.tag, t.value]));
  } catch {
    return null;
  }
}

/** The keys the card may verify with: its roots, and what it verified since the last reset (Figure 5). */
function knownKey(s: Gen2Security, ctx: SecurityContext, chr: string): CvCertificate | null {
  for (const root of ctx.keys.roots) {
    const r = decodeCertificate(fromHex(root));
    if (r.chr === chr) return r;
  }
  const der = s.verified[chr];
  return der ? decodeCertificate(fromHex(der)) : null;
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

/**
 * MSE: SET AT for VU authentication (CSM_163-165, TCS_114): '80' ecdsa-with-SHA256, '83' the CHR of a VU_MA
 * certificate verified since the reset, '91' Comp(VU.PKeph). Unknown key: '6A88'. A new authentication ends
 * the session and what an earlier one established (CSM_193).
 */
function setAtVuAuthentication(s: Gen2Security, c: CommandApdu, ctx: SecurityContext): SecurityResult {
  const t = tlvs(c.data);
  const mech = t?.get(0x80);
  const chr = t?.get(0x83);
  const comp = t?.get(0x91);
  const reset: Gen2Security = { ...s, session: null, vuAuthenticated: false, chipAuthentication: false, vuKey: null, compEph: null };
  if (!mech || !chr || !comp || !bytesEqual(mech, OID.ecdsaWithSha256)) return reply(reset, SW.WRONG_DATA);
  const der = s.verified[toHex(chr)];
  const vu = der ? decodeCertificate(fromHex(der)) : null;
  if (!vu || vu.equipmentType !== EQUIPMENT_TYPE.vehicleUnit || vu.expirationDate < ctx.authenticatedTime) return reply(reset, SW.REFERENCED_DATA_NOT_FOUND);
  return reply({ ...reset, vuKey: vu.der, compEph: toHex(comp) }, SW.OK);
}

/**
 * EXTERNAL AUTHENTICATE (App. 2 §3.5.11 TCS_97, CSM_170-174): the VU's ECDSA signature over Card.CHR ‖ rcard ‖
 * Comp(VU.PKeph). A wrong signature is '6300'; the challenge answers once, right or wrong. A workshop card
 * without its PIN verified: '6982' (TCS_26: PWD).
 */
function externalAuthenticate(s: Gen2Security, c: CommandApdu, ctx: SecurityContext): SecurityResult {
  if (ctx.pinRequired && !ctx.pinVerified) return reply(s, SW.SECURITY_STATUS_NOT_SATISFIED);
  if (!s.vuKey || !s.challenge || !s.compEph) return reply(s, 0x6985);
  const vu = decodeCertificate(fromHex(s.vuKey));
  const token = concatBytes(fromHex(ctx.keys.chr), fromHex(s.challenge), fromHex(s.compEph));
  const ok = !ctx.refuseVu && verifyPlain(vu.curve, fromHex(vu.publicPoint), token, c.data);
  return ok ? reply({ ...s, challenge: null, vuAuthenticated: true }, SW.OK) : reply({ ...s, challenge: null, vuAuthenticated: false }, 0x6300);
}

/** MSE: SET AT for chip authentication (CSM_175, CSM_176 step 1): after terminal authentication, the mechanism of the Card_MA key's size. */
function setAtChipAuthentication(s: Gen2Security, c: CommandApdu, ctx: SecurityContext): SecurityResult {
  if (!s.vuAuthenticated) return reply(s, 0x6985);
  const mech = tlvs(c.data)?.get(0x80);
  // CSM_50: a 256-bit Card_MA key goes with AES-128 (the test PKI's curves are 256-bit)
  if (!mech || !bytesEqual(mech, OID.caEcdhAes128Cmac) || cipherSuiteOf(ctx.keys.key.curve).keyBits !== 128) return reply(s, SW.WRONG_DATA);
  return reply({ ...s, chipAuthentication: true }, SW.OK);
}

/**
 * GENERAL AUTHENTICATE (App. 2 §3.5.12 TCS_101, CSM_176 steps 3-6): '7C' { '80' VU.PKeph } → '7C' { '81' NPICC,
 * '82' TPICC }. CSM_177: the point must be the one MSE: SET AT announced. The session keys are agreed and secure
 * messaging starts with SSC 0 (CSM_185).
 */
function generalAuthenticate(s: Gen2Security, c: CommandApdu, ctx: SecurityContext): SecurityResult {
  if (c.p1 !== 0 || c.p2 !== 0) return reply(s, SW.INCORRECT_P1_P2);
  if (!s.chipAuthentication || !s.compEph) return reply(s, 0x6985);
  const inner = tlvs(c.data)?.get(0x7c);
  const point = inner ? tlvs(inner)?.get(0x80) : undefined;
  if (!point) return reply(s, SW.WRONG_DATA);
  let secret: Uint8Array;
  try {
    if (toHex(compressedPoint(point)) !== s.compEph) return reply(s, SW.WRONG_DATA);
    secret = ecdhSecret(ctx.keys.key, point);
  } catch {
    return reply(s, SW.WRONG_DATA);
  }
  const nonce = ctx.random(8);
  const keys = deriveSessionKeys(secret, nonce, cipherSuiteOf(ctx.keys.key.curve).keyBits);
  const token = authenticationToken(keys.kMac, point);
  const data = encodeTlv(0x7c, concatBytes(encodeTlv(0x81, nonce), encodeTlv(0x82, token)));
  return reply({ ...s, compEph: null, chipAuthentication: false, session: startSession(keys) }, SW.OK, data);
}
