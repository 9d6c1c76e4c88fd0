import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { decodeEuropeanPublicKey } from '../../../crypto/pki-g1/european-public-key.ts';
import { G1_CERTIFICATE_BYTES, G1_EQUIPMENT_TYPE, g1CertificateCar, openG1Certificate, TACHOGRAPH_G1_AID_6 } from '../../../crypto/pki-g1/rsa-certificate.ts';
import type { RsaKeyPair, RsaPublicKey } from '../../../crypto/pki-g1/rsa-keys.ts';
import { authenticationCryptogram, openAuthenticationCryptogram, PRND_BYTES, SESSION_HALF_BYTES } from '../../../crypto/sm-g1/authentication-token.ts';
import { startSessionG1, type SmG1Session } from '../../../crypto/sm-g1/session-key.ts';
import { SW, type CommandApdu, type ResponseApdu } from '../../../protocols/apdu/index.ts';

/**
 * The card's side of gen1 mutual authentication (App. 11 Part A §4, CSM_020; App. 2 §3.5.4, §3.5.7.1, §3.5.8,
 * §3.5.9, §3.5.11.1): MSE: SET selects a public key by its key identifier (the European key the card holds,
 * or one a PSO: VERIFY CERTIFICATE unwrapped since the reset); PSO: VERIFY CERTIFICATE opens the VU's Member
 * State certificate, then its VU certificate; INTERNAL AUTHENTICATE signs the VU's challenge RND1 with K1 and
 * enciphers it for the VU; GET CHALLENGE gives RND3; EXTERNAL AUTHENTICATE opens the VU's cryptogram over RND3
 * and K2, which sets the session key K1 ⊕ K2 and the SSC (CSM_029). Pure functions over plain data.
 */
export interface G1PublicKey extends RsaPublicKey {
  /** The CHA's equipment type ('00' a Member State or Europe, '06' a VU, App. 1 EquipmentType). */
  equipmentType: number;
}

export interface Gen1Security {
  /** Public keys unwrapped by PSO: VERIFY CERTIFICATE since the reset, by CHR (hex). */
  verified: Record<string, G1PublicKey>;
  /** TCS_104: the key MSE: SET made current (its identifier, hex), until the next MSE, a DF selection or reset. */
  current: string | null;
  /** TCS_69: the last GET CHALLENGE's RND3, valid for the next command only. */
  challenge: string | null;
  /** After INTERNAL AUTHENTICATE: the card's K1 and the VU's RND1, for the session key EXTERNAL AUTHENTICATE sets. */
  k1: string | null;
  rnd1: string | null;
  /** The session key and SSC (CSM_013); null when none is agreed. */
  session: SmG1Session | null;
}

export interface Gen1CardKeys {
  /** The card's gen1 key pair (EF Card_Certificate's key, CSM_009). */
  key: RsaKeyPair;
  /** Its CHR, hex: what the VU's signature covers (CSM_020). */
  chr: string;
  /** The European public key the card holds, 144 bytes hex (KID ‖ n ‖ e). */
  eurPublicKey: string;
}

export interface Gen1Context {
  keys: Gen1CardKeys;
  random: (n: number) => Uint8Array;
  /** App. 2 TCS_25: INTERNAL AUTHENTICATE on a workshop card needs the PIN verified (PWD). */
  pinRequired: boolean;
  pinVerified: boolean;
  /** The application DF Tachograph is selected: TCS_91, Card.SK is only reachable there. */
  inTachographDf: boolean;
  /** The `failAuthentication` option: the card signs INTERNAL AUTHENTICATE with this key, not its certified one (a clone). */
  forgedKey?: RsaKeyPair;
}

export function createGen1Security(): Gen1Security {
  return { verified: {}, current: null, challenge: null, k1: null, rnd1: null, session: null };
}

export type Gen1Result = { security: Gen1Security; response: ResponseApdu };
const reply = (security: Gen1Security, sw: number, data: Uint8Array = new Uint8Array(0)): Gen1Result => ({ security, response: { data, sw } });

export const G1_INS = { INTERNAL_AUTHENTICATE: 0x88 } as const;
/** TCS_29, TCS_85, TCS_99: the certificate or cryptogram does not verify. */
const VERIFICATION_FAILED = 0x6688;
const CONDITIONS_OF_USE = 0x6985;
/** TCS_99: the current key is not a VU's. */
const NOT_A_VU_KEY = 0x6f00;

/** The gen1 security commands: MSE: SET (P1 'C1', P2 'B6'), PSO: VERIFY CERTIFICATE (P2 'AE'), INTERNAL and EXTERNAL AUTHENTICATE, GET CHALLENGE. */
export function isGen1SecurityCommand(c: CommandApdu): boolean {
  return c.ins === 0x22 || c.ins === G1_INS.INTERNAL_AUTHENTICATE || c.ins === 0x82 || c.ins === 0x84 || (c.ins === 0x2a && c.p1 === 0x00 && c.p2 === 0xae);
}

