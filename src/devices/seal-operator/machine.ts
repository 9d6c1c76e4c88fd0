import { enqueueActions, setup } from 'xstate';
import type { RigClock } from '../../harness/clock/index.ts';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { mqttSession, type DeviceNetwork, type MqttSessionCommand, type MqttSessionEvent } from '../../harness/broker/index.ts';
import type { Rng } from '../../crypto/random.ts';
import {
  AuthDomain,
  SealMessageSchema,
  authenticate,
  encodeDocument,
  provisionedOperatorPrivateKey,
  provisionedOperatorPublicKey,
  provisionedSealVerifyingKey,
  publiclyVerifiable,
  homeSealsFilter,
  newGuid,
  operatorClientId,
  operatorInTopic,
  sealDownTopic,
  utcIso,
  type PeerDocument,
  type PeerMessage,
  type SealAck,
  type SealMessage,
  type SigningKey,
  type VerifyingKey,
  type AuthDomainValue,
} from '../../protocols/seal/index.ts';
import { judgePeerMessage, judgeSealMessage, type IntakeKeys, type IntakeState } from './intake.ts';

export interface OperatorSettings {
  state: string;
  peers: string[];
  seals: string[];
  exchangePeriodMs: number;
  silenceGraceMs: number;
  transferLimitMs: number;
  reconnectMs: number;
  ackTimeoutMs: number;
  /** Seed of the test provisioning (protocols/seal/provisioning.ts): the keys not given below. */
  provisioningSeed: number;
  /** This operator's Ed25519 private key (hex seed); its seals and peers hold the public half. */
  signingKey?: string;
  /** The keys that check its seals' documents, by seal id. */
  sealKeys: Record<string, VerifyingKey>;
  /** Its peers' Ed25519 public keys (hex), by state. */
  peerKeys: Record<string, string>;
}

/** The keys an operator works with, from its settings, the provisioning seed filling the gaps. */
export function operatorKeys(s: OperatorSettings): IntakeKeys & { signing: SigningKey } {
  const sealKeys = new Map<string, VerifyingKey>(Object.entries(s.sealKeys));
  const peerKeys = new Map<string, VerifyingKey>(Object.entries(s.peerKeys).map(([state, publicKey]) => [state, { alg: 'Ed25519', publicKey }]));
  for (const peer of s.peers) if (!peerKeys.has(peer)) peerKeys.set(peer, { alg: 'Ed25519', publicKey: provisionedOperatorPublicKey(s.provisioningSeed, peer) });
  return {
    signing: { alg: 'Ed25519', privateKey: s.signingKey ?? provisionedOperatorPrivateKey(s.provisioningSeed, s.state) },
    // The home operator knows the key of every seal it provisioned: those given, and any the seed derives.
    // A derived key is kept once it has verified a document: seal ids made up by a sender are not.
    seal: (sealId) => sealKeys.get(sealId) ?? provisionedSealVerifyingKey(s.provisioningSeed, s.state, sealId),
    verified: (sealId, key) => void (sealKeys.has(sealId) || sealKeys.set(sealId, key)),
    // A peer is an operator listed in `peers` or given a key: no other operator's message is taken.
    peer: (state) => peerKeys.get(state),
  };
}

/** One document on its way to a peer operator, kept until that peer acknowledges it. */
interface Outgoing {
  envelope: PeerDocument;
  /** Rig time of the last send in this session; null: not yet sent in it. */
  lastSentAt: number | null;
}

export interface OperatorContext extends IntakeState {
  online: boolean;
  /** When each watched seal was last heard from (or watching began). */
  lastHeard: Record<string, number>;
  /** Seals with an open 06. */
  silent: Record<string, true>;
  /** What this operator received from its own seals, by GUID: kept, corrections never replace it. */
  documents: Record<string, SealMessage>;
  /** Per document, per peer: sent, or acknowledged by that peer. */
  forwards: Record<string, Record<string, 'sent' | 'acked'>>;
  outbox: Outgoing[];
  /** Corrections waiting for the peer to acknowledge the original (Decision 141 item 20). */
  held: Correction[];
  log: DeviceRecord[];
}

type Correction = Extract<PeerMessage, { type: 'correction' }>;

/** The part of XState's action enqueuer the helpers below use (method syntax: XState's are generic). */
interface Enqueue {
  sendTo(actor: 'mqtt', event: MqttSessionCommand): void;
  raise(event: OperatorEvent, options: { id: string; delay: number }): void;
  cancel(id: string): void;
  assign(patch: Partial<OperatorContext>): void;
}

export type OperatorEvent =
  | MqttSessionEvent
  | { type: 'silence'; sealId: string }
  | { type: 'correct'; documentId: string; changes: Record<string, unknown> };

