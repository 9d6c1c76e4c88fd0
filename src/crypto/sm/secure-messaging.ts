import type { AesKeyBits } from '../aes.ts';
import { bytesEqual, concatBytes, fromHex, toHex } from '../bytes.ts';
import { aesCmac } from '../cmac.ts';
import { padMethod2 } from '../padding.ts';
import { checkOrder, encodeDo, parseDos, SM_TAG } from './data-objects.ts';
import { macLengthOf, type SessionKeys } from './key-agreement.ts';

/**
 * Secure messaging in authentication-only mode (App. 11 §10.5, CSM_214 for the EGF): every command and
 * response carries a CMAC over the send sequence counter and its padded header and data objects.
 * Pure functions over a plain-data session, so either end (the EGF, the VU) keeps it in machine context.
 *
 * The APDU shapes are the minimal ones this module needs (no dependency on the APDU codec): a command is
 * CLA INS P1 P2, data and Ne; a response is data and SW.
 */
export interface SmCommand {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** Ne; undefined when the command has no Le field. 256 is coded '00'. */
  le?: number;
}

export interface SmResponse {
  data: Uint8Array;
  sw: number;
}

export interface SmSession {
  /** Session keys, hex (CSM_184). KENC is kept though authentication-only mode never encrypts. */
  kEnc: string;
  kMac: string;
  /** CSM_185: 128-bit counter, MSB first, hex. */
  ssc: string;
  /** Command/response pairs exchanged in this session (CSM_192/CSM_193 limit). */
  pairs: number;
}

/** CSM_192, CSM_193: at most 240 SM commands and their responses per session. */
export const SM_SESSION_LIMIT = 240;

/** CSM_190: the class byte of a protected APDU. */
export const SM_CLA = 0x0c;

/** CSM_194: the card's (and EGF's) status for missing/misordered/unknown DOs, and for an incorrect DO. */
export const SM_SW = { missingOrUnknown: 0x6987, incorrect: 0x6988 } as const;

/** CSM_185: SSC = 0 when secure messaging starts. */
export function startSession(keys: SessionKeys): SmSession {
  return { kEnc: toHex(keys.kEnc), kMac: toHex(keys.kMac), ssc: '00'.repeat(16), pairs: 0 };
}

/** True when the session has used up its command/response pairs and must be re-established (CSM_193). */
export function sessionExhausted(s: SmSession, limit = SM_SESSION_LIMIT): boolean {
  return s.pairs >= limit;
}

export function incrementSsc(ssc: string): string {
  const b = fromHex(ssc);
  for (let i = b.length - 1; i >= 0; i--) {
    b[i] = (b[i]! + 1) & 0xff;
    if (b[i] !== 0) break;
  }
  return toHex(b);
}

/** CSM_187, CSM_191: CMAC(KMAC, SSC ‖ padded datagram), truncated to the suite's MAC length. */
function mac(s: SmSession, ssc: string, datagram: Uint8Array): Uint8Array {
  const kMac = fromHex(s.kMac);
  return aesCmac(kMac, concatBytes(fromHex(ssc), datagram)).slice(0, macLengthOf((kMac.length * 8) as AesKeyBits));
}

/** CSM_191: the header and the data objects are each padded (ISO/IEC 7816-4: '80 00..') for the MAC. */
function commandDatagram(ins: number, p1: number, p2: number, dos: Uint8Array): Uint8Array {
  const header = padMethod2(Uint8Array.of(SM_CLA, ins, p1, p2));
  return dos.length === 0 ? header : concatBytes(header, padMethod2(dos));
}

/**
 * CSM_188, App. 2 TCS_54, TCS_67: the plain value of a command with an odd INS (its data field BER-TLV coded: READ
 * and UPDATE BINARY 'B1', 'D7') goes in DO 'B3', of any other in DO '81'; so does the response's data.
 */
export const plainTagOf = (ins: number): number => (ins & 1 ? SM_TAG.plainBerTlv : SM_TAG.plain);

/** The protected command: data as DO '81' ('B3' for an odd INS), Ne as DO '97', the MAC as DO '8E', Le '00' (CSM_190, CSM_191). */
export function wrapCommand(s: SmSession, c: SmCommand): { session: SmSession; command: SmCommand } {
  const ssc = incrementSsc(s.ssc);
  const dos = concatBytes(
    c.data.length > 0 ? encodeDo(plainTagOf(c.ins), c.data) : new Uint8Array(0),
    c.le !== undefined ? encodeDo(SM_TAG.protectedLe, Uint8Array.of(c.le & 0xff)) : new Uint8Array(0),
  );
  const cc = mac(s, ssc, commandDatagram(c.ins, c.p1, c.p2, dos));
  return {
    session: { ...s, ssc },
    command: { cla: SM_CLA, ins: c.ins, p1: c.p1, p2: c.p2, data: concatBytes(dos, encodeDo(SM_TAG.checksum, cc)), le: 256 },
  };
}

export type UnwrapCommandResult = { ok: true; session: SmSession; command: SmCommand } | { ok: false; sw: number; reason: string };

