import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../harness/devices/device-kind.ts';
import { Rig, type RigPlan } from '../../harness/rig/rig-runtime.ts';
import { loadSuite } from '../../scenarios/engine/suite.ts';
import {
  AuthDomain,
  authenticate,
  checkAuthenticator,
  decodeDocument,
  encodeDocument,
  provisionedOperatorPrivateKey,
  provisionedOperatorPublicKey,
  provisionedSealKey,
  provisionedSealVerifyingKey,
  SealAckSchema,
  type PeerMessage,
  type SealMessage,
} from '../../protocols/seal/index.ts';

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

/** The key the loopback rig's RU-0001 signs with (the default provisioning seed). */
const SEAL_KEY = provisionedSealKey(141, 'RU', 'RU-0001');
const sealSigned = (m: SealMessage) => authenticate(AuthDomain.sealDocument, m, SEAL_KEY);
const operatorSigned = (state: string, m: PeerMessage) => authenticate(AuthDomain.operatorMessage, m, { alg: 'Ed25519', privateKey: provisionedOperatorPrivateKey(141, state) });

/** A seal document as the operator recorded it (the record holds everything but the signature). */
function documentOf(r: DeviceRecord): SealMessage {
  const f = r.fields!;
  return {
    v: 1,
    id: f.id as string,
    type: r.kind as 'position',
    sealId: f.sealId as string,
    homeState: 'RU',
    seq: f.seq as number,
    createdAt: f.createdAt as string,
    custody: f.custody as SealMessage['custody'],
    consignment: f.consignment as string | null,
    fix: f.fix as SealMessage['fix'],
    power: { batteryPercent: f.batteryPercent as number },
  };
}