/**
 * A national operator's information system. It takes in its seals' uplink (validating every message),
 * acknowledges each accepted or refused message to the seal, keeps what it received, raises 06 when a seal
 * misses two exchange periods, and forwards every accepted document at once to each peer operator (full
 * mesh, one MQTT topic per operator), holding it until the peer acknowledges. It receives peers' documents
 * the same way and measures their transfer time against the 3-minute limit (Decision 141 item 16).
 *
 * Decisions: 06 is raised 2 exchange periods plus `silenceGraceMs` after the seal was last heard (the grace
 * keeps a report sent exactly on the second period from racing the deadline); while the operator itself is
 * cut off it raises no 06, and on reconnecting it gives every seal 2 periods from then (its backlog arrives
 * in that time). Transfer time is the peer's receipt minus the envelope's `sentAt`, the moment the sending
 * operator handed the document over; a resend keeps the envelope, so an outage counts in it.
 *
 * The store (GUIDs seen, documents, sequence and silence bookkeeping, the log) only grows and is updated in
 * place: copying it for every message made the operator quadratic in the run's length (measured: most of
 * the time of a 500-seal benchmark round). It is still plain data in the context.
 */
export function operatorMachine(s: OperatorSettings, deps: { clock: RigClock; rng: Rng; network: DeviceNetwork }) {
  const { clock, rng } = deps;
  const keys = operatorKeys(s);
  const silenceDelay = 2 * s.exchangePeriodMs + s.silenceGraceMs;
  const inbox = operatorInTopic(s.state);
  const sealsFilter = homeSealsFilter(s.state);


  /** Every message this operator sends carries its signature, for the domain of its kind (document-auth.ts). */
  const publish = (enqueue: Enqueue, topic: string, domain: AuthDomainValue, doc: object, tag: string) =>
    enqueue.sendTo('mqtt', { type: 'mqtt.publish', topic, payload: encodeDocument(authenticate(domain, doc, keys.signing)), tag });

  const watch = (enqueue: Enqueue, sealId: string) => {
    enqueue.cancel(`silence:${sealId}`);
    enqueue.raise({ type: 'silence', sealId }, { id: `silence:${sealId}`, delay: silenceDelay });
  };

  const ackToSeal = (enqueue: Enqueue, sealId: string, ackOf: string, status: 'accepted' | 'rejected', reason?: string) => {
    const ack: SealAck = { v: 1, id: newGuid(rng), type: 'ack', ackOf, status, ...(reason ? { reason } : {}), at: utcIso(clock.now()) };
    publish(enqueue, sealDownTopic(s.state, sealId), AuthDomain.ackToSeal, ack, ack.id);
  };

  const ackToPeer = (enqueue: Enqueue, to: string, ackOf: string, status: 'accepted' | 'rejected', reason?: string) => {
    const ack: PeerMessage = { v: 1, id: newGuid(rng), type: 'ack', from: s.state, to, ackOf, status, ...(reason ? { reason } : {}), at: utcIso(clock.now()) };
    publish(enqueue, operatorInTopic(to), AuthDomain.operatorMessage, ack, ack.id);
  };

  /** Sends what is due: everything not yet sent in this session, and what waited longer than the ack timeout. */
  const flush = (enqueue: Enqueue, c: OperatorContext, t: number): Outgoing[] =>
    c.outbox.map((o) => {
      if (!c.online || (o.lastSentAt !== null && t - o.lastSentAt < s.ackTimeoutMs)) return o;
      publish(enqueue, operatorInTopic(o.envelope.to), AuthDomain.operatorMessage, o.envelope, o.envelope.id);
      return { ...o, lastSentAt: t };
    });

  return setup({
    types: { context: {} as OperatorContext, events: {} as OperatorEvent },
    actors: { mqtt: mqttSession(deps.network) },
    delays: { reconnect: s.reconnectMs, ackTimeout: s.ackTimeoutMs },
    actions: {
      watchKnownSeals: enqueueActions(({ context, enqueue }) => {
        const t = clock.now();
        const lastHeard = { ...context.lastHeard };
        for (const sealId of s.seals) {
          lastHeard[sealId] = t;
          watch(enqueue, sealId);
        }
        enqueue.assign({ lastHeard });
      }),
      cameOnline: enqueueActions(({ context, enqueue }) => {
        const t = clock.now();
        const lastHeard = { ...context.lastHeard };
        for (const sealId of Object.keys(lastHeard)) {
          lastHeard[sealId] = t;
          watch(enqueue, sealId);
        }
        const c = { ...context, online: true, lastHeard, outbox: context.outbox.map((o) => ({ ...o, lastSentAt: null })) };
        enqueue.assign({ online: true, lastHeard, outbox: flush(enqueue, c, t) });
      }),
      wentOffline: enqueueActions(({ enqueue }) => enqueue.assign({ online: false })),
      resend: enqueueActions(({ context, enqueue }) => enqueue.assign({ outbox: flush(enqueue, context, clock.now()) })),
      silence: ({ context, event }) => {
        if (event.type !== 'silence' || !context.online || context.silent[event.sealId]) return;
        const t = clock.now();
        context.silent[event.sealId] = true;
        context.log.push({
          kind: 'event',
          code: '06', // no messages for 2 consecutive exchange periods, raised by the receiving side
          at: t,
          fields: { sealId: event.sealId, source: 'operator', lastHeardAt: utcIso(context.lastHeard[event.sealId] ?? t) },
        });
      },
      take: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'mqtt.message') return;
        const t = clock.now();
        if (event.topic === inbox) return takeFromPeer(context, event.payload, t, enqueue);
        const v = judgeSealMessage(context, keys, s.state, event.topic, event.payload, t);
        if (v.verdict === 'rejected') {
          // Only a message the seal is proven to have sent gets an answer (intake.ts); a replay gets none:
          // the seal had its ack long ago.
          if (v.authentic && v.record.code !== 'replay' && v.id && v.sealId) ackToSeal(enqueue, v.sealId, v.id, 'rejected', String(v.record.fields?.reason));
          context.log.push(v.record);
          return;
        }
        const m = v.message;
        ackToSeal(enqueue, m.sealId, m.id, 'accepted'); // a duplicate is acknowledged again: its first ack was lost
        watch(enqueue, m.sealId);
        context.lastHeard[m.sealId] = t;
        delete context.silent[m.sealId];
        if (v.verdict === 'duplicate') {
          context.log.push(v.record);
          return;
        }
        context.seen[m.id] = true;
        context.lastSeq[m.sealId] = Math.max(m.seq, context.lastSeq[m.sealId] ?? -1);
        context.documents[m.id] = m;
        context.forwards[m.id] = Object.fromEntries(s.peers.map((p) => [p, 'sent' as const]));
        context.log.push(...v.records);
        // Forward in real time to every peer (Decision 141 item 5), each held until acknowledged. The
        // seal's public key goes with it, vouched for by this operator's signature on the envelope, so the
        // peer checks the seal's own signature too; a MAC key is a secret and stays here.
        const sealKey = keys.seal(m.sealId)!;
        const vouched = sealKey.alg === 'Ed25519' && publiclyVerifiable(sealKey) ? { sealKey: { alg: sealKey.alg, publicKey: sealKey.publicKey.toLowerCase() } } : {};
        const envelopes: Outgoing[] = s.peers.map((to) => ({
          envelope: { v: 1, id: newGuid(rng), type: 'forward', from: s.state, to, sentAt: utcIso(t), document: m, ...vouched },
          lastSentAt: null,
        }));
        const c: OperatorContext = { ...context, outbox: [...context.outbox, ...envelopes] };
        enqueue.assign({ outbox: flush(enqueue, c, t) });
      }),
      correct: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'correct') return;
        const t = clock.now();
        const original = context.documents[event.documentId];
        if (!original) {
          enqueue.assign({ log: [...context.log, { kind: 'correction', code: 'unknown', at: t, fields: { corrects: event.documentId } }] });
          return;
        }
        // The corrected document is this operator's statement, not the seal's: the seal's signature cannot
        // cover it and is left out; the envelope's signature vouches for it.
        const { auth: _sealAuth, ...changed } = { ...original, ...event.changes, id: newGuid(rng) };
        const parsed = SealMessageSchema.safeParse(changed);
        if (!parsed.success) {
          const reason = parsed.error.issues[0]?.message ?? 'invalid';
          enqueue.assign({ log: [...context.log, { kind: 'correction', code: 'invalid', at: t, fields: { corrects: original.id, reason } }] });
          return;
        }
        const log = [...context.log];
        const outbox = [...context.outbox];
        const held = [...context.held];
        for (const to of s.peers) {
          const envelope: Correction = { v: 1, id: newGuid(rng), type: 'correction', from: s.state, to, sentAt: utcIso(t), corrects: original.id, document: parsed.data };
          // Decision 141 item 20: only after the other side confirmed the original; the original is kept.
          if (context.forwards[original.id]?.[to] === 'acked') {
            outbox.push({ envelope, lastSentAt: null });
            log.push({ kind: 'correction', code: 'sent', at: t, fields: { to, corrects: original.id, id: envelope.id, documentId: parsed.data.id } });
          } else {
            held.push(envelope);
            log.push({ kind: 'correction', code: 'held', at: t, fields: { to, corrects: original.id, id: envelope.id, documentId: parsed.data.id } });
          }
        }
        const c = { ...context, outbox, held, log };
        enqueue.assign({ outbox: flush(enqueue, c, t), held, log });
      }),
    },
  }).createMachine({
    id: 'operator',
    context: { online: false, seen: {}, lastSeq: {}, lastHeard: {}, silent: {}, documents: {}, forwards: {}, outbox: [], held: [], log: [] },
    entry: 'watchKnownSeals',
    on: { silence: { actions: 'silence' }, correct: { actions: 'correct' } },
    initial: 'session',
    states: {
      waiting: { after: { reconnect: 'session' } },
      session: {
        invoke: {
          id: 'mqtt',
          src: 'mqtt',
          input: {
            clientId: operatorClientId(s.state),
            grants: { publish: [`seal/${s.state}/+/down`, 'operator/+/in'], subscribe: [sealsFilter, inbox] },
            subscriptions: [sealsFilter, inbox],
          },
        },
        on: { 'mqtt.down': { target: 'waiting', actions: 'wentOffline' }, 'mqtt.message': { actions: 'take' } },
        initial: 'connecting',
        states: {
          connecting: { on: { 'mqtt.up': { target: 'online', actions: 'cameOnline' } } },
          online: { after: { ackTimeout: { target: 'online', reenter: true, actions: 'resend' } } },
        },
      },
    },
  });

  function takeFromPeer(context: OperatorContext, payload: Uint8Array, t: number, enqueue: Enqueue): void {
    const v = judgePeerMessage(context, keys, s.state, payload, t, inbox);
    if (v.verdict === 'rejected') {
      if (v.authentic && v.id && v.from) ackToPeer(enqueue, v.from, v.id, 'rejected', String(v.record.fields?.reason));
      context.log.push(v.record);
      return;
    }
    const m = v.message;
    if (v.verdict === 'duplicate') {
      ackToPeer(enqueue, m.from, m.id, 'accepted');
      context.log.push(v.record);
      return;
    }
    if (m.type === 'ack') {
      const index = context.outbox.findIndex((o) => o.envelope.id === m.ackOf);
      if (index < 0) return; // an ack of something acknowledged before: nothing left to do
      const sent = context.outbox[index]!;
      const docId = sent.envelope.document.id;
      context.forwards[docId] = { ...context.forwards[docId], [m.from]: 'acked' };
      context.log.push({ kind: 'forwarded', code: m.from, at: t, fields: { id: sent.envelope.id, type: sent.envelope.type, documentId: docId, status: m.status, roundTripMs: Math.floor(t) - Date.parse(sent.envelope.sentAt) } });
      const outbox = context.outbox.filter((_, i) => i !== index);
      const released = context.held.filter((h) => h.to === m.from && h.corrects === docId);
      if (released.length === 0) {
        enqueue.assign({ outbox });
        return;
      }
      for (const h of released) {
        outbox.push({ envelope: { ...h, sentAt: utcIso(t) }, lastSentAt: null });
        context.log.push({ kind: 'correction', code: 'sent', at: t, fields: { to: h.to, corrects: docId, id: h.id, documentId: h.document.id } });
      }
      const held = context.held.filter((h) => !released.includes(h));
      enqueue.assign({ held, outbox: flush(enqueue, { ...context, outbox }, t) });
      return;
    }
    if (m.type === 'correction' && !context.documents[m.corrects] && !context.seen[m.corrects]) {
      ackToPeer(enqueue, m.from, m.id, 'rejected', `correction of ${m.corrects}, which was never received`);
      context.log.push({ kind: 'rejected', code: 'unknown-original', at: t, fields: { id: m.id, corrects: m.corrects, reason: 'corrects a document never received' } });
      return;
    }
    // Times on the wire have millisecond resolution; rig time may carry a fraction from link pacing.
    const transferMs = Math.floor(t) - Date.parse(m.sentAt);
    const record: DeviceRecord = {
      kind: 'peer',
      code: m.type === 'correction' ? 'correction' : m.document.type,
      at: t,
      fields: {
        from: m.from,
        id: m.id,
        documentId: m.document.id,
        sealId: m.document.sealId,
        ...(m.type === 'correction' ? { corrects: m.corrects } : {}),
        ...(m.document.type === 'event' ? { eventCode: m.document.event.code } : {}),
        transferMs,
        withinLimit: transferMs <= s.transferLimitMs, // Decision 141 item 16: within 3 minutes
        // Whose signature vouches for the document's content: the seal's own, or only its home operator's.
        verifiedBy: v.verifiedBy ?? 'operator',
      },
    };
    ackToPeer(enqueue, m.from, m.id, 'accepted');
    context.seen[m.id] = true;
    context.seen[m.document.id] = true;
    context.log.push(record);
  }
}
