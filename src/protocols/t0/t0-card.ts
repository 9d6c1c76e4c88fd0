import { encodeCommand } from '../apdu/index.ts';

/**
 * ISO/IEC 7816-3 §10 (T=0) from the card's side, for a tachograph card (App. 2 TCS_10-15, TCS_31, TCS_32, TCS_79,
 * TCS_80): the IFD sends a 5-byte header CLA INS P1 P2 P3; the card answers with procedure bytes. Pure functions over
 * plain data; `transmit` is the card's APDU interface (command bytes → data ‖ SW1 SW2).
 *
 * - A command that carries data (case 3, and case 4 sent as case 3, TCS_31): P3 is Lc; the card sends the INS
 *   procedure byte (all the data at once), takes P3 bytes, runs the command. An answer with data is announced
 *   '61 La' and held for GET RESPONSE (TCS_32: the implicit Le '00'); one without is its status word.
 * - A command that expects data (case 2): P3 is Le ('00' = 256). The card runs it: the answer's bytes exactly Le:
 *   INS, the data, the status; fewer: '6C La', the exact length (TCS_43), for the IFD to send again; none: the
 *   status (an error).
 * - Case 1 (no data either way): P3 '00', the status.
 * - GET RESPONSE (TCS_79, TCS_80): the held data: Le exactly what is left: 'C0', the data, the command's status;
 *   Le smaller: 'C0', Le bytes, '61 XX' with what is left; Le '00' or larger: '6C XX', the data kept. Nothing held:
 *   '6900' (TCS_80 gives '6900' or '6F00': a choice). Any other command drops what is held (TCS_79).
 *
 * Which case a header is, the card knows from its commands (App. 2 §3.5, {@link t0Direction}). No NULL procedure
 * bytes ('60'): the card's work is the rig's, done before it answers; the board keeps the work waiting time.
 *
 * The reset: a header byte 'FF' (CLA 'FF' is no command's: ISO/IEC 7816-3 §9 gives it to PPS, which the board
 * handles) is the rig-defined report of the card's reset (RST or power): the card starts again (TCS_18), nothing held.
 */
export interface T0CardState {
  /** Header bytes received so far (fewer than 5). */
  header: number[];
  /** A case 3/4 command waiting for its data. */
  incoming: { header: number[]; data: number[]; expectsAnswer: boolean } | null;
  /** What GET RESPONSE gives (TCS_79). */
  held: { data: Uint8Array; sw: number } | null;
}

export const T0_RESET = 0xff;
const GET_RESPONSE = 0xc0;
const FORBIDDEN_NO_RESPONSE = 0x6900;

export function createT0CardState(): T0CardState {
  return { header: [], incoming: null, held: null };
}

export type T0Direction = 'in' | 'in-out' | 'out' | 'none';

/**
 * App. 2 §3.5 as T=0 sees it: whether the IFD sends data (P3 = Lc: 'in', 'in-out' when an answer with data follows,
 * TCS_31), expects data (P3 = Le: 'out'), or neither ('none', P3 '00'). Every protected command (CLA '0C', '8C')
 * carries its DOs and is answered with DOs: 'in-out'. An unknown INS is 'none' (the card answers its '6D00').
 */
export function t0Direction(cla: number, ins: number, p1: number, p2: number, p3: number): T0Direction {
  if ((cla & 0x0c) === 0x0c) return 'in-out';
  switch (ins) {
    case 0xb0: // READ BINARY
    case 0x84: // GET CHALLENGE
      return 'out';
    case 0x2a: // PSO
      if (p1 === 0x9e && p2 === 0x9a) return 'out'; // COMPUTE DIGITAL SIGNATURE
      if (p1 === 0x90 && p2 === 0x00) return 'none'; // PERFORM HASH OF FILE
      return p3 === 0 ? 'none' : 'in'; // VERIFY CERTIFICATE (and the PSOs with data)
    case 0x88: // INTERNAL AUTHENTICATE
    case 0x86: // GENERAL AUTHENTICATE
    case 0xb1: // READ BINARY, odd INS
      return p3 === 0 ? 'none' : 'in-out';
    case 0xa4: // SELECT
    case 0xd6: // UPDATE BINARY
    case 0xd7:
    case 0x20: // VERIFY (P3 '00': the counter's state)
    case 0x22: // MSE
    case 0x82: // EXTERNAL AUTHENTICATE
      return p3 === 0 ? 'none' : 'in';
    default:
      return 'none';
  }
}

const sw2Bytes = (sw: number) => Uint8Array.of(sw >> 8, sw & 0xff);
const splitAnswer = (answer: Uint8Array) => ({ data: answer.subarray(0, answer.length - 2), sw: (answer[answer.length - 2]! << 8) | answer[answer.length - 1]! });

export interface T0Step {
  state: T0CardState;
  /** Bytes to send to the IFD, in order. */
  out: Uint8Array[];
  /** The card was reset ('FF'): the caller resets the card itself. */
  reset: boolean;
}

