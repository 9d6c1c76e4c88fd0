import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { Rig, type RigPlan } from '../../harness/rig/rig-runtime.ts';
import { loadSuite } from '../../scenarios/engine/suite.ts';
import { AuthDomain, authenticate, encodeDocument, provisionedOperatorPrivateKey, type SealAck } from '../../protocols/seal/index.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const rigs: Rig[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function plan(sealOptions: Record<string, unknown> = {}): Promise<RigPlan> {
  const { plan } = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: [] });
  const ours = new Set(['seal-ru', 'operator-ru', 'operator-kz', 'seal-radio', 'reader-kz', 'reader-rogue']);
  return {
    ...plan,
    devices: plan.devices.filter((d) => ours.has(d.name)).map((d) => (d.name === 'seal-ru' ? { ...d, options: { ...(d.options as object), ...sealOptions } } : d)),
    links: plan.links.filter((l) => l.ends.every((e) => ours.has(e.split('.')[0]!))),
  };
}

async function start(p: RigPlan, at = T0): Promise<Rig> {
  const rig = await Rig.start(p, { start: at });
  rigs.push(rig);
  return rig;
}

const seqs = (records: DeviceRecord[]) => records.filter((r) => r.kind === 'position' || r.kind === 'event').map((r) => [r.kind, r.fields!.seq, r.at! - T0]);

