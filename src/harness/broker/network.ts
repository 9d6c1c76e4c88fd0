import { readFileSync } from 'node:fs';
// The settle bound is real time by nature (how long a broker round trip may take), as in the pty link.
import { clearTimeout as clearRealTimeout, setTimeout as setRealTimeout } from 'node:timers';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import mqtt, { MqttClient, type IClientOptions } from 'mqtt';
import type { RigClock } from '../clock/index.ts';
import type { Rng } from '../../crypto/random.ts';
import type { ResolvedBroker } from '../rig/rig-schema.ts';
import type { Trace } from '../trace/index.ts';
import { toHex } from '../trace/index.ts';
import { EmbeddedBroker, type Credentials, type TopicGrants } from './embedded-broker.ts';
import { TcpRelay } from './tcp-relay.ts';
import { topicMatches } from './topic-filter.ts';
import { nestingDepth } from '../../protocols/seal/wire-format.ts';

/** Real-time bound for a broker round trip before the network counts it lost and lets rig time move on. */
export const DEFAULT_BROKER_SETTLE_TIMEOUT_MS = 5000;

/** The link id under which scenarios reach the rig's path to the broker (`do: link, link: broker`). */
export const BROKER_LINK_ID = 'broker';

/** What a device sees of the network: a broker to connect to, with credentials for its client id. */
export interface DeviceNetwork {
  /** The URL devices connect to (the rig's path to the broker); undefined when the rig has no broker. */
  readonly brokerUrl: string | undefined;
  /** Credentials for one client; the embedded broker enforces the grants, an external one its own rules. */
  credentialsFor(clientId: string, grants: TopicGrants): Credentials;
  /** An MQTT 3.1.1 client, clean session, no automatic reconnect: the device decides when to try again. */
  connect(options: { clientId: string; grants: TopicGrants }): NetworkClient;
  /** Resolves once no broker traffic of the rig is in flight. */
  settled(): Promise<void>;
}

export interface NetworkClientHandlers {
  connect?: () => void;
  message?: (topic: string, payload: Uint8Array) => void;
  /** The connection is gone (refused, dropped, ended); the client is finished. */
  close?: (reason: string) => void;
}

interface Op {
  what: string;
  done: boolean;
  /** A connection attempt or a SUBSCRIBE: publishes wait until none is in flight. */
  barrier: boolean;
}

/**
 * The rig's MQTT network: the broker (embedded aedes, or an external one by URL), the relay every device
 * connects through (so a scenario can take the broker away), and the bookkeeping that keeps virtual time
 * deterministic over real I/O.
 *
 * On the virtual clock, a settler holds rig time still while any of the rig's MQTT work is in flight: a
 * connection attempt until CONNACK or refusal, a SUBSCRIBE until SUBACK, a QoS 1 PUBLISH until PUBACK, and
 * every delivery the publish will cause to a connected rig client whose granted subscriptions match, until
 * that client has received it. A broker acknowledges the publisher before it delivers (aedes writes PUBACK
 * first), so waiting for PUBACK alone would let subscribers receive at a later rig instant. So a message
 * published at rig time t is received at t, and whatever the receiver does in reaction happens at t too.
 *
 * Who receives a publish must not depend on which socket the broker read first: a PUBLISH sent while
 * another rig client's CONNECT or SUBSCRIBE is in flight waits (rig time held) until those are answered,
 * so every rig client that starts at an instant is subscribed before anything published at that instant
 * reaches the broker.
 */
export class BrokerNetwork implements DeviceNetwork {
  private embedded: EmbeddedBroker | undefined;
  private relay: TcpRelay | undefined;
  private url: string | undefined;
  private tls: Pick<IClientOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'> = {};
  private readonly clients = new Set<NetworkClient>();
  private readonly ops = new Set<Op>();
  private barriers = 0;
  private deferred: (() => void)[] = [];
  private expectedTotal = 0;
  private waiter: { promise: Promise<void>; resolve: () => void; timer: NodeJS.Timeout } | undefined;
  private removeSettler: (() => void) | undefined;
  private readonly settleTimeoutMs: number;

  constructor(
    readonly broker: ResolvedBroker | undefined,
    private readonly context: {
      clock: RigClock;
      rng: Rng;
      trace?: Trace;
      onError?: (error: Error) => void;
      settleTimeoutMs?: number;
    },
  ) {
    this.settleTimeoutMs = context.settleTimeoutMs ?? DEFAULT_BROKER_SETTLE_TIMEOUT_MS;
  }

