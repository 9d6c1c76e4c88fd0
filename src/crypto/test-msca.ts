import { createRng } from './random.ts';
import type { AesKeyBits } from './aes.ts';
import { toHex } from './bytes.ts';
import { encryptZeroIv, identificationKey, masterKey, NS_LENGTH } from './motion-sensor-keys.ts';

/**
 * A deterministic stand-in for the ERCA and an MSCA, for motion-sensor keys only: from one seed it issues
 * every generation of KM-VU and KM-WC, and the encryptions of a sensor's KP and Ns that a real MSCA would
 * return to the sensor manufacturer. Every device of a rig that agrees on the seed (VU, workshop card,
 * sensor) derives the same keys without sharing any object, which keeps device options plain data.
 *
 * Test keys only: they come from the rig's seeded generator, not from a key ceremony.
 */
export const TEST_MSCA_DEFAULT_SEED = 16844;

/** One generation of the motion sensor master key (CSM_102: one version number for KM, KM-VU, KM-WC, KID). */
export interface MasterKeyGeneration {
  version: number;
  keyBits: AesKeyBits;
  kmVu: Uint8Array;
  kmWc: Uint8Array;
  km: Uint8Array;
  kid: Uint8Array;
}

/** A versioned key as a VU or workshop card stores it (CSM_103, CSM_104). Plain data: key as hex. */
export interface VersionedKey {
  version: number;
  key: string;
}

/** One generation's pairing data in a sensor (CSM_107, CSM_108, CSM_110). Plain data: hex. */
export interface SensorPairingEntry {
  /** Version of the KM that encrypted KP. */
  kmVersion: number;
  /** Version of the KID that encrypted Ns (the same generation). */
  kidVersion: number;
  /** The plaintext pairing key, stored beside its encryption (CSM_110). */
  kp: string;
  /** E(KM, KP): the instruction 41 reply as is. */
  encKp: string;
  /** E(KID, Ns): what the VU must send in the instruction 41 request. */
  encNs: string;
}

export interface SensorKeyMaterial {
  /** The sensor serial number Ns (ExtendedSerialNumber, 8 bytes), hex. */
  ns: string;
  /** Oldest generation first: the order in which the sensor tries them (CSM_217 step 5). */
  entries: SensorPairingEntry[];
}

export class TestMsca {
  constructor(readonly seed: number = TEST_MSCA_DEFAULT_SEED) {}

  /** CSM_101, CSM_102, CSM_114: a random KM-VU and KM-WC per version (and length), KM and KID from them. */
  generation(version: number, keyBits: AesKeyBits): MasterKeyGeneration {
    if (!Number.isInteger(version) || version < 0 || version > 255) throw new RangeError(`a key version is one byte, got ${version}`);
    const rng = createRng(this.seed, `msca/km/v${version}/${keyBits}`);
    const kmVu = rng.bytes(keyBits / 8);
    const kmWc = rng.bytes(keyBits / 8);
    const km = masterKey(kmVu, kmWc);
    return { version, keyBits, kmVu, kmWc, km, kid: identificationKey(km) };
  }

  /** CSM_103, CSM_118: the single KM-VU generation a VU holds. */
  vuKey(version: number, keyBits: AesKeyBits): VersionedKey {
    return { version, key: toHex(this.generation(version, keyBits).kmVu) };
  }

  /** CSM_104, CSM_115: every valid KM-WC generation a workshop card holds. */
  workshopCardKeys(versions: readonly number[], keyBits: AesKeyBits): VersionedKey[] {
    return versions.map((v) => ({ version: v, key: toHex(this.generation(v, keyBits).kmWc) }));
  }

  /**
   * CSM_107, CSM_108, CSM_116, CSM_117: encrypts the manufacturer's pairing key(s) with each generation of
   * KM and the serial number with each generation of KID (CSM_109: AES-CBC, zero IV, padding method 2 when
   * needed). A KP is encrypted only with the generation of its own length (CSM_117).
   */
  issueSensor(ns: Uint8Array, pairingKeys: readonly { version: number; kp: Uint8Array }[]): SensorKeyMaterial {
    if (ns.length !== NS_LENGTH) throw new RangeError(`Ns is ${NS_LENGTH} bytes, got ${ns.length}`);
    const entries = [...pairingKeys]
      .sort((a, b) => a.version - b.version)
      .map(({ version, kp }) => {
        const g = this.generation(version, (kp.length * 8) as AesKeyBits);
        return { kmVersion: version, kidVersion: version, kp: toHex(kp), encKp: toHex(encryptZeroIv(g.km, kp)), encNs: toHex(encryptZeroIv(g.kid, ns)) };
      });
    return { ns: toHex(ns), entries };
  }
}
