import type { RigClock } from '../clock/index.ts';
import type { LinkEnd } from '../links/index.ts';
import {
  acknowledgeSubMessage,
  ADDRESS,
  answerTooShort,
  decodeFrame,
  deframe,
  DEFAULT_BAUD,
  EMPTY_DEFRAME_STATE,
  isOverviewTrtp,
  joinChunks,
  linkControlTransitionRequest,
  linkControlVerifyRequest,
  NRC,
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
  /** Transfers after the overview; the overview (TRTP 21) is always requested first (DDP_054). */
  transfers?: TransferRequest[];
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
  /** Every frame written and read, for transcripts. */
  onFrame?: (frame: { t: number; from: 'ide' | 'vu'; bytes: Uint8Array }) => void;
  /**
   * Every answer accepted, with the rig times the request's last byte left and the answer's last byte
   * arrived (the VU's answer time as the IDE sees it, P2 and the answer's own line time).
   */
  onAnswer?: (answer: { what: string; requestEndAt: number; answerEndAt: number; transmission: number; data: Uint8Array }) => void;
}

export type TransferOutcome =
  | { trtp: number; ok: true; trep: number; message: Uint8Array; subMessages: number }
  | { trtp: number; ok: false; nrc: number; reason: string };

export interface DownloadResult {
  transfers: TransferOutcome[];
  /** Requests (acknowledges included) sent more than once (DDP_027). */
  retransmissions: number;
  /**
   * Transmissions whose own bytes went out more than P4 max apart (this host held up between two of them):
   * sent again like an unanswered request, without counting towards DDP_027's three (at most three a request).
   */
  lateRequests: number;
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

/** Transmissions of one request that went out late (see `request`) and do not count towards DDP_027's three. */
const MAX_LATE_TRANSMISSIONS = 3;

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

class ClientSession {
  private readonly timing: DownloadClientTiming;
  private readonly maxTransmissions: number;
  private rx: DeframeState = EMPTY_DEFRAME_STATE;
  private inbox: Received[] = [];
  private waiter: ((r: Received) => void) | null = null;
  private timer: number | null = null;
  /** Open while the client's code runs between two waits: the virtual clock holds time for it. */
  private busy: { promise: Promise<void>; resolve: () => void } | null = null;
  private readonly unsubscribe: () => void;
  private readonly removeSettler: () => void;
  private lastRxEnd: number;
  private retransmissions = 0;
  private lateRequests = 0;

  constructor(
    private readonly end: LinkEnd,
    private readonly clock: RigClock,
    private readonly options: DownloadOptions,
  ) {
    this.timing = { ...DEFAULT_CLIENT_TIMING, ...options.timing };
    this.maxTransmissions = options.maxTransmissions ?? 3;
    this.lastRxEnd = clock.now() - this.timing.p3MinMs;
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
    // Start Communication always at 9600 baud (DDP_005).
    if (this.end.baud !== DEFAULT_BAUD) this.end.setBaud(DEFAULT_BAUD);
    await this.expectPositive(startCommunicationRequest(), SID.START_COMMUNICATION_OK, 'start communication');
    await this.expectPositive(startDiagnosticSessionRequest(), SID.START_DIAGNOSTIC_SESSION_OK, 'start diagnostic session');
    const baud = this.options.baud ?? DEFAULT_BAUD;
    if (baud !== DEFAULT_BAUD) await this.switchBaud(baud);
    const upload = await this.request(requestUploadRequest(), 'request upload', (d) => d[0] === SID.REQUEST_UPLOAD_OK || d[0] === SID.NEGATIVE_RESPONSE);
    if (upload[0] === SID.NEGATIVE_RESPONSE) {
      // A VU that will not upload (DDP_018 50: its mode, or an internal fault): end the session so the next one
      // starts at 9600 baud at once (DDP_015), then report the refusal.
      await this.expectPositive(stopCommunicationRequest(), SID.STOP_COMMUNICATION_OK, 'stop communication');
      if (this.end.baud !== DEFAULT_BAUD) this.end.setBaud(DEFAULT_BAUD);
      throw new DownloadError(`request upload: negative response ${hex(upload[2]!)} (${NRC_TEXT[upload[2]!] ?? 'unknown'})`, upload[2]!);
    }
    const transfers: TransferOutcome[] = [];
    const requests = [...(this.options.transfers ?? []), ...(this.options.card ? [cardDownloadRequest(this.options.card)] : [])];
    // DDP_054: the overview first, always.
    const ordered = requests.some((r) => isOverviewTrtp(r.trtp)) ? [...requests].sort((a, b) => Number(isOverviewTrtp(b.trtp)) - Number(isOverviewTrtp(a.trtp))) : [{ trtp: TRTP.OVERVIEW }, ...requests];
    for (const request of ordered) transfers.push(await this.transfer(request));
    const after = this.options.transfersAfterOverview;
    const overview = transfers.find((t) => isOverviewTrtp(t.trtp));
    if (after && overview?.ok) for (const request of after(overview.message)) transfers.push(await this.transfer(request));
    await this.expectPositive(transferExitRequest(), SID.REQUEST_TRANSFER_EXIT_OK, 'request transfer exit');
    await this.expectPositive(stopCommunicationRequest(), SID.STOP_COMMUNICATION_OK, 'stop communication');
    if (this.end.baud !== DEFAULT_BAUD) this.end.setBaud(DEFAULT_BAUD);
    return { transfers, retransmissions: this.retransmissions, lateRequests: this.lateRequests, baud, startedAt, endedAt: this.clock.now() };
  }

