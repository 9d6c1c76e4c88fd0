import { DEFAULT_IFS, MAX_INF, decodeBlock, encodeBlock, type Bit, type T1Block } from './block.ts';

/**
 * The T=1 half-duplex block protocol (ISO/IEC 7816-3 §11.6) as pure functions over plain data, for either end:
 * the VU's transceiver (the master, which sends first) or the EGF's (GNS_15). A step takes a state and one
 * received block (or a local request) and returns the new state, the blocks to send, and any complete message.
 * Timers (BWT, CWT) belong to the owner: on a timeout the master calls {@link t1Retransmit} or {@link t1Resynch}.
 */
export interface T1State {
  /** NAD sent in every block: '00', addressing unused (§11.3.2.1) on a point-to-point link. */
  nad: number;
  /** N(S) of our next I-block. */
  ns: Bit;
  /** N(S) expected in the peer's next I-block (what our R-blocks carry as N(R)). */
  nr: Bit;
  /** Largest INF we send: the peer's receive size (IFSC at the master, IFSD at the card). */
  ifsSend: number;
  /** Largest INF we accept. */
  ifsReceive: number;
  /** INFs of a chain being received, one entry per block: joined once, when the chain ends. */
  rx: number[][];
  /** Chunks of our message not yet sent (chaining, §11.6.2.1). */
  tx: number[][];
  /** The last block sent, kept for retransmission (rules 7.2, 7.3). */
  last: number[] | null;
  /** How many times `last` has been sent (rule 7.4: at most {@link T1_MAX_SENDS}). */
  sends: number;
}

/**
 * Rule 7.4 (ISO/IEC 7816-3 §11.6.3.2): a block is sent at most three times (two retransmissions); then the
 * master resynchronises (rule 6.4) and the card stays silent. Without the limit, two ends that disagree on the
 * sequence numbers (the master's peer replaced mid-session) would ask each other for blocks for ever.
 */
export const T1_MAX_SENDS = 3;

/**
 * The longest message a chain may carry: a short command APDU (ISO/IEC 7816-4 §5.1: CLA INS P1 P2, Lc, 255
 * data bytes, Le; a response is at most 256 data bytes and SW1-SW2), since GNS_16 allows only short lengths on
 * the EGF link. An extended APDU that fits is still passed up, so the EGF refuses it with '6700'; a chain that
 * runs past the bound is refused at once (rule 7.1, an R-block) and dropped. So a peer cannot make the
 * receiver hold a message without end, and a chain of one-byte blocks costs at most 261 blocks.
 */
export const T1_MAX_MESSAGE = 4 + 1 + 255 + 1;

export interface T1Step {
  state: T1State;
  /** Blocks to send, encoded, in order. */
  out: Uint8Array[];
  /** A complete message received (the INF of an I-block, or of a chain). */
  message?: Uint8Array;
  /** True when a resynchronisation reset the protocol (either end). */
  resynchronised?: boolean;
  /** A block the codec refused, with the reason (the step answers it with an R-block). */
  refused?: string;
  /** Our last block was asked for again after its {@link T1_MAX_SENDS}th sending: nothing sent (rule 7.4). The master resynchronises. */
  exhausted?: boolean;
}

export function createT1State(options: { nad?: number; ifsSend?: number; ifsReceive?: number } = {}): T1State {
  return {
    nad: options.nad ?? 0,
    ns: 0,
    nr: 0,
    ifsSend: options.ifsSend ?? DEFAULT_IFS,
    ifsReceive: options.ifsReceive ?? DEFAULT_IFS,
    rx: [],
    tx: [],
    last: null,
    sends: 0,
  };
}

/** Sends a message (an APDU), chained over I-blocks of at most `ifsSend` bytes. */
export function t1Send(state: T1State, message: Uint8Array): T1Step {
  const chunks: number[][] = [];
  for (let i = 0; i < message.length; i += state.ifsSend) chunks.push([...message.subarray(i, i + state.ifsSend)]);
  if (chunks.length === 0) chunks.push([]);
  return sendNextChunk({ ...state, tx: chunks, rx: [] });
}

/** Block waiting time expired at the master: ask again for the block it is waiting for (rule 7.5: resend ours). */
export function t1Retransmit(state: T1State): T1Step {
  return state.last ? resend(state) : { state, out: [] };
}

/** After repeated failures the master resynchronises (rule 6.4): S(RESYNCH request). */
export function t1Resynch(state: T1State): T1Step {
  return sendBlock(state, { type: 'S', nad: state.nad, kind: 'resynch', response: false, inf: new Uint8Array(0) });
}

/** Announces our receive size (S(IFS request), rule 3): the master sends it once to lift the default of 32. */
export function t1RequestIfs(state: T1State, ifs: number): T1Step {
  if (!(ifs >= 1 && ifs <= MAX_INF)) throw new RangeError(`IFS must be 1..${MAX_INF}, got ${ifs}`);
  return sendBlock({ ...state, ifsReceive: ifs }, { type: 'S', nad: state.nad, kind: 'ifs', response: false, inf: Uint8Array.of(ifs) });
}

