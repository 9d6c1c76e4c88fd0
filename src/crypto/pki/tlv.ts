import { concatBytes } from '../bytes.ts';

/**
 * The DER subset CV certificates use (CSM_135): one- or two-byte tags (ISO 7816-4 application and context
 * tags such as '7F 21', '5F 29', '42', '86') and definite lengths in the fewest octets, at most three
 * (max 65 535). Small and strict on purpose: a certificate that is not minimal DER is rejected, not repaired.
 */
export interface Tlv {
  tag: number;
  value: Uint8Array;
  /** Offset of the tag in the parsed buffer, and the whole element's length (tag + length + value). */
  offset: number;
  length: number;
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes = tag > 0xff ? Uint8Array.of(tag >> 8, tag & 0xff) : Uint8Array.of(tag);
  return concatBytes(tagBytes, encodeLength(value.length), value);
}

function encodeLength(n: number): Uint8Array {
  // CSM_135: the minimum number of octets, up to 65 535
  if (n < 0x80) return Uint8Array.of(n);
  if (n <= 0xff) return Uint8Array.of(0x81, n);
  if (n <= 0xffff) return Uint8Array.of(0x82, n >> 8, n & 0xff);
  throw new RangeError(`a CV certificate element is at most 65 535 bytes, got ${n}`);
}

/** Reads one element at `offset`. */
export function readTlv(bytes: Uint8Array, offset = 0): Tlv {
  let at = offset;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new Error(`TLV at ${offset}: truncated`);
  };
  need(1);
  let tag = bytes[at++]!;
  // ISO 7816-4: low five bits all set mean a second tag byte follows
  if ((tag & 0x1f) === 0x1f) {
    need(1);
    tag = (tag << 8) | bytes[at++]!;
  }
  need(1);
  let len = bytes[at++]!;
  if (len === 0x81) {
    need(1);
    len = bytes[at++]!;
    if (len < 0x80) throw new Error(`TLV at ${offset}: length ${len} not in minimal form`);
  } else if (len === 0x82) {
    need(2);
    len = (bytes[at]! << 8) | bytes[at + 1]!;
    at += 2;
    if (len <= 0xff) throw new Error(`TLV at ${offset}: length ${len} not in minimal form`);
  } else if (len >= 0x80) {
    throw new Error(`TLV at ${offset}: length form 0x${len.toString(16)} not allowed`);
  }
  need(len);
  return { tag, value: bytes.subarray(at, at + len), offset, length: at + len - offset };
}

/** Reads consecutive elements filling `bytes` exactly. */
export function readTlvSequence(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    const t = readTlv(bytes, at);
    out.push(t);
    at += t.length;
  }
  return out;
}

/** Reads `expected` elements in this exact order, naming the first that is missing or different. */
export function expectTlvs(bytes: Uint8Array, expected: readonly number[], where: string): Uint8Array[] {
  const items = readTlvSequence(bytes);
  const hexTag = (t: number) => t.toString(16).toUpperCase().padStart(t > 0xff ? 4 : 2, '0');
  expected.forEach((tag, i) => {
    const got = items[i];
    if (!got) throw new Error(`${where}: missing element '${hexTag(tag)}'`);
    if (got.tag !== tag) throw new Error(`${where}: element ${i + 1} is '${hexTag(got.tag)}', expected '${hexTag(tag)}'`);
  });
  if (items.length !== expected.length) throw new Error(`${where}: ${items.length - expected.length} unexpected element(s) after the last`);
  return items.map((t) => t.value);
}