  /** DDP_052: stage 1 must be answered C7; stage 2 has no answer, and both ends switch. */
  private async switchBaud(baud: number) {
    await this.expectPositive(linkControlVerifyRequest(baud), SID.LINK_CONTROL_OK, `link control ${baud}`);
    await this.waitP3Min();
    const { endAt: sentAt } = await this.send(linkControlTransitionRequest());
    // The confirmation leaves at the old rate; switch once its last stop bit is out.
    await this.sleepUntil(sentAt);
    this.end.setBaud(baud);
  }

  private async expectPositive(frame: Uint8Array, sid: number, what: string): Promise<Uint8Array> {
    const data = await this.request(frame, what, (d) => d[0] === sid || d[0] === SID.NEGATIVE_RESPONSE);
    if (data[0] === SID.NEGATIVE_RESPONSE) throw new DownloadError(`${what}: negative response ${hex(data[2]!)} (${NRC_TEXT[data[2]!] ?? 'unknown'})`);
    return data;
  }

  private async transfer(request: TransferRequest): Promise<TransferOutcome> {
    const what = `transfer data ${hex(request.trtp)}`;
    const card = request.trtp === TRTP.CARD_DOWNLOAD;
    const first = await this.request(transferDataRequest(request), what, (d) => d[0] === SID.TRANSFER_DATA_OK || d[0] === SID.NEGATIVE_RESPONSE, card);
    if (first[0] === SID.NEGATIVE_RESPONSE) return { trtp: request.trtp, ok: false, nrc: first[2]!, reason: NRC_TEXT[first[2]!] ?? 'unknown' };
    let field = readTransferDataField(first, false)!;
    if (field.trep !== request.trtp) throw new DownloadError(`${what}: answered with TREP ${hex(field.trep)}`);
    const chunks = [field.chunk];
    if (field.counter === null) return { trtp: request.trtp, ok: true, trep: field.trep, message: field.chunk, subMessages: 0 };
    if (field.counter !== 1) throw new DownloadError(`${what}: first sub-message counted ${field.counter}`);
    // DDP_017: acknowledge MsgC+1 for the next; the last sub-message (LEN < 255) is left unacknowledged.
    while (field.more) {
      const expected = field.counter! + 1;
      const next = await this.request(
        acknowledgeSubMessage(expected),
        `${what} sub-message ${expected}`,
        // DDP_026: a wrong counter is a sequence error, handled like a damaged frame.
        (d) => {
          const f = d[0] === SID.TRANSFER_DATA_OK ? readTransferDataField(d, true) : null;
          return d[0] === SID.NEGATIVE_RESPONSE || (f !== null && f.trep === request.trtp && f.counter === expected);
        },
        card,
      );
      if (next[0] === SID.NEGATIVE_RESPONSE) throw new DownloadError(`${what}: negative response ${hex(next[2]!)} to sub-message acknowledge`);
      field = readTransferDataField(next, true)!;
      chunks.push(field.chunk);
    }
    return { trtp: request.trtp, ok: true, trep: field.trep, message: joinChunks(chunks), subMessages: field.counter! };
  }

  /**
   * DDP_027: sends a request and returns the data field of the VU's valid answer, sending it again (at most
   * `maxTransmissions` in all) after a damaged or unexpected answer or none within P2 max. NRC 78 extends
   * the wait to P3 max.
   *
   * A transmission whose own bytes went out more than P4 max apart (on a busy host the IDE's process can be
   * held up between two bytes) is one the VU ignores (DDP_022/023), through no error of the VU's: it is
   * sent again after P2 max like any unanswered request, but not counted towards the three (decision: it
   * was never a well-formed request on the line; at most {@link MAX_LATE_TRANSMISSIONS} such a request).
   */
  private async request(frame: Uint8Array, what: string, accept: (data: Uint8Array) => boolean, card = false): Promise<Uint8Array> {
    let problem = '';
    let late = 0;
    for (let attempt = 1; attempt <= this.maxTransmissions; attempt++) {
      if (attempt > 1 || late > 0) this.retransmissions++;
      await this.waitP3Min();
      this.inbox = [];
      const sent = await this.send(frame);
      const sentAt = sent.endAt;
      let deadline = sentAt + this.timing.p2MaxMs;
      for (;;) {
        const r = await this.next(deadline);
        if (r.kind === 'timeout') {
          problem = 'no response within P2 max';
          if (sent.longestGapMs > this.timing.p4MaxMs && late < MAX_LATE_TRANSMISSIONS) {
            late++;
            this.lateRequests++;
            attempt--;
          }
          break;
        }
        this.lastRxEnd = r.endAt;
        if (r.kind === 'error') {
          problem = r.detail;
          break;
        }
        if (r.data[0] === SID.NEGATIVE_RESPONSE && r.data[2] === NRC.RESPONSE_PENDING) {
          deadline = r.endAt + (card ? this.timing.p5MaxMs : this.timing.p3MaxMs);
          continue;
        }
        if (accept(r.data)) {
          this.options.onAnswer?.({ what, requestEndAt: sentAt, answerEndAt: r.endAt, transmission: attempt, data: r.data });
          return r.data;
        }
        problem = `unexpected answer ${hex(r.data[0]!)}`;
        break;
      }
    }
    throw new DownloadError(`${what}: ${problem} after ${this.maxTransmissions} transmissions`);
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
      return { endAt: this.clock.now() + frame.length * charMs, longestGapMs: 0 };
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
    return { endAt: this.clock.now() + charMs, longestGapMs };
  }

  private async waitP3Min() {
    await this.sleepUntil(this.lastRxEnd + this.timing.p3MinMs);
  }

  /**
   * DDP_025: P1 is judged by when the bytes arrived on the line (`at`, the link's stamp), not by when this
   * runs, with the link's tolerance where it cannot see the line exactly (an OS port on a loaded host).
   */
  private receive(bytes: Uint8Array, at: number) {
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
