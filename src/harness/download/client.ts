import type { RigClock } from '../clock/index.ts';
import type { LinkEnd } from '../links/index.ts';
import {
  acknowledgeSubMessage,
  ADDRESS,
  announcedLength,
  answerTooShort,
  decodeFrame,
  deframe,
  DEFAULT_BAUD,
  EMPTY_DEFRAME_STATE,
  isOverviewTrtp,
  joinChunks,
  linkControlTransitionRequest,
  linkControlVerifyRequest,
  NRC_TEXT,
  readTransferDataField,
  requestUploadRequest,
  SID,
  startCommunicationRequest,
  startDiagnosticSessionRequest,
  stopCommunicationRequest,
  TIMING,
  TRTP,
  transferDataRequest,
  transferExitRequest,
  type DeframeState,
  type TransferRequest,
} from '../../protocols/app7/index.ts';
import { judgeAnswer, sameBytes, type Awaited } from './answer-rules.ts';
import { DEFAULT_DOWNLOAD_FORMAT, FORMAT_TRTP, type DownloadFormat } from './download-format.ts';

/** The IDE's side of DDP_019/DDP_027, rig ms. */
export interface DownloadClientTiming {
  /** P2 max: a response must start within this after the end of a request (P3 max after NRC 78). */
  p2MaxMs: number;
  /** P3 min: the IDE waits this long after a response (or an error) before its next request (DDP_028). */
  p3MinMs: number;
  p3MaxMs: number;
  /** P4 min: the IDE's gap between the bytes of a request. 0: a request goes out in one write, back to back. */
  p4MinMs: number;
  /** P4 max: a request whose own bytes went out further apart is one the VU ignores (DDP_022/023). */
  p4MaxMs: number;
  /** P1 max: a response whose bytes are further apart is a timing error (DDP_025). */
  p1MaxMs: number;
  /** P5 max: P3 extended for a card download. */
  p5MaxMs: number;
}

export const DEFAULT_CLIENT_TIMING: DownloadClientTiming = {
  p2MaxMs: TIMING.P2_MAX,
  p3MinMs: TIMING.P3_MIN,
  p3MaxMs: TIMING.P3_MAX,
  p4MinMs: TIMING.P4_MIN,
  p4MaxMs: TIMING.P4_MAX,
  p1MaxMs: TIMING.P1_MAX,
  p5MaxMs: TIMING.P5_MAX,
};

export interface DownloadOptions {
  /**
   * Transfers after the overview; the overview (TRTP 21, 01 in the gen1 format, 31 in gen2 v2's) is always
   * requested first (DDP_054), in gen2 v2's format after the download interface version (TRTP 00, DDP_028a).
   */
  transfers?: TransferRequest[];
  /** The format whose overview is requested when `transfers` holds none (download-format.ts); default gen2v1. */
  format?: DownloadFormat;
  /**
   * The transfers to ask for once the overview is in, from what it says (its downloadable days): a full
   * download in one session, as a download key does it. Used instead of `transfers` when given.
   */
  transfersAfterOverview?: (overview: Uint8Array) => TransferRequest[];
  /** DDP_048: also download the driver card in this slot through the VU (TRTP 06), after the transfers. */
  card?: 'driver' | 'co-driver';
  /** Link control to this rate after the diagnostic session (DDP_052); default: stay at 9600. */
  baud?: number;
  timing?: Partial<DownloadClientTiming>;
  /** DDP_027: transmissions of one request in all. */
  maxTransmissions?: number;
  /**
   * DDP_003: times one transfer may be requested, the first included, when its message breaks off (an
   * acknowledge unanswered after its transmissions, or the VU starting the message again). Default 3.
   */
  maxTransferStarts?: number;
  /**
   * Sessions one download may take: after a request failed in all its transmissions (DDP_027), the session is
   * ended and a new one asks only for the transfers not yet in (the overview first again, DDP_054), as long as
   * the failed session reached the transfers (Request Upload answered). One that did not ends the download. Default 5.
   */
  maxSessions?: number;
  /** Every frame written and read, for transcripts. */
  onFrame?: (frame: { t: number; from: 'ide' | 'vu'; bytes: Uint8Array }) => void;
  /**
   * Every answer accepted, with the rig times the request's last byte left and the answer's last byte
   * arrived (the VU's answer time as the IDE sees it, P2 and the answer's own line time).
   */
  onAnswer?: (answer: { what: string; requestEndAt: number; answerEndAt: number; transmission: number; data: Uint8Array }) => void;
  /** Every frame from the VU dropped as not the answer waited for (a late copy of an earlier one), and why. */
  onStale?: (stale: { what: string; at: number; reason: string; data: Uint8Array }) => void;
}

