import { fromHex, keyFromHex, toHex, type AesKeyBits } from '../../../crypto/index.ts';
import {
  FILE_LENGTH,
  INS,
  INSTRUCTIONS,
  NEGATIVE_REASON_TEXT,
  openCounterReply,
  openFileReply,
  openPairingInfoReply,
  openPairingKey,
  sealCounterRequest,
  sealFileRequest,
  sealPairingInfoRequest,
  sealSerialNumber,
  sealSessionKey,
  type DecodeResult,
  type FrameErrorCode,
  type LinkFrame,
} from '../../../protocols/motion-sensor/index.ts';

/**
 * One request and its answer, as pure data and functions: what the VU sends, what it remembers while it
 * waits (plain data, kept in the machine's context), and what the answer means once checked.
 */
export type Expectation = 'serial' | 'pairingKey' | 'sessionAck' | 'pairingInfo' | 'file' | 'counter';

export interface PendingRequest {
  instruction: number;
  expect: Expectation;
  /** The key that opens the answer, hex (KM for 0x41, KS otherwise). */
  key?: string;
  keyBits: AesKeyBits;
  /** The authentication data sent, hex: the 8-byte block 0x11 echoes, or the challenge 0x80 echoes. */
  challenge?: string;
  file?: number;
  /** The pairing information sent in 0x43, hex, which 0x50 must return. */
  info?: string;
}

export type Answer =
  | { kind: 'serial'; ns: string }
  | { kind: 'pairingKey'; kp: string }
  | { kind: 'sessionAck' }
  | { kind: 'pairingInfo' }
  | { kind: 'file'; file: number; data: string }
  | { kind: 'counter'; value: number }
  /** The sensor answered with a negative reply. */
  | { kind: 'refused'; instruction: number; code: number; detail: string }
  /** A well-formed answer that fails its cryptographic check: wrong key, tampering, replay. */
  | { kind: 'invalid'; detail: string }
  /** Not a usable frame, or not an answer to this request. */
  | { kind: 'malformed'; code: FrameErrorCode | 'unexpected-reply'; detail: string };

export function isSuccess(a: Answer): boolean {
  return a.kind !== 'refused' && a.kind !== 'invalid' && a.kind !== 'malformed';
}

export interface Request {
  frame: LinkFrame;
  pending: PendingRequest;
}

const request = (instruction: number, payload: Uint8Array, pending: Omit<PendingRequest, 'instruction'>): Request => ({
  frame: { direction: 'request', instruction, payload },
  pending: { instruction, ...pending },
});

/** 0x40: the pairing starts by asking the serial number (also used to tell a swapped sensor). */
export function serialRequest(keyBits: AesKeyBits): Request {
  return request(INS.SERIAL, new Uint8Array(0), { expect: 'serial', keyBits });
}

/** 0x41, CSM_217 step 4: E(KID, Ns); the answer is KP under KM. */
export function pairingKeyRequest(kid: string, km: string, ns: string, keyBits: AesKeyBits): Request {
  return request(INS.PAIRING_KEY, sealSerialNumber(fromHex(kid), fromHex(ns)), { expect: 'pairingKey', key: km, keyBits });
}

/** 0x42, CSM_217 step 6: E(KP, KS). */
export function sessionKeyRequest(kp: string, ks: string, keyBits: AesKeyBits): Request {
  return request(INS.SESSION_KEY, sealSessionKey(fromHex(kp), fromHex(ks)), { expect: 'sessionAck', keyBits });
}

/** 0x43, CSM_217 step 7, CSM_219: the pairing information under K'p; the answer must return it under KS. */
export function pairingInfoRequest(kp: string, ns: string, ks: string, info: string, keyBits: AesKeyBits): Request {
  return request(INS.PAIRING_INFO, sealPairingInfoRequest(fromHex(kp), fromHex(ns), fromHex(info)), { expect: 'pairingInfo', key: ks, info, keyBits });
}

