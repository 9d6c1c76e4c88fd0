import { DecodeError } from '../decode-error.ts';

/** What the APDU decoders throw on bytes that are not an APDU. */
export class ApduError extends DecodeError {}

/** ISO/IEC 7816-4 §5.1 response APDU: data, then the status word SW1-SW2. */
export interface ResponseApdu {
  data: Uint8Array;
  /** SW1 << 8 | SW2. */
  sw: number;
}

/** The status words the EGF and its VU use (ISO/IEC 7816-4 §5.6, App. 2 §3.5, App. 12 GNS_25..GNS_29). */
export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  /** App. 12 GNS_25/26: the EGF detected tampering (GNS_29). */
  TAMPERED: 0x6690,
  SM_NOT_SUPPORTED: 0x6882,
  /** Command incompatible with the file structure: the current file is not record oriented. */
  NOT_RECORD_ORIENTED: 0x6981,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  /** Command not allowed: no current EF. */
  NO_CURRENT_EF: 0x6986,
  SM_DATA_OBJECTS_INCORRECT: 0x6988,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  INCORRECT_P1_P2: 0x6a86,
  /** Referenced data not found: App. 12 GNS_29's alternative tamper answer, without secure messaging. */
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  WRONG_OFFSET: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  /** ISO/IEC 7816-4 execution error, memory unchanged: App. 2 TCS_38, TCS_41, TCS_43 for a file or application found corrupted. */
  EXECUTION_ERROR: 0x6400,
  /** ISO/IEC 7816-4 execution error, memory changed: App. 2's other answer for a file found corrupted. */
  EXECUTION_ERROR_MEMORY_CHANGED: 0x6500,
} as const;

const NAMES = new Map<number, string>(Object.entries(SW).map(([k, v]) => [v, k]));

/** A status word as the documents write it: four upper-case hex digits ('6A88'). */
export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

export function swName(sw: number): string {
  return NAMES.get(sw) ?? (sw >> 8 === 0x61 ? 'MORE_DATA' : sw >> 8 === 0x6c ? 'WRONG_LE' : 'UNKNOWN');
}

export function encodeResponse(r: ResponseApdu): Uint8Array {
  if (!Number.isInteger(r.sw) || r.sw < 0 || r.sw > 0xffff) throw new RangeError(`SW must be two bytes, got ${r.sw}`);
  const out = new Uint8Array(r.data.length + 2);
  out.set(r.data);
  out[r.data.length] = r.sw >> 8;
  out[r.data.length + 1] = r.sw & 0xff;
  return out;
}

export function decodeResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new ApduError(`a response APDU has at least SW1-SW2, got ${bytes.length} byte(s)`);
  return { data: bytes.slice(0, bytes.length - 2), sw: (bytes[bytes.length - 2]! << 8) | bytes[bytes.length - 1]! };
}

export function statusOnly(sw: number): ResponseApdu {
  return { data: new Uint8Array(0), sw };
}