/** The EGF's check of a protected command (CSM_193, CSM_194). On failure the session is to be aborted. */
export function unwrapCommand(s: SmSession, c: SmCommand): UnwrapCommandResult {
  const parsed = parseDos(c.data);
  if (!parsed.ok) return { ok: false, sw: SM_SW.incorrect, reason: parsed.reason };
  // TCS_67: an odd INS carries its BER-TLV data in 'B3', an even one its data in '81'
  const order = checkOrder(parsed.objects, [plainTagOf(c.ins), SM_TAG.protectedLe, SM_TAG.checksum], [SM_TAG.checksum]);
  if (order) return { ok: false, sw: SM_SW.missingOrUnknown, reason: order };
  const last = parsed.objects[parsed.objects.length - 1]!;
  if (last.tag !== SM_TAG.checksum) return { ok: false, sw: SM_SW.missingOrUnknown, reason: "data object '8E' is not last" };
  const body = parsed.objects.filter((o) => o.tag !== SM_TAG.checksum);
  const ssc = incrementSsc(s.ssc);
  const dos = concatBytes(...body.map((o) => encodeDo(o.tag, o.value)));
  if (!bytesEqual(mac(s, ssc, commandDatagram(c.ins, c.p1, c.p2, dos)), last.value)) return { ok: false, sw: SM_SW.incorrect, reason: 'wrong MAC' };
  const data = body.find((o) => o.tag === plainTagOf(c.ins))?.value ?? new Uint8Array(0);
  const le = body.find((o) => o.tag === SM_TAG.protectedLe)?.value;
  if (le && le.length !== 1) return { ok: false, sw: SM_SW.incorrect, reason: "protected Le '97' must be one byte (short lengths, GNS_16)" };
  // The plain command is rebuilt with CLA '00': the SM indication is not part of what the interpreter serves.
  const command: SmCommand = { cla: c.cla & ~0x0c, ins: c.ins, p1: c.p1, p2: c.p2, data, ...(le ? { le: le[0] === 0 ? 256 : le[0]! } : {}) };
  return { ok: true, session: { ...s, ssc }, command };
}

/** The protected response: data as DO '81' ('B3' answering an odd INS, TCS_55), the status as DO '99', the MAC as DO '8E', then the same SW. */
export function wrapResponse(s: SmSession, r: SmResponse, ins = 0): { session: SmSession; response: SmResponse } {
  const ssc = incrementSsc(s.ssc);
  const dos = concatBytes(r.data.length > 0 ? encodeDo(plainTagOf(ins), r.data) : new Uint8Array(0), encodeDo(SM_TAG.processingStatus, Uint8Array.of(r.sw >> 8, r.sw & 0xff)));
  const cc = mac(s, ssc, padMethod2(dos));
  return { session: { ...s, ssc, pairs: s.pairs + 1 }, response: { data: concatBytes(dos, encodeDo(SM_TAG.checksum, cc)), sw: r.sw } };
}

export type UnwrapResponseResult =
  | { ok: true; session: SmSession; response: SmResponse }
  | { ok: false; reason: string; kind: 'plain' | 'structure' | 'mac' | 'sm-error-status' };

/** The VU's check of a protected response (CSM_192): any failure aborts the session. */
export function unwrapResponse(s: SmSession, r: SmResponse): UnwrapResponseResult {
  if (r.sw === SM_SW.missingOrUnknown || r.sw === SM_SW.incorrect) return { ok: false, kind: 'sm-error-status', reason: `the peer reports an SM error (${r.sw.toString(16).toUpperCase()})` };
  if (r.data.length === 0) return { ok: false, kind: 'plain', reason: `plain response ${r.sw.toString(16).toUpperCase()}` };
  const parsed = parseDos(r.data);
  if (!parsed.ok) return { ok: false, kind: 'structure', reason: parsed.reason };
  const order = checkOrder(parsed.objects, [SM_TAG.plain, SM_TAG.plainBerTlv, SM_TAG.processingStatus, SM_TAG.checksum], [SM_TAG.processingStatus, SM_TAG.checksum]);
  if (parsed.objects.some((o) => o.tag === SM_TAG.plain) && parsed.objects.some((o) => o.tag === SM_TAG.plainBerTlv)) return { ok: false, kind: 'structure', reason: "both '81' and 'B3'" };
  if (order) return { ok: false, kind: 'structure', reason: order };
  const checksum = parsed.objects.find((o) => o.tag === SM_TAG.checksum)!;
  const body = parsed.objects.filter((o) => o.tag !== SM_TAG.checksum);
  const ssc = incrementSsc(s.ssc);
  if (!bytesEqual(mac(s, ssc, padMethod2(concatBytes(...body.map((o) => encodeDo(o.tag, o.value))))), checksum.value)) return { ok: false, kind: 'mac', reason: 'wrong MAC' };
  const status = body.find((o) => o.tag === SM_TAG.processingStatus)!.value;
  if (status.length !== 2) return { ok: false, kind: 'structure', reason: "processing status '99' must be two bytes" };
  const sw = (status[0]! << 8) | status[1]!;
  return { ok: true, session: { ...s, ssc, pairs: s.pairs + 1 }, response: { data: body.find((o) => o.tag === SM_TAG.plain || o.tag === SM_TAG.plainBerTlv)?.value ?? new Uint8Array(0), sw } };
}
