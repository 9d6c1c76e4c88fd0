import { bytesEqual, concatBytes, fromHex, toHex } from '../bytes.ts';
import { checkOrder, encodeDo, parseDos, SM_TAG, type SmDataObject } from '../sm/data-objects.ts';
import { incrementSsc, SM_CLA, type SmCommand, type SmResponse } from '../sm/secure-messaging.ts';
import { cryptographicChecksumG1, G1_MAC_BYTES, padG1 } from './retail-mac.ts';
import { G1_SESSION_USES, type SmG1Session } from './session-key.ts';

/**
 * Gen1 secure messaging in authentication-only mode (App. 11 Part A §5.1-5.3; App. 2 TCS_44-47, TCS_58-60): a
 * 4-byte retail MAC (CSM_025, CSM_028) in DO '8E' over the SSC, increased before each MAC (CSM_030: the first
 * command's MAC uses the initial SSC + 1, its response's + 2).
 *   command:  CLA '0C', data DO '81' (plain value), Ne DO '97' (one byte), '8E' 04 CC, Le '00';
 *             MAC over CH ‖ PB ‖ DOs ‖ PB (CSM_023: the header with CLA '0C', each part padded by method 2).
 *   response: data DO '81' ‖ '8E' 04 CC (§5.1 case 1), or, without data, '99' 02 SW ‖ '8E' 04 CC (case 3,
 *             CSM_024). Choice: a response with data whose status is not '9000' (a '6282' end of file) also
 *             carries '99' (TCS_45: optional for gen1), so every status the VU acts on is under the MAC.
 * Errors (CSM_026, TCS_47): a data object missing or the body malformed '6987', a wrong length '6988', a MAC
 * that fails '6688'; no session key (none agreed, or its 240 uses spent, CSM_013) '6A88'.
 */
export const G1_SM_SW = { missing: 0x6987, incorrect: 0x6988, checksum: 0x6688, noSessionKey: 0x6a88 } as const;

const mac = (s: SmG1Session, ssc: string, padded: Uint8Array) => cryptographicChecksumG1(fromHex(s.ka), fromHex(s.kb), fromHex(ssc), padded);

function commandDatagram(ins: number, p1: number, p2: number, dos: Uint8Array): Uint8Array {
  const header = padG1(Uint8Array.of(SM_CLA, ins, p1, p2));
  return dos.length === 0 ? header : concatBytes(header, padG1(dos));
}

const encodeAll = (objects: readonly SmDataObject[]) => concatBytes(...objects.map((o) => encodeDo(o.tag, o.value)));

/** CSM_013: the key is spent after 240 command-response pairs. */
export const sessionSpentG1 = (s: SmG1Session) => s.uses >= G1_SESSION_USES;

export function wrapCommandG1(s: SmG1Session, c: SmCommand): { session: SmG1Session; command: SmCommand } {
  const ssc = incrementSsc(s.ssc);
  const dos = concatBytes(
    c.data.length > 0 ? encodeDo(SM_TAG.plain, c.data) : new Uint8Array(0),
    c.le !== undefined ? encodeDo(SM_TAG.protectedLe, Uint8Array.of(c.le & 0xff)) : new Uint8Array(0),
  );
  const cc = mac(s, ssc, commandDatagram(c.ins, c.p1, c.p2, dos));
  return { session: { ...s, ssc }, command: { cla: SM_CLA, ins: c.ins, p1: c.p1, p2: c.p2, data: concatBytes(dos, encodeDo(SM_TAG.checksum, cc)), le: 256 } };
}

export type UnwrapCommandG1Result = { ok: true; session: SmG1Session; command: SmCommand } | { ok: false; sw: number; reason: string };

