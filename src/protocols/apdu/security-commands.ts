import { concatBytes } from '../../crypto/bytes.ts';
import { encodeTlv, readTlv, readTlvSequence } from '../../crypto/pki/tlv.ts';
import { command, type CommandApdu } from './command.ts';

/**
 * The App. 2 commands of App. 11 §10.2-§10.4 that a VU sends to a card or, with the EGF taking the card's role
 * (CSM_198), to an external GNSS facility.
 */
export const SECURITY_INS = {
  MSE: 0x22,
  PSO: 0x2a,
  GET_CHALLENGE: 0x84,
  EXTERNAL_AUTHENTICATE: 0x82,
  GENERAL_AUTHENTICATE: 0x86,
} as const;

export const OID = {
  /** ecdsa-with-SHA256 1.2.840.10045.4.3.2: VU Authentication with a 256-bit VU_MA key (CSM_163, CSM_50). */
  ecdsaWithSha256: Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02),
  /** id-CA-ECDH-AES-CBC-CMAC-128 0.4.0.127.0.7.2.2.3.2.2 (BSI TR-03110): chip authentication for CS#1. */
  caEcdhAes128Cmac: Uint8Array.of(0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02),
} as const;

/** MSE: SET DST: '83' the CAR of the certificate to be verified (Figure 5). */
export function mseSetDst(car: Uint8Array): CommandApdu {
  return command(0x00, SECURITY_INS.MSE, 0x81, 0xb6, encodeTlv(0x83, car));
}

/** PSO: VERIFY CERTIFICATE: the certificate's body and signature, without the outer '7F21'. */
export function psoVerifyCertificate(bodyAndSignature: Uint8Array): CommandApdu {
  return command(0x00, SECURITY_INS.PSO, 0x00, 0xbe, bodyAndSignature);
}

/** PSO: VERIFY CERTIFICATE of a whole certificate (DER, '7F21' ‖ length ‖ body ‖ signature): its body and signature. */
export function psoVerifyCertificateOf(der: Uint8Array): CommandApdu {
  return psoVerifyCertificate(readTlv(der, 0).value);
}

/** MSE: SET AT for VU Authentication (CSM_163, CSM_164). */
export function mseSetAtVuAuthentication(vuChr: Uint8Array, compEph: Uint8Array): CommandApdu {
  return command(0x00, SECURITY_INS.MSE, 0x81, 0xa4, concatBytes(encodeTlv(0x80, OID.ecdsaWithSha256), encodeTlv(0x83, vuChr), encodeTlv(0x91, compEph)));
}

export function getChallenge(): CommandApdu {
  return command(0x00, SECURITY_INS.GET_CHALLENGE, 0x00, 0x00, new Uint8Array(0), 8);
}

export function externalAuthenticate(signature: Uint8Array): CommandApdu {
  return command(0x00, SECURITY_INS.EXTERNAL_AUTHENTICATE, 0x00, 0x00, signature);
}

/** MSE: SET AT for Chip Authentication (CSM_176 step 1). */
export function mseSetAtChipAuthentication(): CommandApdu {
  return command(0x00, SECURITY_INS.MSE, 0x41, 0xa4, encodeTlv(0x80, OID.caEcdhAes128Cmac));
}

/** GENERAL AUTHENTICATE with VU.PKeph (CSM_176 step 2), Le '00'. */
export function generalAuthenticate(ephemeralPoint: Uint8Array): CommandApdu {
  return command(0x00, SECURITY_INS.GENERAL_AUTHENTICATE, 0x00, 0x00, encodeTlv(0x7c, encodeTlv(0x80, ephemeralPoint)), 256);
}

/**
 * The answer to GENERAL AUTHENTICATE (CSM_176 step 5, App. 2 TCS_101): '7C' { '81' NPICC (8 bytes), '82'
 * TPICC }, exactly; null for anything else.
 */
export function dynamicAuthenticationData(data: Uint8Array): { nonce: Uint8Array; token: Uint8Array } | null {
  try {
    const outer = readTlv(data, 0);
    if (outer.tag !== 0x7c || outer.length !== data.length) return null;
    const inner = new Map(readTlvSequence(outer.value).map((t) => [t.tag, t.value]));
    const nonce = inner.get(0x81);
    const token = inner.get(0x82);
    return nonce && token && nonce.length === 8 ? { nonce, token } : null;
  } catch {
    return null;
  }
}
