import type { Deframer, PortCodec } from '../port-codec.ts';
import { concatBytes, toHex } from '../../crypto/bytes.ts';
import { crc16CcittFalse } from '../seal/crc16.ts';
import { DsrcDecodeError } from './dsrc-error.ts';

/**
 * The link between the VU and an external DSRC-VU (App. 14 §5.6). DSC_68 a) asks for an open-standard
 * connection (i: a cable with a DIN 41612 H11 connector, ii: BLE, iii: ISO 11898 / SAE J1939) and DSC_73's
 * ASN.1 of the six commands of DSC_72 is an image in every text source. The rig takes option i) as an
 * asynchronous serial line on the cable and defines this frame (README "DSRC"):
 *
 *   off  len  field
 *   0    1    SOF 'C5'
 *   1    2    LEN, big-endian: octets of CMD and BODY (1..MAX_LEN)
 *   3    1    CMD (VuLinkCommand)
 *   4    n    BODY (below)
 *   end  2    CRC-16/CCITT-FALSE over LEN..BODY, big-endian
 *
 * BODY per command (DSC_72/74): LinkIdentifier 1 octet, DataTransactionId 2 octets big-endian.
 *   01 initialisation request   linkId
 *   02 initialisation response  linkId, answer (1 success, 0 failure)
 *   03 send data                linkId, transactionId, applicationId (9 = RTM, ISO 15638 part 9), RTM data
 *   04 data acknowledgement     linkId, transactionId, RtmTransferAck (Ok 1, NoK 2; App. 14 §5.4.4 as
 *                               replaced by Reg. 2018/502, which supersedes DSC_74's "answer 0/1")
 *   05 termination request      linkId
 *   06 termination response     linkId
 */
export const VU_LINK_SOF = 0xc5;
const OVERHEAD = 5;
/** Room for the largest send-data frame: 5 header octets and RTM data of 12 blocks with a 16-octet MAC (232). */
export const VU_LINK_MAX_LEN = 256;

export const VuLinkCommand = {
  initRequest: 0x01,
  initResponse: 0x02,
  sendData: 0x03,
  dataAck: 0x04,
  terminateRequest: 0x05,
  terminateResponse: 0x06,
} as const;
export type VuLinkCommandName = keyof typeof VuLinkCommand;

/** The application the data belong to: the TARV part number of its context mark (RTM part 9, OWS part 20). */
export const APPLICATION_RTM = 9;

/** RtmTransferAck ::= INTEGER { Ok(1), NoK(2) } (1..255). */
export const RtmTransferAck = { ok: 1, nok: 2 } as const;
export type RtmTransferAckName = keyof typeof RtmTransferAck;

export type VuLinkMessage =
  | { command: 'initRequest'; linkId: number }
  | { command: 'initResponse'; linkId: number; success: boolean }
  | { command: 'sendData'; linkId: number; transactionId: number; applicationId: number; data: Uint8Array }
  | { command: 'dataAck'; linkId: number; transactionId: number; ack: RtmTransferAckName }
  | { command: 'terminateRequest'; linkId: number }
  | { command: 'terminateResponse'; linkId: number };

function u8(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`${what} ${v} is not one octet`);
  return v;
}

