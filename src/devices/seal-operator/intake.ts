import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import {
  AuthDomain,
  PeerMessageSchema,
  SealMessageSchema,
  checkAuthenticator,
  decodeDocument,
  parseSealTopic,
  type PeerMessage,
  type SealMessage,
  type VerifyingKey,
} from '../../protocols/seal/index.ts';

/**
 * What the operator makes of one message from one of its seals: the checks of Decision 141 (UTF-8 without
 * BOM, one JSON document, a GUID unique across the run, UTC times) plus the schema, the seal's signature,
 * the topic's seal and home state, and the seal's sequence. Pure: the caller keeps the state and acts on
 * the verdict.
 *
 * Origin (rig-defined, README "Message authentication"): a message is the seal's only if it carries the
 * seal's authenticator over its canonical form, checked with the key the home operator holds for that seal.
 * Anything else is `unauthenticated`: refused, logged, not acknowledged (the operator does not answer a
 * sender it cannot name, and so cannot be made to confirm a GUID to a seal), not forwarded, and it does not
 * count as hearing from the seal (no reprieve from 06). The same goes for messages that fail before the
 * signature can be checked (malformed, too deep, not a document): a refusal is acknowledged to the seal
 * only when the seal is proven to have sent it.
 *
 * Replay: the seal sends one message at a time and the next only after the ack of the one before, so once
 * the operator has accepted sequence number n from a seal, no genuine copy of anything below n can still
 * come, and a resend keeps its GUID. So a message with the GUID and the seq of the last one accepted is a
 * resend whose ack was lost: acknowledged again, not stored twice (`duplicate`); any other seq not above the
 * highest accepted is a `replay`, refused whatever its GUID.
 */
export type SealVerdict =
  | { verdict: 'rejected'; record: DeviceRecord; id?: string; sealId?: string; authentic: boolean }
  | { verdict: 'duplicate'; record: DeviceRecord; message: SealMessage }
  | { verdict: 'accepted'; records: DeviceRecord[]; message: SealMessage };

export interface IntakeState {
  /** Every GUID this operator has taken in, from seals and peers. */
  seen: Record<string, true>;
  /** Per seal, the highest sequence number accepted. */
  lastSeq: Record<string, number>;
}

/** The keys an operator holds: its own seals' (by seal id) and its peers' (by state). */
export interface IntakeKeys {
  seal(sealId: string): VerifyingKey | undefined;
  peer(state: string): VerifyingKey | undefined;
  /** Called once a seal's document verified with the key `seal()` gave: the key may be kept from then on. */
  verified?(sealId: string, key: VerifyingKey): void;
}

export function judgeSealMessage(state: IntakeState, keys: IntakeKeys, homeState: string, topic: string, payload: Uint8Array, t: number): SealVerdict {
  const route = parseSealTopic(topic);
  const decoded = decodeDocument(payload, SealMessageSchema);
  if (!decoded.ok) {
    return { verdict: 'rejected', authentic: false, id: decoded.id, sealId: route?.sealId, record: rejected(t, decoded.code, decoded.reason, topic, decoded.id) };
  }
  const m = decoded.value;
  const key = m.homeState === homeState ? keys.seal(m.sealId) : undefined;
  if (!key) {
    const reason = `no key for seal ${m.sealId} (home ${m.homeState}): not registered with the ${homeState} operator`;
    return { verdict: 'rejected', authentic: false, id: m.id, sealId: m.sealId, record: rejected(t, 'unauthenticated', reason, topic, m.id, m.sealId) };
  }
  const origin = checkAuthenticator(AuthDomain.sealDocument, m, key);
  if (!origin.ok) {
    const reason = `not from seal ${m.sealId}: ${origin.reason}`;
    return { verdict: 'rejected', authentic: false, id: m.id, sealId: m.sealId, record: rejected(t, 'unauthenticated', reason, topic, m.id, m.sealId) };
  }
  keys.verified?.(m.sealId, key);
  if (!route || route.sealId !== m.sealId || route.home !== m.homeState) {
    const reason = `seal ${m.sealId} (home ${m.homeState}) may not report on ${topic}`;
    return { verdict: 'rejected', authentic: true, id: m.id, sealId: m.sealId, record: rejected(t, 'topic', reason, topic, m.id, m.sealId) };
  }
  const last = state.lastSeq[m.sealId];
  const resend = state.seen[m.id] && m.seq === last;
  if (last !== undefined && m.seq <= last && !resend) {
    const what = state.seen[m.id] ? 'an old message sent again' : 'a message never seen, numbered in the past';
    const reason = `seq ${m.seq} of seal ${m.sealId} is not above ${last}, the highest already accepted: ${what}`;
    return { verdict: 'rejected', authentic: true, id: m.id, sealId: m.sealId, record: { kind: 'rejected', code: 'replay', at: t, fields: { reason, topic, id: m.id, sealId: m.sealId, seq: m.seq, lastSeq: last } } };
  }
  if (state.seen[m.id]) {
    return { verdict: 'duplicate', message: m, record: { kind: 'duplicate', code: m.type, at: t, fields: { id: m.id, sealId: m.sealId, seq: m.seq } } };
  }
  const records: DeviceRecord[] = [];
  if (last !== undefined && m.seq > last + 1) {
    records.push({ kind: 'anomaly', code: 'gap', at: t, fields: { sealId: m.sealId, expectedSeq: last + 1, seq: m.seq } });
  }
  records.push(sealRecord(m, t));
  return { verdict: 'accepted', message: m, records };
}

