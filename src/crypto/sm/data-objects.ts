import { concatBytes } from '../bytes.ts';

/**
 * The secure messaging data objects of App. 11 Table 5 (CSM_188), DER TLV with one-byte tags and lengths in
 * one to three octets (CSM_189), and the order they must appear in.
 */
export const SM_TAG = {
  plain: 0x81,
  plainBerTlv: 0xb3,
  cryptogram: 0x87,
  protectedLe: 0x97,
  processingStatus: 0x99,
  checksum: 0x8e,
} as const;

/** CSM_188: "In any message, these data objects shall be used in the order specified in this table." */
export const SM_ORDER: readonly number[] = [0x81, 0xb3, 0x87, 0x97, 0x99, 0x8e];

export interface SmDataObject {
  tag: number;
  value: Uint8Array;
}

/** CSM_189: the minimum number of length octets: 'xx' below 128, '81 xx' below 256, '82 xx xx' to 65 535. */
export function encodeDo(tag: number, value: Uint8Array): Uint8Array {
  const n = value.length;
  if (n > 0xffff) throw new RangeError(`an SM data object holds at most 65 535 bytes, got ${n}`);
  const length = n < 0x80 ? [n] : n <= 0xff ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return concatBytes(Uint8Array.of(tag, ...length), value);
}

export type DoParseResult = { ok: true; objects: SmDataObject[] } | { ok: false; reason: string };

/** Splits an SM data field into its objects; a truncated object, a non-minimal length or a long tag is refused. */
export function parseDos(data: Uint8Array): DoParseResult {
  const objects: SmDataObject[] = [];
  let at = 0;
  while (at < data.length) {
    const tag = data[at]!;
    if ((tag & 0x1f) === 0x1f) return { ok: false, reason: `multi-byte tag at offset ${at}` };
    let n = data[at + 1];
    if (n === undefined) return { ok: false, reason: `no length after tag ${hex(tag)}` };
    let head = 2;
    if (n === 0x81 || n === 0x82) {
      const octets = n - 0x80;
      if (at + 2 + octets > data.length) return { ok: false, reason: `length of ${hex(tag)} cut short` };
      n = octets === 1 ? data[at + 2]! : (data[at + 2]! << 8) | data[at + 3]!;
      if ((octets === 1 && n < 0x80) || (octets === 2 && n <= 0xff)) return { ok: false, reason: `length of ${hex(tag)} is not in its minimal form (CSM_189)` };
      head += octets;
    } else if (n > 0x80) return { ok: false, reason: `length octet ${hex(n)} of ${hex(tag)} is not allowed` };
    if (at + head + n > data.length) return { ok: false, reason: `value of ${hex(tag)} runs past the data field` };
    objects.push({ tag, value: data.slice(at + head, at + head + n) });
    at += head + n;
  }
  return { ok: true, objects };
}

/**
 * CSM_193/CSM_192 SM errors of structure: every object known, in Table 5 order, none twice, and the expected
 * ones present. Returns the reason of the first violation, or null.
 */
export function checkOrder(objects: readonly SmDataObject[], allowed: readonly number[], required: readonly number[]): string | null {
  let last = -1;
  for (const o of objects) {
    if (!allowed.includes(o.tag)) return `unexpected data object ${hex(o.tag)}`;
    const rank = SM_ORDER.indexOf(o.tag);
    if (rank <= last) return `data object ${hex(o.tag)} out of order or repeated`;
    last = rank;
  }
  for (const tag of required) if (!objects.some((o) => o.tag === tag)) return `data object ${hex(tag)} missing`;
  return null;
}

function hex(b: number): string {
  return `'${b.toString(16).toUpperCase().padStart(2, '0')}'`;
}
