import { ADDRESS, encodeFrame } from './frame.ts';
import {
  BAUD_CODES,
  baudCode,
  DEFAULT_SESSION,
  isActivitiesTrtp,
  isGen1VuTrtp,
  isGen2V2OnlyTrtp,
  isGen2VuTrtp,
  KEY_BYTES,
  LINK_CONTROL,
  NRC,
  SID,
  TRTP,
  UPLOAD_MAX_BLOCK,
  UPLOAD_PARAMETERS,
} from './services.ts';

/** A frame from the IDE to the VU, `80 EE F0 LEN data CS`. */
export const toVu = (data: readonly number[] | Uint8Array) => encodeFrame(ADDRESS.VU, ADDRESS.IDE, data);
/** A frame from the VU to the IDE, `80 F0 EE LEN data CS`. */
export const toIde = (data: readonly number[] | Uint8Array) => encodeFrame(ADDRESS.IDE, ADDRESS.VU, data);

// --- IDE requests (the seed's App. 7 table) ---

/** `81 EE F0 81 E0`: the one frame with its length in FMT. */
export const startCommunicationRequest = () => encodeFrame(ADDRESS.VU, ADDRESS.IDE, [SID.START_COMMUNICATION], true);
export const startDiagnosticSessionRequest = () => toVu([SID.START_DIAGNOSTIC_SESSION, DEFAULT_SESSION]);
export const linkControlVerifyRequest = (baud: number) => toVu([SID.LINK_CONTROL, LINK_CONTROL.VERIFY, LINK_CONTROL.FIXED_RATE, baudCode(baud)]);
export const linkControlTransitionRequest = () => toVu([SID.LINK_CONTROL, LINK_CONTROL.TRANSITION, LINK_CONTROL.TRANSITION_MODE]);
export const requestUploadRequest = () => toVu([SID.REQUEST_UPLOAD, ...UPLOAD_PARAMETERS]);
export const transferExitRequest = () => toVu([SID.REQUEST_TRANSFER_EXIT]);
export const stopCommunicationRequest = () => toVu([SID.STOP_COMMUNICATION]);

export interface TransferRequest {
  trtp: number;
  /** TRTP 02/22: the calendar day, TimeReal (seconds since 1970-01-01 00:00 UTC) (DDP_054). */
  date?: number;
  /** TRTP 06: 1 driver slot, 2 co-driver slot; absent: the VU picks (seed table note). */
  slot?: 1 | 2;
}

/** Transfer Data Request data field: `36 TRTP [date(4) | slot(1)]`. */
export function transferDataField(r: TransferRequest): number[] {
  if (isActivitiesTrtp(r.trtp)) {
    if (r.date === undefined) throw new RangeError(`TRTP ${r.trtp.toString(16)} needs a date`);
    const d = r.date >>> 0;
    return [SID.TRANSFER_DATA, r.trtp, (d >>> 24) & 0xff, (d >>> 16) & 0xff, (d >>> 8) & 0xff, d & 0xff];
  }
  if (r.trtp === TRTP.CARD_DOWNLOAD && r.slot !== undefined) return [SID.TRANSFER_DATA, r.trtp, r.slot];
  return [SID.TRANSFER_DATA, r.trtp];
}
export const transferDataRequest = (r: TransferRequest) => toVu(transferDataField(r));

/** DDP_017: `83 SID code(2)`; code MsgC+1 next, MsgC again, FFFF stop. */
export const acknowledgeSubMessage = (code: number, sid: number = SID.TRANSFER_DATA_OK) => toVu([SID.ACKNOWLEDGE_SUB_MESSAGE, sid, (code >> 8) & 0xff, code & 0xff]);

// --- VU responses ---

export const startCommunicationResponse = () => toIde([SID.START_COMMUNICATION_OK, ...KEY_BYTES]);
export const startDiagnosticSessionResponse = () => toIde([SID.START_DIAGNOSTIC_SESSION_OK, DEFAULT_SESSION]);
export const linkControlResponse = () => toIde([SID.LINK_CONTROL_OK, LINK_CONTROL.VERIFY]);
export const requestUploadResponse = () => toIde([SID.REQUEST_UPLOAD_OK, ...UPLOAD_MAX_BLOCK]);
export const transferExitResponse = () => toIde([SID.REQUEST_TRANSFER_EXIT_OK]);
export const stopCommunicationResponse = () => toIde([SID.STOP_COMMUNICATION_OK]);
/** DDP_018: `7F SIDreq NRC`. */
export const negativeResponse = (sid: number, nrc: number) => toIde([SID.NEGATIVE_RESPONSE, sid, nrc]);

// --- The VU's reading of a request's data field ---

export type App7Request =
  | { service: 'startCommunication' }
  | { service: 'startDiagnosticSession' }
  | { service: 'linkControlVerify'; baud: number }
  | { service: 'linkControlTransition' }
  | { service: 'requestUpload' }
  | ({ service: 'transferData' } & TransferRequest)
  | { service: 'transferExit' }
  | { service: 'stopCommunication' }
  | { service: 'acknowledge'; sid: number; code: number };

export type ParsedRequest = { ok: true; request: App7Request } | { ok: false; sid: number; nrc: number };

/**
 * Reads a request's data field (DDP_024: content errors get a negative response). Checks that do not depend
 * on the session (SID known, length, parameters); the server adds the sequence checks (22) and FA.
 */
