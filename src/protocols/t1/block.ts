import { toHex } from '../../crypto/bytes.ts';
import { DecodeError } from '../decode-error.ts';

/** What the T=1 trace codec throws on a block it cannot describe (decodeBlock returns its errors). */
export class T1Error extends DecodeError {}

/**
 * ISO/IEC 7816-3 §11.3 T=1 block frame: prologue (NAD, PCB, LEN), information field (INF, 0..254 bytes),
 * epilogue (EDC). App. 12 GNS_17 fixes T=1 for the VU–EGF link. Only the LRC epilogue is supported: the
 * CRC option needs an ATR interface byte (TC3) that a serial EGF link never sends, so LRC, the default, applies.
 */
export type Bit = 0 | 1;

export type SBlockKind = 'resynch' | 'ifs' | 'abort' | 'wtx' | 'vpp-error';

export type T1Block =
  | { type: 'I'; nad: number; ns: Bit; more: boolean; inf: Uint8Array }
  | { type: 'R'; nad: number; nr: Bit; error: 'none' | 'edc' | 'other' }
  | { type: 'S'; nad: number; kind: SBlockKind; response: boolean; inf: Uint8Array };

/** ISO/IEC 7816-3 §11.3.2.2: LEN 'FF' is reserved, so INF holds at most 254 bytes. */
export const MAX_INF = 254;
/** ISO/IEC 7816-3 §11.4.2: IFSC and IFSD default to 32 when the ATR does not set them. */
export const DEFAULT_IFS = 32;

const S_CODES: Record<SBlockKind, number> = { resynch: 0, ifs: 1, abort: 2, wtx: 3, 'vpp-error': 4 };
const S_KINDS: Record<number, SBlockKind> = { 0: 'resynch', 1: 'ifs', 2: 'abort', 3: 'wtx', 4: 'vpp-error' };
const R_ERRORS = { none: 0, edc: 1, other: 2 } as const;

/** ISO/IEC 7816-3 §11.3.4: the LRC is the exclusive-or of every byte of the block before it. */
export function lrc(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

export function pcbOf(block: T1Block): number {
  switch (block.type) {
    // §11.3.2.2: I-block b8 = 0, b7 = N(S), b6 = M (more data).
    case 'I':
      return (block.ns << 6) | (block.more ? 0x20 : 0);
    // R-block b8-b7 = 10, b5 = N(R), b4-b1 = 0 (error free), 1 (EDC or parity error), 2 (other error).
    case 'R':
      return 0x80 | (block.nr << 4) | R_ERRORS[block.error];
    // S-block b8-b7 = 11, b6 = 1 for a response, b5-b1 the function.
    case 'S':
      return 0xc0 | (block.response ? 0x20 : 0) | S_CODES[block.kind];
  }
}

export function encodeBlock(block: T1Block): Uint8Array {
  const inf = block.type === 'R' ? new Uint8Array(0) : block.inf;
  if (inf.length > MAX_INF) throw new RangeError(`T=1 INF holds at most ${MAX_INF} bytes, got ${inf.length}`);
  const out = new Uint8Array(4 + inf.length);
  out[0] = block.nad & 0xff;
  out[1] = pcbOf(block);
  out[2] = inf.length;
  out.set(inf, 3);
  out[out.length - 1] = lrc(out.subarray(0, out.length - 1));
  return out;
}

export type DecodeResult =
  | { ok: true; block: T1Block }
  /** `edc`: the LRC does not match; `other`: a malformed block (§11.6.2 tells an R-block which one). */
  | { ok: false; error: 'edc' | 'other'; reason: string };

export function decodeBlock(frame: Uint8Array): DecodeResult {
  if (frame.length < 4) return { ok: false, error: 'other', reason: `a T=1 block is at least 4 bytes, got ${frame.length}` };
  const [nad, pcb, len] = [frame[0]!, frame[1]!, frame[2]!];
  if (len === 0xff) return { ok: false, error: 'other', reason: "LEN 'FF' is reserved" };
  if (frame.length !== len + 4) return { ok: false, error: 'other', reason: `LEN ${len} needs ${len + 4} bytes, got ${frame.length}` };
  const expected = lrc(frame.subarray(0, frame.length - 1));
  const got = frame[frame.length - 1]!;
  if (expected !== got) return { ok: false, error: 'edc', reason: `LRC ${hex(got)} should be ${hex(expected)}` };
  const inf = frame.slice(3, 3 + len);
  if ((pcb & 0x80) === 0) {
    if (pcb & 0x1f) return { ok: false, error: 'other', reason: `I-block PCB ${hex(pcb)} has reserved bits set` };
    return { ok: true, block: { type: 'I', nad, ns: ((pcb >> 6) & 1) as Bit, more: (pcb & 0x20) !== 0, inf } };
  }
  if ((pcb & 0xc0) === 0x80) {
    const code = pcb & 0x0f;
    if (pcb & 0x20 || code > 2) return { ok: false, error: 'other', reason: `R-block PCB ${hex(pcb)} is not defined` };
    if (len !== 0) return { ok: false, error: 'other', reason: `an R-block has no INF, got LEN ${len}` };
    const error = code === 0 ? 'none' : code === 1 ? 'edc' : 'other';
    return { ok: true, block: { type: 'R', nad, nr: ((pcb >> 4) & 1) as Bit, error } };
  }
  const kind = S_KINDS[pcb & 0x1f];
  const response = (pcb & 0x20) !== 0;
  if (!kind || (kind === 'vpp-error' && !response)) return { ok: false, error: 'other', reason: `S-block PCB ${hex(pcb)} is not defined` };
  // §11.3.2.2: IFS and WTX carry one byte; RESYNCH and the VPP error none; ABORT none in this rig.
  const wantLen = kind === 'ifs' || kind === 'wtx' ? 1 : 0;
  if (len !== wantLen) return { ok: false, error: 'other', reason: `S(${kind}) carries ${wantLen} INF byte(s), got ${len}` };
  if (kind === 'ifs' && (inf[0]! < 1 || inf[0]! > MAX_INF)) return { ok: false, error: 'other', reason: `IFS ${inf[0]} is outside 1..254` };
  return { ok: true, block: { type: 'S', nad, kind, response, inf } };
}

/** A JSON-able view for traces and test messages. */
export function describeBlock(block: T1Block): Record<string, unknown> {
  switch (block.type) {
    case 'I':
      return { block: 'I', nad: block.nad, ns: block.ns, more: block.more, inf: toHex(block.inf).toUpperCase() };
    case 'R':
      return { block: 'R', nad: block.nad, nr: block.nr, error: block.error };
    case 'S':
      return { block: 'S', nad: block.nad, kind: block.kind, response: block.response, ...(block.inf.length ? { inf: toHex(block.inf).toUpperCase() } : {}) };
  }
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
