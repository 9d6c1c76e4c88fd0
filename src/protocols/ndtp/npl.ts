import { crc16Modbus } from './crc16-modbus.ts';
import { NdtpError } from './ndtp-error.ts';
import type { NdtpProfile } from './profiles.ts';

/**
 * The NPL (session layer) frame of NDTP v1.0 (seed 001 section 3-4). The seed's field table was lost in
 * extraction; the layout is the seed's own split of its packets, `7E7E 4200 0200 665A 02 00000000 0000`:
 *
 *   off len field
 *   0   2   signature 0x7E7E
 *   2   2   data size, u16 LE: the bytes after this 15-byte header
 *   4   2   flags, u16 LE: 0x0002 = CRC present (both seed packets carry exactly this)
 *   6   2   CRC-16/MODBUS of the data, stored in the profile's byte order (see profiles.ts)
 *   8   1   type: NPL_TYPE_NPH = 2 (both seed packets), NPL_TYPE_ERROR = 1
 *   9   4   <peer_address>, u32 LE: the sender's address (seed: the СТС's in СТС→ССД packets)
 *   13  2   request id, u16 LE
 *   15  n   data: an NPH packet, or a u32 LE error code for NPL_TYPE_ERROR
 *
 * "All data in NPL and NPH packets is little-endian unless stated otherwise" (seed 001 section 1).
 */
export const NPL_SIGNATURE = 0x7e7e;
export const NPL_HEADER_LENGTH = 15;
/** The largest data part a frame may carry (project choice: a 1024-byte frame, header included). */
export const NPL_MAX_DATA = 1024 - NPL_HEADER_LENGTH;
export const NPL_FLAG_CRC = 0x0002;

export const NplType = { error: 1, nph: 2 } as const;

/** NPL error codes (names from seed 001 section 4.1; its values were lost, these are the public Granit ones). */
export const NplError = {
  OK: 0,
  DECRYPTION_FAILED: 1,
  CRC_FAILED: 2,
  INVALID_PEER_ADDRESS: 100,
  PEER_NOT_AVAILABLE: 101,
  PEER_PERM_DENIED: 102,
  UNDEFINED: 0xffffffff,
} as const;

export interface NplFrame {
  type: number;
  flags: number;
  peerAddress: number;
  requestId: number;
  data: Uint8Array;
}

function writeCrc(out: Uint8Array, crc: number, order: NdtpProfile['crcOrder']): void {
  out[6] = order === 'msb' ? crc >> 8 : crc & 0xff;
  out[7] = order === 'msb' ? crc & 0xff : crc >> 8;
}

export function storedCrc(frame: Uint8Array, order: NdtpProfile['crcOrder']): number {
  return order === 'msb' ? (frame[6]! << 8) | frame[7]! : frame[6]! | (frame[7]! << 8);
}

export function encodeNpl(frame: NplFrame, p: NdtpProfile): Uint8Array {
  if (frame.data.length > NPL_MAX_DATA) throw new RangeError(`NPL data of ${frame.data.length} bytes exceeds ${NPL_MAX_DATA}`);
  const out = new Uint8Array(NPL_HEADER_LENGTH + frame.data.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, NPL_SIGNATURE, true);
  view.setUint16(2, frame.data.length, true);
  view.setUint16(4, frame.flags, true);
  out[8] = frame.type;
  view.setUint32(9, frame.peerAddress >>> 0, true);
  view.setUint16(13, frame.requestId, true);
  out.set(frame.data, NPL_HEADER_LENGTH);
  writeCrc(out, crc16Modbus(frame.data), p.crcOrder);
  return out;
}