export type TransferOutcome =
  | { trtp: number; ok: true; trep: number; message: Uint8Array; subMessages: number }
  | { trtp: number; ok: false; nrc: number; reason: string };

export interface DownloadResult {
  transfers: TransferOutcome[];
  /** Transmissions of a request after its first (acknowledges included, DDP_027), late ones included. */
  retransmissions: number;
  /**
   * Transmissions whose own bytes went out more than P4 max apart (this host held up between two of them):
   * sent again like an unanswered request, without counting towards DDP_027's three (at most three a request).
   */
  lateRequests: number;
  /** Frames from the VU dropped as late copies of earlier answers (not the answer waited for). */
  staleAnswers: number;
  /** Transfers requested again after their message broke off (DDP_003). */
  restartedTransfers: number;
  /**
   * Sessions the download took: more than 1 when a request failed in all its transmissions and a new session
   * asked for the transfers not yet in (`maxSessions`), or when the VU did not answer at the rate link control
   * set (the confirmation, which has no answer, was lost) and the download was made again at 9600 baud.
   */
  sessions: number;
  /** False when Stop Communication got no answer after its transmissions: the data is complete all the same. */
  stopAnswered: boolean;
  /** The rate the transfers ran at. */
  baud: number;
  startedAt: number;
  endedAt: number;
}