/** 0x10: read a file; `authData` is 7 fresh random bytes. */
export function fileRequest(ks: string, authData: Uint8Array, file: number, keyBits: AesKeyBits): Request {
  const authBlock = Uint8Array.from([...authData, file]);
  return request(INS.READ_FILE, sealFileRequest(keyFromHex(ks), authData, file), { expect: 'file', key: ks, challenge: toHex(authBlock), file, keyBits });
}

/** 0x70: authenticate the sensor and read its counter; `challenge` is 8 fresh random bytes. */
export function counterRequest(ks: string, challenge: Uint8Array, keyBits: AesKeyBits): Request {
  return request(INS.COUNTER_REQUEST, sealCounterRequest(keyFromHex(ks), challenge), { expect: 'counter', key: ks, challenge: toHex(challenge), keyBits });
}

const REPLY_OF: Record<Expectation, number> = {
  serial: INS.SERIAL,
  pairingKey: INS.PAIRING_KEY,
  sessionAck: INS.SESSION_KEY,
  pairingInfo: INS.PAIRING_INFO_REPLY,
  file: INS.FILE,
  counter: INS.COUNTER,
};

/** What a decoded frame means as the answer to the pending request. Never throws. */
export function interpretAnswer(pending: PendingRequest, decoded: DecodeResult): Answer {
  if (!decoded.ok) return { kind: 'malformed', code: decoded.error.code, detail: decoded.error.message };
  const { direction, instruction, payload } = decoded.frame;
  if (direction !== 'reply') return { kind: 'malformed', code: 'unexpected-reply', detail: `a request (${hex(instruction)}) where a reply was due` };
  if (instruction === INS.NEGATIVE) {
    if (payload[0] !== pending.instruction) return { kind: 'malformed', code: 'unexpected-reply', detail: `negative reply to ${hex(payload[0]!)} while ${hex(pending.instruction)} is pending` };
    return { kind: 'refused', instruction: payload[0]!, code: payload[1]!, detail: NEGATIVE_REASON_TEXT[payload[1]!] ?? `reason ${payload[1]}` };
  }
  const expected = REPLY_OF[pending.expect];
  if (instruction !== expected) return { kind: 'malformed', code: 'unexpected-reply', detail: `reply ${hex(instruction)} while ${hex(expected)} is due` };
  const wire = INSTRUCTIONS.reply[instruction]!.wire(pending.keyBits, pending.file !== undefined ? FILE_LENGTH[pending.file] : undefined);
  if (payload.length !== wire) return { kind: 'malformed', code: 'bad-length', detail: `reply ${hex(instruction)} carries ${wire} bytes with ${pending.keyBits}-bit keys, got ${payload.length}` };
  const key = pending.key ? keyFromHex(pending.key) : new Uint8Array(0); // the session key, decoded once
  switch (pending.expect) {
    case 'serial':
      return { kind: 'serial', ns: toHex(payload) };
    case 'sessionAck':
      return { kind: 'sessionAck' };
    case 'pairingKey': {
      const kp = openPairingKey(key, payload, pending.keyBits);
      return kp.ok ? { kind: 'pairingKey', kp: toHex(kp.value) } : { kind: 'invalid', detail: kp.reason };
    }
    case 'pairingInfo': {
      const info = openPairingInfoReply(key, payload);
      if (!info.ok) return { kind: 'invalid', detail: info.reason };
      // CSM_217 step 8: the same information back under KS proves the sensor holds KS, hence the right KP.
      return toHex(info.value) === pending.info ? { kind: 'pairingInfo' } : { kind: 'invalid', detail: 'pairing information returned differs from what was sent' };
    }
    case 'file': {
      const data = openFileReply(key, payload, fromHex(pending.challenge!), FILE_LENGTH[pending.file!]!);
      return data.ok ? { kind: 'file', file: pending.file!, data: toHex(data.value) } : { kind: 'invalid', detail: data.reason };
    }
    case 'counter': {
      const value = openCounterReply(key, payload, fromHex(pending.challenge!));
      return value.ok ? { kind: 'counter', value: value.value } : { kind: 'invalid', detail: value.reason };
    }
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