describe('the seal', () => {
  it('keeps its outbox on disk, atomically, and sends it in order after an emulator restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'seal-outbox-'));
    const outboxPath = join(dir, 'RU-0001.json');
    const first = await start(await plan({ outboxPath }));
    await first.clock.runUntil(T0 + 30_000);
    first.linkAction({ link: 'broker' }, 'disconnect');
    await first.clock.runUntil(T0 + 200_000); // reports at 60, 120 and 180 s stay in the outbox
    await first.close();
    const stored = JSON.parse(await readFile(outboxPath, 'utf8'));
    expect(stored.nextSeq).toBe(4);
    expect(stored.outbox.map((m: { seq: number; createdAt: string }) => [m.seq, m.createdAt])).toEqual([
      [1, '2026-03-02T08:01:00.000Z'],
      [2, '2026-03-02T08:02:00.000Z'],
      [3, '2026-03-02T08:03:00.000Z'],
    ]);
    const second = await start(await plan({ outboxPath }), T0 + 300_000);
    await second.clock.runUntil(T0 + 301_000);
    expect(seqs(await second.records('operator-ru'))).toEqual([
      ['position', 1, 300_000],
      ['position', 2, 300_000],
      ['position', 3, 300_000],
      ['position', 4, 300_000],
    ]);
    expect(JSON.parse(await readFile(outboxPath, 'utf8'))).toMatchObject({ nextSeq: 5, outbox: [] });
  });

  it('refuses a short-range frame with a bad checksum, says why, and still serves the next activation', async () => {
    const rig = await start(await plan());
    await rig.clock.runUntil(T0 + 1000);
    // ACTIVATE from KZ-CUSTOMS-07 to RU-0001 with its CRC's last byte flipped
    rig.host.stimulate('reader-kz', 'sendRaw', { hex: 'A5 17 01 0D 4B5A2D435553544F4D532D3037 07 52552D30303031 0000' });
    await rig.clock.runUntil(T0 + 2000);
    rig.host.stimulate('reader-kz', 'activate', { sealId: 'RU-0001' });
    await rig.clock.runUntil(T0 + 3000);
    const refused = rig.trace.entries.find((e) => e.kind === 'frame' && e.from === 'reader-kz.radio' && 'decodeError' in e && e.decodeError);
    expect(refused).toMatchObject({ decodeError: expect.stringMatching(/^checksum mismatch: frame says 0x0000, computed 0x[0-9A-F]{4}$/) });
    const log = await rig.records('reader-kz');
    expect(log.map((r) => [r.kind, r.fields!.framesRefused, r.fields!.authentic])).toEqual([['status', 1, true]]);
    expect((await rig.records('operator-ru')).filter((r) => r.kind === 'activation')).toHaveLength(1);
  });

  it('refuses a replayed response as unauthorised (07), and reports the last fix, flagged, when there is no current one', async () => {
    const rig = await start(await plan());
    rig.worldAction('speed', { kmh: 36 });
    await rig.clock.runUntil(T0 + 10_250);
    rig.host.stimulate('seal-ru', 'gnss', { available: false }); // last fix at 10 s
    await rig.clock.runUntil(T0 + 20_500);
    rig.host.stimulate('reader-kz', 'activate', { sealId: 'RU-0001' });
    await rig.clock.runUntil(T0 + 21_000);
    const response = rig.trace.entries.find((e) => e.kind === 'frame' && e.from === 'reader-kz.radio' && (e.decoded as { type?: string })?.type === 'response');
    expect(response).toBeDefined();
    rig.host.stimulate('reader-kz', 'sendRaw', { hex: (response as { hex: string }).hex });
    await rig.clock.runUntil(T0 + 22_000);
    const operator = await rig.records('operator-ru');
    const activation = operator.find((r) => r.kind === 'activation')!;
    // Made when the response is in: ACTIVATE 27 bytes, CHALLENGE 43, RESPONSE 59, each one character more
    // through the radio channel, at 115200 baud 8N1 (86.8 us a character): 132 x 86.8 us = 11.46 ms.
    expect(activation.fields).toMatchObject({ fix: { time: '2026-03-02T08:00:10.000Z', status: 'last-known', speedKmh: 36 }, createdAt: '2026-03-02T08:00:20.511Z' });
    expect(operator.filter((r) => r.kind === 'event').map((r) => [r.code, r.fields!.detail])).toEqual([
      ['07', 'activation refused (noChallenge) for reader KZ-CUSTOMS-07'],
    ]);
    expect((await rig.records('reader-kz')).map((r) => `${r.kind} ${r.code}`)).toEqual(['status RU-0001', 'unsolicited refused']);
  });

  it("keeps a message until its home operator's signed ack: a forged ack on its downlink does not make it drop it", async () => {
    // The seal alone (no operator): its first report stays unacknowledged and is sent again every 30 s; the
    // tester hears every copy.
    const p = await plan();
    const rig = await start({ ...p, devices: p.devices.filter((d) => d.name === 'seal-ru'), links: [] });
    const heard: [number, number, string][] = [];
    const client = rig.network.connect({ clientId: 'tester', grants: { publish: ['seal/RU/RU-0001/down'], subscribe: ['seal/RU/RU-0001/up'] } });
    await new Promise<void>((resolve) =>
      client.on({
        connect: () => client.subscribe(['seal/RU/RU-0001/up'], () => resolve()),
        message: (_topic, payload) => {
          const m = JSON.parse(new TextDecoder().decode(payload));
          heard.push([m.seq, rig.clock.now() - T0, m.id]);
        },
      }),
    );
    await rig.clock.runUntil(T0 + 31_000);
    expect(heard.map(([seq, t]) => [seq, t])).toEqual([
      [0, 0],
      [0, 30_000],
    ]);
    const head = heard[0]![2];
    const ack = (id: string): SealAck => ({ v: 1, id, type: 'ack', ackOf: head, status: 'accepted', at: '2026-03-02T08:00:31.000Z' });
    client.publish('seal/RU/RU-0001/down', encodeDocument(ack('b1e2c3d4-0000-4000-8000-0000000000a1'))); // unsigned
    client.publish('seal/RU/RU-0001/down', encodeDocument(authenticate(AuthDomain.ackToSeal, ack('b1e2c3d4-0000-4000-8000-0000000000a2'), { alg: 'Ed25519', privateKey: provisionedOperatorPrivateKey(141, 'KZ') }))); // another operator
    await rig.clock.runUntil(T0 + 61_000);
    // Still the head: sent again at 60 s; the report of 60 s waits behind it.
    expect(heard.map(([seq, t]) => [seq, t])).toEqual([
      [0, 0],
      [0, 30_000],
      [0, 60_000],
    ]);
    // The home operator's own signature lets it go, and the next one follows at once.
    client.publish('seal/RU/RU-0001/down', encodeDocument(authenticate(AuthDomain.ackToSeal, ack('b1e2c3d4-0000-4000-8000-0000000000a3'), { alg: 'Ed25519', privateKey: provisionedOperatorPrivateKey(141, 'RU') })));
    await rig.clock.runUntil(T0 + 62_000);
    expect(heard.map(([seq, t]) => [seq, t])).toEqual([
      [0, 0],
      [0, 30_000],
      [0, 60_000],
      [1, 61_000],
    ]);
  });
});
