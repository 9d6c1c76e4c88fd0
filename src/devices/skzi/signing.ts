import { fromHex, toHex } from '../../crypto/bytes.ts';
import { deriveKeyPair, signPlain, verifyPlain, type EcKeyPair } from '../../crypto/pki/ec-keys.ts';
import { createRng } from '../../crypto/random.ts';
import type { SignedRequest, SkziCertificate } from './schemas.ts';

/**
 * The signatures of the activation. The real НКМ and ЦОД sign with GOST R 34.10-2012, which node:crypto does
 * not have: the rig signs with ECDSA P-256 / SHA-256 (prime256v1), RFC 6979 nonces (deterministic: the same
 * seed gives the same bytes), plain r ‖ s. README "СКЗИ activation" says so.
 *
 * Test keys: a block's key pair is derived from its factory number (as if generated at the factory and its
 * public key filed in the registry), the data centre's from a fixed name. Both from the rig's seeded generator.
 */
export const SKZI_CURVE = 'prime256v1' as const;
const TEST_KEY_SEED = 0x5c21;

export function nkmTestKey(factoryNo: string): EcKeyPair {
  return deriveKeyPair(createRng(TEST_KEY_SEED, `nkm:${factoryNo}`), SKZI_CURVE);
}

export function dataCentreTestKey(): EcKeyPair {
  return deriveKeyPair(createRng(TEST_KEY_SEED, 'data-centre'), SKZI_CURVE);
}

/** JSON with object keys sorted at every level: the bytes a signature covers do not depend on key order. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(sortKeys(value)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function signRequest(key: EcKeyPair, unsigned: Omit<SignedRequest, 'signature'>): SignedRequest {
  return { ...unsigned, signature: toHex(signPlain(key, canonicalBytes(unsigned))) };
}

/** Whether the signed request's signature verifies under `publicKey` (the block's key as the registry knows it). */
export function requestSignatureValid(signed: SignedRequest, publicKey: string): boolean {
  const { signature, ...unsigned } = signed;
  try {
    return verifyPlain(SKZI_CURVE, fromHex(publicKey), canonicalBytes(unsigned), fromHex(signature));
  } catch {
    return false;
  }
}

export function signCertificate(key: EcKeyPair, unsigned: Omit<SkziCertificate, 'signature'>): SkziCertificate {
  return { ...unsigned, signature: toHex(signPlain(key, canonicalBytes(unsigned))) };
}

export function certificateSignatureValid(certificate: SkziCertificate, dataCentrePublicKey: string): boolean {
  const { signature, ...unsigned } = certificate;
  try {
    return verifyPlain(SKZI_CURVE, fromHex(dataCentrePublicKey), canonicalBytes(unsigned), fromHex(signature));
  } catch {
    return false;
  }
}
