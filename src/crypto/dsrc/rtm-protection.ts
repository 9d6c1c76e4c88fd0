import { AES_BLOCK, aesCbcDecrypt, aesCbcEncrypt } from '../aes.ts';
import { aesCmac } from '../cmac.ts';
import { padMethod2, unpadMethod2, type UnpadResult } from '../padding.ts';
import { dsrcMacLength } from './keys.ts';

/** CSM_225: the RTM counter is 3 octets, MSB first. */
export const RTM_COUNTER_MAX = 0xffffff;

/**
 * CSM_226: IV = current date time (TimeReal, 4 octets) || '00'H x 9 || counter (3 octets). The time and
 * counter are those of the DSRC security data that travels with the ciphertext, so the card rebuilds it.
 */
export function rtmIv(timeReal: number, counter: number): Uint8Array {
  if (!Number.isInteger(timeReal) || timeReal < 0 || timeReal > 0xffffffff) throw new RangeError(`TimeReal ${timeReal} is outside 0..2^32-1`);
  if (!Number.isInteger(counter) || counter < 0 || counter > RTM_COUNTER_MAX) throw new RangeError(`RTM counter ${counter} is outside 0..${RTM_COUNTER_MAX}`);
  const iv = new Uint8Array(AES_BLOCK);
  new DataView(iv.buffer).setUint32(0, timeReal);
  iv[13] = counter >>> 16;
  iv[14] = (counter >>> 8) & 0xff;
  iv[15] = counter & 0xff;
  return iv;
}

/**
 * CSM_226: AES-CBC (m = 1) under K_VUDSRC_ENC of the OER TachographPayload, padded with ISO/IEC 9797-1 method
 * 2, which always adds the '80' (a 48-byte plaintext becomes 64 bytes).
 */
export function encryptRtmPayload(kEnc: Uint8Array, timeReal: number, counter: number, plaintext: Uint8Array): Uint8Array {
  return aesCbcEncrypt(kEnc, rtmIv(timeReal, counter), padMethod2(plaintext));
}

/** CSM_228 step 4: decrypts and strips the method-2 padding; a broken padding tail is an error value. */
export function decryptRtmPayload(kEnc: Uint8Array, timeReal: number, counter: number, ciphertext: Uint8Array): UnpadResult {
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) return { ok: false, reason: `ciphertext of ${ciphertext.length} octets is not whole AES blocks` };
  return unpadMethod2(aesCbcDecrypt(kEnc, rtmIv(timeReal, counter), ciphertext));
}

/**
 * CSM_227: AES-CMAC under K_VUDSRC_MAC over every preceding octet of the RTM data (tags and lengths included),
 * truncated to the cipher suite's MAC length (CSM_50: 8/12/16). Truncation keeps the leftmost octets, as
 * SP 800-38B §6.2 (Tlen) and App. 11's secure messaging (CSM_187) do.
 */
export function rtmMac(kMac: Uint8Array, macInput: Uint8Array): Uint8Array {
  return aesCmac(kMac, macInput).slice(0, dsrcMacLength(kMac.length));
}