/** A seal's message as a record: its type as the kind, the event code as the code. */
export function sealRecord(m: SealMessage, t: number): DeviceRecord {
  const fields: Record<string, unknown> = {
    id: m.id,
    sealId: m.sealId,
    seq: m.seq,
    createdAt: m.createdAt,
    custody: m.custody,
    consignment: m.consignment,
    fix: m.fix,
    batteryPercent: m.power.batteryPercent,
  };
  if (m.type === 'event') Object.assign(fields, { detail: m.event.detail });
  if (m.type === 'activation') Object.assign(fields, { reader: m.reader.id });
  return { kind: m.type, code: m.type === 'event' ? m.event.code : undefined, at: t, fields };
}

export type PeerVerdict =
  | { verdict: 'rejected'; record: DeviceRecord; id?: string; from?: string; authentic: boolean }
  | { verdict: 'duplicate'; record: DeviceRecord; message: PeerMessage }
  | { verdict: 'accepted'; message: PeerMessage; verifiedBy?: 'seal' | 'operator' };

/**
 * A message from a peer operator: the envelope must carry the sending operator's signature (the peer topic
 * is as open as the seals' topics: a forged forward would be the same hole). A forward must come from the
 * seal's home operator, and when that operator vouches for the seal's public key (`sealKey`), the seal's
 * own signature must verify too, so the home operator cannot change what the seal said without it showing.
 * A correction's document is the home operator's (it changed the seal's), so only the envelope vouches.
 */
export function judgePeerMessage(state: IntakeState, keys: IntakeKeys, self: string, payload: Uint8Array, t: number, topic: string): PeerVerdict {
  const decoded = decodeDocument(payload, PeerMessageSchema);
  if (!decoded.ok) return { verdict: 'rejected', authentic: false, id: decoded.id, record: rejected(t, decoded.code, decoded.reason, topic, decoded.id) };
  const m = decoded.value;
  const key = keys.peer(m.from);
  if (!key) return { verdict: 'rejected', authentic: false, id: m.id, from: m.from, record: rejected(t, 'unauthenticated', `no key for operator ${m.from}: not a peer of ${self}`, topic, m.id) };
  const origin = checkAuthenticator(AuthDomain.operatorMessage, m, key);
  if (!origin.ok) return { verdict: 'rejected', authentic: false, id: m.id, from: m.from, record: rejected(t, 'unauthenticated', `not from operator ${m.from}: ${origin.reason}`, topic, m.id) };
  if (m.to !== self) return { verdict: 'rejected', authentic: true, id: m.id, from: m.from, record: rejected(t, 'topic', `addressed to ${m.to}, not ${self}`, topic, m.id) };
  if (m.type === 'ack') return { verdict: 'accepted', message: m };
  if (m.document.homeState !== m.from) {
    const reason = `${m.from} vouches for a document of seal ${m.document.sealId}, whose home operator is ${m.document.homeState}`;
    return { verdict: 'rejected', authentic: true, id: m.id, from: m.from, record: rejected(t, 'unauthenticated', reason, topic, m.id) };
  }
  let verifiedBy: 'seal' | 'operator' = 'operator';
  if (m.type === 'forward' && m.sealKey) {
    const sealOrigin = checkAuthenticator(AuthDomain.sealDocument, m.document, m.sealKey);
    if (!sealOrigin.ok) {
      const reason = `document ${m.document.id} is not seal ${m.document.sealId}'s: ${sealOrigin.reason} (key vouched for by ${m.from})`;
      return { verdict: 'rejected', authentic: true, id: m.id, from: m.from, record: rejected(t, 'unauthenticated', reason, topic, m.id) };
    }
    verifiedBy = 'seal';
  }
  if (state.seen[m.id]) {
    return { verdict: 'duplicate', message: m, record: { kind: 'duplicate', code: m.type, at: t, fields: { id: m.id, from: m.from } } };
  }
  if (state.seen[m.document.id] && m.type === 'forward') {
    return { verdict: 'duplicate', message: m, record: { kind: 'duplicate', code: m.type, at: t, fields: { id: m.id, documentId: m.document.id, from: m.from } } };
  }
  return { verdict: 'accepted', message: m, verifiedBy };
}

function rejected(t: number, code: string, reason: string, topic: string, id: string | undefined, sealId?: string): DeviceRecord {
  return { kind: 'rejected', code, at: t, fields: { reason, topic, ...(id ? { id } : {}), ...(sealId ? { sealId } : {}) } };
}