/** Decodes one whole frame (as the deframer cut it), checking signature, size and CRC in the profile's order. */
export function decodeNpl(bytes: Uint8Array, p: NdtpProfile): NplFrame {
  if (bytes.length < NPL_HEADER_LENGTH) throw new NdtpError('truncated', `${bytes.length} bytes, an NPL header is ${NPL_HEADER_LENGTH}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0, true) !== NPL_SIGNATURE) throw new NdtpError('signature', `starts ${hex2(bytes[0]!)}${hex2(bytes[1]!)}, not 7E7E`);
  const size = view.getUint16(2, true);
  if (size > NPL_MAX_DATA) throw new NdtpError('size', `data size ${size} beyond ${NPL_MAX_DATA}`);
  if (bytes.length < NPL_HEADER_LENGTH + size) throw new NdtpError('truncated', `data size ${size}, only ${bytes.length - NPL_HEADER_LENGTH} bytes follow the header`);
  if (bytes.length > NPL_HEADER_LENGTH + size) throw new NdtpError('size', `data size ${size}, but ${bytes.length - NPL_HEADER_LENGTH} bytes follow the header`);
  const data = bytes.slice(NPL_HEADER_LENGTH);
  const crc = crc16Modbus(data);
  const stored = storedCrc(bytes, p.crcOrder);
  if (crc !== stored) {
    const swapped = storedCrc(bytes, p.crcOrder === 'msb' ? 'lsb' : 'msb') === crc;
    throw new NdtpError(
      'crc',
      swapped
        ? `CRC 0x${hex4(crc)} stored ${p.crcOrder === 'msb' ? 'LSB' : 'MSB'} first; profile ${p.name} stores it ${p.crcOrder.toUpperCase()} first`
        : `CRC-16/MODBUS of the data is 0x${hex4(crc)}, the frame says 0x${hex4(stored)}`,
    );
  }
  const type = bytes[8]!;
  if (type !== NplType.nph && type !== NplType.error) throw new NdtpError('npl-type', `NPL type ${type}`);
  return { type, flags: view.getUint16(4, true), peerAddress: view.getUint32(9, true), requestId: view.getUint16(13, true), data };
}

/** What a deframer found in a byte stream. */
export type NplPiece =
  | { kind: 'frame'; bytes: Uint8Array }
  /** Signature and size fit, the CRC fits in neither byte order: a damaged frame (the scan resumes inside it). */
  | { kind: 'corrupt'; bytes: Uint8Array; detail: string }
  /** Bytes skipped while looking for a signature (line noise, the tail of a lost frame). */
  | { kind: 'garbage'; bytes: Uint8Array };

/**
 * Cuts NPL frames out of a byte stream, resynchronising on garbage by scanning for 7E7E (the framing is
 * self-delimiting: signature, size, CRC). A candidate whose CRC fits neither byte order is reported as
 * corrupt and only its signature is skipped, so a real frame that starts inside a bogus header's span is
 * still found. The byte order is left to decodeNpl, which knows the profile.
 */
export class NplDeframer {
  private held: Uint8Array;

  /** `held`: bytes a previous deframer still held (a machine keeps them in its plain-data context). */
  constructor(held: ArrayLike<number> = []) {
    this.held = Uint8Array.from(held);
  }

  push(chunk: Uint8Array): NplPiece[] {
    const buf = new Uint8Array(this.held.length + chunk.length);
    buf.set(this.held);
    buf.set(chunk, this.held.length);
    const out: NplPiece[] = [];
    let at = 0;
    let garbageFrom = -1;
    const flushGarbage = (to: number) => {
      if (garbageFrom >= 0 && to > garbageFrom) out.push({ kind: 'garbage', bytes: buf.slice(garbageFrom, to) });
      garbageFrom = -1;
    };
    const skip = (n: number) => {
      if (garbageFrom < 0) garbageFrom = at;
      at += n;
    };
    while (at < buf.length) {
      if (buf[at] !== 0x7e || (at + 1 < buf.length && buf[at + 1] !== 0x7e)) {
        skip(1);
        continue;
      }
      if (buf.length - at < NPL_HEADER_LENGTH) break; // a header in the making
      const size = buf[at + 2]! | (buf[at + 3]! << 8);
      if (size > NPL_MAX_DATA) {
        skip(1);
        continue;
      }
      const end = at + NPL_HEADER_LENGTH + size;
      if (end > buf.length) break;
      const frame = buf.slice(at, end);
      const crc = crc16Modbus(frame.subarray(NPL_HEADER_LENGTH));
      if (crc === storedCrc(frame, 'msb') || crc === storedCrc(frame, 'lsb')) {
        flushGarbage(at);
        out.push({ kind: 'frame', bytes: frame });
        at = end;
      } else {
        flushGarbage(at);
        out.push({ kind: 'corrupt', bytes: frame, detail: `CRC-16/MODBUS of the data is 0x${hex4(crc)}, the frame says ${hex2(frame[6]!)}${hex2(frame[7]!)}` });
        at += 2;
      }
    }
    // Garbage that ends the chunk is reported now; an unfinished header is kept for the next chunk.
    flushGarbage(at);
    this.held = buf.slice(at);
    return out;
  }

  /** Bytes waiting for the rest of a frame. */
  get pending(): number {
    return this.held.length;
  }

  get heldBytes(): number[] {
    return [...this.held];
  }
}

/** The deframer as a pure step, for a machine's plain-data context: pieces found, and the bytes still held. */
export function deframeNpl(held: readonly number[], chunk: Uint8Array): { pieces: NplPiece[]; held: number[] } {
  const d = new NplDeframer(held);
  const pieces = d.push(chunk);
  return { pieces, held: d.heldBytes };
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
