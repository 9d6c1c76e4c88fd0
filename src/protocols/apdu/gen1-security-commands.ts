import { concatBytes } from '../../crypto/bytes.ts';
import { command, type CommandApdu } from './command.ts';

/**
 * The App. 2 command variants of the gen1 mutual authentication (App. 11 Part A §4, CSM_020) that differ from
 * the gen2 ones; GET CHALLENGE and EXTERNAL AUTHENTICATE share their gen2 coding (security-commands.ts).
 */
export const G1_SECURITY_INS = { INTERNAL_AUTHENTICATE: 0x88 } as const;

/** MSE: SET (TCS_106): P1 'C1', P2 'B6', '83' 08 the key identifier of the public key to use next. */
export function mseSetG1(keyIdentifier: Uint8Array): CommandApdu {
  if (keyIdentifier.length !== 8) throw new RangeError(`a key identifier is 8 bytes, not ${keyIdentifier.length}`);
  return command(0x00, 0x22, 0xc1, 0xb6, concatBytes(Uint8Array.of(0x83, 0x08), keyIdentifier));
}

/** PSO: VERIFY CERTIFICATE, gen1 (TCS_84): P2 'AE', the 194-byte certificate as it is. */
export function psoVerifyCertificateG1(certificate: Uint8Array): CommandApdu {
  return command(0x00, 0x2a, 0x00, 0xae, certificate);
}

/** INTERNAL AUTHENTICATE (TCS_93): RND1 ‖ VU.CHR, Le '80' (the 128-byte token). */
export function internalAuthenticate(rnd1: Uint8Array, vuChr: Uint8Array): CommandApdu {
  if (rnd1.length !== 8 || vuChr.length !== 8) throw new RangeError('INTERNAL AUTHENTICATE takes an 8-byte challenge and an 8-byte VU.CHR');
  return command(0x00, G1_SECURITY_INS.INTERNAL_AUTHENTICATE, 0x00, 0x00, concatBytes(rnd1, vuChr), 0x80);
}