export function executeGen1Apdu(s: Gen1Security, c: CommandApdu, ctx: Gen1Context): Gen1Result {
  switch (c.ins) {
    case 0x22:
      return mseSet(s, c, ctx);
    case 0x2a:
      return verifyCertificate(s, c, ctx);
    case G1_INS.INTERNAL_AUTHENTICATE:
      return internalAuthenticate(s, c, ctx);
    case 0x84:
      return getChallenge(s, c, ctx);
    case 0x82:
      return externalAuthenticate(s, c, ctx);
    default:
      return reply(s, SW.INS_NOT_SUPPORTED);
  }
}

/** TCS_69: a challenge is only valid for the next command; every other command forgets it. */
export function afterCommandGen1(s: Gen1Security, c: CommandApdu): Gen1Security {
  return c.ins === 0x84 || s.challenge === null ? s : { ...s, challenge: null };
}

/** TCS_104: selecting a DF drops the current public key. */
export function dfSelectedGen1(s: Gen1Security): Gen1Security {
  return s.current === null ? s : { ...s, current: null };
}

function knownKey(s: Gen1Security, ctx: Gen1Context, id: string): G1PublicKey | null {
  const eur = decodeEuropeanPublicKey(fromHex(ctx.keys.eurPublicKey));
  if (eur.kid === id) return { modulus: eur.modulus, publicExponent: eur.publicExponent, equipmentType: G1_EQUIPMENT_TYPE.memberState };
  return s.verified[id] ?? null;
}

/**
 * MSE: SET (TCS_106, TCS_107): '83' 08 key identifier. Tag missing '6987', a length other than 8 '6988', a key
 * the card does not hold '6A88' (TCS_105: the environment unchanged).
 */
function mseSet(s: Gen1Security, c: CommandApdu, ctx: Gen1Context): Gen1Result {
  if (c.p1 !== 0xc1 || c.p2 !== 0xb6) return reply(s, SW.INCORRECT_P1_P2);
  if (c.data[0] !== 0x83 || c.data.length < 2) return reply(s, 0x6987);
  if (c.data[1] !== 8 || c.data.length !== 10) return reply(s, SW.SM_DATA_OBJECTS_INCORRECT);
  const id = toHex(c.data.subarray(2));
  if (!knownKey(s, ctx, id)) return reply(s, SW.REFERENCED_DATA_NOT_FOUND);
  return reply({ ...s, current: id }, SW.OK);
}

/**
 * PSO: VERIFY CERTIFICATE, gen1 (TCS_84, TCS_85; CSM_019): a 194-byte certificate opened with the current key,
 * which must be a Member State's or Europe's (CHA '00', else '6985'); none current '6A88'; a certificate that
 * does not open, whose CAR is not the current key or whose CHA is not the tachograph's '6688'. The key unwrapped
 * is kept under its CHR for a later MSE: SET (TCS_82). Choice: the card, which has no clock of its own in the
 * first generation, does not judge the certificate's end of validity (TCS_85 lists no such error).
 */
function verifyCertificate(s: Gen1Security, c: CommandApdu, ctx: Gen1Context): Gen1Result {
  if (!s.current) return reply(s, SW.REFERENCED_DATA_NOT_FOUND);
  const issuer = knownKey(s, ctx, s.current)!;
  if (issuer.equipmentType !== G1_EQUIPMENT_TYPE.memberState) return reply(s, CONDITIONS_OF_USE);
  if (c.data.length !== G1_CERTIFICATE_BYTES) return reply(s, SW.WRONG_LENGTH);
  try {
    if (g1CertificateCar(c.data) !== s.current) return reply(s, VERIFICATION_FAILED);
    const content = openG1Certificate(c.data, issuer);
    if (content.applicationId !== toHex(TACHOGRAPH_G1_AID_6)) return reply(s, VERIFICATION_FAILED);
    return reply({ ...s, verified: { ...s.verified, [content.chr]: { ...content.publicKey, equipmentType: content.equipmentType } } }, SW.OK);
  } catch {
    return reply(s, VERIFICATION_FAILED);
  }
}

/**
 * INTERNAL AUTHENTICATE (TCS_93-95): RND1 ‖ VU.CHR, Le '80' → VU.PK[Card.SK['6A' ‖ PRND2 ‖ K1 ‖ SHA-1(PRND2 ‖ K1 ‖
 * RND1 ‖ VU.CHR) ‖ 'BC']]. No current public key, or VU.CHR not its identifier '6A88'; Card.SK is only in DF
 * Tachograph (TCS_91: outside it '6A88', no private key in the environment); a workshop card without its PIN
 * verified '6982' (TCS_25: PWD). Success erases the current session key (TCS_95).
 */