export function t1Receive(state: T1State, frame: Uint8Array): T1Step {
  const decoded = decodeBlock(frame);
  // Rule 7.1: an invalid block is answered by an R-block naming the error and the I-block expected.
  if (!decoded.ok) return { ...sendBlock(state, rBlock(state, decoded.error)), refused: decoded.reason };
  const block = decoded.block;
  switch (block.type) {
    case 'I':
      return receiveI(state, block);
    case 'R':
      return receiveR(state, block);
    case 'S':
      return receiveS(state, block);
  }
}

function receiveI(state: T1State, block: Extract<T1Block, { type: 'I' }>): T1Step {
  if (block.inf.length > state.ifsReceive) {
    return { ...sendBlock(state, rBlock(state, 'other')), refused: `INF of ${block.inf.length} bytes exceeds our IFS ${state.ifsReceive}` };
  }
  // Rule-book choice: an I-block with the N(S) we already took is the peer repeating itself because our answer
  // was lost; we repeat that answer rather than take the data twice.
  if (block.ns !== state.nr) return state.last ? resend(state) : sendBlock(state, rBlock(state, 'other'));
  const held = state.rx.reduce((n, chunk) => n + chunk.length, 0);
  if (held + block.inf.length > T1_MAX_MESSAGE) {
    const dropped = { ...state, rx: [] };
    return { ...sendBlock(dropped, rBlock(dropped, 'other')), refused: `a chain of more than ${T1_MAX_MESSAGE} bytes, the longest APDU` };
  }
  // the chunks are kept apart and joined once: copying the chain so far at every block made a chain quadratic
  const next: T1State = { ...state, nr: flip(state.nr), rx: [...state.rx, Array.from(block.inf)], tx: [], last: null };
  // Rule 5: a chained I-block (M = 1) is acknowledged by an R-block asking for N(S) = the next one.
  if (block.more) return sendBlock(next, rBlock(next, 'none'));
  return { state: { ...next, rx: [] }, out: [], message: joinChunks(next.rx, held + block.inf.length) };
}

function receiveR(state: T1State, block: Extract<T1Block, { type: 'R' }>): T1Step {
  // Rule 2.2: while we chain, an R-block asking for our next N(S) acknowledges the chunk sent.
  if (state.tx.length > 0 && block.nr === state.ns) return sendNextChunk(state);
  // Rules 7.2/7.3 (and 6.3 for a lost R-block): anything else asks for our last block again.
  if (state.last) return resend(state);
  return { state, out: [] };
}

/** Our last block again, unless it has been sent {@link T1_MAX_SENDS} times already (rule 7.4). */
function resend(state: T1State): T1Step {
  if (state.sends >= T1_MAX_SENDS) return { state, out: [], exhausted: true };
  return { state: { ...state, sends: state.sends + 1 }, out: [Uint8Array.from(state.last!)] };
}

function receiveS(state: T1State, block: Extract<T1Block, { type: 'S' }>): T1Step {
  if (block.response) {
    // Rule 6.2: a RESYNCH response completes the resynchronisation the master asked for.
    if (block.kind === 'resynch') return { state: reset(state), out: [], resynchronised: true };
    return { state: { ...state, last: null, sends: 0 }, out: [] };
  }
  const answer = (s: T1State, inf: Uint8Array = new Uint8Array(0)) => sendBlock(s, { type: 'S', nad: s.nad, kind: block.kind, response: true, inf });
  switch (block.kind) {
    // §11.6.3.3: RESYNCH sets the sequence numbers and IFS back to their initial values.
    case 'resynch':
      return { ...answer(reset(state)), resynchronised: true };
    // Rule 3: S(IFS request) gives the size the requester can receive.
    case 'ifs':
      return answer({ ...state, ifsSend: block.inf[0]! }, block.inf);
    // Rule 9: ABORT ends any chain in progress.
    case 'abort':
      return answer({ ...state, rx: [], tx: [] });
    case 'wtx':
      return answer(state, block.inf);
    default:
      return { ...sendBlock(state, rBlock(state, 'other')), refused: `S(${block.kind}) request is not defined` };
  }
}

function sendNextChunk(state: T1State): T1Step {
  const [chunk, ...rest] = state.tx;
  const block: T1Block = { type: 'I', nad: state.nad, ns: state.ns, more: rest.length > 0, inf: Uint8Array.from(chunk ?? []) };
  return sendBlock({ ...state, ns: flip(state.ns), tx: rest }, block);
}

function sendBlock(state: T1State, block: T1Block): T1Step {
  const bytes = encodeBlock(block);
  return { state: { ...state, last: [...bytes], sends: 1 }, out: [bytes] };
}

function rBlock(state: T1State, error: 'none' | 'edc' | 'other'): T1Block {
  return { type: 'R', nad: state.nad, nr: state.nr, error };
}

function reset(state: T1State): T1State {
  return createT1State({ nad: state.nad });
}

function flip(b: Bit): Bit {
  return (b ^ 1) as Bit;
}

function joinChunks(chunks: readonly number[][], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
