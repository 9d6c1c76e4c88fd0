import iconv from 'iconv-lite';
import { App1DecodeError } from './app1-decode-error.ts';

/**
 * App. 1 chapter 4: the character sets of the code-paged strings (`Name`, `Address`,
 * `VehicleRegistrationNumber`): a first byte naming the code page, then the text in it. App. 1's table lists
 * code pages 1, 2, 3, 5, 7, 9, 13, 15, 16 (ISO/IEC 8859-n) and 80, 85 (KOI8-R, KOI8-U).
 *
 * Choices (README, card downloads: code pages):
 * - Code pages 4, 6, 8, 10, 11 and 14 are decoded as ISO/IEC 8859-n too (the number is the part, as for the
 *   listed ones); 12 names no part of ISO/IEC 8859 and is an unknown code page.
 * - Code page 0 is App. 2's default {00, 20..20} of an empty string. Code page 0 or 255 with text, or any other
 *   unknown code page: the bytes are read as ISO/IEC 8859-1 and the string is flagged (`problem`), so the rest
 *   of the record, EF and file still decode.
 * - Trailing spaces (App. 2 padding) and trailing NUL bytes (seen as padding in the wild) are removed.
 */
export const CODE_PAGE_LATIN_1 = 1;

const ENCODINGS = new Map<number, string>([
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16].map((n): [number, string] => [n, `iso-8859-${n}`]),
  [80, 'koi8-r'],
  [85, 'koi8-u'],
]);

/** The character set of an App. 1 code page, as iconv names it; undefined for an unknown code page. */
export function codePageEncoding(codePage: number): string | undefined {
  return ENCODINGS.get(codePage);
}

export interface CodePagedText {
  text: string;
  codePage: number;
  /** Why the text may not read as written: an unknown code page, decoded as ISO/IEC 8859-1. */
  problem?: string;
}

/** A code-paged string of `size` bytes (the code page byte included) at `offset`. Never throws on content. */
export function decodeCodePaged(bytes: Uint8Array, offset: number, size: number): CodePagedText {
  const field = bytes.subarray(offset, offset + size);
  if (field.length !== size) throw new App1DecodeError(`a code-paged string of ${size} bytes at ${offset}: ${field.length} left`);
  const codePage = field[0]!;
  const body = field.subarray(1);
  const encoding = codePageEncoding(codePage);
  const text = iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.length), encoding ?? 'iso-8859-1').replace(/[ \0]+$/, '');
  if (encoding || text === '') return { text, codePage };
  return { text, codePage, problem: `code page ${codePage} is not an App. 1 code page (chapter 4): read as ISO/IEC 8859-1` };
}

/**
 * Encodes `text` in `codePage`, space padded to `size` bytes (the code page byte included); an empty text is
 * App. 2's default {00, 20..20}. Throws when a character has no byte in that code page.
 */
export function encodeCodePaged(text: string, size: number, codePage = CODE_PAGE_LATIN_1): Uint8Array {
  const out = new Uint8Array(size).fill(0x20);
  if (text === '') {
    out[0] = 0;
    return out;
  }
  const encoding = codePageEncoding(codePage);
  if (!encoding) throw new Error(`code page ${codePage} is not an App. 1 code page`);
  const body = iconv.encode(text, encoding);
  // iconv writes '?' for a character the code page lacks: decode back to tell it from a real '?'
  if (iconv.decode(body, encoding) !== text) throw new Error(`'${text}' has a character outside code page ${codePage} (${encoding})`);
  if (body.length > size - 1) throw new Error(`'${text}' is longer than ${size - 1} characters`);
  out[0] = codePage;
  out.set(body, 1);
  return out;
}
