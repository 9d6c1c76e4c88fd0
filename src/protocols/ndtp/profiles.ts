/**
 * Dialect profiles. Seed 001's two hex packets disagree with each other (digest §1.2.9): the main navigation
 * cell is 26 bytes in one and 20 in the other, the internal-sensor cell 26 and 24, and the CRC is stored
 * MSB first in one and LSB first in the other. Neither can be called wrong from the seed, so the layout is a
 * profile that both sides of a link are configured with; each seed packet round-trips byte for byte under
 * its own. Everything else (header, NPH, Type 13, little-endian fields) is common.
 */
export interface NdtpProfile {
  name: ProfileName;
  /** Bytes of the Type 0 main navigation cell's data: 26 (with speed_max, course, track) or 20 (without). */
  navCellLength: 26 | 20;
  /** Bytes of the Type 2 internal-sensor cell's data: 26 (with accel_energy, ext_volt) or 24. */
  sensorCellLength: 26 | 24;
  /** How the NPL CRC-16 is stored: 'msb' (ex1: 665A for 0x665A) or 'lsb' (ex2: 316E for 0x6E31). */
  crcOrder: 'msb' | 'lsb';
  /** The <Number> of the Type 0 and Type 2 cells. The seed's text says N=1, both its packets carry 0: 0. */
  singleCellNumber: number;
  /** <proto_version_high> in NPH_SGC_CONN_REQUEST: "always 1" (seed 001 section 5). */
  protoVersionHigh: number;
  protoVersionLow: number;
}

export const PROFILE_NAMES = ['seed-ex1', 'seed-ex2'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const PROFILES: Record<ProfileName, NdtpProfile> = {
  // seed example 1 (81 bytes), byte-compatible with the public Granit-v6 tooling's cell layout
  'seed-ex1': { name: 'seed-ex1', navCellLength: 26, sensorCellLength: 26, crcOrder: 'msb', singleCellNumber: 0, protoVersionHigh: 1, protoVersionLow: 0 },
  // seed example 2 (163 bytes), the one with the six Type 13 compartment cells
  'seed-ex2': { name: 'seed-ex2', navCellLength: 20, sensorCellLength: 24, crcOrder: 'lsb', singleCellNumber: 0, protoVersionHigh: 1, protoVersionLow: 0 },
};

export function profile(name: ProfileName): NdtpProfile {
  return PROFILES[name];
}
