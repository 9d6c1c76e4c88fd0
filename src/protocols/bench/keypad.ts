import type { PortCodec } from '../port-codec.ts';
import { DecodeError } from '../decode-error.ts';
import { createLineDeframer } from './line-deframer.ts';

/**
 * The keypad robot's line protocol (rig-defined, version 1). A keypad robot is the bench's "button robot": a
 * controller that presses the buttons of the VU under test through opto-couplers across its keys, holding per
 * VU model one macro (a sequence of presses and waits that walks the VU's menu) per menu action. No
 * standard exists for such a controller, so the rig defines the line; a bench builds a robot that speaks it
 * (hardware/adapters.md), or does the same steps through the operator prompt.
 *
 * The line: 9600 baud 8N1, printable ASCII lines ended by LF (a CR before the LF is taken as part of the
 * terminator), at most {@link KEYPAD_MAX_LINE} bytes with the LF. One request at a time; one answer line per
 * request.
 *
 * Host (the rig) to robot:
 *   RUN <action>[ <name>=<value>]...    run the macro for <action> with these arguments
 *   ID?                                 the robot's identity
 * Robot to host:
 *   OK                                  the macro ran to its end (the VU took the entry)
 *   ERR <reason>                        it did not: no macro for the action, an argument it cannot type, busy,
 *                                       a line it cannot read, or what the VU showed instead of taking it
 *   ID <identity>                       the answer to ID?
 *
 * <action> is the VU stimulus the macro performs (pairSensor, coupleGnss, selectActivity, enterPlace,
 * companyLock, calibrate) and each <name> one of its arguments, both `[A-Za-z][A-Za-z0-9]*`, a name once per
 * line. A <value> is a bare word (`[A-Za-z0-9_.:/+-]+`), read as a string unless it reads as a JSON number,
 * true, false or null; anything else is written as compact JSON (a "string" with JSON escapes, non-ASCII as
 * \uXXXX, an [array] or an {object}), so a microcontroller's macro reads `RUN selectActivity slot=driver
 * activity=work` with a split on spaces, and `tyreSize="315/80 R22.5"` or a list of seals still fits the line.
 * Words are separated by one or more spaces or tabs. Commands (RUN, ID?) are taken in any case; actions and
 * names are case-sensitive.
 */
export const KEYPAD_MAX_LINE = 512;
export const KEYPAD_BAUD = 9600;
const LF = 0x0a;

/** What the keypad decoders throw on bytes that are not a line of the protocol. */
export class KeypadError extends DecodeError {}

export type KeypadArgs = Record<string, unknown>;
export type KeypadRequest = { type: 'run'; action: string; args: KeypadArgs } | { type: 'id' };
export type KeypadAnswer = { type: 'ok' } | { type: 'err'; reason: string } | { type: 'id'; identity: string };

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const BARE = /^[A-Za-z0-9_.:/+-]+$/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

// ---------------------------------------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------------------------------------

/** A line as sent: its ASCII text and the LF. Throws a RangeError on text that is no line of the protocol. */
export function encodeKeypadLine(text: string): Uint8Array {
  if (/[^\x20-\x7e\t]/.test(text)) throw new RangeError(`a keypad line is printable ASCII without its terminator: ${JSON.stringify(text)}`);
  if (text.length + 1 > KEYPAD_MAX_LINE) throw new RangeError(`a keypad line is at most ${KEYPAD_MAX_LINE} bytes with its LF; this one is ${text.length + 1}`);
  return Uint8Array.from([...text].map((c) => c.charCodeAt(0)).concat(LF));
}

/** A line as received (a deframer's frame) → its text, without the LF and a CR before it. */
export function decodeKeypadLine(frame: Uint8Array): string {
  if (frame.at(-1) !== LF) throw new KeypadError(`a keypad line ends with LF; this one was cut at ${frame.length} bytes`);
  const body = frame.subarray(0, frame.at(-2) === 0x0d ? -2 : -1);
  for (const byte of body) if (byte > 0x7e || (byte < 0x20 && byte !== 0x09)) throw new KeypadError(`a keypad line is printable ASCII; byte ${byte.toString(16).padStart(2, '0')} is not`);
  return String.fromCharCode(...body);
}

// ---------------------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------------------

/** JSON with every character outside printable ASCII escaped, so it fits the line. */
function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new RangeError(`a keypad argument must be a JSON value, not ${String(value)}`);
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One argument's value as written on the line: a bare word where it reads back as the same string, else JSON. */
export function encodeKeypadValue(value: unknown): string {
  if (typeof value === 'string' && BARE.test(value) && !readsAsJsonLiteral(value)) return value;
  return asciiJson(value);
}

function readsAsJsonLiteral(word: string): boolean {
  return NUMBER.test(word) || word === 'true' || word === 'false' || word === 'null';
}

/** Where the value starting at `from` ends (exclusive): a JSON string, array or object scanned to its close, or a bare word to the next blank. */
function valueEnd(text: string, from: number): number {
  const first = text[from];
  if (first !== '"' && first !== '[' && first !== '{') {
    let i = from;
    while (i < text.length && text[i] !== ' ' && text[i] !== '\t') i++;
    return i;
  }
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      // a string: to its unescaped closing quote
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (i >= text.length) throw new KeypadError(`an argument's string is not closed: ${text.slice(from)}`);
      if (depth === 0) return i + 1;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new KeypadError(`an argument's ${first === '[' ? 'array' : 'object'} is not closed: ${text.slice(from)}`);
}

