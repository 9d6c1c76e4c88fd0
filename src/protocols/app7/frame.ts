/**
 * App. 7 §2.2.1 message frame (DDP_002): header FMT TGT SRC [LEN], data field SID [DS_|TRTP|TREP] data, CS.
 * KWP 2000 (ISO 14230-2) framing: FMT bit 7 set means physical addressing with TGT and SRC bytes; its low six
 * bits carry the data length, or 0 when a separate LEN byte follows.
 */

import { DecodeError } from '../decode-error.ts';

/** What the App. 7 trace codec throws on a frame it cannot describe (the frame decoder returns its errors). */
export class App7FrameError extends DecodeError {}

/** DDP_002: physical addresses. */
export const ADDRESS = { VU: 0xee, IDE: 0xf0 } as const;

/** FMT with a separate LEN byte: every App. 7 message except the Start Communication Request. */
export const FMT_WITH_LEN = 0x80;

/** DDP_002: at most 255 bytes of data field. */
export const MAX_DATA_LENGTH = 255;

export interface App7Frame {
  fmt: number;
  tgt: number;
  src: number;
  /** SID and what follows, without header and checksum. */
  data: Uint8Array;
}

export type FrameErrorCode = 'too-short' | 'bad-format' | 'bad-length' | 'bad-checksum';

export type DecodedFrame = { ok: true; frame: App7Frame } | { ok: false; error: { code: FrameErrorCode; message: string } };

/** DDP_002: the 8-bit sum, modulo 256, of every byte of the message except the CS itself. */
export function checksum(bytes: Uint8Array | readonly number[], end = bytes.length): number {
  let sum = 0;
  for (let i = 0; i < end; i++) sum = (sum + bytes[i]!) & 0xff;
  return sum;
}

/**
 * Encodes a frame. `lengthInFmt` codes the length in FMT (`81` for a one-byte data field) with no LEN byte,
 * as the seed's Start Communication Request does; otherwise FMT is `80` and LEN follows.
 */
export function encodeFrame(tgt: number, src: number, data: Uint8Array | readonly number[], lengthInFmt = false): Uint8Array {
  const n = data.length;
  if (n < 1 || n > MAX_DATA_LENGTH) throw new RangeError(`App. 7 data field must hold 1..255 bytes, got ${n}`);
  if (lengthInFmt && n > 0x3f) throw new RangeError(`a length coded in FMT is at most 63, got ${n}`);
  const header = lengthInFmt ? [0x80 | n, tgt, src] : [FMT_WITH_LEN, tgt, src, n];
  const out = new Uint8Array(header.length + n + 1);
  out.set(header, 0);
  out.set(data, header.length);
  out[out.length - 1] = checksum(out, out.length - 1);
  return out;
}

/**
 * Header length and data length announced by the frame starting at `offset`, or null while too few bytes
 * are known. Reads at most four bytes, whatever follows.
 */
export function announcedLength(bytes: readonly number[] | Uint8Array, offset = 0): { header: number; data: number } | 'bad-format' | null {
  if (bytes.length - offset <= 0) return null;
  const fmt = bytes[offset]!;
  if ((fmt & 0xc0) !== 0x80) return 'bad-format';
  const inFmt = fmt & 0x3f;
  if (inFmt !== 0) return { header: 3, data: inFmt };
  if (bytes.length - offset < 4) return null;
  const len = bytes[offset + 3]!;
  return len === 0 ? 'bad-format' : { header: 4, data: len };
}

/** Decodes one complete frame: format, length (DDP_022 "wrong number of bytes") and checksum. */
export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  const fail = (code: FrameErrorCode, message: string): DecodedFrame => ({ ok: false, error: { code, message } });
  if (bytes.length < 5) return fail('too-short', `${bytes.length} bytes: shorter than any App. 7 frame`);
  const a = announcedLength(bytes);
  if (a === null || a === 'bad-format') return fail('bad-format', `FMT ${hex(bytes[0]!)} is not an address-mode header`);
  const total = a.header + a.data + 1;
  if (bytes.length !== total) return fail('bad-length', `header announces ${a.data} data bytes (${total} in all), got ${bytes.length} bytes`);
  const cs = checksum(bytes, total - 1);
  if (cs !== bytes[total - 1]) return fail('bad-checksum', `checksum ${hex(bytes[total - 1]!)}, expected ${hex(cs)}`);
  return { ok: true, frame: { fmt: bytes[0]!, tgt: bytes[1]!, src: bytes[2]!, data: bytes.slice(a.header, a.header + a.data) } };
}

export const hex = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
