import { toHex } from '../../crypto/bytes.ts';
import { App1DecodeError } from './app1-decode-error.ts';
import { decodeCodePaged } from './code-page.ts';

/**
 * Reading App. 1 records of a card file field by field (big-endian, octet aligned: App. 1 1.1). Times come
 * out as ISO strings (UTC, 'Z'), as the decoded card file is shown and given as JSON; a TimeReal of 0 (App. 2's
 * default {00..00}) is null: nothing recorded. What reads but cannot be right (an unknown code page, a BCD digit
 * above 9) is noted in `problems` with the field's name, and the record still decodes; only too few bytes
 * throw (App1DecodeError).
 */
export class RecordReader {
  readonly bytes: Uint8Array;

  /** The record is `size` bytes at `offset` of `source`; `what` names it in problems and errors. */
  constructor(
    source: Uint8Array,
    offset: number,
    size: number,
    readonly what: string,
    readonly problems: string[] = [],
  ) {
    this.bytes = source.subarray(offset, offset + size);
    if (offset < 0 || this.bytes.length !== size) throw new App1DecodeError(`${what} needs ${size} bytes at ${offset}, ${Math.max(0, source.length - offset)} left`);
  }

  note(field: string, problem: string): void {
    this.problems.push(`${this.what} ${field}: ${problem}`);
  }

  u8(at: number): number {
    return this.bytes[at]!;
  }

  u16(at: number): number {
    return (this.bytes[at]! << 8) | this.bytes[at + 1]!;
  }

  u24(at: number): number {
    return (this.bytes[at]! << 16) | (this.bytes[at + 1]! << 8) | this.bytes[at + 2]!;
  }

  u32(at: number): number {
    return ((this.bytes[at]! << 24) >>> 0) + ((this.bytes[at + 1]! << 16) | (this.bytes[at + 2]! << 8) | this.bytes[at + 3]!);
  }

  /** A 3-byte two's complement integer (App. 1 GeoCoordinates). */
  int24(at: number): number {
    const u = this.u24(at);
    return u & 0x800000 ? u - 0x1000000 : u;
  }

  /** App. 1 TimeReal as ISO; null for 0. */
  time(at: number): string | null {
    return isoOfTimeReal(this.u32(at));
  }

  /** IA5String, trailing space padding removed. */
  ia5(at: number, size: number): string {
    return String.fromCharCode(...this.bytes.subarray(at, at + size)).replace(/[ \0]+$/, '');
  }

  hex(at: number, size: number): string {
    return toHex(this.bytes.subarray(at, at + size));
  }

  /** A code-paged string (Name, Address, VehicleRegistrationNumber): the code page byte, then `size - 1` bytes. */
  codePaged(at: number, size: number, field: string): string {
    const t = decodeCodePaged(this.bytes, at, size);
    if (t.problem) this.note(field, t.problem);
    return t.text;
  }

  /** App. 1 BCDString as its number; a nibble above 9 is noted and the digits are given as read (hex). */
  bcd(at: number, size: number, field: string): number {
    const digits = this.hex(at, size);
    if (/^[0-9]+$/.test(digits)) return Number(digits);
    this.note(field, `BCD '${digits}' has a digit above 9`);
    return Number.parseInt(digits, 16);
  }

  /** Whether bytes at..at+size hold nothing but 00 and 20: App. 2's default values of every field. */
  unused(at = 0, size = this.bytes.length): boolean {
    return this.bytes.subarray(at, at + size).every((b) => b === 0x00 || b === 0x20);
  }
}

export function isoOfTimeReal(seconds: number): string | null {
  return seconds === 0 ? null : new Date(seconds * 1000).toISOString();
}

/**
 * An unused record of a card's record set: every byte 00 or 20, App. 2's default values ({00..00} for times,
 * numbers and codes, {20..20} for IA5 strings, {00, 20..20} for code-paged ones). No used record is: its time
 * (after 1987) has a byte other than 00 and 20.
 */
export function isUnusedRecord(bytes: Uint8Array, offset: number, size: number): boolean {
  for (let i = offset; i < offset + size; i++) if (bytes[i] !== 0x00 && bytes[i] !== 0x20) return false;
  return true;
}
