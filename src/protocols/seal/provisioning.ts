import { hkdfSync } from 'node:crypto';
import { ed25519PublicKey, type SigningKey, type VerifyingKey } from './document-auth.ts';

/**
 * Test provisioning of the seal system's keys: what a home operator puts into each seal it registers (the
 * seal's document-signing key) and what operators exchange bilaterally (each operator's signing key, whose
 * public half its seals and its peers hold). From one provisioning seed every device of a rig that agrees
 * on it derives the same keys without sharing any object, so device options stay plain data; a rig with
 * real seals or real keys gives them explicitly in the device options instead.
 *
 *   seed material = HKDF-SHA256(IKM = ASCII(decimal seed), salt = "tacho-rig seal provisioning",
 *                               info = ASCII(label) 00 ASCII(state) [00 ASCII(sealId)], L = 32)
 *   label "seal-doc" for a seal's Ed25519 private key, "operator" for an operator's.
 *
 * Test keys only: anyone who knows the seed can derive them. The default seed is public (it is in this
 * file); the mosquitto test's intruder does not use it, a bench facing the outside must not either.
 */
export const DEFAULT_PROVISIONING_SEED = 141;

function derive(seed: number, ...info: string[]): string {
  const material = hkdfSync('sha256', Buffer.from(String(seed)), Buffer.from('tacho-rig seal provisioning'), Buffer.from(info.join('\u0000')), 32);
  return Buffer.from(material).toString('hex');
}

/** The seal's document-signing key as its home operator provisioned it. */
export function provisionedSealKey(seed: number, homeState: string, sealId: string): SigningKey {
  return { alg: 'Ed25519', privateKey: derive(seed, 'seal-doc', homeState, sealId) };
}

/** What the home operator keeps to check that seal's documents. */
export function provisionedSealVerifyingKey(seed: number, homeState: string, sealId: string): VerifyingKey {
  const key = provisionedSealKey(seed, homeState, sealId) as Extract<SigningKey, { alg: 'Ed25519' }>;
  return { alg: 'Ed25519', publicKey: ed25519PublicKey(key.privateKey) };
}

/** An operator's Ed25519 private key (hex seed). */
export function provisionedOperatorPrivateKey(seed: number, state: string): string {
  return derive(seed, 'operator', state);
}

/** An operator's Ed25519 public key (hex), as its seals and its peers hold it. */
export function provisionedOperatorPublicKey(seed: number, state: string): string {
  return ed25519PublicKey(provisionedOperatorPrivateKey(seed, state));
}
