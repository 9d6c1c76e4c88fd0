import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { hkdf } from '../../crypto/hkdf.ts';
import { crc16Modbus } from './crc16-modbus.ts';
import { NdtpError } from './ndtp-error.ts';
import { NPL_HEADER_LENGTH, NPL_MAX_DATA } from './npl.ts';
import type { NdtpProfile } from './profiles.ts';

/**
 * The secure NDTP session. Seed 001 section 5: the connection is secure or insecure, chosen by the client
 * in <connection_flags>; when secure, every packet but NPH_SGC_CONN_REQUEST and NPH_SGC_CONN_AUTH_STRING is
 * encrypted; a refusal is an unencrypted NPH_RESULT, and NPL_TYPE_ERROR is never encrypted (section 4.1).
 * NPL flag 0x0001 marks an encrypted frame (public Granit layout). The seed names no cipher and no key
 * agreement; the rig's choice (README "NDTP", with the reasons):
 *
 *  - a 128-bit key per terminal, pre-shared: the server registers it beside the terminal's address, as it
 *    registers the authentication string;
 *  - in a secure session the AUTH_STRING is `<nonce>.<proof>` (base64url, 45 printable characters): a fresh
 *    16-byte nonce from the terminal, and HMAC-SHA256(key, "NDTP-AUTH" ‖ peer u32 LE ‖ nonce) cut to 16
 *    bytes, which proves the key without showing it;
 *  - session keys: HKDF-SHA256(key, salt nonce, info "NDTP-SESSION" ‖ peer u32 LE), 32 bytes: the first 16
 *    encrypt terminal → server, the last 16 server → terminal (a key per direction: no IV is ever used twice
 *    under one key);
 *  - an encrypted frame's data: a counter u32 LE (1, 2, ... per direction and session; the receiver takes
 *    only a higher one than the last: no replay), then AES-128-GCM of the plain data, then its 16-byte tag.
 *    IV: 8 zero bytes ‖ the counter u32 BE. Additional data: the NPL header but size and CRC (flags, type,
 *    peer address, request id), so a header changed on the way fails too. The CRC covers the data as sent.
 */
export const NPL_FLAG_ENCRYPTED = 0x0001;
export const SESSION_KEY_LENGTH = 16;
const NONCE_LENGTH = 16;
const PROOF_LENGTH = 16;
const TAG_LENGTH = 16;
const COUNTER_LENGTH = 4;
/** What encryption adds to a frame's data. */
export const SECURE_OVERHEAD = COUNTER_LENGTH + TAG_LENGTH;

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const u32le = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
};

/** The terminal's proof that it holds `key`, for its nonce. */
export function authProof(key: Uint8Array, peerAddress: number, nonce: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(ascii('NDTP-AUTH')).update(u32le(peerAddress)).update(nonce).digest()).subarray(0, PROOF_LENGTH);
}

export function encodeSecureAuth(nonce: Uint8Array, proof: Uint8Array): string {
  return `${Buffer.from(nonce).toString('base64url')}.${Buffer.from(proof).toString('base64url')}`;
}

/** The nonce and proof of a secure session's AUTH_STRING; undefined when it is not one. */
export function decodeSecureAuth(text: string): { nonce: Uint8Array; proof: Uint8Array } | undefined {
  const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(text);
  if (!m) return undefined;
  return { nonce: new Uint8Array(Buffer.from(m[1]!, 'base64url')), proof: new Uint8Array(Buffer.from(m[2]!, 'base64url')) };
}

export function proofMatches(key: Uint8Array, peerAddress: number, nonce: Uint8Array, proof: Uint8Array): boolean {
  const expected = authProof(key, peerAddress, nonce);
  return proof.length === expected.length && timingSafeEqual(expected, proof);
}

export function newNonce(bytes: (n: number) => Uint8Array): Uint8Array {
  return bytes(NONCE_LENGTH);
}

/** The two session keys: `up` terminal → server, `down` server → terminal. */
export function sessionKeys(key: Uint8Array, peerAddress: number, nonce: Uint8Array): { up: Uint8Array; down: Uint8Array } {
  const okm = hkdf('sha256', key, nonce, new Uint8Array([...ascii('NDTP-SESSION'), ...u32le(peerAddress)]), 2 * SESSION_KEY_LENGTH);
  return { up: okm.slice(0, SESSION_KEY_LENGTH), down: okm.slice(SESSION_KEY_LENGTH) };
}

