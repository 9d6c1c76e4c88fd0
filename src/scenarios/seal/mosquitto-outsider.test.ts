import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type MosquittoProcess } from '../../harness/broker/index.ts';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { Rig, type RigPlan } from '../../harness/rig/rig-runtime.ts';
import { loadSuite } from '../engine/suite.ts';

/**
 * An outsider on an external broker that lets anyone in (issue 12, section 5): mosquitto with anonymous
 * read and write on the seal system's topics, and the real mosquitto clients (`mosquitto_sub`,
 * `mosquitto_pub`, package mosquitto-clients) as the attacker. The attacker knows the message format and
 * the topics, can read every message, and holds no key. What it tries, against the loopback rig's RU-0001
 * seal and the RU and KZ operators:
 *   - a forged event 01 (lock cut) in the seal's name, on the seal's uplink;
 *   - the seal's first report, captured off the broker and published again after its second;
 *   - a forged forward of an event 01 in RU's name, on the KZ operator's topic;
 *   - 10 kB of JSON nested 5 000 deep on the seal's uplink.
 * Each is refused with its reason and nothing of it reaches the peer; the seal's own reports before and
 * after pass (the positive control: the same topics, the same broker, the same operators).
 */
const run = promisify(execFile);
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const UP = 'seal/RU/RU-0001/up';

let mosquitto: MosquittoProcess;
let capture: ChildProcess | undefined;
beforeAll(async () => {
  mosquitto = await startMosquitto({ anonymous: ['seal/#', 'operator/#'] });
});
afterAll(async () => {
  if (capture && capture.exitCode === null) capture.kill('SIGTERM');
  await mosquitto?.stop();
});

/** `mosquitto_pub` as an anonymous client: no user name, no password. */
const publish = (topic: string, message: string) => run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(mosquitto.port), '-q', '1', '-t', topic, '-m', message]);

/** `mosquitto_sub`, anonymous, printing each payload as hex after `@` (`-F '@@%x'`: `@@` is a literal @); resolves once it is subscribed. */
async function listen(topic: string, count: number): Promise<{ payloads: (n: number) => Promise<string[]> }> {
  // stdbuf (coreutils): mosquitto_sub's stdout is a pipe here, block-buffered, so its SUBACK line would
  // show only when it exits; line buffering shows it when it happens.
  const child = spawn('stdbuf', ['-oL', 'mosquitto_sub', '-h', '127.0.0.1', '-p', String(mosquitto.port), '-t', topic, '-C', String(count), '-d', '-F', '@@%x'], { stdio: ['ignore', 'pipe', 'pipe'] });
  capture = child;
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = () => /received SUBACK/.test(out) && resolve();
    child.stdout!.on('data', check);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`mosquitto_sub ended (${code}) before subscribing: ${out}`)));
  });
  const heard = () => [...out.matchAll(/^@([0-9a-f]+)$/gm)].map((m) => Buffer.from(m[1]!, 'hex').toString('utf8'));
  // The rig waits for its own clients' deliveries, not for this one's: give it the wall time it takes.
  const payloads = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while (heard().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return heard();
  };
  return { payloads };
}

