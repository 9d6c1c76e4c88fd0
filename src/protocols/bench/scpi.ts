import type { PortCodec } from '../port-codec.ts';
import { DecodeError } from '../decode-error.ts';
import { createLineDeframer } from './line-deframer.ts';

/**
 * SCPI over a serial line, as lab power supplies with a USB-serial or RS-232 port speak it: program messages
 * are ASCII lines ended by LF (IEEE 488.2 7.5, the NL terminator; a CR before it is taken as white space), and
 * each answer is one line ended by LF (IEEE 488.2 8.5). Only what a bench needs of a supply is here; the
 * instrument's own command set sits with the device (src/devices/lab-psu/).
 *
 * Headers (IEEE 488.2 7.6, SCPI-99 Vol. 1 ch. 6): a common command is `*` and a mnemonic (`*IDN?`); a SCPI
 * header is mnemonics joined by `:`, with an optional leading `:` (from the root), and `?` for a query. A
 * mnemonic is written in its long form (`OUTPUT`) or its short form (`OUTP`), in any case, and nothing in
 * between (`OUTPU` is no header). A command table writes the short form in capitals (`OUTPut`) and an optional
 * node in brackets (`OUTPut[:STATe]`). Several message units go in one line separated by `;`; a unit not
 * starting with `:` or `*` continues at the previous header's path (IEEE 488.2 annex A.1, compound headers):
 * after `MEAS:VOLT?`, `;CURR?` is `MEAS:CURR?`. Queries answered in one line are joined by `;` in one answer.
 * Not supported: numeric suffixes on mnemonics (`OUTP1`), block and expression data.
 */
export const SCPI_TERMINATOR = 0x0a;
/** Longest line taken; a longer one is cut there and refused as a whole (IEEE 488.2 leaves the limit to the device). */
export const SCPI_MAX_LINE = 256;

/** What the SCPI decoders throw on bytes that are not a line of the protocol (the trace, the actuator). */
export class ScpiError extends DecodeError {}

/** An entry of the error queue: a number and its text, as SYSTem:ERRor? answers it (`-113,"Undefined header"`). */
export interface ScpiErrorEntry {
  code: number;
  message: string;
}

/** The standard errors this subset raises (SCPI-99 Vol. 2 ch. 21.8, the error numbers of IEEE 488.2). */
export const SCPI_ERROR = {
  noError: { code: 0, message: 'No error' },
  invalidCharacter: { code: -101, message: 'Invalid character' },
  syntax: { code: -102, message: 'Syntax error' },
  dataType: { code: -104, message: 'Data type error' },
  parameterNotAllowed: { code: -108, message: 'Parameter not allowed' },
  missingParameter: { code: -109, message: 'Missing parameter' },
  undefinedHeader: { code: -113, message: 'Undefined header' },
  invalidSuffix: { code: -131, message: 'Invalid suffix' },
  dataOutOfRange: { code: -222, message: 'Data out of range' },
  illegalParameterValue: { code: -224, message: 'Illegal parameter value' },
  queueOverflow: { code: -350, message: 'Queue overflow' },
  inputBufferOverrun: { code: -363, message: 'Input buffer overrun' },
} as const satisfies Record<string, ScpiErrorEntry>;

/** `-113,"Undefined header"`: the answer to SYSTem:ERRor? (SCPI-99 Vol. 2 21.8.8). */
export function formatScpiError(error: ScpiErrorEntry): string {
  return `${error.code},"${error.message.replaceAll('"', '""')}"`;
}

/** Reads an answer to SYSTem:ERRor?. Throws a ScpiError on anything else. */
export function parseScpiErrorAnswer(answer: string): ScpiErrorEntry {
  const m = /^([+-]?\d+),"((?:[^"]|"")*)"$/.exec(answer.trim());
  if (!m) throw new ScpiError(`not an answer to SYSTem:ERRor?: ${JSON.stringify(answer)} (expected e.g. 0,"No error")`);
  return { code: Number(m[1]), message: m[2]!.replaceAll('""', '"') };
}

/**
 * The error queue (SCPI-99 Vol. 2 21.8): first in, first out; read empties it entry by entry and answers
 * 0,"No error" when empty. When full, the newest entry is replaced by -350 "Queue overflow", which stays last.
 */
export function pushScpiError(queue: readonly ScpiErrorEntry[], error: ScpiErrorEntry, capacity: number): ScpiErrorEntry[] {
  if (queue.length < capacity) return [...queue, error];
  if (queue.at(-1)?.code === SCPI_ERROR.queueOverflow.code) return [...queue];
  return [...queue.slice(0, capacity - 1), SCPI_ERROR.queueOverflow];
}