/** A rig MQTT client of the test's own, connected (and subscribed, when asked) before it returns. */
async function intruder(rig: Rig, publish: string[], subscribe: string[] = []) {
  const heard: { topic: string; payload: Uint8Array }[] = [];
  const client = rig.network.connect({ clientId: `tester-${publish.length}-${subscribe.length}`, grants: { publish, subscribe } });
  await new Promise<void>((resolve) => client.on({ connect: () => (subscribe.length ? client.subscribe(subscribe, () => resolve()) : resolve()), message: (topic, payload) => heard.push({ topic, payload }) }));
  return { client, heard };
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
    // The seal's own resend (its ack lost): the same document, so the same signature.
    replayer.publish('seal/RU/RU-0001/up', encodeDocument(sealSigned(again)));
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
    expect(correction.fields).toMatchObject({ from: 'RU', corrects: report.fields!.id, transferMs: 0, withinLimit: true, verifiedBy: 'operator' });
    expect(original.fields).toMatchObject({ verifiedBy: 'seal' }); // the seal's signature, checked at KZ; the correction is RU's
    expect(correction.at).toBe(original.at);
    expect(original.fields!.transferMs).toBe(original.at! - 100_000);
    // The original stays in RU's store beside the correction.
    expect(ru.filter((r) => r.kind === 'position' && r.fields!.id === report.fields!.id)).toHaveLength(1);
  });

  it('refuses forged seal documents as unauthenticated: logged with the reason, not acknowledged, not forwarded', async () => {
    const rig = await start(await plan());
    await rig.clock.runUntil(T0 + 1000);
    const { client, heard } = await intruder(rig, ['seal/RU/RU-0001/up', 'seal/RU/KZ-0001/up'], ['seal/RU/RU-0001/down']);
    const genuine = documentOf((await rig.records('operator-ru')).find((r) => r.kind === 'position')!);
    const cut: SealMessage = { ...genuine, id: 'b1e2c3d4-0000-4000-8000-0000000000e1', type: 'event', seq: 1, custody: 'violated', event: { code: '01', detail: 'locking element broken' } };
    const forged: [string, SealMessage][] = [
      ['seal/RU/RU-0001/up', cut], // no signature at all
      ['seal/RU/RU-0001/up', authenticate(AuthDomain.sealDocument, { ...cut, id: 'b1e2c3d4-0000-4000-8000-0000000000e2' }, provisionedSealKey(999, 'RU', 'RU-0001'))], // another key
      ['seal/RU/RU-0001/up', { ...sealSigned({ ...cut, id: 'b1e2c3d4-0000-4000-8000-0000000000e3' }), event: { code: '02' } } as SealMessage], // signed, then changed
      ['seal/RU/RU-0001/up', { ...sealSigned({ ...cut, id: 'b1e2c3d4-0000-4000-8000-0000000000e4' }), auth: { alg: 'HMAC-SHA256', value: '00'.repeat(32) } }], // another scheme
      ['seal/RU/KZ-0001/up', authenticate(AuthDomain.sealDocument, { ...cut, id: 'b1e2c3d4-0000-4000-8000-0000000000e5', sealId: 'KZ-0001', homeState: 'KZ' }, provisionedSealKey(141, 'KZ', 'KZ-0001'))],
    ];
    for (const [topic, m] of forged) client.publish(topic, encodeDocument(m));
    await rig.clock.runUntil(T0 + 61_000);
    const ru = await rig.records('operator-ru');
    expect(ru.filter((r) => r.kind === 'rejected').map((r) => [r.code, r.fields!.id, r.fields!.reason, r.at! - T0])).toEqual([
      ['unauthenticated', 'b1e2c3d4-0000-4000-8000-0000000000e1', 'not from seal RU-0001: no authenticator (member auth)', 1000],
      ['unauthenticated', 'b1e2c3d4-0000-4000-8000-0000000000e2', 'not from seal RU-0001: Ed25519 signature does not verify', 1000],
      ['unauthenticated', 'b1e2c3d4-0000-4000-8000-0000000000e3', 'not from seal RU-0001: Ed25519 signature does not verify', 1000],
      ['unauthenticated', 'b1e2c3d4-0000-4000-8000-0000000000e4', 'not from seal RU-0001: authenticator is HMAC-SHA256, the key held for the sender is Ed25519', 1000],
      ['unauthenticated', 'b1e2c3d4-0000-4000-8000-0000000000e5', 'no key for seal KZ-0001 (home KZ): not registered with the RU operator', 1000],
    ]);
    // The seal's own documents around them: taken, in sequence, forwarded; no event, no anomaly.
    expect(kinds(ru.filter((r) => r.kind !== 'rejected'))).toEqual(['position @0', 'forwarded KZ @0', 'position @60000', 'forwarded KZ @60000']);
    expect(kinds(await rig.records('operator-kz'))).toEqual(['peer position @0', 'peer position @60000']);
    // On the seal's downlink, one ack: of its report at 60 s, signed by RU. Nothing answered the forgeries.
    const acks = heard.map((h) => decodeDocument(h.payload, SealAckSchema));
    expect(acks.map((a) => a.ok && [a.value.ackOf, a.value.status])).toEqual([[ru.find((r) => r.kind === 'position' && r.fields!.seq === 1)!.fields!.id, 'accepted']]);
    expect(acks.map((a) => a.ok && checkAuthenticator(AuthDomain.ackToSeal, a.value, { alg: 'Ed25519', publicKey: provisionedOperatorPublicKey(141, 'RU') }))).toEqual([{ ok: true }]);
  });

  it("refuses a seq it has already accepted as a replay, whatever the GUID; the seal's resend of its last message is a duplicate", async () => {
    const rig = await start(await plan());
    await rig.clock.runUntil(T0 + 61_000);
    const { client } = await intruder(rig, ['seal/RU/RU-0001/up']);
    const [first, second] = (await rig.records('operator-ru')).filter((r) => r.kind === 'position').map(documentOf);
    client.publish('seal/RU/RU-0001/up', encodeDocument(sealSigned(first!))); // captured at 0 s, sent again
    client.publish('seal/RU/RU-0001/up', encodeDocument(sealSigned({ ...second!, id: 'b1e2c3d4-0000-4000-8000-0000000000f1' }))); // seq 1 under a new GUID
    client.publish('seal/RU/RU-0001/up', encodeDocument(sealSigned(second!))); // the seal's resend of seq 1
    await rig.clock.runUntil(T0 + 121_000);
    const ru = await rig.records('operator-ru');
    expect(ru.filter((r) => r.kind === 'rejected').map((r) => [r.code, r.fields, r.at! - T0])).toEqual([
      ['replay', { reason: 'seq 0 of seal RU-0001 is not above 1, the highest already accepted: an old message sent again', topic: 'seal/RU/RU-0001/up', id: first!.id, sealId: 'RU-0001', seq: 0, lastSeq: 1 }, 61_000],
      [
        'replay',
        { reason: 'seq 1 of seal RU-0001 is not above 1, the highest already accepted: a message never seen, numbered in the past', topic: 'seal/RU/RU-0001/up', id: 'b1e2c3d4-0000-4000-8000-0000000000f1', sealId: 'RU-0001', seq: 1, lastSeq: 1 },
        61_000,
      ],
    ]);
    expect(kinds(ru.filter((r) => r.kind !== 'rejected'))).toEqual(['position @0', 'forwarded KZ @0', 'position @60000', 'forwarded KZ @60000', 'duplicate position @61000', 'position @120000', 'forwarded KZ @120000']);
    expect(ru.find((r) => r.kind === 'position' && r.at! - T0 === 120_000)!.fields!.seq).toBe(2);
    expect(kinds(await rig.records('operator-kz'))).toEqual(['peer position @0', 'peer position @60000', 'peer position @120000']);
  });

  it("refuses peer messages its peer did not sign, and a forward whose seal document is not the seal's", async () => {
    const rig = await start(await plan());
    await rig.clock.runUntil(T0 + 1000);
    const { client } = await intruder(rig, ['operator/KZ/in', 'operator/RU/in']);
    const genuine = documentOf((await rig.records('operator-ru')).find((r) => r.kind === 'position')!);
    const cut: SealMessage = { ...genuine, id: 'b1e2c3d4-0000-4000-8000-0000000000d1', type: 'event', seq: 5, custody: 'violated', event: { code: '01' } };
    const forward = (id: string, document: SealMessage, from = 'RU'): PeerMessage => ({ v: 1, id, type: 'forward', from, to: 'KZ', sentAt: '2026-03-02T08:00:01.000Z', document });
    const sealKey = provisionedSealVerifyingKey(141, 'RU', 'RU-0001') as { alg: 'Ed25519'; publicKey: string };
    const sent: [string, unknown][] = [
      ['operator/KZ/in', forward('b1e2c3d4-0000-4000-8000-0000000000c1', sealSigned(cut))], // unsigned envelope
      ['operator/KZ/in', operatorSigned('XX', forward('b1e2c3d4-0000-4000-8000-0000000000c2', sealSigned(cut), 'XX'))], // not a peer
      ['operator/KZ/in', authenticate(AuthDomain.operatorMessage, forward('b1e2c3d4-0000-4000-8000-0000000000c3', sealSigned(cut)), { alg: 'Ed25519', privateKey: '11'.repeat(32) })], // RU's name, another key
      // RU's own signature on the envelope, but the document is not what the seal signed
      ['operator/KZ/in', operatorSigned('RU', { ...forward('b1e2c3d4-0000-4000-8000-0000000000c4', { ...sealSigned(cut), seq: 6 }), sealKey } as PeerMessage)],
      // an ack of RU's pending forwards, in KZ's name, unsigned
      ['operator/RU/in', { v: 1, id: 'b1e2c3d4-0000-4000-8000-0000000000c5', type: 'ack', from: 'KZ', to: 'RU', ackOf: 'b1e2c3d4-0000-4000-8000-0000000000c0', status: 'accepted', at: '2026-03-02T08:00:01.000Z' }],
    ];
    for (const [topic, m] of sent) client.publish(topic, encodeDocument(m));
    await rig.clock.runUntil(T0 + 2000);
    const rejected = (records: DeviceRecord[]) => records.filter((r) => r.kind === 'rejected').map((r) => [r.code, r.fields!.id, r.fields!.reason]);
    expect(rejected(await rig.records('operator-kz'))).toEqual([
      ['unauthenticated', 'b1e2c3d4-0000-4000-8000-0000000000c1', 'not from operator RU: no authenticator (member auth)'],
      ['unauthenticated', 'b1e2c3d4-0000-4000-8000-0000000000c2', 'no key for operator XX: not a peer of KZ'],
      ['unauthenticated', 'b1e2c3d4-0000-4000-8000-0000000000c3', 'not from operator RU: Ed25519 signature does not verify'],
      ['unauthenticated', 'b1e2c3d4-0000-4000-8000-0000000000c4', "document b1e2c3d4-0000-4000-8000-0000000000d1 is not seal RU-0001's: Ed25519 signature does not verify (key vouched for by RU)"],
    ]);
    expect(rejected(await rig.records('operator-ru'))).toEqual([['unauthenticated', 'b1e2c3d4-0000-4000-8000-0000000000c5', 'not from operator KZ: no authenticator (member auth)']]);
    // The genuine forward of the seal's first report: checked against the seal's own signature.
    expect((await rig.records('operator-kz')).filter((r) => r.kind === 'peer').map((r) => [r.code, r.fields!.documentId, r.fields!.verifiedBy])).toEqual([['position', genuine.id, 'seal']]);
  });

  it('survives 10 kB of JSON nested 5 000 deep on its seals\' topic and on its own: refused as too deep, and it carries on', async () => {
    const rig = await start(await plan());
    await rig.clock.runUntil(T0 + 1000);
    const { client } = await intruder(rig, ['seal/RU/RU-0001/up', 'operator/RU/in']);
    const deep = new TextEncoder().encode(`{"v":1,"id":"b1e2c3d4-0000-4000-8000-0000000000b1","x":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(deep.length).toBeGreaterThan(10_000);
    client.publish('seal/RU/RU-0001/up', deep);
    client.publish('operator/RU/in', deep);
    await rig.clock.runUntil(T0 + 61_000);
    const ru = await rig.records('operator-ru');
    expect(ru.filter((r) => r.kind === 'rejected').map((r) => [r.code, r.fields!.topic, r.fields!.reason, r.at! - T0])).toEqual([
      ['too-deep', 'seal/RU/RU-0001/up', 'objects and arrays nested more than 16 deep (the limit is 16)', 1000],
      ['too-deep', 'operator/RU/in', 'objects and arrays nested more than 16 deep (the limit is 16)', 1000],
    ]);
    // The report after it is taken and forwarded as usual: the operator is still there.
    expect(kinds(ru.filter((r) => r.kind !== 'rejected'))).toEqual(['position @0', 'forwarded KZ @0', 'position @60000', 'forwarded KZ @60000']);
  });

  it('plugs in another scheme: a seal with an HMAC-SHA256 key its operator shares; the peer, who cannot check a MAC, has its operator\'s word', async () => {
    const hmac = { alg: 'HMAC-SHA256', key: '6d'.repeat(32) };
    const rig = await start(await plan({ 'seal-ru': { originKey: hmac }, 'operator-ru': { sealKeys: { 'RU-0001': hmac } } }));
    await rig.clock.runUntil(T0 + 1000);
    expect(kinds(await rig.records('operator-ru'))).toEqual(['position @0', 'forwarded KZ @0']);
    expect((await rig.records('operator-kz')).map((r) => [r.kind, r.fields!.verifiedBy])).toEqual([['peer', 'operator']]);
    const frames = rig.trace.entries.filter((e) => e.kind === 'frame' && 'to' in e && (e.to === 'seal/RU/RU-0001/up' || e.to === 'operator/KZ/in'));
    const decoded = frames.map((e) => (e as { decoded: Record<string, unknown> }).decoded);
    expect(decoded.map((d) => [d.type, (d.auth as { alg: string }).alg, 'sealKey' in d])).toEqual([
      ['position', 'HMAC-SHA256', false],
      ['forward', 'Ed25519', false], // the MAC key is a secret: not sent along
    ]);
  });

  it('refuses that seal when the operator holds another key for it', async () => {
    const rig = await start(await plan({ 'seal-ru': { originKey: { alg: 'HMAC-SHA256', key: '6d'.repeat(32) } }, 'operator-ru': { sealKeys: { 'RU-0001': { alg: 'HMAC-SHA256', key: '6e'.repeat(32) } } } }));
    await rig.clock.runUntil(T0 + 1000);
    expect((await rig.records('operator-ru')).map((r) => [r.kind, r.code, r.fields!.reason])).toEqual([['rejected', 'unauthenticated', 'not from seal RU-0001: HMAC-SHA256 tag does not verify']]);
    expect(await rig.records('operator-kz')).toEqual([]);
  });

  it('gives a silent seal no reprieve from 06 for forged messages in its name', async () => {
    const rig = await start(await plan());
    await rig.clock.runUntil(T0 + 1000);
    rig.host.stimulate('seal-ru', 'powerOff', {});
    const { client } = await intruder(rig, ['seal/RU/RU-0001/up']);
    const genuine = documentOf((await rig.records('operator-ru')).find((r) => r.kind === 'position')!);
    // "I am still here": unsigned, and signed with a key that is not the seal's, every 50 s.
    for (const [i, t] of [60_000, 110_000].entries()) {
      rig.clock.schedule(T0 + t, () => {
        const m = { ...genuine, id: `b1e2c3d4-0000-4000-8000-00000000009${i}`, seq: 1 + i, createdAt: new Date(T0 + t).toISOString() };
        client.publish('seal/RU/RU-0001/up', encodeDocument(i === 0 ? m : authenticate(AuthDomain.sealDocument, m, provisionedSealKey(999, 'RU', 'RU-0001'))));
      });
    }
    await rig.clock.runUntil(T0 + 200_000);
    const ru = await rig.records('operator-ru');
    expect(ru.filter((r) => r.kind === 'rejected').map((r) => [r.code, r.at! - T0])).toEqual([
      ['unauthenticated', 60_000],
      ['unauthenticated', 110_000],
    ]);
    // Two 60 s periods and the 1 s grace after the seal was last heard, at 0 s: as if nothing had come.
    expect(ru.filter((r) => r.kind === 'event').map((r) => [r.code, r.at! - T0, r.fields!.lastHeardAt])).toEqual([['06', 121_000, '2026-03-02T08:00:00.000Z']]);
  });
});