export function isEncrypted(frame: Uint8Array): boolean {
  return frame.length >= NPL_HEADER_LENGTH && ((frame[4]! | (frame[5]! << 8)) & NPL_FLAG_ENCRYPTED) !== 0;
}

function iv(counter: number): Uint8Array {
  const out = new Uint8Array(12);
  new DataView(out.buffer).setUint32(8, counter >>> 0, false);
  return out;
}

/** Flags, type, peer address, request id: the header but size and CRC (which change with encryption). */
function additionalData(frame: Uint8Array): Uint8Array {
  return new Uint8Array([frame[4]!, frame[5]!, ...frame.subarray(8, NPL_HEADER_LENGTH)]);
}

function reframe(header: Uint8Array, data: Uint8Array, p: NdtpProfile): Uint8Array {
  const out = new Uint8Array(NPL_HEADER_LENGTH + data.length);
  out.set(header.subarray(0, NPL_HEADER_LENGTH));
  out[2] = data.length & 0xff;
  out[3] = data.length >> 8;
  out.set(data, NPL_HEADER_LENGTH);
  const crc = crc16Modbus(data);
  out[6] = p.crcOrder === 'msb' ? crc >> 8 : crc & 0xff;
  out[7] = p.crcOrder === 'msb' ? crc & 0xff : crc >> 8;
  return out;
}

/** A whole plain NPL frame encrypted under `key` with `counter`: the flag set, data sealed, size and CRC anew. */
export function sealFrame(plain: Uint8Array, key: Uint8Array, counter: number, p: NdtpProfile): Uint8Array {
  if (plain.length - NPL_HEADER_LENGTH + SECURE_OVERHEAD > NPL_MAX_DATA) throw new RangeError(`NPL data of ${plain.length - NPL_HEADER_LENGTH} bytes is too long to encrypt`);
  const header = plain.slice(0, NPL_HEADER_LENGTH);
  const flags = (header[4]! | (header[5]! << 8)) | NPL_FLAG_ENCRYPTED;
  header[4] = flags & 0xff;
  header[5] = flags >> 8;
  const cipher = createCipheriv('aes-128-gcm', key, iv(counter), { authTagLength: TAG_LENGTH });
  cipher.setAAD(additionalData(header));
  const body = Buffer.concat([cipher.update(plain.subarray(NPL_HEADER_LENGTH)), cipher.final()]);
  return reframe(header, new Uint8Array([...u32le(counter), ...body, ...cipher.getAuthTag()]), p);
}

/**
 * The plain frame inside an encrypted one (its CRC already checked by the deframer), the flag cleared. Throws
 * NdtpError 'decrypt' when the tag does not verify (another key, a changed byte or header) or the counter is
 * not above `lastCounter` (a replay).
 */
export function openFrame(frame: Uint8Array, key: Uint8Array, lastCounter: number, p: NdtpProfile): { plain: Uint8Array; counter: number } {
  if (!isEncrypted(frame)) throw new NdtpError('decrypt', 'the frame is not encrypted');
  const data = frame.subarray(NPL_HEADER_LENGTH);
  if (data.length < SECURE_OVERHEAD) throw new NdtpError('decrypt', `${data.length} bytes of encrypted data, at least ${SECURE_OVERHEAD} expected`);
  const counter = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
  if (counter <= lastCounter) throw new NdtpError('decrypt', `counter ${counter} not above ${lastCounter}: a replay`);
  const decipher = createDecipheriv('aes-128-gcm', key, iv(counter), { authTagLength: TAG_LENGTH });
  decipher.setAAD(additionalData(frame));
  decipher.setAuthTag(data.subarray(data.length - TAG_LENGTH));
  let body: Buffer;
  try {
    body = Buffer.concat([decipher.update(data.subarray(COUNTER_LENGTH, data.length - TAG_LENGTH)), decipher.final()]);
  } catch {
    throw new NdtpError('decrypt', 'the AES-GCM tag does not verify (another key, or bytes changed on the way)');
  }
  const header = frame.slice(0, NPL_HEADER_LENGTH);
  const flags = (header[4]! | (header[5]! << 8)) & ~NPL_FLAG_ENCRYPTED;
  header[4] = flags & 0xff;
  header[5] = flags >> 8;
  return { plain: reframe(header, new Uint8Array(body), p), counter };
}
