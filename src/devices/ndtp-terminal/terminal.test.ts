import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../harness/clock/index.ts';
import { createRng } from '../../crypto/random.ts';
import { createWorld } from '../../harness/world/index.ts';
import { intake, type ServerState } from '../ndtp-server/intake.ts';
import { decodePacket, encodePacket, NphResult, NplError, PROFILES, resultFor, type NdtpPacket } from '../../protocols/ndtp/index.ts';
import { ndtpTerminalOptions } from './index.ts';
import { loadBuffer } from './buffer-store.ts';
import { initialTerminalContext, ndtpTerminalMachine, nextToSend, refusalHandling, type TerminalContext } from './machine.ts';
import { sampleRecord } from './sample.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const p = PROFILES['seed-ex2'];
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A terminal on a virtual clock with a hand-driven server: `answering` decides whether it answers OK. */
function terminal(options: Record<string, unknown>) {
  const clock = new VirtualClock({ start: T0 });
  const world = createWorld(clock);
  const settings = ndtpTerminalOptions.parse(options);
  const sent: NdtpPacket[] = [];
  // `routing`: NPL errors the server answers the next navigation packets with, in turn
  const state = { answering: true, routing: [] as number[] };
  const actor = createActor(ndtpTerminalMachine(settings, { clock, world, rng: createRng(1) }, initialTerminalContext(settings)), { clock });
  actor.on('port.tx', (e: { bytes: Uint8Array }) => {
    const packet = decodePacket(e.bytes, p);
    sent.push(packet);
    if (state.answering && packet.npl === 'nph' && (packet.body.kind === 'realtime' || packet.body.kind === 'history') && state.routing.length) {
      const error = state.routing.shift()!;
      clock.setTimeout(() => actor.send({ type: 'port.rx', port: 'uplink', bytes: encodePacket({ npl: 'error', peerAddress: 0, nplRequestId: 0, error }, p) }), 5);
    } else if (state.answering && packet.npl === 'nph') clock.setTimeout(() => actor.send({ type: 'port.rx', port: 'uplink', bytes: encodePacket(resultFor(packet, 0, NphResult.OK), p) }), 5);
  });
  actor.start();
  const ctx = () => actor.getSnapshot().context as TerminalContext;
  return { clock, world, actor, sent, state, ctx, settings };
}

const kinds = (sent: NdtpPacket[]) => sent.map((x) => (x.npl === 'nph' ? x.body.kind : 'npl-error'));

