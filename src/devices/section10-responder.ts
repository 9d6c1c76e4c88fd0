import { bytesEqual, concatBytes, fromHex, toHex } from '../crypto/bytes.ts';
import { decodeCertificate, type CvCertificate } from '../crypto/pki/cv-certificate.ts';
import { verifyPlain, type EcKeyPair } from '../crypto/pki/ec-keys.ts';
import { encodeTlv, readTlvSequence } from '../crypto/pki/tlv.ts';
import { authenticationToken, cipherSuiteOf, compressedPoint, deriveSessionKeys, ecdhSecret, startSession, type SmSession } from '../crypto/sm/index.ts';
import { SW, type CommandApdu, type ResponseApdu } from '../protocols/apdu/index.ts';
import { OID } from '../protocols/apdu/security-commands.ts';

/**
 * The steps of App. 11 part B §10 that every responder takes the same way: a gen2 tachograph card to its VU
 * (§10.2-10.4) and an external GNSS facility to its VU (§11, which CSM_198 makes §10 again). What differs, the
 * responder keeps: which keys it trusts for a chain and when a certificate counts as valid (a card by its
 * currentAuthenticatedTime, CSM_167; an EGF by GNSS time and the VU it is coupled to, CSM_209-211), and the
 * status words it gives a refused certificate. Pure functions over plain data.
 */

/** What terminal and chip authentication keep between commands (CSM_165, CSM_172, CSM_176). */
export interface AuthenticationSteps {
  /** The VU_MA certificate MSE: SET AT selected for VU authentication (DER hex), and Comp(VU.PKeph) (hex). */
  vuKey: string | null;
  compEph: string | null;
  /** CSM_172: the last challenge only. */
  challenge: string | null;
  /** Terminal authentication done (EXTERNAL AUTHENTICATE verified). */
  vuAuthenticated: boolean;
  /** MSE: SET AT for chip authentication accepted. */
  chipAuthentication: boolean;
  /** Secure messaging (CSM_181-191, CSM_214); null outside a session. */
  session: SmSession | null;
}

export type StepResult<S> = { security: S; response: ResponseApdu };
export const reply = <S>(security: S, sw: number, data: Uint8Array = new Uint8Array(0)): StepResult<S> => ({ security, response: { data, sw } });

/** The data objects of a command's data field by tag; null when it is not a TLV sequence. */
export function tlvs(data: Uint8Array): Map<number, Uint8Array> | null {
  try {
    return new Map(readTlvSequence(data).map((t) => [t.tag, t.value]));
  } catch {
    return null;
  }
}

/** The keys a responder may verify with (Figure 5): its European roots, and what it verified since (CHR hex → DER hex). */
export function knownKey(roots: readonly string[], verified: Record<string, string>, chr: string): CvCertificate | null {
  for (const root of roots) {
    const r = decodeCertificate(fromHex(root));
    if (r.chr === chr) return r;
  }
  const der = verified[chr];
  return der ? decodeCertificate(fromHex(der)) : null;
}

/** GET CHALLENGE (App. 2 TCS_91): Le '08'; CSM_172: a new challenge each time, only the last kept. */
export function getChallenge<S extends AuthenticationSteps>(s: S, c: CommandApdu, random: (n: number) => Uint8Array): StepResult<S> {
  if (c.p1 !== 0 || c.p2 !== 0) return reply(s, SW.INCORRECT_P1_P2);
  if (c.le !== 8) return reply(s, SW.WRONG_LENGTH);
  const challenge = random(8);
  return reply({ ...s, challenge: toHex(challenge) }, SW.OK, challenge);
}

/**
 * MSE: SET AT for VU authentication (CSM_163-165): '80' ecdsa-with-SHA256, '83' the CHR of the VU_MA
 * certificate, '91' Comp(VU.PKeph). `vuCertificate` is the responder's rule for which certificate that CHR may
 * name (a card: one verified since the reset; an EGF: the one it is coupled to, CSM_205) and whether it is
 * valid now; none is '6A88'. A new authentication ends the session and what an earlier one established
 * (CSM_193), the challenge included.
 */
