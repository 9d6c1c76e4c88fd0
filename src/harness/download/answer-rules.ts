import { NRC, readTransferDataField, SERVICE_NAMES, SID } from '../../protocols/app7/index.ts';

/**
 * The IDE's reading of one well-formed frame from the VU (checksum, length and P1 already good, DDP_025)
 * while it waits for the answer to a request: the answer, or a frame that is not it. Pure rules; the client
 * (client.ts) acts on the verdict.
 *
 * On a noisy line the IDE sends requests again (DDP_027) and the VU answers every copy it receives, so an
 * answer can arrive after the IDE has moved on: a late copy of an earlier answer. Such a frame is *stale*:
 * it is dropped and the wait goes on (within P2 max), never taken for the answer to the request waited for.
 * A sub-message counter that skips ahead is a sequence error (DDP_026), handled like a damaged answer.
 */
export type Awaited =
  /** A request answered by one positive response SID (or a negative response naming the request's SID). */
  | { kind: 'service'; requestSid: number; responseSid: number }
  /** A Transfer Data Request: the message whole, or its sub-message 1 (DDP_003). */
  | { kind: 'transfer'; trtp: number }
  /**
   * An acknowledge asking for sub-message `counter` (DDP_017); `received`: the data fields of sub-messages
   * 1..counter-1 as they were taken, to tell a late copy of one of them from a message started again.
   */
  | { kind: 'sub-message'; trep: number; counter: number; received: readonly Uint8Array[] };

export type Judgement =
  | { kind: 'answer' }
  /** DDP_018: the VU's negative response to this request. */
  | { kind: 'negative'; nrc: number }
  /** NRC 78 to this request: P2 max extends to P3 max (P5 for a card). */
  | { kind: 'pending' }
  /** Not an answer to this request: a late copy of an earlier answer. Dropped; the wait goes on. */
  | { kind: 'stale'; reason: string }
  /** DDP_026: counts as an error in the answer (DDP_027: the request is sent again). */
  | { kind: 'sequence-error'; reason: string }
  /**
   * A copy of a sub-message already taken that differs from it: the VU sent the message again from its
   * start (its content changed). The parts taken so far must not be joined to the rest (DDP_003: the IDE
   * requests the message again).
   */
  | { kind: 'started-again'; reason: string };

const name = (sid: number) => SERVICE_NAMES[sid] ?? `SID ${hex(sid)}`;

export function requestSidOf(awaited: Awaited): number {
  if (awaited.kind === 'service') return awaited.requestSid;
  return awaited.kind === 'transfer' ? SID.TRANSFER_DATA : SID.ACKNOWLEDGE_SUB_MESSAGE;
}

export function judgeAnswer(awaited: Awaited, data: Uint8Array): Judgement {
  const requestSid = requestSidOf(awaited);
  if (data[0] === SID.NEGATIVE_RESPONSE) {
    // DDP_018: a negative response names the SID of the request it answers
    if (data[1] !== requestSid) return { kind: 'stale', reason: `negative response to ${name(data[1]!)}, not to ${name(requestSid)}` };
    return data[2] === NRC.RESPONSE_PENDING ? { kind: 'pending' } : { kind: 'negative', nrc: data[2]! };
  }
  if (awaited.kind === 'service') {
    return data[0] === awaited.responseSid ? { kind: 'answer' } : { kind: 'stale', reason: `${name(data[0]!)}, not ${name(awaited.responseSid)}` };
  }
  if (data[0] !== SID.TRANSFER_DATA_OK) return { kind: 'stale', reason: `${name(data[0]!)}, not ${name(SID.TRANSFER_DATA_OK)}` };
  if (awaited.kind === 'transfer') {
    // DDP_012: TREP = the TRTP of the request; another TREP answers an earlier transfer
    const field = readTransferDataField(data, false)!;
    if (field.trep !== awaited.trtp) return { kind: 'stale', reason: `TREP ${hex(field.trep)}, not ${hex(awaited.trtp)}` };
    if (field.counter === null || field.counter === 1) return { kind: 'answer' };
    if (field.counter === 0) return { kind: 'sequence-error', reason: 'first sub-message counted 0 (DDP_003 counts from 1)' };
    return { kind: 'stale', reason: `sub-message ${field.counter} of TREP ${hex(field.trep)}, not the first` };
  }
  if (data[1] !== awaited.trep) return { kind: 'stale', reason: `TREP ${hex(data[1]!)}, not ${hex(awaited.trep)}` };
  const field = readTransferDataField(data, true);
  if (field === null) return { kind: 'sequence-error', reason: `${data.length} bytes: too short for sub-message ${awaited.counter}` };
  const counter = field.counter!;
  if (counter === awaited.counter) return { kind: 'answer' };
  // DDP_026: the counter goes up by one from sub-message to sub-message
  if (counter > awaited.counter || counter === 0) return { kind: 'sequence-error', reason: `sub-message ${counter} where ${awaited.counter} was due` };
  const taken = awaited.received[counter - 1];
  if (taken && !sameBytes(taken, data)) return { kind: 'started-again', reason: `sub-message ${counter} came again with other content` };
  return { kind: 'stale', reason: `a late copy of sub-message ${counter}` };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const hex = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
