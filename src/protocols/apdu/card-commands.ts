import { concatBytes } from '../../crypto/bytes.ts';
import { encodeTlv } from '../../crypto/pki/tlv.ts';
import { encodeWorkshopCardPin } from '../app1/app1-codec.ts';
import { command, type CommandApdu } from './command.ts';

/**
 * The App. 2 §3.5 commands a VU sends a tachograph card beyond SELECT / READ / UPDATE BINARY (commands.ts) and
 * the authentication set (security-commands.ts): VERIFY of the workshop PIN, READ BINARY with odd INS, and the
 * two download commands, PERFORM HASH OF FILE and PSO: COMPUTE DIGITAL SIGNATURE.
 */
export const CARD_INS = {
  VERIFY: 0x20,
  READ_BINARY_ODD: 0xb1,
  UPDATE_BINARY_ODD: 0xd7,
  PSO: 0x2a,
} as const;

/** App. 2 TCS_70..72: VERIFY, P2 '00' (the one PIN, no qualifier), Lc 8: the PIN in ASCII padded with 'FF' (App. 1 WorkshopCardPIN). */
export function verifyPin(pin: string): CommandApdu {
  return command(0x00, CARD_INS.VERIFY, 0x00, 0x00, encodeWorkshopCardPin(pin));
}

/**
 * App. 2 TCS_52 (§3.5.2.3): READ BINARY with odd INS 'B1' for files beyond 32 767 bytes: P1-P2 '0000' (the
 * current EF), the offset in DO '54' of the data field; the answer holds the data in DO '53'.
 */
export function readBinaryOdd(offset: number, length: number, cla = 0x00): CommandApdu {
  return command(cla, CARD_INS.READ_BINARY_ODD, 0x00, 0x00, offsetDo(offset), length);
}

/** TCS_52, TCS_65: DO '54' with the offset in the minimum number of octets ('01' up to 255, '02' up to 65 535). */
function offsetDo(offset: number): Uint8Array {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xffffff) throw new RangeError(`offset must be 0..16777215, got ${offset}`);
  const bytes = offset <= 0xff ? Uint8Array.of(offset) : offset <= 0xffff ? Uint8Array.of(offset >> 8, offset & 0xff) : Uint8Array.of(offset >> 16, (offset >> 8) & 0xff, offset & 0xff);
  return encodeTlv(0x54, bytes);
}

/**
 * App. 2 TCS_64, TCS_65 (§3.5.3.3): UPDATE BINARY with odd INS 'D7' for EFs of 32 768 bytes or more: P1-P2 '0000'
 * (the current EF), the data field DO '54' (the offset) ‖ DO '53' (the data), lengths in the fewest octets.
 */
export function updateBinaryOdd(offset: number, data: Uint8Array, cla = 0x00): CommandApdu {
  return command(cla, CARD_INS.UPDATE_BINARY_ODD, 0x00, 0x00, concatBytes(offsetDo(offset), encodeTlv(0x53, data)));
}

/** The offset and data of an odd-INS UPDATE BINARY's data field ('54' ‖ '53'), or null when it is not exactly those two DOs. */
export function oddInsUpdate(data: Uint8Array): { offset: number; data: Uint8Array } | null {
  if (data.length < 3 || data[0] !== 0x54) return null;
  const offset = oddInsOffset(data.subarray(0, 2 + data[1]!));
  if (offset === null) return null;
  let at = 2 + data[1]!;
  if (data[at] !== 0x53) return null;
  at++;
  let length = data[at++];
  if (length === undefined) return null;
  if (length === 0x81) length = data[at++];
  else if (length === 0x82) {
    if (at + 2 > data.length) return null;
    length = (data[at]! << 8) | data[at + 1]!;
    at += 2;
  } else if (length > 0x7f) return null;
  if (length === undefined || at + length !== data.length) return null;
  return { offset, data: data.subarray(at) };
}

/** App. 2 TCS_124: PERFORM HASH OF FILE, CLA '80', INS '2A', P1 '90', P2 '00': the hash of the current EF, kept by the card. */
export function performHashOfFile(): CommandApdu {
  return command(0x80, CARD_INS.PSO, 0x90, 0x00);
}

/**
 * App. 2 §3.5.14: PSO: COMPUTE DIGITAL SIGNATURE, P1 '9E' (the response is a digital signature), P2 '9A' (the
 * data to sign is the hash PERFORM HASH OF FILE computed), Le '00'.
 */
export function psoComputeDigitalSignature(): CommandApdu {
  return command(0x00, CARD_INS.PSO, 0x9e, 0x9a, new Uint8Array(0), 256);
}

/** The value of DO '54' (odd-INS offset), or null when the data field is not one such DO. */
export function oddInsOffset(data: Uint8Array): number | null {
  if (data.length < 3 || data[0] !== 0x54 || data[1] !== data.length - 2 || data[1]! > 3) return null;
  let v = 0;
  for (const b of data.subarray(2)) v = (v << 8) | b;
  return v;
}

/** The odd-INS READ BINARY answer: the data in DO '53'. */
export function oddInsResponse(data: Uint8Array): Uint8Array {
  return encodeTlv(0x53, data);
}
