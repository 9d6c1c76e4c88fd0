import { createHash, createHmac } from 'node:crypto';
import { concatBytes } from '../bytes.ts';

/**
 * HMAC_DRBG with SHA-256 (NIST SP 800-90A rev. 1 §10.1.2), without reseeding or prediction resistance: the
 * byte stream the gen1 test PKI draws its RSA primes from. Fed from a seed instead of an entropy source, it
 * is a deterministic generator (the rig's test keys must be identical on every machine), not an SP 800-90A
 * conformant RBG; the algorithm itself is checked against the NIST CAVP vectors.
 */
export class HmacDrbg {
  private key: Uint8Array = new Uint8Array(32);
  private value: Uint8Array = new Uint8Array(32).fill(0x01);

  /** §10.1.2.3 Instantiate: seed_material = entropy ‖ nonce ‖ personalization. */
  constructor(entropy: Uint8Array, nonce: Uint8Array = new Uint8Array(0), personalization: Uint8Array = new Uint8Array(0)) {
    this.update(concatBytes(entropy, nonce, personalization));
  }

  /** §10.1.2.5 Generate, with no additional input. */
  generate(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += 32) {
      this.value = this.hmac(this.key, this.value);
      out.set(this.value.subarray(0, Math.min(32, length - at)), at);
    }
    this.update(new Uint8Array(0));
    return out;
  }

  /** §10.1.2.2 HMAC_DRBG_Update. */
  private update(provided: Uint8Array): void {
    this.key = this.hmac(this.key, concatBytes(this.value, Uint8Array.of(0x00), provided));
    this.value = this.hmac(this.key, this.value);
    if (provided.length === 0) return;
    this.key = this.hmac(this.key, concatBytes(this.value, Uint8Array.of(0x01), provided));
    this.value = this.hmac(this.key, this.value);
  }

  private hmac(key: Uint8Array, data: Uint8Array): Uint8Array {
    return new Uint8Array(createHmac('sha256', key).update(data).digest());
  }
}

/**
 * The generator for one named key of a seeded test PKI: entropy = SHA-256("tacho-rig/pki-g1/<seed>"), the
 * stream name (e.g. "eur", "card/<chr>") as personalization string, so every key has its own stream and
 * adding a card does not change another's key.
 */
export function seededDrbg(seed: number, stream: string): HmacDrbg {
  const entropy = new Uint8Array(createHash('sha256').update(`tacho-rig/pki-g1/${seed}`).digest());
  return new HmacDrbg(entropy, new Uint8Array(0), new TextEncoder().encode(stream));
}