/** Waits (wall clock; rig time stands still) until `done` holds for what the operators logged. */
async function until(rig: Rig, done: (ru: DeviceRecord[], kz: DeviceRecord[]) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [ru, kz] = [await rig.records('operator-ru'), await rig.records('operator-kz')];
    if (done(ru, kz)) return;
    if (Date.now() > deadline) throw new Error(`the operators never logged ${what}: RU ${summary(ru).join(', ')}; KZ ${summary(kz).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const summary = (records: DeviceRecord[]) => records.map((r) => `${r.kind}${r.code !== undefined ? ` ${r.code}` : ''} @${r.at! - T0}`);

describe('an anonymous outsider on a broker that lets anyone in', () => {
  it('cannot forge or replay a seal document, nor forge a forward to the peer; the seal gets through', async () => {
    const { plan: loopback } = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: [] });
    const keep = new Set(['seal-ru', 'operator-ru', 'operator-kz']);
    const plan: RigPlan = {
      ...loopback,
      name: 'loopback+open-mosquitto',
      broker: { type: 'external', url: mosquitto.url, username: mosquitto.username, password: mosquitto.password },
      devices: loopback.devices.filter((d) => keep.has(d.name)),
      links: [],
    };
    const tap = await listen(UP, 2); // the attacker reads the seal's first two reports off the broker
    const rig = await Rig.start(plan, { start: T0 });
    try {
      await rig.clock.runUntil(T0 + 61_000);
      const [first, second] = await tap.payloads(2);
      expect(JSON.parse(first!)).toMatchObject({ sealId: 'RU-0001', seq: 0 });
      expect(JSON.parse(second!)).toMatchObject({ sealId: 'RU-0001', seq: 1 });

      // 1. A lock cut in the seal's name: the seal's own format, the next seq, no key.
      const cut = { ...JSON.parse(second!), id: '5eb1a1e0-0000-4000-8000-000000000001', type: 'event', seq: 2, custody: 'violated', event: { code: '01', detail: 'locking element broken' } };
      delete cut.auth;
      await publish(UP, JSON.stringify(cut));
      // 2. The seal's first report, as captured, after the operator has taken its second.
      await publish(UP, first!);
      // 3. A forward of that lock cut to KZ in RU's name.
      const forward = { v: 1, id: '5eb1a1e0-0000-4000-8000-000000000002', type: 'forward', from: 'RU', to: 'KZ', sentAt: '2026-03-02T08:01:01.000Z', document: cut };
      await publish('operator/KZ/in', JSON.stringify(forward));
      // 4. 10 kB nested 5 000 deep: it killed the operator before the wire format bounded nesting.
      const deep = `{"v":1,"id":"5eb1a1e0-0000-4000-8000-000000000003","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      await publish(UP, deep);

      const firstId = JSON.parse(first!).id as string;
      const handled = (records: DeviceRecord[], id: string) => records.some((r) => r.at! - T0 === 61_000 && r.fields?.id === id);
      await until(
        rig,
        (ru, kz) => handled(ru, cut.id) && handled(ru, firstId) && ru.some((r) => r.at! - T0 === 61_000 && r.fields?.topic === UP && !r.fields.id) && handled(kz, forward.id),
        'the four messages',
      );
      const ru = await rig.records('operator-ru');
      const kz = await rig.records('operator-kz');
      expect(ru.filter((r) => r.at! - T0 === 61_000).map((r) => [r.kind, r.code, r.fields!.id, r.fields!.reason])).toEqual([
        ['rejected', 'unauthenticated', cut.id, 'not from seal RU-0001: no authenticator (member auth)'],
        ['rejected', 'replay', firstId, 'seq 0 of seal RU-0001 is not above 1, the highest already accepted: an old message sent again'],
        // refused before parsing: its GUID is not read
        ['rejected', 'too-deep', undefined, 'objects and arrays nested more than 16 deep (the limit is 16)'],
      ]);
      expect(kz.filter((r) => r.at! - T0 === 61_000).map((r) => [r.kind, r.code, r.fields!.id, r.fields!.reason])).toEqual([
        ['rejected', 'unauthenticated', forward.id, 'not from operator RU: no authenticator (member auth)'],
      ]);

      // The positive control: the seal's next report, on the same topic through the same broker, is taken
      // as the next in sequence (no gap: the forged seq 2 took nothing) and forwarded, checked against the
      // seal's own signature at KZ.
      await rig.clock.runUntil(T0 + 121_000);
      const ruAll = await rig.records('operator-ru');
      const kzAll = await rig.records('operator-kz');
      expect(summary(ruAll)).toEqual([
        'position @0',
        'forwarded KZ @0',
        'position @60000',
        'forwarded KZ @60000',
        'rejected unauthenticated @61000',
        'rejected replay @61000',
        'rejected too-deep @61000',
        'position @120000',
        'forwarded KZ @120000',
      ]);
      expect(ruAll.filter((r) => r.kind === 'position').map((r) => r.fields!.seq)).toEqual([0, 1, 2]);
      expect(summary(kzAll)).toEqual(['peer position @0', 'peer position @60000', 'rejected unauthenticated @61000', 'peer position @120000']);
      expect(kzAll.filter((r) => r.kind === 'peer').map((r) => r.fields!.verifiedBy)).toEqual(['seal', 'seal', 'seal']);
    } finally {
      await rig.close();
    }
  });
});
