import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { Rig, type RigPlan } from '../../harness/rig/rig-runtime.ts';
import { loadSuite } from '../../scenarios/engine/suite.ts';
import { encodeDocument, type SealMessage } from '../../protocols/seal/index.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.close();
});

/** The loopback rig's seal devices, with some options changed. */
async function plan(options: Record<string, Record<string, unknown>> = {}): Promise<RigPlan> {
  const { plan } = await loadSuite({ rigFile: 'rigs/loopback.yaml', paths: [] });
  const keep = new Set(['seal-ru', 'operator-ru', 'operator-kz']);
  return {
    ...plan,
    devices: plan.devices.filter((d) => keep.has(d.name)).map((d) => ({ ...d, options: { ...(d.options as object), ...options[d.name] } })),
    links: [],
  };
}

async function start(p: RigPlan): Promise<Rig> {
  const rig = await Rig.start(p, { start: T0 });
  rigs.push(rig);
  return rig;
}

const at = (ms: number) => (r: DeviceRecord) => ({ ...r, at: r.at! - T0 });
const kinds = (records: DeviceRecord[]) => records.map((r) => `${r.kind}${r.code !== undefined ? ` ${r.code}` : ''} @${r.at! - T0}`);

describe('the national operator', () => {
  it('refuses malformed JSON, no GUID, a BOM and a non-UTC time, each with its reason, and loses nothing else', async () => {
    const rig = await start(await plan());
    await rig.clock.runUntil(T0 + 1000);
    const intruder = rig.network.connect({ clientId: 'tester', grants: { publish: ['seal/RU/RU-0001/up'], subscribe: [] } });
    await new Promise<void>((resolve) => intruder.on({ connect: resolve }));
    const accepted = (await rig.records('operator-ru')).find((r) => r.kind === 'position')!;
    const good = JSON.parse(JSON.stringify(accepted.fields)) as Record<string, unknown>;
    const template: SealMessage = {
      v: 1,
      id: 'b1e2c3d4-0000-4000-8000-00000000000a',
      type: 'position',
      sealId: 'RU-0001',
      homeState: 'RU',
      seq: 1,
      createdAt: '2026-03-02T08:00:01.000Z',
      custody: 'registered',
      consignment: null,
      fix: good.fix as SealMessage['fix'],
      power: { batteryPercent: 99.9 },
    };
    const text = JSON.stringify(template);
    const { id: _id, ...noGuid } = template;
    const bad: Uint8Array[] = [
      new TextEncoder().encode(text.slice(0, 40)),
      encodeDocument(noGuid),
      Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]),
      encodeDocument({ ...template, createdAt: '2026-03-02T11:00:01+03:00' }),
    ];
    for (const payload of bad) intruder.publish('seal/RU/RU-0001/up', payload);
    await rig.clock.runUntil(T0 + 61_000);
    const records = await rig.records('operator-ru');
    expect(records.filter((r) => r.kind === 'rejected').map((r) => [r.code, r.fields!.reason, r.at! - T0])).toEqual([
      ['json', expect.stringMatching(/^malformed JSON: /), 1000],
      ['guid', 'the message has no GUID (field id)', 1000],
      ['bom', 'the message starts with a UTF-8 byte order mark (EF BB BF): UTF-8 without BOM is required', 1000],
      ['utc', "createdAt: '2026-03-02T11:00:01+03:00' is not UTC: the offset must be Z or +00:00", 1000],
    ]);
    // The seal's own reports before and after are all there, in sequence.
    expect(records.filter((r) => r.kind === 'position').map((r) => [r.fields!.seq, r.at! - T0])).toEqual([
      [0, 0],
      [1, 60_000],
    ]);
    expect(records.filter((r) => r.kind === 'anomaly' || r.kind === 'duplicate')).toEqual([]);
  });

  it('takes a message twice as a duplicate by its GUID: acknowledged again, stored and forwarded once', async () => {
    const rig = await start(await plan());
    await rig.clock.runUntil(T0 + 1000);
    const first = (await rig.records('operator-ru')).find((r) => r.kind === 'position')!;
    const again: SealMessage = {
      v: 1,
      id: first.fields!.id as string,
      type: 'position',
      sealId: 'RU-0001',
      homeState: 'RU',
      seq: 0,
      createdAt: first.fields!.createdAt as string,
      custody: 'registered',
      consignment: null,
      fix: first.fields!.fix as SealMessage['fix'],
      power: { batteryPercent: first.fields!.batteryPercent as number },
    };
    const replayer = rig.network.connect({ clientId: 'tester', grants: { publish: ['seal/RU/RU-0001/up'], subscribe: [] } });
    await new Promise<void>((resolve) => replayer.on({ connect: resolve }));
    replayer.publish('seal/RU/RU-0001/up', encodeDocument(again));
    await rig.clock.runUntil(T0 + 2000);
    expect(kinds(await rig.records('operator-ru'))).toEqual(['position @0', 'forwarded KZ @0', 'duplicate position @1000']);
    expect(kinds(await rig.records('operator-kz'))).toEqual(['peer position @0']);
  });

  it('holds a correction until the peer has acknowledged the original, keeps the original, then sends it', async () => {
    // KZ comes back 60 s after the broker does, RU 10 s after: RU forwards the seal's backlog to a KZ that
    // is not there yet, and a correction asked for meanwhile must wait for KZ's acknowledgement.
    const rig = await start(await plan({ 'operator-kz': { reconnectMs: 60_000 } }));
    await rig.clock.runUntil(T0 + 30_000);
    rig.linkAction({ link: 'broker' }, 'disconnect');
    await rig.clock.runUntil(T0 + 90_000); // the seal's 60 s report is held
    rig.linkAction({ link: 'broker' }, 'reconnect');
    await rig.clock.runUntil(T0 + 100_000); // RU and the seal are back at 100 s (attempts every 10 s since 30 s)
    const report = (await rig.records('operator-ru')).find((r) => r.kind === 'position' && r.fields!.seq === 1)!;
    expect(report.at! - T0).toBe(100_000);
    rig.host.stimulate('operator-ru', 'correct', { documentId: report.fields!.id as string, changes: { power: { batteryPercent: 50 } } });
    await rig.clock.runUntil(T0 + 200_000);
    const ru = (await rig.records('operator-ru')).map(at(T0));
    const corrections = ru.filter((r) => r.kind === 'correction');
    expect(corrections.map((r) => [r.code, r.at])).toEqual([
      ['held', 100_000],
      ['sent', 160_000],
    ]);
    // KZ tries at 90 s, just before the broker is back, and gets in at 150 s; RU sends unacknowledged
    // forwards again every 30 s from its return at 100 s, so KZ has the original and acknowledges it at 160 s.
    const acked = ru.find((r) => r.kind === 'forwarded' && r.fields!.documentId === report.fields!.id)!;
    expect(corrections[1]!.at).toBe(acked.at);
    const kz = (await rig.records('operator-kz')).map(at(T0));
    const original = kz.find((r) => r.kind === 'peer' && r.fields!.documentId === report.fields!.id)!;
    const correction = kz.find((r) => r.kind === 'peer' && r.code === 'correction')!;
    expect(correction.fields).toMatchObject({ from: 'RU', corrects: report.fields!.id, transferMs: 0, withinLimit: true });
    expect(correction.at).toBe(original.at);
    expect(original.fields!.transferMs).toBe(original.at! - 100_000);
    // The original stays in RU's store beside the correction.
    expect(ru.filter((r) => r.kind === 'position' && r.fields!.id === report.fields!.id)).toHaveLength(1);
  });
});