export function setAtVuAuthentication<S extends AuthenticationSteps>(s: S, c: CommandApdu, vuCertificate: (chr: string) => CvCertificate | null): StepResult<S> {
  const t = tlvs(c.data);
  const mech = t?.get(0x80);
  const chr = t?.get(0x83);
  const comp = t?.get(0x91);
  const reset: S = { ...s, session: null, vuAuthenticated: false, chipAuthentication: false, vuKey: null, compEph: null, challenge: null };
  if (!mech || !chr || !comp || !bytesEqual(mech, OID.ecdsaWithSha256)) return reply(reset, SW.WRONG_DATA);
  const vu = vuCertificate(toHex(chr));
  if (!vu) return reply(reset, SW.REFERENCED_DATA_NOT_FOUND);
  return reply({ ...reset, vuKey: vu.der, compEph: toHex(comp) }, SW.OK);
}

/**
 * EXTERNAL AUTHENTICATE (App. 2 TCS_97, CSM_170-174): the VU's ECDSA signature over the responder's CHR ‖ its
 * challenge ‖ Comp(VU.PKeph). A wrong signature is '6300' (`refuse`: the responder refuses whatever it is);
 * the challenge answers once, right or wrong.
 */
export function externalAuthenticate<S extends AuthenticationSteps>(s: S, c: CommandApdu, ownChr: string, refuse = false): StepResult<S> {
  if (!s.vuKey || !s.challenge || !s.compEph) return reply(s, 0x6985);
  const vu = decodeCertificate(fromHex(s.vuKey));
  const token = concatBytes(fromHex(ownChr), fromHex(s.challenge), fromHex(s.compEph));
  const ok = !refuse && verifyPlain(vu.curve, fromHex(vu.publicPoint), token, c.data);
  return ok ? reply({ ...s, challenge: null, vuAuthenticated: true }, SW.OK) : reply({ ...s, challenge: null, vuAuthenticated: false }, 0x6300);
}

/** MSE: SET AT for chip authentication (CSM_175, CSM_176 step 1): after terminal authentication, the mechanism of the key's size (CSM_50: 256-bit, AES-128). */
export function setAtChipAuthentication<S extends AuthenticationSteps>(s: S, c: CommandApdu, key: EcKeyPair): StepResult<S> {
  if (!s.vuAuthenticated) return reply(s, 0x6985);
  const mech = tlvs(c.data)?.get(0x80);
  if (!mech || !bytesEqual(mech, OID.caEcdhAes128Cmac) || cipherSuiteOf(key.curve).keyBits !== 128) return reply(s, SW.WRONG_DATA);
  return reply({ ...s, chipAuthentication: true }, SW.OK);
}

/**
 * GENERAL AUTHENTICATE (App. 2 TCS_101, CSM_176 steps 3-6): '7C' { '80' VU.PKeph } → '7C' { '81' NPICC,
 * '82' TPICC }. CSM_177: the point must be the one MSE: SET AT announced. The session keys are agreed and
 * secure messaging starts with SSC 0 (CSM_185); Comp(VU.PKeph) is reset (CSM_165).
 */
export function generalAuthenticate<S extends AuthenticationSteps>(s: S, c: CommandApdu, key: EcKeyPair, random: (n: number) => Uint8Array): StepResult<S> {
  if (c.p1 !== 0 || c.p2 !== 0) return reply(s, SW.INCORRECT_P1_P2);
  if (!s.chipAuthentication || !s.compEph) return reply(s, 0x6985);
  const inner = tlvs(c.data)?.get(0x7c);
  const point = inner ? tlvs(inner)?.get(0x80) : undefined;
  if (!point) return reply(s, SW.WRONG_DATA);
  let secret: Uint8Array;
  try {
    if (toHex(compressedPoint(point)) !== s.compEph) return reply(s, SW.WRONG_DATA);
    secret = ecdhSecret(key, point);
  } catch {
    return reply(s, SW.WRONG_DATA);
  }
  const nonce = random(8);
  const keys = deriveSessionKeys(secret, nonce, cipherSuiteOf(key.curve).keyBits);
  const token = authenticationToken(keys.kMac, point);
  const data = encodeTlv(0x7c, concatBytes(encodeTlv(0x81, nonce), encodeTlv(0x82, token)));
  return reply({ ...s, compEph: null, chipAuthentication: false, session: startSession(keys) }, SW.OK, data);
}
