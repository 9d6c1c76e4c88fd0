import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.ts';
import { createRng } from '../../crypto/random.ts';
import { Trace } from '../trace/index.ts';
import { EmbeddedBroker } from './embedded-broker.ts';
import { BrokerNetwork, type NetworkClient } from './network.ts';
import { filterCovers, topicMatches } from './topic-filter.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function up(client: NetworkClient, filters: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    client.on({
      connect: () => (filters.length ? client.subscribe(filters, (e) => (e ? reject(e) : resolve())) : resolve()),
      close: (reason) => reject(new Error(reason)),
    });
  });
}

describe('topic filters', () => {
  it('match as MQTT 3.1.1 says', () => {
    expect(topicMatches('seal/RU/+/up', 'seal/RU/RU-1/up')).toBe(true);
    expect(topicMatches('seal/RU/+/up', 'seal/KZ/KZ-1/up')).toBe(false);
    expect(topicMatches('seal/#', 'seal')).toBe(true);
    expect(topicMatches('+/x', '$SYS/x')).toBe(false);
    expect(filterCovers('seal/RU/+/up', 'seal/RU/RU-1/up')).toBe(true);
    expect(filterCovers('seal/RU/RU-1/down', 'seal/RU/+/down')).toBe(false);
    expect(filterCovers('operator/RU/#', 'operator/RU/in')).toBe(true);
  });
});

describe('the embedded broker', () => {
  it('wants the credentials it issued, bound to the client id', async () => {
    const broker = await EmbeddedBroker.start(createRng(1));
    cleanups.push(() => broker.close());
    const creds = broker.issue('seal-RU-1', { publish: ['seal/RU/RU-1/up'], subscribe: [] });
    const attempt = (options: mqtt.IClientOptions) =>
      new Promise<string>((resolve) => {
        const c = mqtt.connect(broker.url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
        c.on('connect', () => resolve('connected'));
        c.on('error', (e) => resolve(e.message));
        c.on('close', () => setTimeout(() => resolve('closed'), 50));
        cleanups.push(async () => void c.end(true));
      });
    expect(await attempt({ clientId: 'seal-RU-1', ...creds })).toBe('connected');
    expect(await attempt({ clientId: 'seal-RU-1', username: creds.username, password: 'guess' })).toMatch(/Bad username or password/i);
    expect(await attempt({ clientId: 'seal-RU-2', ...creds })).toMatch(/Identifier rejected/i);
    expect(await attempt({ clientId: 'seal-RU-9' })).toMatch(/Bad username or password/i);
  });

  it('keeps each seal to its own topics: publishing as another seal drops the connection, nothing is delivered', async () => {
    const clock = new VirtualClock({ start: T0 });
    const network = new BrokerNetwork({ type: 'embedded' }, { clock, rng: createRng(1) });
    await network.start();
    cleanups.push(() => network.close());
    const operator = network.connect({ clientId: 'operator-RU', grants: { publish: [], subscribe: ['seal/RU/+/up'] } });
    const got: string[] = [];
    await up(operator, ['seal/RU/+/up']);
    operator.on({ message: (topic, payload) => got.push(`${topic} ${text(payload)}`) });
    const seal = network.connect({ clientId: 'seal-RU-1', grants: { publish: ['seal/RU/RU-1/up'], subscribe: ['seal/RU/RU-1/down'] } });
    await up(seal);
    const refused = await new Promise<string[]>((resolve) => seal.subscribe(['seal/RU/RU-2/down'], (_e, granted) => resolve(granted)));
    expect(refused).toEqual([]);
    const closed = new Promise<string>((resolve) => seal.on({ close: resolve }));
    seal.publish('seal/RU/RU-1/up', bytes('mine'));
    await network.settled();
    seal.publish('seal/RU/RU-2/up', bytes('forged'));
    expect(await closed).toMatch(/connection lost|close/i);
    await network.settled();
    expect(got).toEqual(['seal/RU/RU-1/up mine']);
  });
});

describe('the rig network on virtual time', () => {
  it('holds rig time until a publish has reached every subscriber, and the reply has come back', async () => {
    const clock = new VirtualClock({ start: T0 });
    const network = new BrokerNetwork({ type: 'embedded' }, { clock, rng: createRng(2) });
    await network.start();
    cleanups.push(() => network.close());
    const a = network.connect({ clientId: 'a', grants: { publish: ['ping'], subscribe: ['pong'] } });
    const b = network.connect({ clientId: 'b', grants: { publish: ['pong'], subscribe: ['ping'] } });
    await Promise.all([up(a, ['pong']), up(b, ['ping'])]);
    const seen: string[] = [];
    b.on({ message: (_t, p) => (seen.push(`b ${text(p)} @${clock.now() - T0}`), b.publish('pong', p)) });
    a.on({ message: (_t, p) => seen.push(`a ${text(p)} @${clock.now() - T0}`) });
    for (let i = 0; i < 20; i++) clock.schedule(T0 + i * 1000, () => a.publish('ping', bytes(String(i))));
    await clock.runUntil(T0 + 20_000);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => [`b ${i} @${i * 1000}`, `a ${i} @${i * 1000}`]).flat());
  });

  it('cuts every connection when the broker link is cut, refuses new ones, and lets them in again when restored', async () => {
    const clock = new VirtualClock({ start: T0 });
    const network = new BrokerNetwork({ type: 'embedded' }, { clock, rng: createRng(3) });
    await network.start();
    cleanups.push(() => network.close());
    const a = network.connect({ clientId: 'a', grants: { publish: [], subscribe: [] } });
    await up(a);
    const reasons: string[] = [];
    a.on({ close: (r) => reasons.push(`${r} @${clock.now() - T0}`) });
    network.cut();
    await clock.advance(0);
    expect(reasons).toEqual(['connection lost @0']);
    const b = network.connect({ clientId: 'b', grants: { publish: [], subscribe: [] } });
    await expect(up(b)).rejects.toThrow(/refused|lost|close/);
    network.restore();
    await up(network.connect({ clientId: 'c', grants: { publish: [], subscribe: [] } }));
  });

  it('traces a payload nested 5 000 deep raw, undecoded: writing it decoded overflowed the stack', async () => {
    const clock = new VirtualClock({ start: T0 });
    const dir = await mkdtemp(join(tmpdir(), 'rig-trace-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const trace = new Trace(clock);
    trace.streamTo(join(dir, 'trace.jsonl'));
    const network = new BrokerNetwork({ type: 'embedded' }, { clock, rng: createRng(4), trace });
    await network.start();
    cleanups.push(() => network.close());
    const a = network.connect({ clientId: 'a', grants: { publish: ['x'], subscribe: [] } });
    await up(a);
    a.publish('x', bytes(`${'['.repeat(5000)}${']'.repeat(5000)}`));
    a.publish('x', bytes('[[1]]'));
    await network.settled();
    await trace.close();
    const frames = (await readFile(join(dir, 'trace.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.kind === 'frame');
    expect(frames.map((f) => [f.decodeError, f.decoded])).toEqual([
      ['nested more than 64 deep: not decoded', undefined],
      [undefined, [[1]]],
    ]);
  });
});