export function parseRequest(data: Uint8Array): ParsedRequest {
  const sid = data[0]!;
  const n = data.length;
  const ok = (request: App7Request): ParsedRequest => ({ ok: true, request });
  const no = (nrc: number): ParsedRequest => ({ ok: false, sid, nrc });
  const exactly = (len: number, request: App7Request) => (n === len ? ok(request) : no(NRC.INCORRECT_MESSAGE_LENGTH));
  switch (sid) {
    case SID.START_COMMUNICATION:
      return exactly(1, { service: 'startCommunication' });
    case SID.START_DIAGNOSTIC_SESSION:
      if (n !== 2) return no(NRC.INCORRECT_MESSAGE_LENGTH);
      return data[1] === DEFAULT_SESSION ? ok({ service: 'startDiagnosticSession' }) : no(NRC.SUB_FUNCTION_NOT_SUPPORTED);
    case SID.LINK_CONTROL: {
      if (n < 2) return no(NRC.INCORRECT_MESSAGE_LENGTH);
      if (data[1] === LINK_CONTROL.VERIFY) {
        if (n !== 4) return no(NRC.INCORRECT_MESSAGE_LENGTH);
        const baud = BAUD_CODES[data[3]!];
        return data[2] === LINK_CONTROL.FIXED_RATE && baud !== undefined ? ok({ service: 'linkControlVerify', baud }) : no(NRC.REQUEST_OUT_OF_RANGE);
      }
      if (data[1] === LINK_CONTROL.TRANSITION) {
        if (n !== 3) return no(NRC.INCORRECT_MESSAGE_LENGTH);
        return data[2] === LINK_CONTROL.TRANSITION_MODE ? ok({ service: 'linkControlTransition' }) : no(NRC.REQUEST_OUT_OF_RANGE);
      }
      return no(NRC.SUB_FUNCTION_NOT_SUPPORTED);
    }
    case SID.REQUEST_UPLOAD:
      if (n !== 1 + UPLOAD_PARAMETERS.length) return no(NRC.INCORRECT_MESSAGE_LENGTH);
      return UPLOAD_PARAMETERS.every((b, i) => data[1 + i] === b) ? ok({ service: 'requestUpload' }) : no(NRC.REQUEST_OUT_OF_RANGE);
    case SID.TRANSFER_DATA: {
      if (n < 2) return no(NRC.INCORRECT_MESSAGE_LENGTH);
      const trtp = data[1]!;
      if (isActivitiesTrtp(trtp)) {
        if (n !== 6) return no(NRC.INCORRECT_MESSAGE_LENGTH);
        const date = ((data[2]! << 24) | (data[3]! << 16) | (data[4]! << 8) | data[5]!) >>> 0;
        return ok({ service: 'transferData', trtp, date });
      }
      if (trtp === TRTP.CARD_DOWNLOAD) {
        if (n === 2) return ok({ service: 'transferData', trtp });
        if (n !== 3) return no(NRC.INCORRECT_MESSAGE_LENGTH);
        const slot = data[2]!;
        return slot === 1 || slot === 2 ? ok({ service: 'transferData', trtp, slot }) : no(NRC.REQUEST_OUT_OF_RANGE);
      }
      // DDP_018 12: a TRTP no VU download has, manufacturer-specific ones included (App. 7 note to DDP_011); the
      // server refuses gen2 v2's (00, 31..35) alike when its VU is version 1 (DDP_028a)
      if (!isGen1VuTrtp(trtp) && !isGen2VuTrtp(trtp) && !isGen2V2OnlyTrtp(trtp)) return no(NRC.SUB_FUNCTION_NOT_SUPPORTED);
      return exactly(2, { service: 'transferData', trtp });
    }
    case SID.REQUEST_TRANSFER_EXIT:
      return exactly(1, { service: 'transferExit' });
    case SID.STOP_COMMUNICATION:
      return exactly(1, { service: 'stopCommunication' });
    case SID.ACKNOWLEDGE_SUB_MESSAGE:
      if (n !== 4) return no(NRC.INCORRECT_MESSAGE_LENGTH);
      return ok({ service: 'acknowledge', sid: data[1]!, code: (data[2]! << 8) | data[3]! });
    default:
      return no(NRC.SERVICE_NOT_SUPPORTED);
  }
}

/**
 * Why a VU's answer is too short to be read for its service, or null. A frame's checksum can hold over a
 * data field too short for what its SID promises (`81 F0 EE 76 D5`: SID 76 alone): DDP_018 gives a negative
 * response SID 7F, the request's SID and the NRC; DDP_012 a positive transfer data response SID 76 and the
 * TREP. The IDE takes such an answer as damaged (DDP_025), like a wrong checksum.
 */
export function answerTooShort(data: Uint8Array): string | null {
  if (data.length === 0) return 'empty data field';
  if (data[0] === SID.NEGATIVE_RESPONSE && data.length < 3) return `Negative Response of ${data.length} byte(s): SID 7F, the request SID and the NRC (DDP_018) expected`;
  if ((data[0] === SID.TRANSFER_DATA_OK || data[0] === SID.TRANSFER_DATA) && data.length < 2) return `${data[0] === SID.TRANSFER_DATA ? 'Transfer Data Request' : 'Positive Response Transfer Data'} of ${data.length} byte(s): SID and TRTP or TREP (DDP_011, DDP_012) expected`;
  return null;
}