/** Takes bytes from the IFD; `transmit` runs a whole command APDU on the card. */
export function t0Receive(state: T0CardState, bytes: Uint8Array, transmit: (command: Uint8Array) => Uint8Array): T0Step {
  let s = state;
  const out: Uint8Array[] = [];
  let reset = false;
  for (const b of bytes) {
    if (s.incoming) {
      const data = [...s.incoming.data, b];
      const p3 = s.incoming.header[4]!;
      if (data.length < p3) {
        s = { ...s, incoming: { ...s.incoming, data } };
        continue;
      }
      const [cla, ins, p1, p2] = s.incoming.header as [number, number, number, number];
      const answer = splitAnswer(transmit(encodeCommand({ extended: false, cla, ins, p1, p2, data: Uint8Array.from(data), ...(s.incoming.expectsAnswer ? { le: 256 } : {}) })));
      s = { ...s, incoming: null, held: null };
      s = announce(s, answer, out);
      continue;
    }
    if (s.header.length === 0 && b === T0_RESET) {
      s = createT0CardState();
      reset = true;
      continue;
    }
    const header = [...s.header, b];
    if (header.length < 5) {
      s = { ...s, header };
      continue;
    }
    s = { ...s, header: [] };
    const [cla, ins, p1, p2, p3] = header as [number, number, number, number, number];
    if (ins === GET_RESPONSE && (cla & 0x0c) === 0) {
      s = getResponse(s, p3, out);
      continue;
    }
    s = { ...s, held: null };
    const direction = t0Direction(cla, ins, p1, p2, p3);
    if (direction === 'in' || direction === 'in-out') {
      // the INS procedure byte: the IFD sends all P3 data bytes
      out.push(Uint8Array.of(ins));
      s = { ...s, incoming: { header, data: [], expectsAnswer: direction === 'in-out' } };
      continue;
    }
    if (direction === 'none') {
      s = announce(s, splitAnswer(transmit(encodeCommand({ extended: false, cla, ins, p1, p2, data: new Uint8Array(0) }))), out);
      continue;
    }
    const le = p3 === 0 ? 256 : p3;
    const answer = splitAnswer(transmit(encodeCommand({ extended: false, cla, ins, p1, p2, data: new Uint8Array(0), le })));
    if (answer.data.length === 0) out.push(sw2Bytes(answer.sw));
    // TCS_43: fewer bytes than Le: the exact length, for the IFD to ask again
    else if (answer.data.length < le) out.push(Uint8Array.of(0x6c, answer.data.length & 0xff));
    else out.push(Uint8Array.of(ins), answer.data, sw2Bytes(answer.sw));
  }
  return { state: s, out, reset };
}

/** TCS_32: an answer with data after a command that carried data: '61 La', the data held for GET RESPONSE. */
function announce(s: T0CardState, answer: { data: Uint8Array; sw: number }, out: Uint8Array[]): T0CardState {
  if (answer.data.length === 0) {
    out.push(sw2Bytes(answer.sw));
    return s;
  }
  out.push(Uint8Array.of(0x61, answer.data.length & 0xff));
  return { ...s, held: { data: answer.data.slice(), sw: answer.sw } };
}

function getResponse(s: T0CardState, p3: number, out: Uint8Array[]): T0CardState {
  const held = s.held;
  if (!held) {
    out.push(sw2Bytes(FORBIDDEN_NO_RESPONSE));
    return s;
  }
  const available = held.data.length;
  if (p3 === 0 || p3 > available) {
    out.push(Uint8Array.of(0x6c, available & 0xff));
    return s;
  }
  if (p3 < available) {
    const rest = held.data.subarray(p3);
    out.push(Uint8Array.of(GET_RESPONSE), held.data.subarray(0, p3), Uint8Array.of(0x61, rest.length & 0xff));
    return { ...s, held: { data: rest, sw: held.sw } };
  }
  out.push(Uint8Array.of(GET_RESPONSE), held.data, sw2Bytes(held.sw));
  return { ...s, held: null };
}

/** Whether a command is half received: a header of 1 to 4 bytes, or a header whose P3 data bytes have not all come. */
export function t0Pending(state: T0CardState): boolean {
  return state.header.length > 0 || state.incoming !== null;
}

/**
 * The waiting time ran out (ISO/IEC 7816-3 §10.2 WT, which the serial port applies to the IFD's characters too):
 * the half-received command is dropped, so the next byte starts a header again. What GET RESPONSE gives stays (the
 * command before was whole). `dropped` says what was cut, for the port's record; null when nothing was pending.
 */
export function t0DropPartial(state: T0CardState): { state: T0CardState; dropped: string | null } {
  const hexOf = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  if (state.header.length > 0) return { state: { ...state, header: [] }, dropped: `a header cut after ${state.header.length} of its 5 bytes (${hexOf(state.header)})` };
  if (state.incoming) {
    const { header, data } = state.incoming;
    return { state: { ...state, incoming: null }, dropped: `the data of ${hexOf(header)} cut after ${data.length} of its ${header[4]} bytes${data.length ? ` (${hexOf(data)})` : ''}` };
  }
  return { state, dropped: null };
}
