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
 * clock starts at the first byte the answering side sends after the request, so an answer preceded by
 * stray bytes is timed from them.
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

/** Splits one direction's bytes into frames byte by byte, so the byte that ends a frame is known. */
class FrameWatch {
  private deframer: { push(bytes: Uint8Array): Uint8Array[] };
  private readonly one = new Uint8Array(1);

  constructor(private readonly codec: FrameCodec) {
    this.deframer = codec.createDeframer();
  }

  /** Pushes one byte; true when it ends a well-formed frame. */
  push(byte: number): boolean {
    this.one[0] = byte;
    let frames: Uint8Array[];
    try {
      frames = this.deframer.push(this.one);
    } catch {
      this.reset();
      return false;
    }
    return frames.some((f) => this.wellFormed(f));
  }

  /** Forgets a frame begun: the other side has taken its turn, so what was held was broken off. */
  reset(): void {
    this.deframer = this.codec.createDeframer();
  }

  private wellFormed(frame: Uint8Array): boolean {
    try {
      this.codec.describe(frame);
      return true;
    } catch {
      return false;
    }
  }
}

export class AnswerMeter {
  private readonly requests: FrameWatch;
  private readonly answers: FrameWatch;
  /** The arrival of the last byte of the request waiting for its answer. */
  private pendingSince: number | null = null;
  /** The arrival of the first byte the answering side sent after it. */
  private answerStart: number | null = null;
  private readonly times: number[] = [];
  private unanswered = 0;

  constructor(private readonly o: AnswerMeterOptions) {
    this.requests = new FrameWatch(o.requests);
    this.answers = new FrameWatch(o.answers);
  }

  observe(crossing: LineCrossing): void {
    if (crossing.from === this.o.requester && crossing.to === this.o.answerer) {
      for (let i = 0; i < crossing.bytes.length; i++) if (this.requests.push(crossing.bytes[i]!)) this.requested(crossing.at[i]!);
    } else if (crossing.from === this.o.answerer && crossing.to === this.o.requester) {
      for (let i = 0; i < crossing.bytes.length; i++) {
        if (this.pendingSince !== null && this.answerStart === null) this.answerStart = crossing.at[i]!;
        if (this.answers.push(crossing.bytes[i]!)) this.answered();
      }
    }
  }

  summary(): PortTiming {
    return {
      link: this.o.link,
      requester: this.o.requester,
      answerer: this.o.answerer,
      exchanges: this.times.length,
      unanswered: this.unanswered,
      answerMs: answerTimes(this.times),
      ...(this.o.window ? { window: this.o.window } : {}),
    };
  }

  private requested(at: number): void {
    if (this.pendingSince !== null) this.unanswered++;
    this.pendingSince = at;
    this.answerStart = null;
    this.answers.reset();
  }

  private answered(): void {
    if (this.pendingSince === null || this.answerStart === null) return; // not an answer to a request seen
    this.times.push(this.answerStart - this.pendingSince);
    this.pendingSince = null;
    this.answerStart = null;
    this.requests.reset();
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