export class DownloadError extends Error {
  constructor(
    message: string,
    /** The VU's negative response code, when a refusal ended the session (DDP_018). */
    readonly nrc?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** A request that got no good answer in its transmissions (DDP_027): the line, not the VU's refusal. */
class RequestFailed extends DownloadError {}

/** The VU sent a message's sub-message again with other content: the parts taken cannot be joined. */
class MessageStartedAgain extends DownloadError {}

/** The first request at the rate link control set went unanswered in all its transmissions. */
class RateNotTaken extends DownloadError {}

/** Transmissions of one request that went out late (see `request`) and do not count towards DDP_027's three. */
const MAX_LATE_TRANSMISSIONS = 3;

/** Sessions a download may take by default (`maxSessions`). */
const DEFAULT_MAX_SESSIONS = 5;

type Received = { kind: 'frame'; data: Uint8Array; endAt: number } | { kind: 'error'; detail: string; endAt: number } | { kind: 'timeout' };

/**
 * The rig's IDE: runs one App. 7 download session over any link end, on the rig clock. Promise-based; on a
 * virtual clock it registers a settler so its continuations run at the rig instant that resumed them.
 */
export async function downloadVu(end: LinkEnd, clock: RigClock, options: DownloadOptions = {}): Promise<DownloadResult> {
  const session = new ClientSession(end, clock, options);
  try {
    return await session.run();
  } finally {
    session.dispose();
  }
}

/** What a pre-flight probe of a VU's download line found (see {@link probeVu}). */
export interface ProbeResult {
  /** The data field of the VU's positive answer to Start Communication (`C1 EA 8F`: SID and key bytes). */
  startAnswer: Uint8Array;
  /** Rig ms from the end of the request to the end of the answer that was taken. */
  answerMs: number;
  /** Transmissions of Start Communication it took (DDP_027: at most three). */
  transmissions: number;
  /** False when Stop Communication went unanswered: the VU ends the session itself after P3 max (DDP_021). */
  stopAnswered: boolean;
}

/**
 * A bench's pre-flight (`rig bench check`): is a VU on the other end of this line, answering App. 7? Start
 * Communication and, once answered, Stop Communication (DDP_015), nothing else: no download, nothing
 * recorded by the VU. Throws a {@link DownloadError} when Start Communication gets no good answer.
 */
export async function probeVu(end: LinkEnd, clock: RigClock, options: Pick<DownloadOptions, 'timing' | 'maxTransmissions' | 'onFrame'> = {}): Promise<ProbeResult> {
  let answer: { requestEndAt: number; answerEndAt: number; transmission: number } | undefined;
  const session = new ClientSession(end, clock, { ...options, onAnswer: (a) => (answer ??= a) });
  try {
    const { startAnswer, stopAnswered } = await session.probe();
    return { startAnswer, answerMs: answer!.answerEndAt - answer!.requestEndAt, transmissions: answer!.transmission, stopAnswered };
  } finally {
    session.dispose();
  }
}

class ClientSession {
  private readonly timing: DownloadClientTiming;
  private readonly maxTransmissions: number;
  private readonly maxTransferStarts: number;
  private rx: DeframeState = EMPTY_DEFRAME_STATE;
  private inbox: Received[] = [];
  private waiter: ((r: Received) => void) | null = null;
  private timer: number | null = null;
  /** Open while the client's code runs between two waits: the virtual clock holds time for it. */
  private busy: { promise: Promise<void>; resolve: () => void } | null = null;
  private readonly unsubscribe: () => void;
  private readonly removeSettler: () => void;
  /** Rig time the last byte from the VU arrived (its stop bit), damaged or not. */
  private lastByteAt = -Infinity;
  /** Rig time the last byte of the IDE's last transmission left. */
  private lastSentAt = -Infinity;
  /**
   * The answer last taken, when transmissions of its request went unanswered within P2 max: the VU may still
   * answer those copies, late. `remaining`: how many such copies may still come. The VU answers a repeated
   * request as it answered the first (machine.ts), so a late copy is byte for byte the answer taken. It comes,
   * if at all, before the answer to the next request (a line does not reorder and a VU answers in turn), so
   * only the last answer taken is kept: a copy of an older one cannot be told from a new answer alike (two
   * days without data both get `7F 36 FA`).
   */
  private lateCopies: { data: Uint8Array; remaining: number } | null = null;
  private retransmissions = 0;
  private lateRequests = 0;
  private staleAnswers = 0;
  private restartedTransfers = 0;
  private readonly maxSessions: number;
  /** Transfers already in, by request (trtp, date, slot): a later session does not ask for them again. */
  private readonly done = new Map<string, TransferOutcome>();
  /** Whether the session under way reached the transfers (Request Upload answered: the VU is there and willing). */
  private progressed = false;
  /** The VU answered Start Communication: a session is open at its end. */
  private sessionOpen = false;

  constructor(
    private readonly end: LinkEnd,
    private readonly clock: RigClock,
    private readonly options: DownloadOptions,
  ) {
    this.timing = { ...DEFAULT_CLIENT_TIMING, ...options.timing };
    this.maxTransmissions = options.maxTransmissions ?? 3;
    this.maxTransferStarts = options.maxTransferStarts ?? 3;
    this.maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!(this.maxSessions >= 1)) throw new RangeError(`maxSessions must be at least 1, got ${this.maxSessions}`);
    this.unsubscribe = end.onData((bytes, at) => this.receive(bytes, at));
    this.removeSettler = clock.addSettler(() => this.busy?.promise);
  }

  dispose() {
    this.unsubscribe();
    this.removeSettler();
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.busy?.resolve();
  }

  async run(): Promise<DownloadResult> {
    const startedAt = this.clock.now();
    let baud = this.options.baud ?? DEFAULT_BAUD;
    for (let sessions = 1; ; sessions++) {
      try {
        const { transfers, stopAnswered } = await this.session(baud);
        const counts = { retransmissions: this.retransmissions, lateRequests: this.lateRequests, staleAnswers: this.staleAnswers, restartedTransfers: this.restartedTransfers };
        return { transfers, ...counts, sessions, stopAnswered, baud, startedAt, endedAt: this.clock.now() };
      } catch (error) {
        if (error instanceof RateNotTaken) {
          // DDP_052: the VU switches once it has the confirmation, which it does not answer; the IDE learns it
          // was lost only when nothing answers at the new rate. The VU's rate is unknown: back to 9600, end the
          // session there or let the VU end it (P3 max), and download again at 9600 (a decision: see README).
          this.end.setBaud(DEFAULT_BAUD);
          await this.abandon();
          if (sessions < this.maxSessions && baud !== DEFAULT_BAUD) {
            baud = DEFAULT_BAUD;
            continue;
          }
        } else if (error instanceof RequestFailed) {
          if (this.sessionOpen) await this.abandon();
          // A noisy line can defeat three transmissions of one request where a new session, asking for what is
          // still missing, gets through (a decision: see README, Downloads over a noisy line). Only while
          // sessions reach the transfers: a VU that does not answer, or will not upload, fails at once.
          if (this.progressed && sessions < this.maxSessions) continue;
          if (sessions > 1) throw new RequestFailed(`${error.message} (session ${sessions}; ${this.done.size} transfers were in)`);
        }
        throw error;
      }
    }
  }

  private async session(baud: number): Promise<{ transfers: TransferOutcome[]; stopAnswered: boolean }> {
    this.lateCopies = null;
    this.progressed = false;
    // Start Communication always at 9600 baud (DDP_005). DDP_020: after an error in this phase the IDE waits
    // P3 min before asking again, as in every other (`request`); DDP_021: the VU answers nothing else first.
    if (this.end.baud !== DEFAULT_BAUD) this.end.setBaud(DEFAULT_BAUD);
    await this.expectPositive(startCommunicationRequest(), SID.START_COMMUNICATION, SID.START_COMMUNICATION_OK, 'start communication');
    this.sessionOpen = true;
    await this.expectPositive(startDiagnosticSessionRequest(), SID.START_DIAGNOSTIC_SESSION, SID.START_DIAGNOSTIC_SESSION_OK, 'start diagnostic session');
    if (baud !== DEFAULT_BAUD) await this.switchBaud(baud);
    let upload: Uint8Array;
    try {
      upload = await this.request(requestUploadRequest(), 'request upload', { kind: 'service', requestSid: SID.REQUEST_UPLOAD, responseSid: SID.REQUEST_UPLOAD_OK });
    } catch (error) {
      if (baud !== DEFAULT_BAUD && error instanceof RequestFailed) throw new RateNotTaken(`${error.message}: the VU did not answer at ${baud} baud (DDP_052)`);
      throw error;
    }
    if (upload[0] === SID.NEGATIVE_RESPONSE) {
      // A VU that will not upload (DDP_018 50: its mode, or an internal fault): end the session so the next one
      // starts at 9600 baud at once (DDP_015), then report the refusal.
      await this.expectPositive(stopCommunicationRequest(), SID.STOP_COMMUNICATION, SID.STOP_COMMUNICATION_OK, 'stop communication');
      this.sessionOpen = false;
      if (this.end.baud !== DEFAULT_BAUD) this.end.setBaud(DEFAULT_BAUD);
      throw new DownloadError(`request upload: negative response ${hex(upload[2]!)} (${NRC_TEXT[upload[2]!] ?? 'unknown'})`, upload[2]!);
    }
    this.progressed = true;
    const transfers: TransferOutcome[] = [];
    const requests = [...(this.options.transfers ?? []), ...(this.options.card ? [cardDownloadRequest(this.options.card)] : [])];
    // DDP_054: the overview first, always; in the version 2 format the download interface version before it
    // (DDP_028a: how an IDE learns the VU's version; a version 1 VU refuses it, NRC 12).
    const format = this.options.format ?? DEFAULT_DOWNLOAD_FORMAT;
    const withOverview = requests.some((r) => isOverviewTrtp(r.trtp)) ? requests : [{ trtp: FORMAT_TRTP[format].overview }, ...requests];
    const asked = format === 'gen2v2' && !withOverview.some((r) => r.trtp === TRTP.DOWNLOAD_INTERFACE_VERSION) ? [{ trtp: TRTP.DOWNLOAD_INTERFACE_VERSION }, ...withOverview] : withOverview;
    const rank = (trtp: number) => (trtp === TRTP.DOWNLOAD_INTERFACE_VERSION ? 0 : isOverviewTrtp(trtp) ? 1 : 2);
    const ordered = [...asked].sort((a, b) => rank(a.trtp) - rank(b.trtp));
    for (const request of ordered) transfers.push(await this.transferOnce(request));
    const after = this.options.transfersAfterOverview;
    const overview = transfers.find((t) => isOverviewTrtp(t.trtp));
    if (after && overview?.ok) for (const request of after(overview.message)) transfers.push(await this.transferOnce(request));
    await this.expectPositive(transferExitRequest(), SID.REQUEST_TRANSFER_EXIT, SID.REQUEST_TRANSFER_EXIT_OK, 'request transfer exit');
    let stopAnswered = true;
    try {
      await this.expectPositive(stopCommunicationRequest(), SID.STOP_COMMUNICATION, SID.STOP_COMMUNICATION_OK, 'stop communication');
    } catch (error) {
      if (!(error instanceof RequestFailed)) throw error;
      // The data is all in. The VU either ended the session (its answer was lost; at a new rate it has gone
      // back to 9600, where the IDE's repeats no longer reach it) or ends it by itself after P3 max without a
      // request: wait for that, so the next session starts at 9600 on both ends.
      stopAnswered = false;
      await this.sleepUntil(this.sessionOverAt());
    }
    this.sessionOpen = false;
    if (this.end.baud !== DEFAULT_BAUD) this.end.setBaud(DEFAULT_BAUD);
    return { transfers, stopAnswered };
  }

  /** See {@link probeVu}: Start Communication at 9600 baud (DDP_005), then Stop Communication. */
  async probe(): Promise<{ startAnswer: Uint8Array; stopAnswered: boolean }> {
    if (this.end.baud !== DEFAULT_BAUD) this.end.setBaud(DEFAULT_BAUD);
    const startAnswer = await this.expectPositive(startCommunicationRequest(), SID.START_COMMUNICATION, SID.START_COMMUNICATION_OK, 'start communication');
    this.sessionOpen = true;
    let stopAnswered = true;
    try {
      await this.expectPositive(stopCommunicationRequest(), SID.STOP_COMMUNICATION, SID.STOP_COMMUNICATION_OK, 'stop communication');
    } catch (error) {
      if (!(error instanceof RequestFailed)) throw error;
      // the VU ends the session by itself after P3 max without a request (DDP_021): leave it that long
      stopAnswered = false;
      await this.sleepUntil(this.sessionOverAt());
    }
    this.sessionOpen = false;
    return { startAnswer, stopAnswered };
  }

  /**
   * After a request failed in all its transmissions: end the session with Stop Communication (DDP_015) so
   * the next one starts at 9600 at once; if that goes unanswered too, stay silent until the VU has ended it
   * itself (P3 max without a request).
   */
  private async abandon() {
    try {
      await this.expectPositive(stopCommunicationRequest(), SID.STOP_COMMUNICATION, SID.STOP_COMMUNICATION_OK, 'stop communication');
    } catch {
      await this.sleepUntil(this.sessionOverAt());
    }
    this.sessionOpen = false;
    if (this.end.baud !== DEFAULT_BAUD) this.end.setBaud(DEFAULT_BAUD);
  }

  /** When a VU that heard nothing more has ended the session: P3 max after the IDE's last request (with P2 max for its answer to it). */
  private sessionOverAt(): number {
    return this.lastSentAt + this.timing.p2MaxMs + this.timing.p3MaxMs;
  }

  /** DDP_052: stage 1 must be answered C7; stage 2 has no answer, and both ends switch. */
  private async switchBaud(baud: number) {
    await this.expectPositive(linkControlVerifyRequest(baud), SID.LINK_CONTROL, SID.LINK_CONTROL_OK, `link control ${baud}`);
    await this.waitQuietLine();
    const { endAt: sentAt } = await this.send(linkControlTransitionRequest());
    // The confirmation leaves at the old rate; switch once its last stop bit is out.
    await this.sleepUntil(sentAt);
    this.end.setBaud(baud);
  }

  private async expectPositive(frame: Uint8Array, requestSid: number, responseSid: number, what: string): Promise<Uint8Array> {
    const data = await this.request(frame, what, { kind: 'service', requestSid, responseSid });
    if (data[0] === SID.NEGATIVE_RESPONSE) throw new DownloadError(`${what}: negative response ${hex(data[2]!)} (${NRC_TEXT[data[2]!] ?? 'unknown'})`);
    return data;
  }

  /**
   * One Transfer Data Request and its message. DDP_017: the IDE acknowledges sub-message MsgC with MsgC+1 to
   * get the next, and leaves the last (LEN < 255) unacknowledged. When an acknowledge goes unanswered in all
   * its transmissions (DDP_027), or the VU starts the message again, the parts taken so far are dropped and
   * the transfer is requested again: DDP_003 "the IDE can ... request the VU to start again" (at most
   * `maxTransferStarts` requests of one transfer; the Transfer Data Request itself has its own three
   * transmissions and is not repeated past them).
   */
  /** A transfer not in yet, or what an earlier session got of it. The overview is asked for in every session (DDP_054: first, always). */
  private async transferOnce(request: TransferRequest): Promise<TransferOutcome> {
    const key = `${request.trtp}/${request.date ?? ''}/${request.slot ?? ''}`;
    const before = this.done.get(key);
    if (before && !isOverviewTrtp(request.trtp)) return before;
    const outcome = await this.transfer(request);
    this.done.set(key, outcome);
    return outcome;
  }

  private async transfer(request: TransferRequest): Promise<TransferOutcome> {
    const what = `transfer data ${hex(request.trtp)}`;
    const card = request.trtp === TRTP.CARD_DOWNLOAD;
    const brokenOff: string[] = [];
    for (let start = 1; start <= this.maxTransferStarts; start++) {
      if (start > 1) this.restartedTransfers++;
      const label = start > 1 ? `${what} (request ${start})` : what;
      const first = await this.request(transferDataRequest(request), label, { kind: 'transfer', trtp: request.trtp }, card);
      if (first[0] === SID.NEGATIVE_RESPONSE) return { trtp: request.trtp, ok: false, nrc: first[2]!, reason: NRC_TEXT[first[2]!] ?? 'unknown' };
      let field = readTransferDataField(first, false)!;
      if (field.counter === null) return { trtp: request.trtp, ok: true, trep: field.trep, message: field.chunk, subMessages: 0 };
      const received = [first];
      const chunks = [field.chunk];
      try {
        while (field.more) {
          const expected = field.counter! + 1;
          const next = await this.request(acknowledgeSubMessage(expected), `${label} sub-message ${expected}`, { kind: 'sub-message', trep: request.trtp, counter: expected, received }, card);
          if (next[0] === SID.NEGATIVE_RESPONSE) throw new MessageStartedAgain(`${label} sub-message ${expected}: negative response ${hex(next[2]!)} (${NRC_TEXT[next[2]!] ?? 'unknown'}) to the acknowledge`);
          received.push(next);
          field = readTransferDataField(next, true)!;
          chunks.push(field.chunk);
        }
        return { trtp: request.trtp, ok: true, trep: field.trep, message: joinChunks(chunks), subMessages: field.counter! };
      } catch (error) {
        if (!(error instanceof RequestFailed || error instanceof MessageStartedAgain)) throw error;
        brokenOff.push(error.message);
      }
    }
    if (brokenOff.length === 1) throw new RequestFailed(brokenOff[0]!);
    throw new RequestFailed(`${what}: requested ${brokenOff.length} times (DDP_003), the message broke off each time: ${brokenOff.join(' / ')}`);
  }

  /**
   * DDP_027: sends a request and returns the data field of the VU's answer to it (positive or negative),
   * sending it again (at most `maxTransmissions` in all) after a damaged answer (DDP_025), a sequence error
   * (DDP_026) or none within P2 max. NRC 78 extends the wait to P3 max (P5 for a card). Before every
   * transmission the IDE waits P3 min after the last byte it received (DDP_028), so a damaged answer's
   * remaining bytes are past before it asks again. A frame that is not the answer waited for (a late copy of
   * an earlier answer, answer-rules.ts) is dropped and the wait goes on.
   *
   * A transmission whose own bytes went out more than P4 max apart (on a busy host the IDE's process can be
   * held up between two bytes) is one the VU ignores (DDP_022/023), through no error of the VU's: it is
   * sent again after P2 max like any unanswered request, but not counted towards the three (decision: it
   * was never a well-formed request on the line; at most {@link MAX_LATE_TRANSMISSIONS} such a request).
   */
  private async request(frame: Uint8Array, what: string, awaited: Awaited, card = false): Promise<Uint8Array> {
    const problems: string[] = [];
    let late = 0;
    let unanswered = 0;
    let stale = 0;
    // DDP_027: at most three transmissions in all (an acknowledge is a request too)
    for (let attempt = 1; attempt <= this.maxTransmissions; attempt++) {
      if (attempt > 1 || late > 0) this.retransmissions++;
      await this.waitQuietLine(); // DDP_028
      // What was received before this transmission answers none of it: a damaged frame's bytes still held
      // would otherwise spoil the first answer to it.
      this.inbox = [];
      this.rx = EMPTY_DEFRAME_STATE;
      const sent = await this.send(frame);
      const sentAt = sent.endAt;
      let deadline = sentAt + this.timing.p2MaxMs;
      let problem: string;
      for (;;) {
        const r = await this.next(deadline);
        if (r.kind === 'timeout') {
          // P2 max times the start of the answer: one still arriving, P1 max a byte, is waited for (DDP_019).
          const allowance = this.timing.p1MaxMs + this.end.timingToleranceMs;
          if (this.rx.held.length > 0 && this.rx.lastAt !== null && this.clock.now() < this.rx.lastAt + allowance) {
            deadline = this.rx.lastAt + allowance;
            continue;
          }
          if (this.rx.held.length > 0) {
            problem = `answer cut short (${this.rx.held.length}${heldTotal(this.rx.held)} bytes, then nothing for P1 max)`;
            break;
          }
          problem = 'no response within P2 max';
          unanswered++;
          if (sent.longestGapMs > this.timing.p4MaxMs && late < MAX_LATE_TRANSMISSIONS) {
            late++;
            this.lateRequests++;
            attempt--;
            problem += ' (sent late by this host, not counted)';
          }
          break;
        }
        if (r.kind === 'error') {
          problem = r.detail; // DDP_025
          break;
        }
        // Not the answer to this transmission: a late copy of the answer last taken (the VU answered a copy of
        // its request that had gone unanswered within P2 max)
        const copy = this.lateCopies;
        if (copy && copy.remaining > 0 && sameBytes(copy.data, r.data)) {
          copy.remaining--;
          stale++;
          this.dropStale(what, r, 'a late copy of an earlier answer (its request was sent again)');
          continue;
        }
        const verdict = judgeAnswer(awaited, r.data);
        if (verdict.kind === 'pending') {
          deadline = r.endAt + (card ? this.timing.p5MaxMs : this.timing.p3MaxMs);
          continue;
        }
        if (verdict.kind === 'stale') {
          stale++;
          this.dropStale(what, r, verdict.reason);
          continue;
        }
        // DDP_003: the parts taken belong to another message; the transfer is requested again
        if (verdict.kind === 'started-again') throw new MessageStartedAgain(`${what}: ${verdict.reason} (the VU started the message again)`);
        if (verdict.kind === 'sequence-error') {
          problem = `sequence error: ${verdict.reason}`; // DDP_026
          break;
        }
        this.lateCopies = unanswered > 0 ? { data: r.data, remaining: unanswered } : null;
        this.options.onAnswer?.({ what, requestEndAt: sentAt, answerEndAt: r.endAt, transmission: attempt, data: r.data });
        return r.data;
      }
      problems.push(problem);
    }
    throw new RequestFailed(`${what}: ${describeProblems(problems)}${stale > 0 ? ` (${stale} late ${stale === 1 ? 'copy' : 'copies'} of earlier answers dropped)` : ''}`);
  }

  private dropStale(what: string, r: { data: Uint8Array; endAt: number }, reason: string) {
    this.staleAnswers++;
    this.options.onStale?.({ what, at: r.endAt, reason, data: r.data });
  }

  /**
   * Writes a request byte by byte at least P4 min apart (with P4 min 0, in one write); resolves with the rig
   * time its last byte is out and the longest gap there was between two of its bytes.
   */
  private async send(frame: Uint8Array): Promise<{ endAt: number; longestGapMs: number }> {
    this.options.onFrame?.({ t: this.clock.now(), from: 'ide', bytes: frame });
    // An upper bound of a character's time (11 bits: parity), so gaps are never shorter than P4 min.
    const charMs = (11 * 1000) / this.end.baud;
    if (this.timing.p4MinMs <= 0) {
      this.end.write(frame);
      this.lastSentAt = this.clock.now() + frame.length * charMs;
      return { endAt: this.lastSentAt, longestGapMs: 0 };
    }
    const step = charMs + this.timing.p4MinMs;
    let longestGapMs = 0;
    let last = this.clock.now();
    for (let i = 0; i < frame.length; i++) {
      if (i > 0) {
        await this.sleepUntil(last + step);
        // The gap the line saw: from the end of the previous character to the start of this one.
        longestGapMs = Math.max(longestGapMs, this.clock.now() - last - charMs);
      }
      last = this.clock.now();
      this.end.write(frame.subarray(i, i + 1));
    }
    this.lastSentAt = this.clock.now() + charMs;
    return { endAt: this.lastSentAt, longestGapMs };
  }

  /**
   * DDP_028: P3 min before each transmission, measured from the last byte received, whatever it was: after
   * an error the VU may still be sending the rest of a damaged answer, and a request sent into it would be
   * answered behind it. Bytes of an unfinished frame are given P1 max to complete. A line that never goes
   * quiet (a babbling device) is given up on after P3 max.
   */
  private async waitQuietLine() {
    const giveUpAt = this.clock.now() + this.timing.p3MaxMs;
    for (;;) {
      let quietAt = this.lastByteAt + this.timing.p3MinMs;
      if (this.rx.held.length > 0) quietAt = Math.max(quietAt, this.lastByteAt + this.timing.p1MaxMs + this.end.timingToleranceMs);
      if (quietAt <= this.clock.now() || this.clock.now() >= giveUpAt) return;
      await this.sleepUntil(Math.min(quietAt, giveUpAt));
    }
  }

  /**
   * DDP_025: P1 is judged by when the bytes arrived on the line (`at`, the link's stamp), not by when this
   * runs, with the link's tolerance where it cannot see the line exactly (an OS port on a loaded host).
   */
  private receive(bytes: Uint8Array, at: number) {
    this.lastByteAt = Math.max(this.lastByteAt, at);
    const r = deframe(this.rx, bytes, at, this.timing.p1MaxMs + this.end.timingToleranceMs);
    this.rx = r.state;
    for (const d of r.discarded) this.deliver({ kind: 'error', detail: `${d.reason} (${d.bytes.length} bytes discarded)`, endAt: at });
    for (const f of r.frames) {
      this.options.onFrame?.({ t: at, from: 'vu', bytes: f });
      const decoded = decodeFrame(f);
      if (!decoded.ok) this.deliver({ kind: 'error', detail: decoded.error.message, endAt: at });
      else if (decoded.frame.tgt === ADDRESS.IDE && decoded.frame.src === ADDRESS.VU) {
        // DDP_025: an answer too short for its service (SID 76 alone) is damaged, not one to read
        const short = answerTooShort(decoded.frame.data);
        this.deliver(short ? { kind: 'error', detail: short, endAt: at } : { kind: 'frame', data: decoded.frame.data, endAt: at });
      }
    }
  }

  private deliver(r: Received) {
    if (this.waiter) this.resume(r);
    else this.inbox.push(r);
  }

  private resume(r: Received) {
    const w = this.waiter!;
    this.waiter = null;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.hold();
    w(r);
  }

  private hold() {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.busy = { promise, resolve };
  }

  private release() {
    const b = this.busy;
    this.busy = null;
    b?.resolve();
  }

  /** The next received frame or error, or a timeout at rig time `deadline`. */
  private next(deadline: number): Promise<Received> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise<Received>((resolve) => {
      this.waiter = resolve;
      this.timer = this.clock.schedule(deadline, () => this.resume({ kind: 'timeout' }));
      this.release();
    });
  }

