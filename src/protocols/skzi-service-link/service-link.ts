import { DecodeError } from '../decode-error.ts';
import type { Deframer, PortCodec } from '../port-codec.ts';

/**
 * The service link of the ШТРИХ-ТахоRUS as the rig defines it: the seed (5.5, 3.1 of the digest) says only that
 * «ШТРИХ-М: ТахоМастер» or a programmer connects to the tachograph to read its number and to write VIN and
 * plate before STEP 3; it gives no port, speed or command set. The rig's framing, on a serial port at
 * 9600 baud (README "СКЗИ activation"):
 *
 *   STX 0x02 | LEN (1 byte: length of CMD ‖ DATA, 1..250) | CMD | DATA | CHK (XOR of LEN, CMD and DATA)
 *
 * Commands (PC → tachograph) and answers (tachograph → PC, CMD | 0x80):
 *   0x01 READ_IDENTITY  (no data)                → 0x81 UTF-8 "<Номер 1>;<Номер 2>;<НКМ factory number>;<НКМ model>"
 *   0x10 WRITE_VEHICLE  VIN (17 ASCII) ‖ ГРЗ (UTF-8, 1..12 characters) → 0x90 STATUS
 * STATUS: 0x00 done, 0x01 refused: a card is inserted (5.5: written with no card), 0x02 malformed data,
 * 0x03 unknown command, 0x04 a frame whose checksum fails (both answered as 0xFF STATUS: the tool learns why;
 * a checksum failure is answered once per damaged frame, bytes outside a frame are skipped unanswered).
 */
/** Bytes that are not one service-link frame. */
export class ServiceLinkError extends DecodeError {}

export const STX = 0x02;
export const SERVICE_BAUD = 9600;
export const CMD = { readIdentity: 0x01, writeVehicle: 0x10, unknown: 0xff } as const;
export const STATUS = { ok: 0x00, cardInserted: 0x01, malformed: 0x02, unknownCommand: 0x03, badChecksum: 0x04 } as const;

/** What a STATUS says, in the rig's words (records and refusals name it). */
export const STATUS_TEXT: Record<number, string> = {
  [STATUS.ok]: 'done',
  [STATUS.cardInserted]: 'a card is inserted (5.5: VIN and plate are written with no card)',
  [STATUS.malformed]: 'malformed data (a VIN of 17 characters, a plate of 1 to 12)',
  [STATUS.unknownCommand]: 'unknown command',
  [STATUS.badChecksum]: 'bad checksum',
};

export interface ServiceFrame {
  cmd: number;
  data: Uint8Array;
}

const checksum = (bytes: Uint8Array) => bytes.reduce((x, b) => x ^ b, 0);

export function encodeServiceFrame(cmd: number, data: Uint8Array = new Uint8Array()): Uint8Array {
  const length = 1 + data.length;
  if (length > 250) throw new RangeError(`a service-link frame carries at most 249 data bytes, not ${data.length}`);
  const body = Uint8Array.of(length, cmd, ...data);
  return Uint8Array.of(STX, ...body, checksum(body));
}

/** Frames from a byte buffer: the complete ones, the bytes left for later, and how many frames failed their checksum. */
export function takeServiceFrames(buffer: Uint8Array): { frames: ServiceFrame[]; rest: Uint8Array; dropped: number } {
  const frames: ServiceFrame[] = [];
  let dropped = 0;
  let at = 0;
  for (;;) {
    while (at < buffer.length && buffer[at] !== STX) at++; // noise before a frame is skipped
    if (at + 2 > buffer.length) break;
    const length = buffer[at + 1]!;
    if (length === 0 || length > 250) {
      at++;
      continue;
    }
    if (at + 2 + length + 1 > buffer.length) break;
    const body = buffer.subarray(at + 1, at + 2 + length);
    if (checksum(body) !== buffer[at + 2 + length]) dropped++;
    else frames.push({ cmd: body[1]!, data: body.slice(2) });
    at += 3 + length;
  }
  return { frames, rest: buffer.slice(at), dropped };
}

export function encodeWriteVehicle(vin: string, vrn: string): Uint8Array {
  return encodeServiceFrame(CMD.writeVehicle, Uint8Array.of(...new TextEncoder().encode(vin), ...new TextEncoder().encode(vrn)));
}

/** WRITE_VEHICLE's data, or undefined when malformed (a VIN of 17 of its characters, a plate of 1 to 12 characters). */
export function decodeWriteVehicle(data: Uint8Array): { vin: string; vrn: string } | undefined {
  if (data.length < 18) return undefined;
  const vin = new TextDecoder().decode(data.subarray(0, 17));
  let vrn: string;
  try {
    vrn = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(17));
  } catch {
    return undefined;
  }
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin) || [...vrn].length < 1 || [...vrn].length > 12) return undefined;
  return { vin, vrn };
}

export const serviceLinkCodec: PortCodec = {
  name: 'skzi-service-link',
  createDeframer(): Deframer {
    let pending: Uint8Array = new Uint8Array();
    return {
      push(bytes) {
        const taken = takeServiceFrames(Uint8Array.of(...pending, ...bytes));
        pending = taken.rest;
        return taken.frames.map((f) => encodeServiceFrame(f.cmd, f.data));
      },
    };
  },
  describe(frame) {
    const taken = takeServiceFrames(frame);
    if (taken.frames.length !== 1 || taken.rest.length > 0 || frame[0] !== STX) throw new ServiceLinkError(`not one service-link frame (${taken.dropped ? 'bad checksum' : 'incomplete or extra bytes'})`);
    const [first] = taken.frames;
    if (!first) throw new ServiceLinkError('not a service-link frame');
    return { cmd: first.cmd, data: Buffer.from(first.data).toString('hex') };
  },
};
