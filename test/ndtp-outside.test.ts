import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceKinds } from '../src/devices/index.ts';
import { DeviceRegistry } from '../src/harness/devices/registry.ts';
import { parseRig } from '../src/harness/rig/index.ts';
import { planFromRig } from '../src/harness/rig/plan.ts';
import { Rig } from '../src/harness/rig/rig-runtime.ts';
import type { TcpLink } from '../src/harness/links/index.ts';

/**
 * NDTP against a peer the rig did not write (issue 19): test/fixtures/ndtp-peer.py, Python with socket and
 * struct only, built from the layouts the README states. An outside terminal against the rig's emulated
 * collection server on the port the rig listens on; the rig's emulated terminal against an outside server
 * through a `tcp://host:port` path. Both on the wall clock (an outside program runs on real time).
 */
const registry = new DeviceRegistry(deviceKinds);
const rigs: Rig[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill();
  for (const rig of rigs.splice(0).reverse()) await rig.close();
});

function python(args: string[]) {
  const child = spawn('python3', ['test/fixtures/ndtp-peer.py', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout! });
  const next: ((line: string) => void)[] = [];
  reader.on('line', (line) => (next.length ? next.shift()!(line) : lines.push(line)));
  return {
    firstLine: () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise<string>((resolve) => next.push(resolve))),
    exit: async () => {
      const [code] = child.exitCode === null ? await once(child, 'exit') : [child.exitCode];
      await new Promise((r) => setImmediate(r));
      return { code, stderr, lines: [...lines] };
    },
  };
}

const rigText = (tanker: string, egais: string, paths: string) =>
  [
    'name: ndtp-outside',
    'clock: wall',
    'devices:',
    `  tanker: ${tanker}`,
    `  egais: ${egais}`,
    'links:',
    `  - { ends: [tanker.uplink, egais.ndtp], transport: tcp, paths: { egais.ndtp: '${paths}' } }`,
  ].join('\n');

