import { concatBytes, xorBytes } from '../bytes.ts';
import { padMethod2 } from '../padding.ts';
import { DES_BLOCK, desDecrypt, desEncrypt } from './des.ts';

/**
 * The gen1 cryptographic checksum (App. 11 Part A CSM_028): a retail MAC (ANSI X9.19, ISO/IEC 9797-1 MAC
 * algorithm 3 with DES) keyed by the session key halves (Ka, Kb):
 *   initial stage   y0 = E(Ka, SSC)
 *   sequential      yi = E(Ka, yi-1 ⊕ Di) over the data padded by method 2 ('80 00..', ISO/IEC 7816-4)
 *   final stage     E(Ka, D(Kb, yn)), of which the 4 most significant bytes are sent (CSM_025).
 * The initial stage is the first CBC step over the SSC with a zero IV, so this is MAC algorithm 3 over
 * SSC ‖ padded data. `data` is the message already padded as §5.1 says (command header and data objects
 * each padded): the caller pads, since the command datagram pads twice.
 */
export const G1_MAC_BYTES = 4;

/** ISO/IEC 9797-1 MAC algorithm 3 (retail MAC) over whole 8-byte blocks, the full 8-byte result. */
export function retailMacFull(ka: Uint8Array, kb: Uint8Array, blocks: Uint8Array): Uint8Array {
  if (blocks.length === 0 || blocks.length % DES_BLOCK !== 0) throw new RangeError(`the retail MAC takes whole 8-byte blocks, got ${blocks.length} bytes`);
  let y: Uint8Array = new Uint8Array(DES_BLOCK);
  for (let at = 0; at < blocks.length; at += DES_BLOCK) y = desEncrypt(ka, xorBytes(y, blocks.subarray(at, at + DES_BLOCK)));
  return desEncrypt(ka, desDecrypt(kb, y));
}

/** CSM_028: the 4-byte checksum of already padded `data` under the send sequence counter `ssc` (8 bytes). */
export function cryptographicChecksumG1(ka: Uint8Array, kb: Uint8Array, ssc: Uint8Array, data: Uint8Array): Uint8Array {
  if (ssc.length !== DES_BLOCK) throw new RangeError(`the gen1 SSC is 8 bytes, not ${ssc.length}`);
  return retailMacFull(ka, kb, concatBytes(ssc, data)).slice(0, G1_MAC_BYTES);
}

/** Padding method 2 to the DES block (§5.1 "PB"). */
export const padG1 = (data: Uint8Array): Uint8Array => padMethod2(data, DES_BLOCK);