  get brokerUrl(): string | undefined {
    return this.url;
  }

  /** Where the broker itself listens (the embedded one's port, or the rig file's URL). */
  get upstreamUrl(): string | undefined {
    return this.embedded?.url ?? (this.broker?.type === 'external' ? this.broker.url : undefined);
  }

  get isCut(): boolean {
    return this.relay?.cut ?? false;
  }

  async start(): Promise<void> {
    if (!this.broker || this.url) return;
    let target: URL;
    if (this.broker.type === 'embedded') {
      this.embedded = await EmbeddedBroker.start(this.context.rng.fork('broker'));
      target = new URL(this.embedded.url);
    } else {
      target = new URL(this.broker.url);
      const { tls } = this.broker;
      if (tls?.ca) this.tls.ca = readFileSync(tls.ca);
      if (tls?.cert) this.tls.cert = readFileSync(tls.cert);
      if (tls?.key) this.tls.key = readFileSync(tls.key);
      if (tls?.rejectUnauthorized !== undefined) this.tls.rejectUnauthorized = tls.rejectUnauthorized;
      // The relay is on 127.0.0.1; the broker's certificate names the broker's host.
      if (target.protocol === 'mqtts:' || target.protocol === 'wss:') this.tls.servername = target.hostname;
    }
    const defaultPort = { 'mqtt:': 1883, 'mqtts:': 8883, 'ws:': 80, 'wss:': 443 }[target.protocol] ?? 1883;
    this.relay = new TcpRelay({ host: target.hostname, port: target.port ? Number(target.port) : defaultPort });
    const port = await this.relay.listen();
    this.url = `${target.protocol}//127.0.0.1:${port}${target.pathname === '/' ? '' : target.pathname}`;
    this.removeSettler = this.context.clock.addSettler(() => this.settle());
    this.context.trace?.record({
      kind: 'link',
      link: BROKER_LINK_ID,
      event: 'connected',
      detail: `${this.embedded ? 'embedded aedes' : 'external broker'} at ${this.upstreamUrl}, reached through ${this.url}`,
    });
  }

  async close(): Promise<void> {
    for (const client of [...this.clients]) client.end();
    this.removeSettler?.();
    this.removeSettler = undefined;
    this.release();
    await this.relay?.close();
    await this.embedded?.close();
    this.relay = undefined;
    this.embedded = undefined;
    this.url = undefined;
  }

  credentialsFor(clientId: string, grants: TopicGrants): Credentials {
    if (!this.broker) throw new Error('this rig has no MQTT broker (the rig plan names none)');
    if (this.embedded) return this.embedded.issue(clientId, grants);
    if (this.broker.type === 'external') return { username: this.broker.username, password: this.broker.password };
    throw new Error('the broker is not started');
  }

  connect(options: { clientId: string; grants: TopicGrants }): NetworkClient {
    if (!this.url) throw new Error(this.broker ? 'the broker is not started' : 'this rig has no MQTT broker (the rig plan names none)');
    const credentials = this.credentialsFor(options.clientId, options.grants);
    const client = new NetworkClient(this, options.clientId, this.url, {
      clientId: options.clientId,
      ...credentials,
      ...this.tls,
      protocolVersion: 4, // aedes speaks 3.1.1 only; so does RabbitMQ's MQTT plugin
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: this.settleTimeoutMs,
      keepalive: 60,
    });
    return client;
  }

  /** A broker outage as the devices see it: every connection dropped, new ones refused. */
  cut(detail = 'broker unreachable (cut by fault injection)'): void {
    if (!this.relay || this.relay.cut) return;
    // Hold rig time until every client has seen its connection go.
    for (const client of this.clients) if (client.isOpen) client.expectClose();
    this.relay.cutAll();
    this.context.trace?.record({ kind: 'link', link: BROKER_LINK_ID, event: 'disconnected', detail });
  }

  restore(detail = 'broker reachable again'): void {
    if (!this.relay?.cut) return;
    this.relay.restore();
    this.context.trace?.record({ kind: 'link', link: BROKER_LINK_ID, event: 'connected', detail });
  }