/** The card's check of a protected command (CSM_026). On failure the caller answers `sw` in plain. */
export function unwrapCommandG1(s: SmG1Session, c: SmCommand): UnwrapCommandG1Result {
  if (sessionSpentG1(s)) return { ok: false, sw: G1_SM_SW.noSessionKey, reason: 'the session key has been used 240 times (CSM_013)' };
  const parsed = parseDos(c.data);
  if (!parsed.ok) return { ok: false, sw: G1_SM_SW.missing, reason: parsed.reason };
  const order = checkOrder(parsed.objects, [SM_TAG.plain, SM_TAG.protectedLe, SM_TAG.checksum], [SM_TAG.checksum]);
  if (order) return { ok: false, sw: G1_SM_SW.missing, reason: order };
  const checksum = parsed.objects.find((o) => o.tag === SM_TAG.checksum)!;
  const le = parsed.objects.find((o) => o.tag === SM_TAG.protectedLe)?.value;
  if (checksum.value.length !== G1_MAC_BYTES) return { ok: false, sw: G1_SM_SW.incorrect, reason: `the checksum is ${checksum.value.length} bytes, CSM_025 says 4` };
  if (le && le.length !== 1) return { ok: false, sw: G1_SM_SW.incorrect, reason: "the protected Le '97' is one byte" };
  const body = parsed.objects.filter((o) => o.tag !== SM_TAG.checksum);
  const ssc = incrementSsc(s.ssc);
  if (!bytesEqual(mac(s, ssc, commandDatagram(c.ins, c.p1, c.p2, encodeAll(body))), checksum.value)) return { ok: false, sw: G1_SM_SW.checksum, reason: 'wrong cryptographic checksum' };
  const data = body.find((o) => o.tag === SM_TAG.plain)?.value ?? new Uint8Array(0);
  return { ok: true, session: { ...s, ssc }, command: { cla: c.cla & ~SM_CLA, ins: c.ins, p1: c.p1, p2: c.p2, data, ...(le ? { le: le[0] === 0 ? 256 : le[0]! } : {}) } };
}

export function wrapResponseG1(s: SmG1Session, r: SmResponse): { session: SmG1Session; response: SmResponse } {
  const ssc = incrementSsc(s.ssc);
  const status = encodeDo(SM_TAG.processingStatus, Uint8Array.of(r.sw >> 8, r.sw & 0xff));
  const dos = r.data.length === 0 ? status : concatBytes(encodeDo(SM_TAG.plain, r.data), r.sw === 0x9000 ? new Uint8Array(0) : status);
  const cc = mac(s, ssc, padG1(dos));
  return { session: { ...s, ssc, uses: s.uses + 1 }, response: { data: concatBytes(dos, encodeDo(SM_TAG.checksum, cc)), sw: r.sw } };
}

export type UnwrapResponseG1Result = { ok: true; session: SmG1Session; response: SmResponse } | { ok: false; reason: string; kind: 'sm-error-status' | 'plain' | 'structure' | 'mac' };

/** The VU's check of a protected response: CSM_027, an answer without SM DOs or with a wrong one aborts the session. */
export function unwrapResponseG1(s: SmG1Session, r: SmResponse): UnwrapResponseG1Result {
  const swText = r.sw.toString(16).toUpperCase().padStart(4, '0');
  if (r.data.length === 0) {
    const smError = r.sw === G1_SM_SW.missing || r.sw === G1_SM_SW.incorrect || r.sw === G1_SM_SW.checksum || r.sw === G1_SM_SW.noSessionKey;
    return smError ? { ok: false, kind: 'sm-error-status', reason: `the card reports an SM error (${swText})` } : { ok: false, kind: 'plain', reason: `plain response ${swText}` };
  }
  const parsed = parseDos(r.data);
  if (!parsed.ok) return { ok: false, kind: 'structure', reason: parsed.reason };
  const order = checkOrder(parsed.objects, [SM_TAG.plain, SM_TAG.processingStatus, SM_TAG.checksum], [SM_TAG.checksum]);
  if (order) return { ok: false, kind: 'structure', reason: order };
  const body = parsed.objects.filter((o) => o.tag !== SM_TAG.checksum);
  if (body.length === 0) return { ok: false, kind: 'structure', reason: "neither '81' nor '99' before '8E'" };
  const checksum = parsed.objects.find((o) => o.tag === SM_TAG.checksum)!;
  const ssc = incrementSsc(s.ssc);
  if (!bytesEqual(mac(s, ssc, padG1(encodeAll(body))), checksum.value)) return { ok: false, kind: 'mac', reason: 'wrong cryptographic checksum' };
  const status = body.find((o) => o.tag === SM_TAG.processingStatus)?.value;
  if (status && status.length !== 2) return { ok: false, kind: 'structure', reason: "processing status '99' must be two bytes" };
  // §5.1 case 1: without '99' the status is the trailer's, which only a '9000' may leave unprotected (wrapResponseG1)
  const sw = status ? (status[0]! << 8) | status[1]! : r.sw;
  if (!status && sw !== 0x9000) return { ok: false, kind: 'structure', reason: `status ${swText} outside the checksum` };
  return { ok: true, session: { ...s, ssc, uses: s.uses + 1 }, response: { data: body.find((o) => o.tag === SM_TAG.plain)?.value ?? new Uint8Array(0), sw } };
}

