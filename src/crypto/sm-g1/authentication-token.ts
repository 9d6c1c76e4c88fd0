import { createHash } from 'node:crypto';
import { bytesEqual, concatBytes } from '../bytes.ts';
import { bigintOf, bytesOf, MODULUS_BYTES, rsaPrivateOperation, rsaPublicOperation, type RsaKeyPair, type RsaPublicKey } from '../pki-g1/rsa-keys.ts';

/**
 * The two halves of the gen1 mutual authentication (App. 11 Part A §4, CSM_020; App. 2 TCS_92-99): each side
 * proves its key pair by signing, with message recovery (ISO/IEC 9796-2 scheme 1, SHA-1, as the certificates
 * of CSM_018), the other side's challenge together with its half of the session key, and enciphers that
 * signature with the other side's public key (CSM_012: the key transport is kept confidential by RSA):
 *
 *   card (INTERNAL AUTHENTICATE):  VU.PK[ Card.SK['6A' ‖ PRND2 ‖ K1 ‖ SHA-1(PRND2 ‖ K1 ‖ RND1 ‖ VU.CHR) ‖ 'BC'] ]
 *   VU (EXTERNAL AUTHENTICATE):    Card.PK[ VU.SK['6A' ‖ PRND4 ‖ K2 ‖ SHA-1(PRND4 ‖ K2 ‖ RND3 ‖ Card.CHR) ‖ 'BC'] ]
 *
 * PRND 90 random bytes, K 16, the message 128 bytes. Choice (the figure of CSM_020 gives the formulas, not how a
 * signature below one 1024-bit modulus is made to fit under another): the signature is ISO/IEC 9796-2's
 * min(s, n − s), which is below n/2 < 2^1023, hence below any other 1024-bit modulus of the system (CSM_014:
 * all moduli are 1024 bits); the opener takes X = Σ^e mod n and, when X does not end in 'BC', n − X (e is odd,
 * so (n − s)^e ≡ −s^e).
 */
export const PRND_BYTES = 90;
export const SESSION_HALF_BYTES = 16;
const HEADER = 0x6a;
const TRAILER = 0xbc;

export interface TokenInput {
  /** The signer's key pair (its certificate's key). */
  signer: RsaKeyPair;
  /** The recipient's public key, unwrapped from its certificate. */
  recipient: RsaPublicKey;
  /** 90 random bytes. */
  prnd: Uint8Array;
  /** The signer's half of the session key, 16 bytes. */
  k: Uint8Array;
  /** The recipient's challenge (RND1 or RND3), 8 bytes. */
  challenge: Uint8Array;
  /** The recipient's CHR (key identifier), 8 bytes. */
  recipientChr: Uint8Array;
}

const sha1 = (data: Uint8Array) => new Uint8Array(createHash('sha1').update(data).digest());

/** The message representative '6A' ‖ PRND ‖ K ‖ H ‖ 'BC', 128 bytes. */
export function tokenMessage(prnd: Uint8Array, k: Uint8Array, challenge: Uint8Array, recipientChr: Uint8Array): Uint8Array {
  if (prnd.length !== PRND_BYTES || k.length !== SESSION_HALF_BYTES || challenge.length !== 8 || recipientChr.length !== 8) {
    throw new RangeError(`PRND ${PRND_BYTES}, K ${SESSION_HALF_BYTES}, challenge 8 and CHR 8 bytes (got ${prnd.length}, ${k.length}, ${challenge.length}, ${recipientChr.length})`);
  }
  return concatBytes(Uint8Array.of(HEADER), prnd, k, sha1(concatBytes(prnd, k, challenge, recipientChr)), Uint8Array.of(TRAILER));
}

/** ISO/IEC 9796-2 signature Σ = min(J^d mod n, n − J^d mod n). */
export function signWithRecovery(signer: RsaKeyPair, message: Uint8Array): Uint8Array {
  const s = bigintOf(rsaPrivateOperation(signer, message));
  const n = BigInt(`0x${signer.modulus}`);
  return bytesOf(s < n - s ? s : n - s, MODULUS_BYTES);
}

/** The signature enciphered for the recipient: the INTERNAL AUTHENTICATE token, the EXTERNAL AUTHENTICATE cryptogram. */
export function authenticationCryptogram(input: TokenInput): Uint8Array {
  return rsaPublicOperation(input.recipient, signWithRecovery(input.signer, tokenMessage(input.prnd, input.k, input.challenge, input.recipientChr)));
}

export type OpenedToken = { ok: true; k: Uint8Array } | { ok: false; reason: string };

/**
 * The recipient's side: deciphers with its private key, opens the signature with the signer's public key,
 * checks '6A' … 'BC' and that the hash covers its own challenge and CHR; gives the signer's K.
 */
export function openAuthenticationCryptogram(input: { recipient: RsaKeyPair; signer: RsaPublicKey; cryptogram: Uint8Array; challenge: Uint8Array; recipientChr: Uint8Array }): OpenedToken {
  if (input.cryptogram.length !== MODULUS_BYTES) return { ok: false, reason: `the cryptogram is ${input.cryptogram.length} bytes, not ${MODULUS_BYTES}` };
  let sigma: Uint8Array;
  try {
    sigma = rsaPrivateOperation(input.recipient, input.cryptogram);
  } catch {
    return { ok: false, reason: "the cryptogram is not below the recipient's modulus" };
  }
  const n = BigInt(`0x${input.signer.modulus}`);
  if (bigintOf(sigma) >= n) return { ok: false, reason: "the deciphered signature is not below the signer's modulus" };
  let x = rsaPublicOperation(input.signer, sigma);
  if (x[MODULUS_BYTES - 1] !== TRAILER) x = bytesOf(n - bigintOf(x), MODULUS_BYTES);
  if (x[0] !== HEADER || x[MODULUS_BYTES - 1] !== TRAILER) return { ok: false, reason: "the opened signature does not run '6A' … 'BC'" };
  const prnd = x.subarray(1, 1 + PRND_BYTES);
  const k = x.slice(1 + PRND_BYTES, 1 + PRND_BYTES + SESSION_HALF_BYTES);
  const hash = x.subarray(1 + PRND_BYTES + SESSION_HALF_BYTES, MODULUS_BYTES - 1);
  if (!bytesEqual(sha1(concatBytes(prnd, k, input.challenge, input.recipientChr)), hash)) return { ok: false, reason: 'the hash in the signature does not cover this challenge and CHR' };
  return { ok: true, k };
}