  settled(): Promise<void> {
    return this.settle() ?? Promise.resolve();
  }

  // --- bookkeeping used by NetworkClient ---

  /** @internal */
  register(client: NetworkClient): void {
    this.clients.add(client);
  }

  /** @internal */
  unregister(client: NetworkClient): void {
    this.clients.delete(client);
  }

  /** @internal */
  begin(what: string, barrier = false): Op {
    const op = { what, done: false, barrier };
    this.ops.add(op);
    if (barrier) this.barriers++;
    return op;
  }

  /** @internal */
  finish(op: Op): void {
    if (op.done) return;
    op.done = true;
    this.ops.delete(op);
    if (op.barrier && --this.barriers === 0) this.runDeferred();
    this.checkIdle();
  }

  /** @internal Runs `send` now, or once no connection attempt or SUBSCRIBE of the rig is in flight. */
  whenSubscriptionsSettled(send: () => void): void {
    if (this.barriers === 0) send();
    else this.deferred.push(send);
  }

  private runDeferred(): void {
    while (this.barriers === 0 && this.deferred.length > 0) this.deferred.shift()!();
  }

  /** @internal Registers the deliveries a publish will cause; returns them so a failed publish can withdraw them. */
  expectDeliveries(topic: string, key: string): NetworkClient[] {
    const receivers = new Set<NetworkClient>(this.exact.get(topic));
    for (const [filter, clients] of this.wildcard) if (topicMatches(filter, topic)) for (const c of clients) receivers.add(c);
    for (const c of receivers) {
      c.expect(key);
      this.expectedTotal++;
    }
    return [...receivers];
  }

  /**
   * @internal Granted subscriptions of open clients, indexed: exact topics in a map, wildcard filters in a
   * list, so finding a publish's receivers does not scan every client (thousands in a benchmark).
   */
  private readonly exact = new Map<string, Set<NetworkClient>>();
  private readonly wildcard = new Map<string, Set<NetworkClient>>();