function internalAuthenticate(s: Gen1Security, c: CommandApdu, ctx: Gen1Context): Gen1Result {
  if (c.p1 !== 0 || c.p2 !== 0) return reply(s, SW.INCORRECT_P1_P2);
  if (c.data.length !== 16) return reply(s, SW.WRONG_LENGTH);
  if (ctx.pinRequired && !ctx.pinVerified) return reply(s, SW.SECURITY_STATUS_NOT_SATISFIED);
  if (!ctx.inTachographDf || !s.current) return reply(s, SW.REFERENCED_DATA_NOT_FOUND);
  const rnd1 = c.data.subarray(0, 8);
  const vuChr = c.data.subarray(8);
  if (toHex(vuChr) !== s.current) return reply(s, SW.REFERENCED_DATA_NOT_FOUND);
  const vu = knownKey(s, ctx, s.current)!;
  const prnd2 = ctx.random(PRND_BYTES);
  const k1 = ctx.random(SESSION_HALF_BYTES);
  const token = authenticationCryptogram({ signer: ctx.forgedKey ?? ctx.keys.key, recipient: vu, prnd: prnd2, k: k1, challenge: rnd1, recipientChr: vuChr });
  return reply({ ...s, k1: toHex(k1), rnd1: toHex(rnd1), session: null }, SW.OK, token);
}

/** GET CHALLENGE (TCS_70, TCS_71): Le '08', P1-P2 '0000'. */
function getChallenge(s: Gen1Security, c: CommandApdu, ctx: Gen1Context): Gen1Result {
  if (c.p1 !== 0 || c.p2 !== 0) return reply(s, SW.INCORRECT_P1_P2);
  if (c.le !== 8) return reply(s, SW.WRONG_LENGTH);
  const challenge = ctx.random(8);
  return reply({ ...s, challenge: toHex(challenge) }, SW.OK, challenge);
}

/**
 * EXTERNAL AUTHENTICATE, gen1 (TCS_98, TCS_99): Card.PK[VU.SK['6A' ‖ PRND4 ‖ K2 ‖ SHA-1(PRND4 ‖ K2 ‖ RND3 ‖
 * Card.CHR) ‖ 'BC']]. No current key '6A88'; a current key that is not a VU's '6F00'; not right after GET
 * CHALLENGE '6985'; a cryptogram that does not verify '6688'. Choice: without an INTERNAL AUTHENTICATE before
 * it (no K1 to agree a key with), '6985'. Success sets the session key K1 ⊕ K2 and SSC RND3 ‖ RND1 (CSM_029).
 */
function externalAuthenticate(s: Gen1Security, c: CommandApdu, ctx: Gen1Context): Gen1Result {
  if (c.p1 !== 0 || c.p2 !== 0) return reply(s, SW.INCORRECT_P1_P2);
  if (!s.current) return reply(s, SW.REFERENCED_DATA_NOT_FOUND);
  const vu = knownKey(s, ctx, s.current)!;
  if (vu.equipmentType !== G1_EQUIPMENT_TYPE.vehicleUnit) return reply(s, NOT_A_VU_KEY);
  if (!s.challenge || !s.k1 || !s.rnd1) return reply(s, CONDITIONS_OF_USE);
  const rnd3 = fromHex(s.challenge);
  const opened = openAuthenticationCryptogram({ recipient: ctx.keys.key, signer: vu, cryptogram: c.data, challenge: rnd3, recipientChr: fromHex(ctx.keys.chr) });
  if (!opened.ok) return reply({ ...s, challenge: null }, VERIFICATION_FAILED);
  return reply({ ...s, challenge: null, k1: null, rnd1: null, session: startSessionG1(fromHex(s.k1), opened.k, rnd3, fromHex(s.rnd1)) }, SW.OK);
}


const forged = new Map<string, RsaKeyPair>();

/**
 * The `failAuthentication` option on a gen1 card: a clone that holds a key pair of its own, not the one its
 * EF Card_Certificate certifies, so its INTERNAL AUTHENTICATE token does not open with Card.PK (CSM_020). Derived
 * from the PKI seed and the card's CHR (a stream of its own), once per process.
 */
export function forgedG1Key(pkiSeed: number, chr: string, derive: (seed: number, stream: string) => RsaKeyPair): RsaKeyPair {
  const id = `${pkiSeed}/${chr}`;
  let key = forged.get(id);
  if (!key) forged.set(id, (key = derive(pkiSeed, `clone/${chr}`)));
  return key;
}