  private sleepUntil(t: number): Promise<void> {
    if (t <= this.clock.now()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.clock.schedule(t, () => {
        this.hold();
        resolve();
      });
      this.release();
    });
  }
}

/** " of N" when the header of the bytes held says how long the frame is. */
function heldTotal(held: Uint8Array): string {
  const a = announcedLength(held);
  return a !== null && a !== 'bad-format' ? ` of ${a.header + a.data + 1}` : '';
}

/** "no response within P2 max after 3 transmissions", or each transmission's problem in turn when they differ. */
function describeProblems(problems: string[]): string {
  const n = problems.length;
  if (problems.every((p) => p === problems[0])) return `${problems[0]} after ${n} transmissions`;
  return `no good answer after ${n} transmissions (${problems.map((p, i) => `${i + 1}: ${p}`).join('; ')})`;
}

/** TRTP 06 with the slot byte (1 driver, 2 co-driver). */
export function cardDownloadRequest(slot: 'driver' | 'co-driver'): TransferRequest {
  return { trtp: TRTP.CARD_DOWNLOAD, slot: slot === 'driver' ? 1 : 2 };
}

/**
 * DDP_050: the card file an IDE stores from a card download through the VU: the TREP 06 message, headers,
 * SIDs, TREPs, counters and checksums stripped (the client has joined the sub-messages). Null when the VU
 * refused every card request or none was asked for; the first card the VU gave otherwise.
 */
export function cardFileOf(result: DownloadResult): Uint8Array | null {
  for (const t of result.transfers) if (t.trtp === TRTP.CARD_DOWNLOAD && t.ok) return t.message;
  return null;
}

const hex = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