describe('the NDTP terminal', () => {
  it('sends the newest real-time record first, then the history oldest first', () => {
    const r = (time: number, mode: 'realtime' | 'history') => ({ mode, record: { nav: { time }, navNumber: 0, levels: [] } }) as never;
    expect(nextToSend([r(1, 'history'), r(2, 'history'), r(3, 'realtime')])).toMatchObject({ record: { nav: { time: 3 } } });
    expect(nextToSend([r(1, 'history'), r(2, 'history')])).toMatchObject({ record: { nav: { time: 1 } } });
    expect(nextToSend([])).toBeUndefined();
  });

  it('skips a record set aside in this session, real time or history, and has nothing to send when all are', () => {
    const r = (time: number, mode: 'realtime' | 'history', setAside?: true) => ({ mode, record: { nav: { time }, navNumber: 0, levels: [] }, ...(setAside ? { setAside } : {}) }) as never;
    expect(nextToSend([r(1, 'history', true), r(2, 'history'), r(3, 'realtime', true)])).toMatchObject({ record: { nav: { time: 2 } } });
    expect(nextToSend([r(1, 'history', true)])).toBeUndefined();
  });

  it('never lets a refused record go: BUSY and SERVICE_NOT_AVAILABLE retry, PACKET_UNEXPECTED reconnects, every other refusal sets it aside', () => {
    expect(refusalHandling(NphResult.BUSY)).toBe('retry');
    expect(refusalHandling(NphResult.SERVICE_NOT_AVAILABLE)).toBe('retry');
    expect(refusalHandling(NphResult.PACKET_UNEXPECTED)).toBe('reconnect');
    for (const code of [NphResult.SERVICE_NOT_SUPPORTED, NphResult.SERVICE_NOT_ALLOWED, NphResult.PACKET_NOT_SUPPORTED, NphResult.PACKET_INVALID_SIZE, NphResult.PACKET_INVALID_FORMAT, NphResult.PACKET_INVALID_PARAMETER, NphResult.CLIENT_AUTH_FAILED, NphResult.UNDEFINED]) {
      expect(refusalHandling(code)).toBe('set-aside');
    }
  });

  it('says what its full buffer let go: one overflow record per record lost, with the oldest one\'s time', async () => {
    const t = terminal({ periodMs: 30_000, bufferLimit: 2 });
    t.state.answering = false;
    await t.clock.advance(91_000);
    expect(t.ctx().pending.map((x) => x.record.nav.time)).toEqual([(T0 + 60_000) / 1000, (T0 + 90_000) / 1000]);
    expect(t.ctx().log).toEqual([{ kind: 'overflow', code: 'buffer-full', at: T0 + 90_000, fields: { lost: 1, recordAt: '2026-03-02T08:00:30.000Z', bufferLimit: 2 } }]);
  });

  it('connects, authenticates and sends a record each period as real time, each request id new', async () => {
    const t = terminal({ authString: 'secret', periodMs: 30_000 });
    await t.clock.advance(61_000);
    expect(kinds(t.sent)).toEqual(['connRequest', 'authString', 'realtime', 'realtime']);
    expect(t.sent.map((x) => (x.npl === 'nph' ? x.requestId : -1))).toEqual([1, 2, 3, 4]);
    expect(t.ctx().pending).toEqual([]);
  });

  it('keeps unanswered records in its buffer file across a supply cut and sends them as history, never as real time', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ndtp-buffer-'));
    const bufferFile = join(dir, 'tanker.json');
    const t = terminal({ periodMs: 30_000, ackTimeoutMs: 10_000, reconnectMs: 60_000, bufferFile });
    await t.clock.advance(1_000);
    t.state.answering = false; // coverage lost
    await t.clock.advance(120_000); // records at 30 s (sent, unanswered), 60, 90, 120 s
    expect(t.ctx().pending.map((x) => [x.record.nav.time - T0 / 1000, x.mode])).toEqual([
      [30, 'history'],
      [60, 'history'],
      [90, 'history'],
      [120, 'history'],
    ]);
    expect(loadBuffer(bufferFile, 1024)!.records.map((r) => r.nav.time - T0 / 1000)).toEqual([30, 60, 90, 120]);
    t.actor.send({ type: 'power', on: false });
    await t.clock.advance(60_000);
    t.state.answering = true;
    const before = t.sent.length;
    t.actor.send({ type: 'power', on: true });
    await t.clock.advance(1_000);
    const after = t.sent.slice(before);
    expect(kinds(after)).toEqual(['connRequest', 'history', 'history', 'history', 'history']);
    expect(after.slice(1).map((x) => (x.npl === 'nph' && x.body.kind === 'history' ? x.body.record.nav.time - T0 / 1000 : -1))).toEqual([30, 60, 90, 120]);
    expect(loadBuffer(bufferFile, 1024)!.records).toEqual([]);
    expect(existsSync(bufferFile)).toBe(true);
  });

  it('takes its record time from GNSS when it has a fix (a time conflict shows), from its own clock without, with no position then', async () => {
    const t = terminal({});
    t.world.vehicle.moveTo({ lat: -33.9, lon: -70.6 });
    t.world.gnss.setTimeOffset(120_000);
    const withFix = sampleRecord(t.world, T0, { periodMs: 30_000, compartments: 1, altitudeM: 150, batteryVolts: 4.16, cellNumber: 0 }, true);
    expect(withFix.nav).toMatchObject({ time: T0 / 1000 + 120, valid: true, north: false, east: false, latE7: 339_000_000, lonE7: 706_000_000, batVoltage: 208 });
    expect(withFix.levels).toEqual([{ compartment: 1, level: 0, temperatureC: 20, strength: 0, status: 1 }]);
    t.world.gnss.setAvailable(false);
    const without = sampleRecord(t.world, T0, { periodMs: 30_000, compartments: 0, altitudeM: 150, batteryVolts: 4.16, cellNumber: 0 }, false);
    expect(without.nav).toMatchObject({ time: T0 / 1000, valid: false, latE7: 0, lonE7: 0, nsat: 0, speedAvg: 0 });
    expect(without.sensors).toMatchObject({ csq: 99, gprsState: 0 });
  });

  it('keeps a record an NPL routing error refused: again after busyRetryMs when the peer is not available, as history after a new session when its address is refused', async () => {
    const t = terminal({ periodMs: 30_000, busyRetryMs: 5_000, reconnectMs: 60_000 });
    const sentAt: [string, number, number][] = [];
    t.actor.on('port.tx', (e: { bytes: Uint8Array }) => {
      const x = decodePacket(e.bytes, p);
      sentAt.push([kinds([x])[0]!, x.npl === 'nph' && (x.body.kind === 'realtime' || x.body.kind === 'history') ? x.body.record.nav.time - T0 / 1000 : -1, (t.clock.now() - T0) / 1000]);
    });
    t.state.routing = [NplError.PEER_NOT_AVAILABLE, NplError.PEER_NOT_AVAILABLE];
    await t.clock.advance(45_000);
    // the record of 30 s: refused twice (101), sent again 5 s after each, taken at the third try, still real time
    expect(sentAt).toEqual([
      ['realtime', 30, 30],
      ['realtime', 30, 35.005],
      ['realtime', 30, 40.01],
    ]);
    expect(t.ctx().pending).toEqual([]);
    sentAt.length = 0;
    t.state.routing = [NplError.PEER_PERM_DENIED];
    await t.clock.advance(80_000); // to 125 s
    // the record of 60 s: permission denied (102): offline, a new connection request 60 s later, then the
    // records of 60 and 90 s as history (120 s made while offline: history too), oldest first
    expect(sentAt).toEqual([
      ['realtime', 60, 60],
      ['connRequest', -1, 120.005],
      ['history', 60, 120.01],
      ['history', 90, 120.015],
      ['history', 120, 120.02],
    ]);
    expect(t.ctx().pending).toEqual([]);
  });

  it('in a secure session with the server, goes online on the encrypted OK to its key proof, and not on a plain one (anyone could forge it)', async () => {
    const key = '000102030405060708090a0b0c0d0e0f';
    const run = async (forgePlainOk: boolean) => {
      const clock = new VirtualClock({ start: T0 });
      const settings = ndtpTerminalOptions.parse({ encryptionKey: key, periodMs: 30_000 });
      const actor = createActor(ndtpTerminalMachine(settings, { clock, world: createWorld(clock), rng: createRng(3) }, initialTerminalContext(settings)), { clock });
      let server: ServerState = { profile: 'seed-ex2', address: 0, clients: [{ peerAddress: 1024, key }], connections: {}, rules: [], seen: [], log: [] };
      const refused: string[] = [];
      actor.on('port.refused', (e: { code: string; detail: string }) => refused.push(`${e.code}: ${e.detail}`));
      actor.on('port.tx', (e: { bytes: Uint8Array }) => {
        const r = intake(server, 'ndtp', e.bytes, clock.now());
        server = r.state;
        const isProof = server.log.at(-1)?.fields?.step === 'authString';
        // the forger answers the key proof with a plain OK in place of the server's encrypted one
        const out = forgePlainOk && isProof ? [encodePacket(resultFor(decodePacket(e.bytes, p) as never, 0, NphResult.OK), p)] : r.out;
        for (const bytes of out) clock.setTimeout(() => actor.send({ type: 'port.rx', port: 'uplink', bytes }), 5);
      });
      actor.start();
      await clock.advance(65_000);
      return { server, refused, state: actor.getSnapshot().value };
    };
    const good = await run(false);
    expect(good.server.log.map((x) => [x.kind, x.code])).toEqual([
      ['session', 'OK'],
      ['session', 'OK'],
      ['navdata', 'realtime'],
      ['navdata', 'realtime'],
    ]);
    expect(good.refused).toEqual([]);
    const forged = await run(true);
    expect(forged.refused).toEqual(['decrypt: decrypt: a plain NPH_RESULT OK in a secure session']);
    // not online: it timed out waiting for a real answer, went offline; no record was sent
    expect(forged.state).toEqual({ on: { sampler: 'running', link: 'offline' } });
    expect(forged.server.log.filter((x) => x.kind === 'navdata')).toEqual([]);
  });
});
