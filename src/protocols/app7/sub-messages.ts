import { MAX_DATA_LENGTH } from './frame.ts';
import { SID } from './services.ts';

/** DDP_003: a full sub-message's data field is SID, TREP, a 2-byte counter and 251 bytes of the message. */
export const SUB_MESSAGE_CHUNK = MAX_DATA_LENGTH - 4;

/**
 * The largest message sent whole. Decision: a data field of exactly 255 bytes always means a sub-message
 * (it is how the IDE tells a first sub-message from a whole message), so a message of 253 bytes, which
 * would fill 255 bytes whole, is split too.
 */
export const SINGLE_MESSAGE_MAX = MAX_DATA_LENGTH - 3;

/**
 * Data fields of the Positive Response Transfer Data frames carrying `message` (DDP_003/DDP_004): one field
 * `76 TREP message` when it fits, else sub-messages `76 TREP counter(2) chunk` counted from 00 01, with an
 * empty final one when the last is full.
 */
export function segmentMessage(trep: number, message: Uint8Array, sid: number = SID.TRANSFER_DATA_OK): Uint8Array[] {
  if (message.length <= SINGLE_MESSAGE_MAX) return [Uint8Array.of(sid, trep, ...message)];
  const fields: Uint8Array[] = [];
  let offset = 0;
  for (let counter = 1; ; counter++) {
    const chunk = message.subarray(offset, offset + SUB_MESSAGE_CHUNK);
    offset += chunk.length;
    const field = new Uint8Array(4 + chunk.length);
    field.set([sid, trep, (counter >> 8) & 0xff, counter & 0xff]);
    field.set(chunk, 4);
    fields.push(field);
    // DDP_004: the message ends with the first sub-message shorter than 255 bytes.
    if (field.length < MAX_DATA_LENGTH) break;
    if (counter === 0xfffe) throw new RangeError('message too long for 65534 sub-messages');
  }
  return fields;
}

export interface TransferDataField {
  sid: number;
  trep: number;
  /** The sub-message counter, or null for a message sent whole. */
  counter: number | null;
  chunk: Uint8Array;
  /** True for a full sub-message: more follow. */
  more: boolean;
}

/**
 * Reads a Positive Response Transfer Data field. `inSequence` says whether sub-messages of this message
 * were received before (the last sub-message is shorter than 255 bytes, like a whole message).
 */
export function readTransferDataField(data: Uint8Array, inSequence: boolean): TransferDataField | null {
  if (data.length < 2) return null;
  const [sid, trep] = [data[0]!, data[1]!];
  if (!inSequence && data.length < MAX_DATA_LENGTH) return { sid, trep, counter: null, chunk: data.slice(2), more: false };
  if (data.length < 4) return null;
  return { sid, trep, counter: (data[2]! << 8) | data[3]!, chunk: data.slice(4), more: data.length === MAX_DATA_LENGTH };
}

/** Joins the chunks of a message (sub-message counters and headers already removed). */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
