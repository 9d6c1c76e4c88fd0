import type { Deframer, PortCodec } from '../port-codec.ts';
import { concatBytes, toHex } from '../../crypto/bytes.ts';
import { DsrcDecodeError } from './dsrc-error.ts';
import { decodeTApdu, type TApdu } from './t-apdu.ts';

/**
 * The 5.8 GHz frame as the rig carries it between the DSRC-VU and a reader (EN 12795 / EN 13372 layer 2 as
 * App. 14 Tables 14.5-14.16 lay it out): start flag, link identifier, MAC control field, LLC control field,
 * fragmentation header, the T-APDU (UPER), frame check sequence, end flag.
 *
 *   7E | LID | MAC 1 | LLC 1 | FRAG 1 | T-APDU | FCS 2 | 7E
 *
 * LID: EN 12795 link address, octets whose least significant bit is 1 on the last one: the broadcast address
 * 'FF' (Table 14.5), or a private LID of 4 octets (Tables 14.6-14.16). MAC control '80' downlink (reader)
 * and 'C0' uplink (Table 14.9's value for the VST), LLC '03' (UI, Table 14.9), FRAG '81' (Table 14.9's
 * "1xxx x001": no fragmentation). FCS: CRC-16/X.25 (the HDLC FCS-16 of ISO/IEC 13239, as EN 12795's), low
 * octet first. Between the flags, '7E' and '7D' are sent as '7D' x^'20' (the asynchronous HDLC transparency
 * of RFC 1662 in place of the radio's bit stuffing). Not modelled (README "DSRC"): the private window request
 * and allocation (Tables 14.6/14.7: medium access), polled ACn and the LLC status octet.
 */
export const AIR_FLAG = 0x7e;
const ESCAPE = 0x7d;
export const BROADCAST_LID = Uint8Array.of(0xff);
export const MAC_DOWNLINK = 0x80;
export const MAC_UPLINK = 0xc0;
const LLC_UI = 0x03;
const FRAG_NONE = 0x81;
const MAX_FRAME = 512;

export interface AirFrame {
  /** Link identifier octets (broadcast FF, or a private LID of 4). */
  lid: Uint8Array;
  uplink: boolean;
  apdu: TApdu;
}

/** CRC-16/X.25 (poly 1021 reflected, init FFFF, final XOR FFFF): check value of "123456789" is 906E. */
export function fcs16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc ^ 0xffff;
}

function checkLid(lid: Uint8Array): void {
  if (lid.length < 1 || lid.length > 4 || (lid[lid.length - 1]! & 1) !== 1 || lid.subarray(0, -1).some((b) => (b & 1) === 1)) {
    throw new RangeError(`a LID is 1..4 octets, LSB 1 on the last only: ${toHex(lid)}`);
  }
}

/** The frame between the flags, before transparency: LID, MAC, LLC, FRAG, the encoded T-APDU, FCS. */
export function encodeAirFrame(lid: Uint8Array, uplink: boolean, apdu: Uint8Array): Uint8Array {
  checkLid(lid);
  const body = concatBytes(lid, Uint8Array.of(uplink ? MAC_UPLINK : MAC_DOWNLINK, LLC_UI, FRAG_NONE), apdu);
  const fcs = fcs16(body);
  const raw = concatBytes(body, Uint8Array.of(fcs & 0xff, fcs >> 8));
  const out: number[] = [AIR_FLAG];
  for (const b of raw) {
    if (b === AIR_FLAG || b === ESCAPE) out.push(ESCAPE, b ^ 0x20);
    else out.push(b);
  }
  out.push(AIR_FLAG);
  return Uint8Array.from(out);
}

/** Decodes the octets between two flags (as the deframer gives them, flags included). */
export function decodeAirFrame(frame: Uint8Array): AirFrame {
  if (frame.length < 2 || frame[0] !== AIR_FLAG || frame[frame.length - 1] !== AIR_FLAG) throw new DsrcDecodeError('an air frame starts and ends with the flag 7E');
  const raw: number[] = [];
  for (let i = 1; i < frame.length - 1; i++) {
    const b = frame[i]!;
    if (b === ESCAPE) {
      if (i + 1 >= frame.length - 1) throw new DsrcDecodeError('an air frame ends inside an escape');
      raw.push(frame[++i]! ^ 0x20);
    } else raw.push(b);
  }
  const bytes = Uint8Array.from(raw);
  if (bytes.length < 7) throw new DsrcDecodeError(`an air frame of ${bytes.length} octets is too short`);
  const stated = bytes[bytes.length - 2]! | (bytes[bytes.length - 1]! << 8);
  const computed = fcs16(bytes.subarray(0, bytes.length - 2));
  if (stated !== computed) throw new DsrcDecodeError(`FCS mismatch: frame says ${stated.toString(16).padStart(4, '0')}, computed ${computed.toString(16).padStart(4, '0')}`);
  let at = 0;
  while (at < 4 && (bytes[at]! & 1) === 0) at++;
  if ((bytes[at]! & 1) !== 1) throw new DsrcDecodeError('the LID has no last octet within 4');
  const lid = bytes.slice(0, at + 1);
  at++;
  const mac = bytes[at]!;
  if (mac !== MAC_DOWNLINK && mac !== MAC_UPLINK) throw new DsrcDecodeError(`MAC control ${mac.toString(16)} is neither 80 nor c0`);
  if (bytes[at + 1] !== LLC_UI || bytes[at + 2] !== FRAG_NONE) throw new DsrcDecodeError(`LLC ${bytes[at + 1]!.toString(16)} / fragmentation header ${bytes[at + 2]!.toString(16)} is not 03 / 81`);
  return { lid, uplink: mac === MAC_UPLINK, apdu: decodeTApdu(bytes.slice(at + 3, bytes.length - 2)) };
}

/** Cuts frames between flags; a flag closes a frame and opens the next (shared flags are allowed). */
export function deframeAir(held: readonly number[], bytes: Uint8Array): { frames: Uint8Array[]; held: number[] } {
  const frames: Uint8Array[] = [];
  let buf = [...held];
  for (const b of bytes) {
    if (buf.length === 0) {
      if (b === AIR_FLAG) buf.push(b);
      continue;
    }
    if (b === AIR_FLAG) {
      if (buf.length === 1) continue; // two flags in a row: idle fill, stay open
      buf.push(b);
      frames.push(Uint8Array.from(buf));
      // the closing flag may also open the next frame (HDLC shared flags): after a frame cut short on the air,
      // the next frame's opening flag closes the fragment and the frame itself is still found
      buf = [AIR_FLAG];
      continue;
    }
    buf.push(b);
    if (buf.length > MAX_FRAME) buf = [];
  }
  return { frames, held: buf };
}

export const dsrcAirCodec: PortCodec = {
  name: 'dsrc-air',
  createDeframer(): Deframer {
    let held: number[] = [];
    return {
      push(bytes) {
        const r = deframeAir(held, bytes);
        held = r.held;
        return r.frames;
      },
    };
  },
  describe(frame) {
    const f = decodeAirFrame(frame);
    const a = f.apdu as Record<string, unknown>;
    const plain = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v instanceof Uint8Array ? toHex(v) : v]));
    if (f.apdu.type === 'getResponse') plain.attributes = f.apdu.attributes.map((x) => ({ ...x, value: toHex(x.value) }));
    if (f.apdu.type === 'vst') plain.applications = f.apdu.applications.map((x) => ({ ...x, parameter: x.parameter && toHex(x.parameter) }));
    return { lid: toHex(f.lid), direction: f.uplink ? 'uplink' : 'downlink', ...plain };
  },
};
