import { fromHex, identificationKey, masterKey, toHex, type AesKeyBits, type VersionedKey } from '../../../crypto/index.ts';

/** Why the VU will not even start pairing (CSM_217 step 2, CSM_222). */
export type PairingRefusalReason = 'vu-generation-1' | 'workshop-card-generation-1' | 'no-matching-km-wc' | 'key-length-mismatch';

export interface VuSensorKeys {
  /** KM-VU, hex, and its version (CSM_103, CSM_118: a VU holds one generation). */
  kmVu: string;
  kmVersion: number;
  keyBits: AesKeyBits;
  vuGeneration: 1 | 2;
}

export interface WorkshopCardKeys {
  generation: 1 | 2;
  /** Every KM-WC generation on the card, with versions (CSM_104, CSM_115). */
  kmWc: VersionedKey[];
}

export type PairingKeysResult = { ok: true; km: string; kid: string; kmVersion: number } | { ok: false; reason: PairingRefusalReason; detail: string };

/**
 * CSM_217 steps 2-3 with the CSM_222 generation rules: pick the KM-WC whose version equals the VU's KM-VU
 * version, then KM = KM-VU xor KM-WC and KID = KM xor CV.
 */
export function pairingKeys(vu: VuSensorKeys, card: WorkshopCardKeys): PairingKeysResult {
  // Only Part B (AES) pairing is emulated; a gen1 VU pairs per Part A and ISO 16844-3 with TDES.
  if (vu.vuGeneration !== 2) return { ok: false, reason: 'vu-generation-1', detail: 'a first-generation VU pairs with TDES (App. 11 Part A), which this VU model does not emulate' };
  // CSM_222: a first-generation workshop card cannot be used to pair a second-generation VU.
  if (card.generation !== 2) return { ok: false, reason: 'workshop-card-generation-1', detail: 'a first-generation workshop card cannot pair a second-generation VU (CSM_222)' };
  const match = card.kmWc.find((k) => k.version === vu.kmVersion);
  if (!match) {
    const versions = card.kmWc.map((k) => k.version).join(', ') || 'none';
    return { ok: false, reason: 'no-matching-km-wc', detail: `no KM-WC of version ${vu.kmVersion} on the workshop card (it holds ${versions}) (CSM_217 step 2)` };
  }
  const kmVu = fromHex(vu.kmVu);
  const kmWc = fromHex(match.key);
  if (kmVu.length * 8 !== vu.keyBits || kmWc.length !== kmVu.length) {
    return { ok: false, reason: 'key-length-mismatch', detail: `KM-VU is ${kmVu.length * 8} bits, KM-WC version ${match.version} is ${kmWc.length * 8} bits, the VU expects ${vu.keyBits}` };
  }
  const km = masterKey(kmVu, kmWc);
  return { ok: true, km: toHex(km), kid: toHex(identificationKey(km)), kmVersion: vu.kmVersion };
}
