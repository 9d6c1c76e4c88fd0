import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../harness/clock/index.ts';
import type { PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { createRng } from '../../crypto/random.ts';
import { createWorld } from '../../harness/world/index.ts';
import { fromHex, TestMsca, toHex } from '../../crypto/index.ts';
import {
  decodePulseFrame,
  INS,
  pulsesAt,
  openCounterReply,
  rigFraming,
  sealCounterRequest,
  sealPairingInfoRequest,
  sealSerialNumber,
  sealSessionKey,
} from '../../protocols/motion-sensor/index.ts';
import { createMotionSensorMachine } from './machine.ts';
import { motionSensorOptions } from './options.ts';
import { motionSensorKind } from './index.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const DEVICE = { name: 'sensor', options: {} };

function sensor(options: Record<string, unknown> = {}) {
  const clock = new VirtualClock({ start: T0 });
  const world = createWorld(clock);
  const machine = createMotionSensorMachine({ options: motionSensorOptions.parse(options), clock, world, rng: createRng(1, 'device:sensor') });
  const actor = createActor(machine, { clock });
  const out: { port: string; t: number; bytes: Uint8Array }[] = [];
  actor.on('port.tx', (e: PortTxEmitted) => out.push({ port: e.port, t: clock.now() - T0, bytes: e.bytes }));
  actor.start();
  /** The rate frames on the pulse line, with the rig time (from T0) each was sent. */
  const rates = () =>
    out
      .filter((o) => o.port === 'pulses')
      .map((o) => {
        const frame = decodePulseFrame(o.bytes);
        if (!frame.ok || !frame.rate) throw new Error(`not a rate frame: ${toHex(o.bytes)}`);
        const { at, ...signal } = frame.rate;
        expect(at - T0).toBe(o.t); // the frame's instant is the one it was sent at
        return { t: o.t, ...signal };
      });
  /** The line's pulse count at `t` (ms from T0), as a VU with no delay on the line would count it. */
  const lineAt = (t = clock.now() - T0) => {
    const last = rates().filter((r) => r.t <= t).at(-1);
    return last ? pulsesAt({ ...last, at: last.t }, t) : 0;
  };
  return { clock, world, actor, out, rates, lineAt };
}

describe('motion sensor device', () => {
  it('gives exactly 720 000 pulses for 1 h at 90 km/h with k = 8000: a rate frame at each change, restated every minute', async () => {
    // The sensor wakes when the vehicle starts (the world's change notification): 200 pulses a second from
    // then on, the same rate restated every pulseIntervalMs (60 s), rate 0 at the stop (issue 18).
    const s = sensor({ k: 8000 });
    s.world.vehicle.setSpeed(90);
    await s.clock.advance(3_600_000);
    s.world.vehicle.setSpeed(0);
    await s.clock.advance(60_000);
    const rates = s.rates();
    expect(rates[0]).toEqual({ t: 0, position: 0, pulsesPerSecond: 200 });
    expect(rates.at(-1)).toEqual({ t: 3_600_000, position: 720_000, pulsesPerSecond: 0 });
    const between = rates.slice(1, -1);
    // the last restatement falls at the stop's instant, before it
    expect(between.map((r) => r.t)).toEqual(Array.from({ length: 60 }, (_, i) => (i + 1) * 60_000));
    expect(between.every((r) => r.pulsesPerSecond === 200 && r.position === r.t / 5)).toBe(true);
    expect([s.lineAt(1_000), s.lineAt(1_799), s.lineAt(3_600_000), s.lineAt(3_660_000)]).toEqual([200, 359, 720_000, 720_000]);
  });

  it('with pulseLine count, sends the pulses of each 100 ms as the rig did before issue 18 (recordings made then replay)', async () => {
    const s = sensor({ k: 8000, pulseLine: 'count', pulseIntervalMs: 100 });
    s.world.vehicle.setSpeed(90);
    await s.clock.advance(3_600_000);
    s.world.vehicle.setSpeed(0);
    await s.clock.advance(60_000);
    const sent = s.out.filter((o) => o.port === 'pulses');
    const counts = sent.map((o) => {
      const frame = decodePulseFrame(o.bytes);
      return frame.ok && !frame.rate ? frame.count : -1;
    });
    expect(counts.length).toBe(36_000);
    expect(new Set(counts)).toEqual(new Set([20]));
    expect([sent[0]!.t, sent[1]!.t, sent.at(-1)!.t]).toEqual([100, 200, 3_600_000]);
  });

  it('sleeps while the vehicle stands still: no timer, no frame, until the world says it moves', async () => {
    const s = sensor({ k: 8000 });
    await s.clock.advance(1000);
    expect(s.actor.getSnapshot().value).toBe('still');
    expect(s.clock.pending).toBe(0);
    await s.clock.advance(30 * 86_400_000); // a month parked
    s.world.vehicle.setSpeed(36); // 10 m/s: 80 pulses a second
    await s.clock.advance(250);
    s.world.vehicle.setSpeed(0);
    await s.clock.advance(1000);
    const start = 30 * 86_400_000 + 1000;
    expect(s.rates().map((r) => ({ ...r, t: r.t - start }))).toEqual([
      { t: 0, position: 0, pulsesPerSecond: 80 },
      { t: 250, position: 20, pulsesPerSecond: 0 },
    ]);
    expect(s.actor.getSnapshot().value).toBe('still');
    expect(s.clock.pending).toBe(0);
  });

  it('puts injected and suppressed pulses on the line, exactly', async () => {
    const s = sensor({ k: 8000 });
    s.world.vehicle.setSpeed(36); // 10 m/s: 80 pulses a second
    await s.clock.advance(10_000);
    s.actor.send({ type: 'pulseTamper', mode: 'inject', pulsesPerSecond: 40 });
    await s.clock.advance(10_000);
    s.actor.send({ type: 'pulseTamper', mode: 'suppress', fraction: 1 });
    await s.clock.advance(10_000);
    s.actor.send({ type: 'pulseTamper', mode: 'none' });
    await s.clock.advance(10_000);
    // 800 true + (800 true + 400 injected) + (800 true withheld) + 800 true, a rate frame at each change
    expect(s.rates().map((r) => [r.t, r.position, r.pulsesPerSecond])).toEqual([
      [0, 0, 80],
      [10_000, 800, 120],
      [20_000, 2000, 0],
      [30_000, 2000, 80],
    ]);
    expect(s.lineAt()).toBe(800 + 1200 + 0 + 800);
  });

  it('misreads the speed by a factor from the stimulus on: the pulse line and the authenticated counter agree', async () => {
    const s = sensor({ k: 8000 });
    const msca = new TestMsca();
    const { ns, entries } = s.actor.getSnapshot().context.security;
    const kp = fromHex(entries[0]!.kp);
    const ks = new Uint8Array(16).fill(0x5a);
    const send = (instruction: number, payload: Uint8Array) => s.actor.send({ type: 'port.rx', port: 'vu', bytes: rigFraming.encode({ direction: 'request', instruction, payload }) });
    // CSM_217 from the VU's side, as the VU's sensor link does it, so the counter can be read under KS
    send(INS.PAIRING_KEY, sealSerialNumber(msca.generation(1, 128).kid, fromHex(ns)));
    send(INS.SESSION_KEY, sealSessionKey(kp, ks));
    send(INS.PAIRING_INFO, sealPairingInfoRequest(kp, fromHex(ns), new Uint8Array(24)));
    const readCounter = () => {
      const before = s.out.length;
      const challenge = fromHex('0102030405060708');
      send(INS.COUNTER_REQUEST, sealCounterRequest(ks, challenge));
      const answer = rigFraming.decode(s.out.slice(before).find((o) => o.port === 'vu')!.bytes);
      return answer.ok ? openCounterReply(ks, answer.frame.payload, challenge) : answer;
    };
    const onLine = () => s.lineAt();
    s.world.vehicle.setSpeed(36); // 10 m/s: 80 pulses a second
    await s.clock.advance(10_000);
    s.actor.send({ type: 'speedFactor', factor: 0.5 });
    await s.clock.advance(10_000);
    expect([onLine(), readCounter()]).toEqual([800 + 400, { ok: true, value: 1200 }]);
    s.actor.send({ type: 'speedFactor', factor: 0 });
    await s.clock.advance(10_000);
    expect([onLine(), readCounter()]).toEqual([1200, { ok: true, value: 1200 }]);
    s.actor.send({ type: 'speedFactor', factor: 1 });
    await s.clock.advance(10_000);
    // 800 true + 400 at half speed + nothing at factor 0 + 800 true again; the world went 400 m
    expect([onLine(), readCounter()]).toEqual([2000, { ok: true, value: 2000 }]);
    expect(s.world.vehicle.distanceAt(s.clock.now())).toBe(400);
  });

  it('answers the serial request over its port, and refuses malformed frames as the README says', async () => {
    const s = sensor({ serialNumber: { serialNumber: 12345, monthYear: '0726' }, manufacturerCode: 0x10 });
    const rx = (hex: string) => s.actor.send({ type: 'port.rx', port: 'vu', bytes: fromHex(hex) });
    rx('a540');
    rx('00e5'); // the serial request in two chunks
    rx('a59900' + '3e'); // unknown instruction, valid checksum
    rx('a54000e6'); // bad checksum: no answer
    rx('a5410100' + 'e7'); // 0x41 with 1 byte: bad length
    const replies = s.out.filter((o) => o.port === 'vu').map((o) => toHex(o.bytes));
    expect(replies).toEqual([
      toHex(rigFraming.encode({ direction: 'reply', instruction: 0x40, payload: fromHex('0000303907260710') })),
      toHex(rigFraming.encode({ direction: 'reply', instruction: 0x7f, payload: fromHex('9908') })),
      toHex(rigFraming.encode({ direction: 'reply', instruction: 0x7f, payload: fromHex('4101') })),
    ]);
  });

  it('abandons a request whose bytes stop coming', async () => {
    const s = sensor();
    s.actor.send({ type: 'port.rx', port: 'vu', bytes: fromHex('a54005') }); // claims 5 payload bytes, never sends them
    await s.clock.advance(500);
    s.actor.send({ type: 'port.rx', port: 'vu', bytes: fromHex('a54000e5') });
    expect(s.out.filter((o) => o.port === 'vu')).toHaveLength(1);
  });

  it("waits interByteTimeoutMs for a request's next byte: 100 ms by default, wider for a VU that sends them further apart", async () => {
    const answered = async (options: Record<string, unknown>) => {
      const s = sensor(options);
      s.actor.send({ type: 'port.rx', port: 'vu', bytes: fromHex('a540') }); // the serial number request, in two parts
      await s.clock.advance(150);
      s.actor.send({ type: 'port.rx', port: 'vu', bytes: fromHex('00e5') });
      return s.out.filter((o) => o.port === 'vu').length;
    };
    expect(await answered({})).toBe(0);
    expect(await answered({ interByteTimeoutMs: 200 })).toBe(1);
    expect(() => motionSensorOptions.parse({ interByteTimeoutMs: 0 })).toThrow();
  });

  it('a silent sensor answers nothing; a noisy one breaks the checksum; a garbling one corrupts ciphertexts only', async () => {
    const s = sensor({ serialNumber: { serialNumber: 12345, monthYear: '0726' }, manufacturerCode: 0x10 });
    const ask = () => s.actor.send({ type: 'port.rx', port: 'vu', bytes: fromHex('a54000e5') });
    s.actor.send({ type: 'fault', mode: 'silent' });
    ask();
    s.actor.send({ type: 'fault', mode: 'noise' });
    ask();
    s.actor.send({ type: 'fault', mode: 'garble' });
    ask(); // the serial number is plaintext: not garbled
    s.actor.send({ type: 'port.rx', port: 'vu', bytes: rigFraming.encode({ direction: 'request', instruction: 0x41, payload: new Uint8Array(16) }) });
    const replies = s.out.filter((o) => o.port === 'vu').map((o) => rigFraming.decode(o.bytes));
    expect(replies).toHaveLength(3);
    expect(replies[0]!.ok ? 'ok' : replies[0]!.error.code).toBe('bad-checksum');
    expect(replies[1]).toEqual({ ok: true, frame: { direction: 'reply', instruction: 0x40, payload: fromHex('0000303907260710') } });
    // a negative reply is not secured either
    expect(replies[2]).toEqual({ ok: true, frame: { direction: 'reply', instruction: 0x7f, payload: fromHex('4103') } });
  });

  it("with its requests garbled on the line, it fails to authenticate each secured one: a negative reply each, '21'H at the third in a row", async () => {
    const s = sensor({ serialNumber: { serialNumber: 12345, monthYear: '0726' }, manufacturerCode: 0x10 });
    const msca = new TestMsca();
    const { ns, entries } = s.actor.getSnapshot().context.security;
    const kp = fromHex(entries[0]!.kp);
    const ks = new Uint8Array(16).fill(0x5a);
    const send = (instruction: number, payload: Uint8Array) => s.actor.send({ type: 'port.rx', port: 'vu', bytes: rigFraming.encode({ direction: 'request', instruction, payload }) });
    send(INS.PAIRING_KEY, sealSerialNumber(msca.generation(1, 128).kid, fromHex(ns)));
    send(INS.SESSION_KEY, sealSessionKey(kp, ks));
    send(INS.PAIRING_INFO, sealPairingInfoRequest(kp, fromHex(ns), new Uint8Array(24)));
    const challenge = fromHex('0102030405060708');
    const reply = () => {
      const before = s.out.length;
      return (instruction: number, payload: Uint8Array) => {
        send(instruction, payload);
        const answer = rigFraming.decode(s.out.slice(before).find((o) => o.port === 'vu')!.bytes);
        return answer.ok ? [answer.frame.instruction, toHex(answer.frame.payload)] : answer.error.code;
      };
    };
    s.actor.send({ type: 'fault', mode: 'garbleRequests' });
    expect(reply()(INS.COUNTER_REQUEST, sealCounterRequest(ks, challenge))).toEqual([0x7f, '7006']); // refused: integrity
    expect(reply()(INS.SERIAL, new Uint8Array(0))).toEqual([0x40, '0000303907260710']); // plaintext: passes
    expect(reply()(INS.COUNTER_REQUEST, sealCounterRequest(ks, challenge))).toEqual([0x7f, '7006']);
    expect(s.actor.getSnapshot().context.security.eventCounts).toEqual([0, 0, 0, 0, 0]);
    expect(reply()(INS.COUNTER_REQUEST, sealCounterRequest(ks, challenge))).toEqual([0x7f, '7006']);
    expect(s.actor.getSnapshot().context.security.eventCounts).toEqual([1, 0, 0, 0, 0]);
    s.actor.send({ type: 'fault', mode: 'none' });
    expect(reply()(INS.COUNTER_REQUEST, sealCounterRequest(ks, challenge))[0]).toBe(INS.COUNTER);
    expect(s.actor.getSnapshot().context.security.eventCounts).toEqual([1, 0, 0, 0, 0]);
  });

  it('replaced by another unit: its serial number, its own pairing key, unpaired, the pulse line carrying on', async () => {
    const s = sensor({ serialNumber: { serialNumber: 12345, monthYear: '0726' }, manufacturerCode: 0x10 });
    const before = s.actor.getSnapshot().context.security;
    s.world.vehicle.setSpeed(36);
    await s.clock.advance(5_000);
    s.actor.send({ type: 'replace', serialNumber: { serialNumber: 777, monthYear: '0526' } });
    await s.clock.advance(5_000);
    const after = s.actor.getSnapshot().context.security;
    expect(after.ns).toBe('0000030905260710');
    expect(after.ks).toBeNull();
    expect(after.entries).toHaveLength(1);
    expect(after.entries[0]!.kp).not.toBe(before.entries[0]!.kp);
    // the MSCA's encryptions of the new unit's own Ns and KP
    expect(after.entries).toEqual(new TestMsca().issueSensor(fromHex('0000030905260710'), [{ version: 1, kp: fromHex(after.entries[0]!.kp) }]).entries);
    expect(s.lineAt()).toBe(800);
    s.actor.send({ type: 'replace', serialNumber: { serialNumber: 1001, monthYear: '0115' }, generation: 1 });
    expect(s.actor.getSnapshot().context.security).toMatchObject({ ns: '000003e901150710', generation: 1, entries: [] });
  });

  it('takes explicit CSM_110 key material instead of the test MSCA', () => {
    const entries = new TestMsca(99).issueSensor(fromHex('0000000101260710'), [{ version: 4, kp: new Uint8Array(24).fill(9) }]).entries;
    const s = sensor({ keyMaterial: { entries: entries.map((e) => ({ ...e, encKp: e.encKp.toUpperCase() })) } });
    expect(s.actor.getSnapshot().context.security.entries).toEqual(entries);
    expect(() => motionSensorOptions.parse({ keyMaterial: { entries: [{ ...entries[0], encNs: 'abcd' }] } })).toThrow('must be 16 bytes');
  });

  it('is a device kind with both ports and the stimuli scenarios use', () => {
    expect(motionSensorKind.kind).toBe('motion-sensor');
    expect(Object.keys(motionSensorKind.ports)).toEqual(['vu', 'pulses']);
    expect(Object.keys(motionSensorKind.stimuli).sort()).toEqual(['caseOpening', 'fault', 'hardwareSabotage', 'internalDataTransferError', 'pulseTamper', 'replace', 'speedFactor', 'storedDataIntegrityError']);
    expect(motionSensorKind.stimuli.pulseTamper!.toEvent(motionSensorKind.stimuli.pulseTamper!.args.parse({ mode: 'inject', pulsesPerSecond: 5 }), DEVICE)).toEqual({ type: 'pulseTamper', mode: 'inject', pulsesPerSecond: 5 });
    expect(motionSensorKind.stimuli.caseOpening!.toEvent({}, DEVICE)).toEqual({ type: 'sensorEvent', code: 0x24 });
    expect(motionSensorKind.stimuli.speedFactor!.toEvent(motionSensorKind.stimuli.speedFactor!.args.parse({ factor: 0.75 }), DEVICE)).toEqual({ type: 'speedFactor', factor: 0.75 });
    expect(() => motionSensorKind.stimuli.speedFactor!.args.parse({ factor: -1 })).toThrow();
    expect(() => motionSensorKind.options.parse({ keyBits: 100 })).toThrow();
  });
});