export function popScpiError(queue: readonly ScpiErrorEntry[]): { error: ScpiErrorEntry; queue: ScpiErrorEntry[] } {
  if (queue.length === 0) return { error: SCPI_ERROR.noError, queue: [] };
  return { error: queue[0]!, queue: queue.slice(1) };
}

// ---------------------------------------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------------------------------------

/** A line as sent: its ASCII text and the LF. */
export function encodeScpiLine(text: string): Uint8Array {
  if (/[^\x20-\x7e\t]/.test(text)) throw new RangeError(`a SCPI line is printable ASCII without its terminator: ${JSON.stringify(text)}`);
  return Uint8Array.from([...text].map((c) => c.charCodeAt(0)).concat(SCPI_TERMINATOR));
}

/** A line as received (the deframer's frame) → its text, without the LF and a CR before it. */
export function decodeScpiLine(frame: Uint8Array): string {
  if (frame.at(-1) !== SCPI_TERMINATOR) throw new ScpiError(`a SCPI line ends with LF; this one was cut at ${frame.length} bytes`);
  const body = frame.subarray(0, frame.at(-2) === 0x0d ? -2 : -1);
  for (const byte of body) if (byte > 0x7e || (byte < 0x20 && byte !== 0x09)) throw new ScpiError(`a SCPI line is printable ASCII; byte ${byte.toString(16).padStart(2, '0')} is not`);
  return String.fromCharCode(...body);
}

/** The trace's reading of a SCPI line, a command or an answer. */
export const scpiLineCodec: PortCodec = {
  name: 'scpi-line',
  createDeframer: () => createLineDeframer(SCPI_MAX_LINE),
  describe: (frame) => ({ line: decodeScpiLine(frame) }),
};

// ---------------------------------------------------------------------------------------------------------
// Program messages
// ---------------------------------------------------------------------------------------------------------

export interface ScpiMessageUnit {
  /** True for a common command (`*IDN?`). */
  common: boolean;
  /** The header's mnemonics in capitals, the path of compound headers resolved (`['MEAS', 'VOLT']`); `['IDN']` for `*IDN?`. */
  mnemonics: string[];
  query: boolean;
  /** The parameters as written, white space around them removed; strings keep their quotes. */
  params: string[];
}

export type ParsedMessage = { ok: true; units: ScpiMessageUnit[] } | { ok: false; error: ScpiErrorEntry; units: ScpiMessageUnit[] };

const MNEMONIC = /^[A-Za-z][A-Za-z0-9_]{0,11}$/;

/**
 * Splits a program message (one line's text) into its units. A unit that does not parse stops the line there
 * (IEEE 488.2 6.1.6: a command error discards the rest of the message): the units before it are returned with
 * the error, to be executed first.
 */
export function parseProgramMessage(text: string): ParsedMessage {
  const units: ScpiMessageUnit[] = [];
  let path: string[] = [];
  for (const raw of splitOutsideQuotes(text, ';')) {
    const unit = raw.trim();
    if (unit === '') {
      // an empty line is a valid empty message; an empty unit between ';' is not
      if (text.trim() === '') return { ok: true, units };
      return { ok: false, error: SCPI_ERROR.syntax, units };
    }
    const m = /^(\*?:?[^\s?]*)(\?)?(?:(\s+)([\s\S]*))?$/.exec(unit);
    if (!m) return { ok: false, error: SCPI_ERROR.syntax, units };
    const [, header, question, , rest] = m as unknown as [string, string, string | undefined, string | undefined, string | undefined];
    const common = header.startsWith('*');
    const absolute = header.startsWith(':');
    const names = (common ? header.slice(1) : absolute ? header.slice(1) : header).split(':');
    if (names.some((n) => !MNEMONIC.test(n)) || (common && names.length !== 1)) return { ok: false, error: SCPI_ERROR.syntax, units };
    const params = rest === undefined || rest.trim() === '' ? [] : splitOutsideQuotes(rest, ',').map((p) => p.trim());
    if (params.some((p) => p === '')) return { ok: false, error: SCPI_ERROR.syntax, units };
    const upper = names.map((n) => n.toUpperCase());
    const mnemonics = common || absolute ? upper : [...path, ...upper];
    // IEEE 488.2 A.1.1: the next unit's path is this header's, less its last mnemonic; a common command keeps it
    if (!common) path = mnemonics.slice(0, -1);
    units.push({ common, mnemonics, query: question === '?', params });
  }
  return { ok: true, units };
}

