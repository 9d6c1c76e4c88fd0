import { decodeTrep01, decodeTrep02, decodeTrep03, decodeTrep04, decodeTrep05 } from '../app7-records-g1/trep-g1.ts';
import type { TrepLayout } from './ddd-layout.ts';

/**
 * The blocks a download of a VU in the generation 1 format produces (App. 7 DDP_011 table, TREP 01..05), with
 * their typed decoders (src/protocols/app7-records-g1). A decoder takes the TREP's data and throws an
 * App7G1Error (a DecodeError) naming the element when the bytes do not fit.
 *
 * A gen1 block has no record-array framing: a file is split into blocks by walking each block's elements,
 * `scanDddG1` (re-exported here), not by the gen2 record-array walk.
 */
export const GEN1_TREPS: Readonly<Record<number, TrepLayout>> = {
  0x01: { name: 'Overview', requirement: 'DDP_029', decode: decodeTrep01 },
  0x02: { name: 'Activities', requirement: 'DDP_030', decode: decodeTrep02 },
  0x03: { name: 'Events and faults', requirement: 'DDP_031', decode: decodeTrep03 },
  0x04: { name: 'Detailed speed', requirement: 'DDP_032', decode: decodeTrep04 },
  0x05: { name: 'Technical data', requirement: 'DDP_033', decode: decodeTrep05 },
};

export { App7G1Error } from '../app7-records-g1/fields-g1.ts';
export { g1TrepDataLength } from '../app7-records-g1/layout-g1.ts';
export { readDddG1, scanDddG1, type G1Block } from '../app7-records-g1/blocks-g1.ts';
