import { constants, privateEncrypt, sign, verify } from 'node:crypto';
import { concatBytes, fromHex } from '../bytes.ts';
import { MODULUS_BYTES, rsaPrivateKeyObject, rsaPublicKeyObject, type RsaKeyPair, type RsaPublicKey } from './rsa-keys.ts';

/**
 * CSM_034: a download's data signed with the equipment key, PKCS #1 v1.5 with SHA-1:
 * EQT.SK['00' ‖ '01' ‖ PS ('FF'…) ‖ '00' ‖ DER(SHA-1(Data))] over 128 bytes. Deterministic: the same key and
 * data give the same signature.
 */
export function signDataG1(key: RsaKeyPair, data: Uint8Array): Uint8Array {
  return new Uint8Array(sign('sha1', data, { key: rsaPrivateKeyObject(key), padding: constants.RSA_PKCS1_PADDING }));
}

/** PKCS #1 v1.5 DigestInfo prefix of a SHA-1 hash (RFC 8017 §9.2 note 1). */
const SHA1_DIGEST_INFO = fromHex('3021300906052b0e03021a05000414');

/** The same signature over a SHA-1 hash computed before (a card's PSO: COMPUTE DIGITAL SIGNATURE after PERFORM HASH OF FILE). */
export function signDigestG1(key: RsaKeyPair, sha1: Uint8Array): Uint8Array {
  if (sha1.length !== 20) throw new RangeError(`a SHA-1 hash is 20 bytes, got ${sha1.length}`);
  return new Uint8Array(privateEncrypt({ key: rsaPrivateKeyObject(key), padding: constants.RSA_PKCS1_PADDING }, concatBytes(SHA1_DIGEST_INFO, sha1)));
}

/** CSM_035: the signature checked with the signer's public key (unwrapped from its certificate). */
export function verifyDataG1(key: RsaPublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== MODULUS_BYTES) return false;
  return verify('sha1', data, { key: rsaPublicKeyObject(key), padding: constants.RSA_PKCS1_PADDING }, signature);
}