describe('NDTP with a peer outside the rig', () => {
  it("an outside terminal hands shake with the rig's server, and every packet it sends is answered and taken in as the layouts say", async () => {
    const text = rigText('{ kind: ndtp-terminal, mode: external }', '{ kind: ndtp-server, options: { clients: [{ peerAddress: 1024, auth: tanker-0001 }, { peerAddress: 1025 }] } }', 'tcp://127.0.0.1:0');
    const rig = await Rig.start(planFromRig(parseRig(text, 'ndtp-outside.yaml', registry), registry), { start: Date.now() });
    rigs.push(rig);
    const url = (rig.link({ port: 'egais.ndtp' }) as TcpLink).listening!;
    expect(url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const client = python(['client', url.split(':').at(-1)!]);
    const { code, stderr, lines } = await client.exit();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // request id and <error> of each answer: set-up OK, three records OK (one cut in two writes, one after
    // garbage), NPL_ERR_CRC_FAILED for the damaged frame, two frames of one write answered in order,
    // PACKET_NOT_SUPPORTED (200) for a packet type the service does not have
    expect(JSON.parse(lines[0]!)).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
      [5, 0],
      ['npl-error', 2],
      [7, 0],
      [8, 0],
      [9, 200],
      // NPL routing errors: an address the server has no client for, another terminal's address on this session
      ['npl-error', 100],
      ['npl-error', 102],
      // after the connection dropped mid-frame: a new connection, a new session, the record whole
      [11, 0],
      [12, 0],
      [13, 0],
    ]);
    const records = await rig.records('egais');
    const t0 = Date.parse('2026-03-02T08:00:00Z');
    expect(records.map((r) => [r.kind, r.code, r.kind === 'navdata' ? r.at! - t0 : undefined])).toEqual([
      ['session', 'OK', undefined],
      ['session', 'OK', undefined],
      ['navdata', 'realtime', 0],
      ['navdata', 'realtime', 30_000],
      ['navdata', 'history', -3_600_000],
      ['refused', 'crc', undefined],
      ['navdata', 'realtime', 60_000],
      ['navdata', 'realtime', 90_000],
      ['refused', 'packet', undefined],
      ['routing', 'NPL_ERR_INVALID_PEER_ADDRESS', undefined],
      ['routing', 'NPL_ERR_PEER_PERM_DENIED', undefined],
      ['session', 'OK', undefined],
      ['session', 'OK', undefined],
      ['navdata', 'history', 120_000],
    ]);
    const { receivedAt: _r, ...first } = records[2]!.fields as Record<string, unknown>;
    expect(first).toEqual({
      port: 'ndtp',
      peerAddress: 1024,
      requestId: 3,
      valid: true,
      lat: 58.5969583,
      lon: 49.6715249,
      speedKmh: 60,
      nsat: 9,
      odometerKm: 51247,
      levels: [0.9, 0.85],
      compartments: [1, 2],
      temperaturesC: [12, 12.5],
      strengths: [96, 95.5],
    });
    // the southern and western hemisphere from the flags, and a record without compartments
    expect(records[4]!.fields).toMatchObject({ requestId: 5, lat: -33.9, lon: -18.4, levels: [] });
    expect(records[8]!.fields).toMatchObject({ answer: 'PACKET_NOT_SUPPORTED' });
    expect(records[9]!.fields).toEqual({ port: 'ndtp', peerAddress: 4242, requestId: 14, packet: 'realtime', sessionPeer: 1024 });
    expect(records[10]!.fields).toEqual({ port: 'ndtp', peerAddress: 1025, requestId: 15, packet: 'realtime', sessionPeer: 1024 });
    expect(rig.errors).toEqual([]);
  });

  it("an outside terminal in a secure session (pyca/cryptography's AES-GCM and HKDF): records taken in, a replay and a changed header refused plain", async () => {
    const key = '000102030405060708090a0b0c0d0e0f';
    const text = rigText('{ kind: ndtp-terminal, mode: external }', `{ kind: ndtp-server, options: { clients: [{ peerAddress: 4001, key: '${key}' }] } }`, 'tcp://127.0.0.1:0');
    const rig = await Rig.start(planFromRig(parseRig(text, 'ndtp-outside.yaml', registry), registry), { start: Date.now() });
    rigs.push(rig);
    const url = (rig.link({ port: 'egais.ndtp' }) as TcpLink).listening!;
    const client = python(['secure', url.split(':').at(-1)!, key]);
    const { code, stderr, lines } = await client.exit();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // the connection request answered plain; from the OK to the key proof on, encrypted under the server's
    // session key (opened by the outside client); the replay and the changed header: plain NPL_ERR_DECRYPTION_FAILED (1)
    expect(JSON.parse(lines[0]!)).toEqual([
      ['plain', 1, 0],
      ['encrypted', 2, 0],
      ['encrypted', 3, 0],
      ['encrypted', 4, 0],
      ['encrypted', 5, 0],
      ['plain', 'npl-error', 1],
      ['plain', 'npl-error', 1],
    ]);
    const records = await rig.records('egais');
    expect(records.map((r) => [r.kind, r.code, r.kind === 'navdata' ? (r.fields as { speedKmh: number }).speedKmh : r.fields?.secure])).toEqual([
      ['session', 'OK', true],
      ['session', 'OK', true],
      ['navdata', 'realtime', 40],
      ['navdata', 'realtime', 41],
      ['navdata', 'realtime', 42],
      ['refused', 'decrypt', undefined],
      ['refused', 'decrypt', undefined],
    ]);
    expect(records[2]!.fields).toMatchObject({ peerAddress: 4001, lat: 55.75, lon: 37.62, levels: [0.5] });
    expect(rig.errors).toEqual([]);
  });

  it("the rig's terminal reaches an outside server through a tcp:// path: set-up, then real-time records the server decodes to the world's values", async () => {
    const server = python(['server', '3']);
    const port = Number(await server.firstLine());
    expect(port).toBeGreaterThan(0);
    const text = rigText(
      '{ kind: ndtp-terminal, options: { peerAddress: 1024, authString: tanker-0001, compartments: 2, periodMs: 400 } }',
      '{ kind: ndtp-server, mode: external }',
      `tcp://127.0.0.1:${port}`,
    );
    const rig = await Rig.start(planFromRig(parseRig(text, 'ndtp-outside.yaml', registry), registry), { start: Date.parse('2026-03-02T08:00:00Z') });
    rigs.push(rig);
    rig.worldAction('position', { lat: 58.5969583, lon: 49.6715249 });
    rig.worldAction('tank', { compartment: 1, level: 0.9, temperatureC: 12, strength: 96 });
    rig.worldAction('tank', { compartment: 2, level: 0.5, temperatureC: 13, strength: 40 });
    const { code, stderr, lines } = await server.exit();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const got = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(got[0]).toEqual({ peer: 1024, service: 0, packet: 100, flags: 1, requestId: 1, protoVersion: [1, 0], connectionFlags: 0, peerAddress: 1024, maxPacketSize: 1024 });
    expect(got[1]).toEqual({ peer: 1024, service: 0, packet: 101, flags: 1, requestId: 2, auth: 'tanker-0001' });
    const nav = got.slice(2);
    expect(nav.map((x) => [x.packet, x.requestId])).toEqual([
      [101, 3],
      [101, 4],
      [101, 5],
    ]);
    for (const x of nav) {
      expect(x).toMatchObject({ peer: 1024, service: 1, valid: true, lat: 58.5969583, lon: 49.6715249, speed: 0, navNumber: 0, csq: 31, gprsState: 4 });
      expect(x.levels).toEqual([
        [1, 0.9, 12, 96, 1],
        [2, 0.5, 13, 40, 1],
      ]);
    }
    // the records' times: one period apart, on the rig's clock (whole seconds)
    const times = nav.map((x) => x.time as number);
    expect(times[0]! * 1000).toBeGreaterThanOrEqual(Date.parse('2026-03-02T08:00:00Z'));
    expect(times[2]! - times[0]!).toBeLessThanOrEqual(1);
    expect(rig.errors).toEqual([]);
  });
});