function decodeValue(written: string): unknown {
  const first = written[0];
  if (first === '"' || first === '[' || first === '{') {
    try {
      return JSON.parse(written) as unknown;
    } catch (error) {
      throw new KeypadError(`an argument's value is not JSON: ${written} (${(error as Error).message})`);
    }
  }
  if (!BARE.test(written)) throw new KeypadError(`an argument's bare value may hold letters, digits and _ . : / + - only: ${written}`);
  return readsAsJsonLiteral(written) ? (JSON.parse(written) as unknown) : written;
}

// ---------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------

/** `RUN <action> name=value ...`: arguments in the order given, undefined ones left out. */
export function formatKeypadRun(action: string, args: KeypadArgs = {}): string {
  if (!NAME.test(action)) throw new RangeError(`a keypad action is a name ([A-Za-z][A-Za-z0-9]*): ${JSON.stringify(action)}`);
  const words = ['RUN', action];
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue;
    if (!NAME.test(name)) throw new RangeError(`a keypad argument name is [A-Za-z][A-Za-z0-9]*: ${JSON.stringify(name)}`);
    words.push(`${name}=${encodeKeypadValue(value)}`);
  }
  return words.join(' ');
}

export function formatKeypadRequest(request: KeypadRequest): string {
  return request.type === 'id' ? 'ID?' : formatKeypadRun(request.action, request.args);
}

/** The bytes of a request, LF included. Throws a RangeError if it does not fit a line. */
export function encodeKeypadRequest(request: KeypadRequest): Uint8Array {
  return encodeKeypadLine(formatKeypadRequest(request));
}

/** Reads a request line's text. Throws a KeypadError saying what is wrong. */
export function parseKeypadRequest(text: string): KeypadRequest {
  const line = text.replace(/^[ \t]+|[ \t]+$/g, '');
  const command = /^\S+/.exec(line)?.[0] ?? '';
  if (command.toUpperCase() === 'ID?') {
    if (line.length > command.length) throw new KeypadError(`ID? takes nothing after it: ${JSON.stringify(line)}`);
    return { type: 'id' };
  }
  if (command.toUpperCase() !== 'RUN') throw new KeypadError(command ? `unknown command '${command}' (RUN or ID?)` : 'an empty line (RUN or ID?)');
  let i = command.length;
  const skipBlanks = () => {
    while (line[i] === ' ' || line[i] === '\t') i++;
  };
  skipBlanks();
  const actionStart = i;
  while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
  const action = line.slice(actionStart, i);
  if (!action) throw new KeypadError('RUN names no action');
  if (!NAME.test(action)) throw new KeypadError(`an action is [A-Za-z][A-Za-z0-9]*: '${action}'`);
  const args: KeypadArgs = {};
  for (skipBlanks(); i < line.length; skipBlanks()) {
    const eq = line.indexOf('=', i);
    const blank = line.slice(i).search(/[ \t]/);
    if (eq < 0 || (blank >= 0 && i + blank < eq)) throw new KeypadError(`an argument is name=value: '${line.slice(i, blank < 0 ? undefined : i + blank)}'`);
    const name = line.slice(i, eq);
    if (!NAME.test(name)) throw new KeypadError(`an argument name is [A-Za-z][A-Za-z0-9]*: '${name}'`);
    if (Object.hasOwn(args, name)) throw new KeypadError(`argument '${name}' is given twice`);
    const end = valueEnd(line, eq + 1);
    if (end === eq + 1) throw new KeypadError(`argument '${name}' has no value`);
    if (end < line.length && line[end] !== ' ' && line[end] !== '\t') throw new KeypadError(`argument '${name}': a blank must follow its value, not '${line[end]}'`);
    args[name] = decodeValue(line.slice(eq + 1, end));
    i = end;
  }
  return { type: 'run', action, args };
}

// ---------------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------------

/** A reason as it can go on the line: control and non-ASCII characters as '?', cut to fit with an ellipsis. */
export function keypadReason(reason: string): string {
  const ascii = reason.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim() || 'no reason given';
  const room = KEYPAD_MAX_LINE - 1 - 'ERR '.length;
  return ascii.length <= room ? ascii : `${ascii.slice(0, room - 3)}...`;
}

export function formatKeypadAnswer(answer: KeypadAnswer): string {
  switch (answer.type) {
    case 'ok':
      return 'OK';
    case 'err':
      return `ERR ${keypadReason(answer.reason)}`;
    case 'id':
      return `ID ${answer.identity}`;
  }
}

export function encodeKeypadAnswer(answer: KeypadAnswer): Uint8Array {
  return encodeKeypadLine(formatKeypadAnswer(answer));
}

/** Reads an answer line's text. Throws a KeypadError on anything else. */
export function parseKeypadAnswer(text: string): KeypadAnswer {
  const line = text.replace(/^[ \t]+|[ \t]+$/g, '');
  if (line.toUpperCase() === 'OK') return { type: 'ok' };
  const m = /^(ERR|ID)(?:[ \t]+(.*))?$/i.exec(line);
  if (m) {
    const rest = m[2] ?? '';
    if (m[1]!.toUpperCase() === 'ID') return { type: 'id', identity: rest };
    return { type: 'err', reason: rest || 'no reason given' };
  }
  throw new KeypadError(`not an answer of the keypad robot: ${JSON.stringify(text)} (OK, ERR <reason> or ID <identity>)`);
}

/** The trace's reading of a keypad line, a request or an answer. */
export const keypadLineCodec: PortCodec = {
  name: 'keypad-line',
  createDeframer: () => createLineDeframer(KEYPAD_MAX_LINE),
  describe: (frame) => {
    const line = decodeKeypadLine(frame);
    const word = (/^\S+/.exec(line.trim())?.[0] ?? '').toUpperCase();
    if (word === 'RUN' || word === 'ID?') return { line, request: parseKeypadRequest(line) };
    return { line, answer: parseKeypadAnswer(line) };
  },
};