function u16(v: number, what: string): [number, number] {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${what} ${v} is not two octets`);
  return [v >> 8, v & 0xff];
}

function body(m: VuLinkMessage): Uint8Array {
  switch (m.command) {
    case 'initRequest':
    case 'terminateRequest':
    case 'terminateResponse':
      return Uint8Array.of(u8(m.linkId, 'linkId'));
    case 'initResponse':
      return Uint8Array.of(u8(m.linkId, 'linkId'), m.success ? 1 : 0);
    case 'sendData':
      return concatBytes(Uint8Array.of(u8(m.linkId, 'linkId'), ...u16(m.transactionId, 'transactionId'), u8(m.applicationId, 'applicationId')), m.data);
    case 'dataAck':
      return Uint8Array.of(u8(m.linkId, 'linkId'), ...u16(m.transactionId, 'transactionId'), RtmTransferAck[m.ack]);
  }
}

export function encodeVuLinkFrame(m: VuLinkMessage): Uint8Array {
  const inner = concatBytes(Uint8Array.of(VuLinkCommand[m.command]), body(m));
  if (inner.length > VU_LINK_MAX_LEN) throw new RangeError(`a VU link frame carries at most ${VU_LINK_MAX_LEN} octets, got ${inner.length}`);
  const out = new Uint8Array(inner.length + OVERHEAD);
  out[0] = VU_LINK_SOF;
  out[1] = inner.length >> 8;
  out[2] = inner.length & 0xff;
  out.set(inner, 3);
  const crc = crc16CcittFalse(out.subarray(1, out.length - 2));
  out[out.length - 2] = crc >> 8;
  out[out.length - 1] = crc & 0xff;
  return out;
}

const COMMAND_NAMES = new Map<number, VuLinkCommandName>(Object.entries(VuLinkCommand).map(([k, v]) => [v, k as VuLinkCommandName]));
const ACK_NAMES = new Map<number, RtmTransferAckName>(Object.entries(RtmTransferAck).map(([k, v]) => [v, k as RtmTransferAckName]));

/** Decodes one chunk the deframer cut. Throws a DsrcDecodeError saying what is wrong (junk, CRC, body). */
export function decodeVuLinkFrame(frame: Uint8Array): VuLinkMessage {
  if (frame.length < OVERHEAD + 1 || frame[0] !== VU_LINK_SOF) throw new DsrcDecodeError(`${frame.length} octet(s) that are not a VU link frame: ${toHex(frame.subarray(0, 16))}`);
  const len = (frame[1]! << 8) | frame[2]!;
  if (len !== frame.length - OVERHEAD) throw new DsrcDecodeError(`LEN says ${len} octets but the frame carries ${frame.length - OVERHEAD}`);
  const stated = (frame[frame.length - 2]! << 8) | frame[frame.length - 1]!;
  const computed = crc16CcittFalse(frame.subarray(1, frame.length - 2));
  if (stated !== computed) throw new DsrcDecodeError(`CRC mismatch: frame says ${stated.toString(16).padStart(4, '0')}, computed ${computed.toString(16).padStart(4, '0')}`);
  const command = COMMAND_NAMES.get(frame[3]!);
  if (!command) throw new DsrcDecodeError(`unknown VU link command ${frame[3]!.toString(16).padStart(2, '0')}`);
  const b = frame.subarray(4, frame.length - 2);
  const expect = (ok: boolean, n: string) => {
    if (!ok) throw new DsrcDecodeError(`${command} body of ${b.length} octets, expected ${n}`);
  };
  switch (command) {
    case 'initRequest':
    case 'terminateRequest':
    case 'terminateResponse':
      expect(b.length === 1, '1');
      return { command, linkId: b[0]! };
    case 'initResponse':
      expect(b.length === 2, '2');
      if (b[1]! > 1) throw new DsrcDecodeError(`initialisation answer ${b[1]} is neither 0 nor 1`);
      return { command, linkId: b[0]!, success: b[1] === 1 };
    case 'sendData':
      expect(b.length >= 4, 'at least 4');
      return { command, linkId: b[0]!, transactionId: (b[1]! << 8) | b[2]!, applicationId: b[3]!, data: b.slice(4) };
    case 'dataAck': {
      expect(b.length === 4, '4');
      const ack = ACK_NAMES.get(b[3]!);
      if (!ack) throw new DsrcDecodeError(`RtmTransferAck ${b[3]} is neither Ok (1) nor NoK (2)`);
      return { command, linkId: b[0]!, transactionId: (b[1]! << 8) | b[2]!, ack };
    }
  }
}

/**
 * The deframer as a pure step (machines keep `held` in their plain-data context). It resynchronises: bytes
 * before a SOF come out as one junk chunk (so a receiver sees them refused, not lost); a SOF whose LEN is out
 * of range, or whose frame fails its CRC, is itself junk and the search restarts at the next octet, so a
 * frame that follows a false SOF (a garbled frame, a data byte equal to C5) is still found.
 */
export function deframeVuLink(held: readonly number[], bytes: Uint8Array): { chunks: Uint8Array[]; held: number[] } {
  const buffer = held.length === 0 ? bytes : Uint8Array.from([...held, ...bytes]);
  const chunks: Uint8Array[] = [];
  let junkFrom = -1;
  let at = 0;
  const flushJunk = (to: number) => {
    if (junkFrom >= 0) chunks.push(buffer.slice(junkFrom, to));
    junkFrom = -1;
  };
  while (at < buffer.length) {
    if (buffer[at] !== VU_LINK_SOF) {
      if (junkFrom < 0) junkFrom = at;
      at++;
      continue;
    }
    if (buffer.length - at < 3) break;
    const len = (buffer[at + 1]! << 8) | buffer[at + 2]!;
    const total = len + OVERHEAD;
    const plausible = len >= 1 && len <= VU_LINK_MAX_LEN;
    if (plausible && buffer.length - at < total) break;
    const crcOk =
      plausible && ((buffer[at + total - 2]! << 8) | buffer[at + total - 1]!) === crc16CcittFalse(buffer.subarray(at + 1, at + total - 2));
    if (!crcOk) {
      if (junkFrom < 0) junkFrom = at;
      at++;
      continue;
    }
    flushJunk(at);
    chunks.push(buffer.slice(at, at + total));
    at += total;
  }
  flushJunk(at);
  return { chunks, held: Array.from(buffer.subarray(at)) };
}

export class VuLinkDeframer implements Deframer {
  private held: number[] = [];

  push(bytes: Uint8Array): Uint8Array[] {
    const r = deframeVuLink(this.held, bytes);
    this.held = r.held;
    return r.chunks;
  }
}

export function describeVuLinkFrame(bytes: Uint8Array): unknown {
  const m = decodeVuLinkFrame(bytes);
  return m.command === 'sendData' ? { ...m, data: toHex(m.data) } : m;
}

export const dsrcVuLinkCodec: PortCodec = {
  name: 'dsrc-vu-link',
  createDeframer: () => new VuLinkDeframer(),
  describe: describeVuLinkFrame,
};
