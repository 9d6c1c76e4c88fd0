import type { LineCrossing, Link, Unsubscribe } from './link.ts';

/**
 * How fast a device answers on a line, measured on the line itself: per link and direction (the port that
 * asks, the port that answers), how many requests were answered and how long the answers took to start,
 * against the window the asking side holds them to. Independent of the trace: it watches the link's
 * crossings (Link.onLine), with the arrival of every byte as the line had it.
 *
 * An exchange is a request frame from the asking port followed by an answer frame from the answering one,
 * frames as the ports' codecs split the bytes (App. 7: a request frame and the VU's response frame, a
 * negative one and NRC 78 "response pending" included; the motion sensor link: the VU's request, the sensor's
 * reply; the EGF: the VU's T=1 block, the EGF's block). Its answer time runs from the arrival of the
 * request's last byte to the arrival of the answer's first byte: the answering device's reaction, plus that
 * first byte's own time on the line (one character: 1.15 ms at 9600 baud 8E1). App. 7's P2 ends where that
 * byte starts, so the figure is P2 plus one character: on the safe side of the window.
 *
 * A frame the codec refuses (a damaged frame, stray bytes) neither asks nor answers. A request followed by
 * another request with no answer between them is counted unanswered: sent again after no answer in time,
 * or one that has no answer by design (App. 7's link control confirmation, an acknowledge FFFF). The answer
 * clock stops at the first byte of the answering side's turn, so an answer preceded by stray bytes is timed
 * from them; an answer to a request sent several times is timed from the last copy, as the asking side
 * takes it.
 */
export interface FrameCodec {
  createDeframer(): { push(bytes: Uint8Array): Uint8Array[] };
  /** Throws for a frame that is not well formed (PortCodec.describe). */
  describe(frame: Uint8Array): unknown;
}

/** The window the asking side holds answers to: how long it waits for one to start. */
export interface AnswerWindow {
  /** What the setting is called, e.g. `P2 max`. */
  name: string;
  ms: number;
  /** The device whose setting it is. */
  of: string;
}

export interface AnswerTimes {
  p50: number;
  p99: number;
  max: number;
}

/** One direction of one link, as the result record keeps it. */
export interface PortTiming {
  link: string;
  /** The asking and the answering port, `device.port`. */
  requester: string;
  answerer: string;
  /** Requests answered. */
  exchanges: number;
  /** Requests followed by another request with no answer between them. */
  unanswered: number;
  /** Answer times, ms (to the microsecond); null without an exchange. */
  answerMs: AnswerTimes | null;
  window?: AnswerWindow;
}

export interface AnswerMeterOptions {
  link: string;
  requester: string;
  answerer: string;
  /** The codecs of the asking and the answering port. */
  requests: FrameCodec;
  answers: FrameCodec;
  window?: AnswerWindow;
}

/** A run of bytes one side sent while the other was silent, with each byte's arrival. */
interface Turn {
  side: 'request' | 'answer';
  bytes: number[];
  at: number[];
}

/** What the meter has counted: kept apart so a summary can count the turn still open without closing it. */
interface Tally {
  /** The arrival of the last byte of the request waiting for its answer. */
  pending: number | null;
  times: number[];
  unanswered: number;
}

/**
 * The line is split into turns (request and answer protocols are half duplex: a side speaks once the other
 * has finished), and each turn is cut into frames by its side's codec when it ends, in one pass: the last
 * byte of a well-formed request frame in a requester's turn ends a request, the first byte of an
 * answerer's turn holding a well-formed frame starts its answer. Cutting each turn apart (a fresh
 * deframer each) also drops what was left of a frame broken off when the other side took its turn.
 */
export class AnswerMeter {
  private turn: Turn | null = null;
  private readonly tally: Tally = { pending: null, times: [], unanswered: 0 };

  constructor(private readonly o: AnswerMeterOptions) {}

  observe(crossing: LineCrossing): void {
    let side: Turn['side'];
    if (crossing.from === this.o.requester && crossing.to === this.o.answerer) side = 'request';
    else if (crossing.from === this.o.answerer && crossing.to === this.o.requester) side = 'answer';
    else return;
    if (this.turn?.side !== side) {
      if (this.turn) this.close(this.turn, this.tally);
      this.turn = { side, bytes: [], at: [] };
    }
    for (let i = 0; i < crossing.bytes.length; i++) {
      this.turn.bytes.push(crossing.bytes[i]!);
      this.turn.at.push(crossing.at[i]!);
    }
  }

  summary(): PortTiming {
    const tally = { ...this.tally, times: [...this.tally.times] };
    if (this.turn) this.close(this.turn, tally);
    return {
      link: this.o.link,
      requester: this.o.requester,
      answerer: this.o.answerer,
      exchanges: tally.times.length,
      unanswered: tally.unanswered,
      answerMs: answerTimes(tally.times),
      ...(this.o.window ? { window: this.o.window } : {}),
    };
  }

  private close(turn: Turn, tally: Tally): void {
    const ends = wellFormedEnds(turn.side === 'request' ? this.o.requests : this.o.answers, turn.bytes);
    if (ends.length === 0) return; // stray bytes or a damaged frame: nothing asked or answered
    if (turn.side === 'request') {
      // Every request but the last of a turn went unanswered, and so did one still waiting from before.
      tally.unanswered += ends.length - 1 + (tally.pending === null ? 0 : 1);
      tally.pending = turn.at[ends.at(-1)!]!;
    } else if (tally.pending !== null) {
      tally.times.push(turn.at[0]! - tally.pending);
      tally.pending = null;
    }
  }
}

/**
 * The index of the last byte of each well-formed frame in `bytes`, by a fresh deframer of the codec. The
 * codec returns frames (and, for some codecs, refused bytes) in the order they came, so each ends where the
 * lengths returned so far add up to.
 */
function wellFormedEnds(codec: FrameCodec, bytes: readonly number[]): number[] {
  let frames: Uint8Array[];
  try {
    frames = codec.createDeframer().push(Uint8Array.from(bytes));
  } catch {
    return [];
  }
  const ends: number[] = [];
  let consumed = 0;
  for (const frame of frames) {
    consumed += frame.length;
    if (wellFormed(codec, frame)) ends.push(Math.min(consumed, bytes.length) - 1);
  }
  return ends;
}

function wellFormed(codec: FrameCodec, frame: Uint8Array): boolean {
  try {
    codec.describe(frame);
    return true;
  } catch {
    return false;
  }
}

/** Watches a link with a meter until the returned function is called. */
export function meterLink(link: Link, meter: AnswerMeter): Unsubscribe {
  return link.onLine((crossing) => meter.observe(crossing));
}

/**
 * p50, p99 and the maximum of answer times, by nearest rank (the smallest value at least that share of all
 * are at or below: always a time that was measured), rounded to the microsecond; null for none.
 */
export function answerTimes(values: readonly number[]): AnswerTimes | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: micro(nearestRank(sorted, 0.5)), p99: micro(nearestRank(sorted, 0.99)), max: micro(sorted.at(-1)!) };
}

/** The value of rank ⌈q·n⌉ (1-based) in ascending `sorted`. */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  // less a hair: 0.99 × 100 is 99.00000000000001 in floating point, whose ceiling would skip a rank
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

const micro = (ms: number) => Math.round(ms * 1000) / 1000;