  /** @internal */
  subscribed(client: NetworkClient, filters: string[]): void {
    for (const f of filters) {
      const index = /[+#]/.test(f) ? this.wildcard : this.exact;
      let set = index.get(f);
      if (!set) index.set(f, (set = new Set()));
      set.add(client);
    }
  }

  /** @internal */
  unsubscribedAll(client: NetworkClient, filters: string[]): void {
    for (const f of filters) {
      const index = /[+#]/.test(f) ? this.wildcard : this.exact;
      const set = index.get(f);
      set?.delete(client);
      if (set?.size === 0) index.delete(f);
    }
  }

  /** @internal */
  delivered(count: number): void {
    this.expectedTotal -= count;
    this.checkIdle();
  }

  /** @internal */
  trace(entry: Parameters<Trace['record']>[0]): void {
    this.context.trace?.record(entry);
  }

  private readonly refusals = new Set<string>();

  /**
   * @internal A connection the broker or its TLS refused for a reason no outage explains (an unverifiable
   * certificate, bad credentials): the rig is set up wrong, and the run must say so rather than fail its
   * expectations for want of messages. Each reason once.
   */
  refused(clientId: string, reason: string): void {
    if (this.refusals.has(reason)) return;
    this.refusals.add(reason);
    const url = this.broker?.type === 'external' ? this.broker.url : 'the embedded broker';
    this.context.onError?.(new Error(`${clientId} could not connect to ${url}: ${reason}`));
  }

  private busy(): boolean {
    return this.ops.size > 0 || this.expectedTotal > 0;
  }

  private settle(): Promise<void> | undefined {
    if (!this.busy()) return undefined;
    if (this.waiter) return this.waiter.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    const timer = setRealTimeout(() => this.giveUp(), this.settleTimeoutMs);
    this.waiter = { promise, resolve, timer };
    return promise;
  }

  private checkIdle(): void {
    if (!this.busy()) this.release();
  }

  private release(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) {
      clearRealTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  /** Counts what is still in flight as lost, says so, and lets rig time move on. */
  private giveUp(): void {
    const what = [...this.ops].map((o) => o.what);
    const undelivered = this.expectedTotal;
    for (const op of this.ops) op.done = true;
    this.ops.clear();
    this.barriers = 0;
    this.runDeferred();
    for (const c of this.clients) c.forgetExpected();
    this.expectedTotal = 0;
    const message = `broker traffic not settled within ${this.settleTimeoutMs} ms: ${[...what, undelivered ? `${undelivered} deliveries` : ''].filter(Boolean).join(', ')}`;
    this.context.trace?.record({ kind: 'error', source: 'broker', message });
    this.context.onError?.(new Error(message));
    this.release();
  }
}

/**
 * One MQTT client of a rig device, tracked by the network. Its handlers run on real I/O callbacks; on the
 * virtual clock they run while rig time is held at the instant the traffic started.
 */
export class NetworkClient {
  private readonly mqtt: MqttClient;
  private handlers: NetworkClientHandlers = {};
  private open = false;
  private finished = false;
  private readonly subscriptions: string[] = [];
  private readonly expected = new Map<string, number>();
  private readonly pending = new Set<Op>();
  private closeOp: Op | undefined;

  constructor(
    private readonly network: BrokerNetwork,
    readonly clientId: string,
    url: string,
    options: IClientOptions,
  ) {
    network.register(this);
    const connecting = this.track(`${clientId} connecting`, true);
    this.mqtt = openClient(url, options);
    this.mqtt.on('connect', () => {
      this.open = true;
      this.network.trace({ kind: 'link', link: BROKER_LINK_ID, event: 'connected', end: clientId });
      // The handler subscribes first: the barrier must not drop between the CONNACK and the SUBSCRIBE.
      this.handlers.connect?.();
      this.done(connecting);
    });
    this.mqtt.on('message', (topic, payload) => this.receive(topic, payload));
    this.mqtt.on('error', (error) => {
      this.lastError = error.message;
      if (!this.open && isSetUpError(error)) this.network.refused(clientId, error.message);
    });
    this.mqtt.on('close', () => this.closed(this.lastError ?? (this.open ? 'connection lost' : 'connection refused')));
  }

  private lastError: string | undefined;

  on(handlers: NetworkClientHandlers): this {
    this.handlers = { ...this.handlers, ...handlers };
    return this;
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** QoS 1. `done` gets the broker's PUBACK, or the error that lost it. */
  publish(topic: string, payload: Uint8Array, done?: (error?: Error) => void): void {
    if (!this.open) {
      done?.(new Error(`${this.clientId} is not connected`));
      return;
    }
    const buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const op = this.track(`${this.clientId} publish ${topic}`);
    this.network.trace({ kind: 'frame', link: BROKER_LINK_ID, from: this.clientId, to: topic, hex: toHex(payload), codec: 'json', ...describeJson(buffer) });
    this.network.whenSubscriptionsSettled(() => {
      if (!this.open) {
        this.done(op);
        done?.(new Error(`${this.clientId} is not connected`));
        return;
      }
      const key = deliveryKey(topic, buffer);
      const receivers = this.network.expectDeliveries(topic, key);
      this.mqtt.publish(topic, buffer, { qos: 1 }, (error) => {
        if (error) for (const r of receivers) r.unexpect(key);
        this.done(op);
        done?.(error ?? undefined);
      });
    });
  }

  /** QoS 1 subscriptions; `done` gets the filters the broker granted (a refused one is left out). */
  subscribe(filters: string[], done: (error: Error | undefined, granted: string[]) => void): void {
    const op = this.track(`${this.clientId} subscribe ${filters.join(' ')}`, true);
    this.mqtt.subscribe(filters, { qos: 1 }, (error, _subs, packet) => {
      // A refused filter (SUBACK 0x80) comes back as an error with the SUBACK: keep the ones granted.
      const codes = (packet as { granted?: number[] } | undefined)?.granted;
      const ok = codes ? filters.filter((_, i) => ((codes[i] ?? 0x80) & 0x80) === 0) : error ? [] : filters;
      if (this.open) {
        this.subscriptions.push(...ok);
        this.network.subscribed(this, ok);
      }
      this.done(op);
      done(codes ? undefined : (error ?? undefined), ok);
    });
  }

  /** Closes the connection; the close handler is not called for an end the device asked for. */
  end(): void {
    if (this.finished) return;
    this.handlers = {};
    this.mqtt.end(true);
    this.closed('ended');
  }

  /** @internal */
  expect(key: string): void {
    this.expected.set(key, (this.expected.get(key) ?? 0) + 1);
  }

  /** @internal */
  unexpect(key: string): void {
    const n = this.expected.get(key);
    if (!n) return;
    if (n === 1) this.expected.delete(key);
    else this.expected.set(key, n - 1);
    this.network.delivered(1);
  }

  /** @internal */
  forgetExpected(): void {
    this.expected.clear();
  }

  /** @internal The relay is about to drop this connection: rig time waits until the client has seen it. */
  expectClose(): void {
    this.closeOp ??= this.track(`${this.clientId} disconnecting`);
  }

  private receive(topic: string, payload: Buffer): void {
    try {
      this.handlers.message?.(topic, new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength));
    } finally {
      // After the handler: whatever it published in reaction is already counted, so time cannot slip.
      this.unexpect(deliveryKey(topic, payload));
    }
  }

  private closed(reason: string): void {
    if (this.finished) return;
    this.finished = true;
    const wasOpen = this.open;
    this.open = false;
    let undelivered = 0;
    for (const n of this.expected.values()) undelivered += n;
    this.expected.clear();
    this.network.unsubscribedAll(this, this.subscriptions);
    this.subscriptions.length = 0;
    for (const op of this.pending) this.network.finish(op);
    this.pending.clear();
    this.network.unregister(this);
    this.network.delivered(undelivered);
    if (wasOpen) this.network.trace({ kind: 'link', link: BROKER_LINK_ID, event: 'disconnected', end: this.clientId, detail: reason });
    else if (reason !== 'ended') this.network.trace({ kind: 'link', link: BROKER_LINK_ID, event: 'refused', end: this.clientId, detail: reason });
    if (reason !== 'ended') this.mqtt.end(true);
    const handler = this.handlers.close;
    this.handlers = {};
    handler?.(reason);
  }

  private track(what: string, barrier = false): Op {
    const op = this.network.begin(what, barrier);
    this.pending.add(op);
    return op;
  }

  private done(op: Op): void {
    this.pending.delete(op);
    this.network.finish(op);
  }
}

/**
 * mqtt.js leaves Nagle's algorithm on; with delayed ACKs that costs tens of ms per small packet, which
 * would make every rig instant with broker traffic that much slower. So TCP and TLS streams are built here
 * with no delay; WebSocket URLs go through mqtt.js as they are.
 */
function openClient(url: string, options: IClientOptions): MqttClient {
  const u = new URL(url);
  if (u.protocol !== 'mqtt:' && u.protocol !== 'mqtts:') return mqtt.connect(url, options);
  const port = Number(u.port || (u.protocol === 'mqtt:' ? 1883 : 8883));
  const build = () => {
    const socket =
      u.protocol === 'mqtt:'
        ? tcpConnect({ host: u.hostname, port })
        : tlsConnect({ host: u.hostname, port, ca: options.ca, cert: options.cert, key: options.key, rejectUnauthorized: options.rejectUnauthorized, servername: options.servername });
    socket.setNoDelay(true);
    return socket;
  };
  return new MqttClient(build as ConstructorParameters<typeof MqttClient>[0], options);
}

/**
 * Errors that no broker outage (a cut, a restart) causes: TLS verification and MQTT's own refusals of the
 * credentials (CONNACK 4 and 5, or v5's 0x86/0x87).
 */
function isSetUpError(error: Error & { code?: string | number }): boolean {
  const code = error.code;
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME/.test(code))) return true;
  if (typeof code === 'number' && [4, 5, 0x86, 0x87].includes(code)) return true;
  return /certificate|Bad username or password|Not authorized/i.test(error.message);
}

function deliveryKey(topic: string, payload: Buffer): string {
  return `${topic}\u0000${payload.toString('base64')}`;
}

/** Deeper than this, a payload is traced raw only: writing the trace (JSON.stringify) would overflow the stack. */
const TRACE_MAX_NESTING = 64;

function describeJson(payload: Buffer): { decoded?: unknown; decodeError?: string } {
  const text = payload.toString('utf8');
  if (nestingDepth(text, TRACE_MAX_NESTING) > TRACE_MAX_NESTING) return { decodeError: `nested more than ${TRACE_MAX_NESTING} deep: not decoded` };
  try {
    return { decoded: JSON.parse(text) };
  } catch (error) {
    return { decodeError: (error as Error).message };
  }
}
