import { fromHex, toHex } from '../../crypto/index.ts';
import { DecodeError } from '../decode-error.ts';

/** What the motion sensor link's decoders throw on bytes that are not what the rig's layouts say. */
export class MotionSensorError extends DecodeError {}

/**
 * Plaintext layouts carried by the link's instructions (before encryption, after decryption). Data types
 * follow App. 1 where one fits: ExtendedSerialNumber (§2.72), SensorApprovalNumber (§2.131, gen2: IA5
 * 16), TimeReal (§2.162).
 */

/** App. 1 §2.72 ExtendedSerialNumber: serialNumber INTEGER(0..2^32-1), monthYear BCDString(2) MMYY, type, manufacturerCode. */
export interface ExtendedSerialNumber {
  serialNumber: number;
  /** 'MMYY', e.g. '0726'. */
  monthYear: string;
  /** EquipmentType; 7 is a motion sensor (App. 1 §2.67). */
  type: number;
  manufacturerCode: number;
}

export const EQUIPMENT_TYPE_MOTION_SENSOR = 7;

export function encodeExtendedSerialNumber(s: ExtendedSerialNumber): Uint8Array {
  if (!Number.isInteger(s.serialNumber) || s.serialNumber < 0 || s.serialNumber > 0xffffffff) throw new RangeError(`serialNumber is 0..2^32-1, got ${s.serialNumber}`);
  if (!/^(0[1-9]|1[0-2])\d{2}$/.test(s.monthYear)) throw new RangeError(`monthYear is MMYY, got '${s.monthYear}'`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setUint32(0, s.serialNumber);
  out[4] = parseInt(s.monthYear.slice(0, 2), 16); // BCD: the decimal digits read as hex nibbles
  out[5] = parseInt(s.monthYear.slice(2, 4), 16);
  out[6] = byte(s.type, 'type');
  out[7] = byte(s.manufacturerCode, 'manufacturerCode');
  return out;
}

export function decodeExtendedSerialNumber(bytes: Uint8Array): ExtendedSerialNumber {
  if (bytes.length !== 8) throw new MotionSensorError(`an ExtendedSerialNumber is 8 bytes, got ${bytes.length}`);
  const bcd = (b: number) => b.toString(16).padStart(2, '0');
  return {
    serialNumber: new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(0),
    monthYear: bcd(bytes[4]!) + bcd(bytes[5]!),
    type: bytes[6]!,
    manufacturerCode: bytes[7]!,
  };
}

/** Fixed-size IA5String, left-aligned and padded with spaces (App. 1: approval numbers are left-aligned). */
export function encodeIa5(text: string, size: number): Uint8Array {
  if (text.length > size) throw new RangeError(`'${text}' is longer than ${size} characters`);
  if (!/^[\x20-\x7e]*$/.test(text)) throw new RangeError(`'${text}' has characters outside printable IA5`);
  return Uint8Array.from(Buffer.from(text.padEnd(size, ' '), 'latin1'));
}

export function decodeIa5(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1').replace(/[ \0]+$/, '');
}

/** File 0x01: the sensor's identification, Ns (8) ‖ SensorApprovalNumber (16). */
export interface SensorIdentificationFile {
  /** Ns, hex. */
  sensorSerialNumber: string;
  sensorApprovalNumber: string;
}

export function encodeIdentificationFile(f: SensorIdentificationFile): Uint8Array {
  const out = new Uint8Array(24);
  out.set(fixedHex(f.sensorSerialNumber, 8, 'sensorSerialNumber'), 0);
  out.set(encodeIa5(f.sensorApprovalNumber, 16), 8);
  return out;
}

export function decodeIdentificationFile(bytes: Uint8Array): SensorIdentificationFile {
  if (bytes.length !== 24) throw new MotionSensorError(`the identification file is 24 bytes, got ${bytes.length}`);
  return { sensorSerialNumber: toHex(bytes.subarray(0, 8)), sensorApprovalNumber: decodeIa5(bytes.subarray(8, 24)) };
}

/**
 * The 24-byte pairing information of instructions 0x43 and 0x50 (CSM_219 keeps ISO 16844-3's 24 bytes; its
 * §7.6.10 is not public, so this layout is the rig's): pairing date TimeReal (4) ‖ VU serial number (8) ‖
 * sensor serial number Ns (8) ‖ KM version (1) ‖ '00'{3} reserved.
 */
export interface PairingInformation {
  /** TimeReal: seconds since 1970-01-01 UTC. */
  pairingDate: number;
  /** VuSerialNumber (ExtendedSerialNumber), hex. */
  vuSerialNumber: string;
  /** Ns, hex. */
  sensorSerialNumber: string;
  kmVersion: number;
}

export function encodePairingInformation(p: PairingInformation): Uint8Array {
  const out = new Uint8Array(24);
  if (!Number.isInteger(p.pairingDate) || p.pairingDate < 0 || p.pairingDate > 0xffffffff) throw new RangeError(`pairingDate is a TimeReal, got ${p.pairingDate}`);
  new DataView(out.buffer).setUint32(0, p.pairingDate);
  out.set(fixedHex(p.vuSerialNumber, 8, 'vuSerialNumber'), 4);
  out.set(fixedHex(p.sensorSerialNumber, 8, 'sensorSerialNumber'), 12);
  out[20] = byte(p.kmVersion, 'kmVersion');
  return out;
}

export function decodePairingInformation(bytes: Uint8Array): PairingInformation {
  if (bytes.length !== 24) throw new MotionSensorError(`pairing information is 24 bytes, got ${bytes.length}`);
  return {
    pairingDate: new DataView(bytes.buffer, bytes.byteOffset, 24).getUint32(0),
    vuSerialNumber: toHex(bytes.subarray(4, 12)),
    sensorSerialNumber: toHex(bytes.subarray(12, 20)),
    kmVersion: bytes[20]!,
  };
}

/** Annex IC §3.9: the events a motion sensor detects and reports, '21'H..'25'H. */
export const SENSOR_EVENT_CODES = [0x21, 0x22, 0x23, 0x24, 0x25] as const;
export type SensorEventCode = (typeof SENSOR_EVENT_CODES)[number];

/**
 * File 0x03: how many times each sensor-side event happened, one byte each for '21'H..'25'H, counting
 * modulo 256, then '00'{3}. The VU learns of new events from the counts going up between two reads.
 */
export function encodeSecurityEventsFile(counts: readonly number[]): Uint8Array {
  if (counts.length !== SENSOR_EVENT_CODES.length) throw new RangeError(`${SENSOR_EVENT_CODES.length} counts, got ${counts.length}`);
  const out = new Uint8Array(8);
  counts.forEach((c, i) => (out[i] = c & 0xff));
  return out;
}

export function decodeSecurityEventsFile(bytes: Uint8Array): number[] {
  if (bytes.length !== 8) throw new MotionSensorError(`the security events file is 8 bytes, got ${bytes.length}`);
  return Array.from(bytes.subarray(0, SENSOR_EVENT_CODES.length));
}

/** New events between two reads of file 0x03, oldest code first; counts wrap at 256. */
export function newSensorEvents(before: readonly number[], after: readonly number[]): { code: SensorEventCode; occurrences: number }[] {
  const out: { code: SensorEventCode; occurrences: number }[] = [];
  SENSOR_EVENT_CODES.forEach((code, i) => {
    const occurrences = ((after[i] ?? 0) - (before[i] ?? 0) + 256) & 0xff;
    if (occurrences > 0) out.push({ code, occurrences });
  });
  return out;
}

function byte(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new RangeError(`${what} is one byte, got ${n}`);
  return n;
}

function fixedHex(hex: string, length: number, what: string): Uint8Array {
  const bytes = fromHex(hex);
  if (bytes.length !== length) throw new RangeError(`${what} is ${length} bytes, got ${bytes.length}`);
  return bytes;
}