/** Splits at `separator` outside "..." and '...' strings (a doubled quote stays inside its string). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined; // a doubled quote closes and reopens: same result
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === separator) {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}

// ---------------------------------------------------------------------------------------------------------
// Command tables
// ---------------------------------------------------------------------------------------------------------

interface HeaderNode {
  long: string;
  short: string;
  optional: boolean;
}

/**
 * A command table's header, `[SOURce:]VOLTage[:LEVel]`, as nodes: each mnemonic's long form, its short form (the
 * capitals as written), and whether it may be left out.
 */
export function headerNodes(pattern: string): HeaderNode[] {
  const nodes: HeaderNode[] = [];
  const re = /(\[)?:?([A-Za-z]+)(?::)?(\])?/g;
  for (const m of pattern.matchAll(re)) {
    const written = m[2]!;
    const short = written.replace(/[a-z]+$/, '');
    if (!/^[A-Z]+$/.test(short)) throw new RangeError(`header pattern ${pattern}: write the short form in capitals first (${written})`);
    nodes.push({ long: written.toUpperCase(), short, optional: m[1] === '[' });
  }
  return nodes;
}

/** Whether a written mnemonic (capitals) is this node: its short or its long form, nothing in between. */
export function mnemonicMatches(written: string, node: Pick<HeaderNode, 'long' | 'short'>): boolean {
  return written === node.short || written === node.long;
}

/** Whether the unit's mnemonics are the header of this pattern, optional nodes given or left out. */
export function headerMatches(pattern: string, mnemonics: readonly string[]): boolean {
  const nodes = headerNodes(pattern);
  const match = (n: number, m: number): boolean => {
    if (n === nodes.length) return m === mnemonics.length;
    const node = nodes[n]!;
    if (m < mnemonics.length && mnemonicMatches(mnemonics[m]!, node) && match(n + 1, m + 1)) return true;
    return node.optional && match(n + 1, m);
  };
  return match(0, 0);
}

// ---------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------

export type ParamResult<T> = { ok: true; value: T } | { ok: false; error: ScpiErrorEntry };

const NRF = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)$/;

/** SCPI boolean (SCPI-99 Vol. 1 7.3): ON or OFF, or a number, rounded, non-zero meaning ON. */
export function parseScpiBoolean(param: string): ParamResult<boolean> {
  const word = param.toUpperCase();
  if (word === 'ON') return { ok: true, value: true };
  if (word === 'OFF') return { ok: true, value: false };
  const m = NRF.exec(param);
  if (!m) return { ok: false, error: SCPI_ERROR.illegalParameterValue };
  if (m[2]) return { ok: false, error: SCPI_ERROR.invalidSuffix };
  return { ok: true, value: Math.round(Number(m[1])) !== 0 };
}

/**
 * A decimal numeric value (IEEE 488.2 7.7.2, NRf) in `unit` (e.g. V) with an optional suffix multiplier
 * (`MV` milli, `UV` micro, `KV` kilo; IEEE 488.2 7.7.3: `M` is milli, mega is `MA`), or MINimum, MAXimum,
 * DEFault (SCPI-99 Vol. 1 7.2.1). Outside [min, max]: -222 Data out of range.
 */
export function parseScpiNumeric(param: string, spec: { unit: string; min: number; max: number; default: number }): ParamResult<number> {
  const word = param.toUpperCase();
  const keywords: [Pick<HeaderNode, 'long' | 'short'>, number][] = [
    [{ long: 'MINIMUM', short: 'MIN' }, spec.min],
    [{ long: 'MAXIMUM', short: 'MAX' }, spec.max],
    [{ long: 'DEFAULT', short: 'DEF' }, spec.default],
  ];
  for (const [node, value] of keywords) if (mnemonicMatches(word, node)) return { ok: true, value };
  const m = NRF.exec(param);
  if (!m) return { ok: false, error: SCPI_ERROR.dataType };
  const scale = suffixScale(m[2]!.toUpperCase(), spec.unit.toUpperCase());
  if (scale === undefined) return { ok: false, error: SCPI_ERROR.invalidSuffix };
  const value = Number(m[1]) * scale;
  if (!Number.isFinite(value) || value < spec.min || value > spec.max) return { ok: false, error: SCPI_ERROR.dataOutOfRange };
  return { ok: true, value };
}

function suffixScale(suffix: string, unit: string): number | undefined {
  if (suffix === '' || suffix === unit) return 1;
  const multipliers: Record<string, number> = { U: 1e-6, M: 1e-3, K: 1e3 };
  if (suffix.length === unit.length + 1 && suffix.endsWith(unit)) return multipliers[suffix[0]!];
  return undefined;
}
