import { concatBytes, toHex, xorBytes } from '../bytes.ts';

/**
 * The gen1 session key and send sequence counter agreed by mutual authentication (App. 11 Part A §4, CSM_012,
 * CSM_015, CSM_029): the card sends K1 inside its INTERNAL AUTHENTICATE token, the VU K2 inside its EXTERNAL
 * AUTHENTICATE cryptogram, both 16 bytes; KAB = K1 ⊕ K2 gives the TDES key (Ka, Kb, Ka) with Ka its first and
 * Kb its last 8 bytes, no parity bits set (CSM_015). The SSC starts at RND3's (the card's GET CHALLENGE) 4 least
 * significant bytes ‖ RND1's (the VU's INTERNAL AUTHENTICATE challenge) 4 least significant bytes.
 */
export interface SmG1Session {
  /** Ka, Kb: 8 bytes each, hex. */
  ka: string;
  kb: string;
  /** The send sequence counter, 8 bytes hex: increased before every MAC (CSM_030). */
  ssc: string;
  /** Command-response pairs protected so far: the key expires after 240 (CSM_013). */
  uses: number;
}

/** CSM_013: the session key's validity ends after 240 uses (one command under SM and its response). */
export const G1_SESSION_USES = 240;

export const K_HALF_BYTES = 16;

export function sessionKeyG1(k1: Uint8Array, k2: Uint8Array): { ka: Uint8Array; kb: Uint8Array } {
  if (k1.length !== K_HALF_BYTES || k2.length !== K_HALF_BYTES) throw new RangeError(`K1 and K2 are ${K_HALF_BYTES} bytes each (got ${k1.length}, ${k2.length})`);
  const kab = xorBytes(k1, k2);
  return { ka: kab.slice(0, 8), kb: kab.slice(8) };
}

/** CSM_029: initial SSC = RND3 (4 least significant bytes) ‖ RND1 (4 least significant bytes). */
export function initialSscG1(rnd3: Uint8Array, rnd1: Uint8Array): Uint8Array {
  if (rnd3.length !== 8 || rnd1.length !== 8) throw new RangeError(`RND1 and RND3 are 8 bytes each (got ${rnd1.length}, ${rnd3.length})`);
  return concatBytes(rnd3.subarray(4), rnd1.subarray(4));
}

export function startSessionG1(k1: Uint8Array, k2: Uint8Array, rnd3: Uint8Array, rnd1: Uint8Array): SmG1Session {
  const { ka, kb } = sessionKeyG1(k1, k2);
  return { ka: toHex(ka), kb: toHex(kb), ssc: toHex(initialSscG1(rnd3, rnd1)), uses: 0 };
}
