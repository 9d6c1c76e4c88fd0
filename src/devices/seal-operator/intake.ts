import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import {
  PeerMessageSchema,
  SealMessageSchema,
  decodeDocument,
  parseSealTopic,
  type PeerMessage,
  type SealMessage,
} from '../../protocols/seal/index.ts';

/**
 * What the operator makes of one message from one of its seals: the checks of Decision 141 (UTF-8 without
 * BOM, one JSON document, a GUID unique across the run, UTC times) plus the schema, the topic's seal and
 * home state, and the seal's sequence. Pure: the caller keeps the state and acts on the verdict.
 */
export type SealVerdict =
  | { verdict: 'rejected'; record: DeviceRecord; id?: string; sealId?: string }
  | { verdict: 'duplicate'; record: DeviceRecord; message: SealMessage }
  | { verdict: 'accepted'; records: DeviceRecord[]; message: SealMessage };

export interface IntakeState {
  /** Every GUID this operator has taken in, from seals and peers. */
  seen: Record<string, true>;
  lastSeq: Record<string, number>;
}

export function judgeSealMessage(state: IntakeState, homeState: string, topic: string, payload: Uint8Array, t: number): SealVerdict {
  const route = parseSealTopic(topic);
  const decoded = decodeDocument(payload, SealMessageSchema);
  if (!decoded.ok) {
    return { verdict: 'rejected', id: decoded.id, sealId: route?.sealId, record: rejected(t, decoded.code, decoded.reason, topic, decoded.id) };
  }
  const m = decoded.value;
  if (!route || route.sealId !== m.sealId || route.home !== m.homeState || m.homeState !== homeState) {
    const reason = `seal ${m.sealId} (home ${m.homeState}) may not report on ${topic}`;
    return { verdict: 'rejected', id: m.id, sealId: route?.sealId, record: rejected(t, 'topic', reason, topic, m.id) };
  }
  if (state.seen[m.id]) {
    return { verdict: 'duplicate', message: m, record: { kind: 'duplicate', code: m.type, at: t, fields: { id: m.id, sealId: m.sealId, seq: m.seq } } };
  }
  const records: DeviceRecord[] = [];
  const last = state.lastSeq[m.sealId];
  if (last !== undefined && m.seq !== last + 1) {
    records.push({ kind: 'anomaly', code: m.seq <= last ? 'reorder' : 'gap', at: t, fields: { sealId: m.sealId, expectedSeq: last + 1, seq: m.seq } });
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
  | { verdict: 'rejected'; record: DeviceRecord; id?: string; from?: string }
  | { verdict: 'duplicate'; record: DeviceRecord; message: PeerMessage }
  | { verdict: 'accepted'; message: PeerMessage };

export function judgePeerMessage(state: IntakeState, self: string, payload: Uint8Array, t: number, topic: string): PeerVerdict {
  const decoded = decodeDocument(payload, PeerMessageSchema);
  if (!decoded.ok) return { verdict: 'rejected', id: decoded.id, record: rejected(t, decoded.code, decoded.reason, topic, decoded.id) };
  const m = decoded.value;
  if (m.to !== self) return { verdict: 'rejected', id: m.id, from: m.from, record: rejected(t, 'topic', `addressed to ${m.to}, not ${self}`, topic, m.id) };
  if (m.type !== 'ack' && state.seen[m.id]) {
    return { verdict: 'duplicate', message: m, record: { kind: 'duplicate', code: m.type, at: t, fields: { id: m.id, from: m.from } } };
  }
  if (m.type !== 'ack' && state.seen[m.document.id] && m.type === 'forward') {
    return { verdict: 'duplicate', message: m, record: { kind: 'duplicate', code: m.type, at: t, fields: { id: m.id, documentId: m.document.id, from: m.from } } };
  }
  return { verdict: 'accepted', message: m };
}

function rejected(t: number, code: string, reason: string, topic: string, id: string | undefined): DeviceRecord {
  return { kind: 'rejected', code, at: t, fields: { reason, topic, ...(id ? { id } : {}) } };
}
