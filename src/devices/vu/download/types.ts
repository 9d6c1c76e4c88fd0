import type { TransferRequest } from '../../../protocols/app7/index.ts';

/** The VU's side of DDP_019, rig ms. */
export interface DownloadServerTiming {
  /** P2 min: the VU answers no sooner than this after the end of a request. */
  p2MinMs: number;
  /** P2 max: the parent must have supplied the data of a transfer within this (else NRC 10). */
  p2MaxMs: number;
  /** P3 max: a session with no request for this long is over (DDP_021). */
  p3MaxMs: number;
  /** P4 max: a request whose bytes are further apart is a timing error, ignored (DDP_022/023). */
  p4MaxMs: number;
}

export const DEFAULT_DOWNLOAD_SERVER_TIMING: DownloadServerTiming = { p2MinMs: 20, p2MaxMs: 1000, p3MaxMs: 5000, p4MaxMs: 20 };

/**
 * The server's timing for a VU that answers `answerDelayMs` after a request (the VU's `download.answerDelayMs`
 * option): P2 min set to it, and P2 max as far after it as App. 7's are apart, so the data side has as long
 * as ever to give a transfer's data.
 */
export function downloadServerTiming(answerDelayMs: number): DownloadServerTiming {
  const d = DEFAULT_DOWNLOAD_SERVER_TIMING;
  return { ...d, p2MinMs: answerDelayMs, p2MaxMs: Math.max(d.p2MaxMs, answerDelayMs + d.p2MaxMs - d.p2MinMs) };
}

export interface DownloadServerInput {
  timing?: Partial<DownloadServerTiming>;
  /** MIG_015: the VU is set for a driver control by a non-EU authority with a gen1 control card (TRTP 01..05 allowed). */
  gen1Control?: boolean;
  /**
   * The VU's generation 2 version (App. 7 DDP_011, DDP_028a): 1 answers TRTP 21..25 and refuses TRTP 00 and
   * 31..35 (NRC 12, "not supported by ... Generation 2, version 1 VU"); 2 answers those too. Default 1.
   */
  interfaceVersion?: 1 | 2;
}

/** What the VU's data memory gives for one Transfer Data Request: the message (App. 1 records) or a refusal. */
export type TransferAnswer =
  | { ok: true; trep: number; message: Uint8Array }
  /** DDP_018, e.g. FA for a day without data or an empty card slot. */
  | { ok: false; nrc: number };

/**
 * The data side of the download, implemented by the VU with the App. 7/App. 1 encoders: the message of a
 * TREP (everything after SID and TREP, before sub-message splitting). Called only for requests the server
 * accepted: session open, upload requested, overview first, gen1 TRTPs only in gen1 control mode.
 */
export interface DownloadDataProvider {
  transferData(request: TransferRequest): TransferAnswer;
}

/**
 * What the session opened may do, as the VU decides it when a session starts (Annex IC 12: by the mode of
 * operation; Annex IC 89: the downloading self-test). The server applies it to Request Upload and to each
 * Transfer Data Request; the VU applies the data restrictions (Annex IC 13) itself when it answers a fetch.
 */
export interface SessionAccess {
  /** VU data (TRTP 21..25, and the gen1 TRTPs where MIG_015 allows them). */
  vuData: boolean;
  /** A driver card through the VU (TRTP 06). */
  driverCard: boolean;
  /** The downloading self-test failed: the upload is refused with NRC 50 (App. 7 DDP_018: internal fault of the VU). */
  internalFault: boolean;
  /** MIG_015: TRTP 01..05 (the generation 1 format) are open to this session (gen1-format.ts); absent: closed. */
  gen1Format?: boolean;
}

/** A server no VU restricts (its own tests, benches): everything, no fault. */
export const FULL_ACCESS: SessionAccess = { vuData: true, driverCard: true, internalFault: false };

/** Events the parent (the VU) sends to the child. */
export type DownloadServerCommand =
  /** `at`: the rig time the bytes arrived on the line (the link's stamp), now when absent; `toleranceMs`: how far it may be off. */
  | { type: 'download.rx'; bytes: Uint8Array; at?: number; toleranceMs?: number }
  /** The access of the session just opened (sent on `download.session` open). */
  | { type: 'download.access'; access: SessionAccess }
  /** The answer to a `download.fetch`. */
  | { type: 'download.data'; answer: TransferAnswer }
  | { type: 'download.setGen1Control'; enabled: boolean };

/** Events the child sends to its parent. */
export type DownloadServerReport =
  | { type: 'download.tx'; bytes: Uint8Array }
  /** Set the download port's baud rate (link control stage 2, and back to 9600 when a session ends). */
  | { type: 'download.baud'; baud: number }
  /** The data of an accepted Transfer Data Request: answer with `download.data` (see {@link answerFetch}). */
  | { type: 'download.fetch'; request: TransferRequest }
  | { type: 'download.session'; state: 'open' | 'closed'; reason: string }
  /** The whole message of a transfer went out (its last sub-message was sent); `first`: the session's first. */
  | { type: 'download.transferred'; trep: number; length: number; first: boolean }
  /** A frame ignored without a response (DDP_022/023): bad checksum, length, timing, address, or busy. */
  | { type: 'download.frameError'; code: string; detail: string };

/** The parent's answer to a `download.fetch`, from a provider. */
export function answerFetch(provider: DownloadDataProvider, request: TransferRequest): DownloadServerCommand {
  return { type: 'download.data', answer: provider.transferData(request) };
}
