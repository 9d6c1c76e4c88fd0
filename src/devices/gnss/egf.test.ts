import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../harness/clock/index.ts';
import type { PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { createWorld } from '../../harness/world/index.ts';
import { decodeResponse, encodeCommand, readBinary, readRecord, selectByAid, selectByFid, updateBinary, writeRecord, type CommandApdu } from '../../protocols/apdu/index.ts';
import { createT1State, deframeT1, t1Receive, t1Send, type T1State } from '../../protocols/t1/index.ts';
import { egfMachine } from './machine.ts';
import { egfOptions } from './options.ts';

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/ /g, ''), 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** A VU-side T=1 master driving the EGF actor over an ideal line, block by block. */
function egf(options: Record<string, unknown> = {}) {
  const clock = new VirtualClock({ start: T0 });
  const world = createWorld(clock);
  const actor = createActor(egfMachine(egfOptions.parse({ plainAccess: true, ...options }), clock, world), { clock });
  const wire: Uint8Array[] = [];
  actor.on('port.tx', (e: PortTxEmitted) => wire.push(e.bytes));
  actor.start();
  let master: T1State = createT1State();
  let held: number[] = [];
  /** Sends raw bytes and returns the blocks the EGF answered. */
  const raw = (bytes: Uint8Array) => {
    wire.length = 0;
    actor.send({ type: 'port.rx', port: 'vu', bytes });
    const d = deframeT1(held, Uint8Array.from(wire.flatMap((b) => [...b])));
    held = d.held;
    return d.frames;
  };
  /** Runs one APDU through T=1 (chaining both ways) and returns the response. */
  const apdu = (c: CommandApdu) => {
    let step = t1Send(master, encodeCommand(c));
    for (let guard = 0; guard < 20; guard++) {
      master = step.state;
      const replies = step.out.flatMap((b) => raw(b));
      if (replies.length !== 1) throw new Error(`expected one block from the EGF, got ${replies.length}`);
      step = t1Receive(master, replies[0]!);
      if (step.message) {
        master = step.state;
        return decodeResponse(step.message);
      }
    }
    throw new Error('no response');
  };
  return { clock, world, actor, apdu, raw, wire };
}

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('external GNSS facility', () => {
  it('serves the RMC and GSA records of the world at 1 Hz, chained over IFS 32', async () => {
    const e = egf();
    e.world.vehicle.setSpeed(90);
    e.world.vehicle.setHeading(90);
    await e.clock.advance(60_000);
    expect(e.apdu(selectByAid(h('FF445445474D'))).sw).toBe(0x9000);
    expect(e.apdu(selectByFid(0x2f2f)).sw).toBe(0x9000);
    const rmc = e.apdu(readRecord(1, 85));
    expect(rmc.sw).toBe(0x9000);
    expect(text(rmc.data)).toBe('$GNRMC,080100.00,A,5051.018,N,00422.384,E,48.6,90.0,020326,,,D,S*36');
    const gsa = [2, 3, 4, 5, 6].map((n) => text(e.apdu(readRecord(n, 85)).data));
    expect(gsa[0]).toBe('$GPGSA,A,3,02,05,07,13,15,20,24,30,,,,,1.6,0.9,1.3,1*22');
    expect(gsa[3]).toBe('$GBGSA,A,1,,,,,,,,,,,,,,,,4*14');
    await e.clock.advance(1_000);
    expect(text(e.apdu(readRecord(1, 85)).data)).toBe('$GNRMC,080101.00,A,5051.018,N,00422.405,E,48.6,90.0,020326,,,D,S*39');
    // GNS_26: the record read becomes the current one: P1 '00' reads it again.
    expect(text(e.apdu(readRecord(0, 85)).data).slice(0, 16)).toBe('$GNRMC,080101.00');
  });

  it('holds the serial number, identification records, certificates and EF.ICC', () => {
    const e = egf({ serialNumber: { serialNumber: 0x01020304, monthYear: '0326', type: 8, manufacturerCode: 0x40 } });
    expect(e.apdu(selectByFid(0x0002, 0x02)).sw).toBe(0x9000);
    expect(x(encodeResp(e.apdu(readBinary(0, 8))))).toBe('0102030403260840' + '9000');
    e.apdu(selectByAid(h('FF445445474D')));
    e.apdu(selectByFid(0x2f2f));
    expect(x(encodeResp(e.apdu(readRecord(7, 85))))).toBe('0102030403260840' + '9000');
    expect(text(e.apdu(readRecord(9, 85)).data)).toBe('e1-RIG-EGF-0001 ');
    expect(e.apdu(readRecord(0x17, 85)).sw).toBe(0x6a83);
    expect(e.apdu(readBinary(0, 8)).sw).toBe(0x6981);
    expect(e.apdu(selectByFid(0xc100)).sw).toBe(0x9000);
    const cert = e.apdu(readBinary(0, 204));
    expect([cert.sw, cert.data.length, cert.data.every((b) => b === 0)]).toEqual([0x9000, 204, true]);
    expect(e.apdu(updateBinary(0, h('01'))).sw).toBe(0x6982);
    expect(e.apdu(readRecord(1, 85)).sw).toBe(0x6981);
    expect(e.apdu(selectByFid(0x1234)).sw).toBe(0x6a82);
    // Without a secure messaging session a protected command has no keys to be checked with.
    expect(e.apdu(readRecord(1, 85, 0x0c)).sw).toBe(0x6982);
  });

  it("refuses EF EGF and EF VU without secure messaging: '6982' (App. 12 Table 1, SM-MAC)", () => {
    const e = egf({ plainAccess: false });
    e.apdu(selectByAid(h('FF445445474D')));
    e.apdu(selectByFid(0x2f2f));
    expect(e.apdu(readRecord(1, 85)).sw).toBe(0x6982);
    e.apdu(selectByFid(0x2f30));
    expect(e.apdu(writeRecord(1, h('69A5 4C00'))).sw).toBe(0x6982);
    // The certificates stay readable in plain (ALW).
    expect(e.apdu(selectByFid(0xc100)).sw).toBe(0x9000);
    expect(e.apdu(readBinary(0, 4)).sw).toBe(0x9000);
  });

  it('takes the VU RTC time and maximal time difference in EF VU 2F30 (GNS_23a)', () => {
    const e = egf();
    e.apdu(selectByAid(h('FF445445474D')));
    expect(e.apdu(readRecord(1, 4)).sw).toBe(0x6986);
    e.apdu(selectByFid(0x2f30));
    expect(e.apdu(writeRecord(1, h('69A5 4C00'))).sw).toBe(0x9000);
    expect(e.apdu(writeRecord(2, h('000A'))).sw).toBe(0x9000);
    expect(e.apdu(writeRecord(2, h('0A'))).sw).toBe(0x6700);
    expect(e.apdu(writeRecord(3, h('0A'))).sw).toBe(0x6a83);
    expect(x(e.apdu(readRecord(1, 4)).data)).toBe('69A54C00');
    e.apdu(selectByFid(0x2f2f));
    expect(e.apdu(writeRecord(1, h('00'))).sw).toBe(0x6982);
  });

  it('reads record 01 as 12 x FF after more than 3 h without a fix (GNS_30), and recovers with the fix', async () => {
    const e = egf();
    e.apdu(selectByAid(h('FF445445474D')));
    e.apdu(selectByFid(0x2f2f));
    await e.clock.advance(10_000);
    e.world.gnss.setAvailable(false);
    await e.clock.advance(1_000);
    expect(text(e.apdu(readRecord(1, 85)).data)).toBe('$GNRMC,080011.00,V,,,,,,,020326,,,N,V*14');
    // The last fix was at 08:00:10: exactly 3 h later is not "more than 3 h".
    await e.clock.runUntil(T0 + 10_000 + 3 * 3_600_000);
    expect(e.apdu(readRecord(1, 85)).data[0]).toBe(0x24);
    await e.clock.advance(1);
    expect(x(encodeResp(e.apdu(readRecord(1, 85))))).toBe('FF'.repeat(12) + '9000');
    e.world.gnss.setAvailable(true);
    await e.clock.advance(1_000);
    expect(text(e.apdu(readRecord(1, 85)).data).slice(0, 19)).toBe('$GNRMC,110011.00,A,');
  });

  it('keeps the last sentence while the receiver is silent, then 12 x FF after 3 h', async () => {
    const e = egf();
    e.apdu(selectByAid(h('FF445445474D')));
    e.apdu(selectByFid(0x2f2f));
    e.actor.send({ type: 'receiver', on: false });
    await e.clock.advance(3 * 3_600_000);
    expect(text(e.apdu(readRecord(1, 85)).data)).toBe('$GNRMC,080000.00,A,5051.018,N,00421.102,E,0.0,0.0,020326,,,D,S*3B');
    await e.clock.advance(1_000);
    expect(e.apdu(readRecord(1, 85)).data).toEqual(new Uint8Array(12).fill(0xff));
  });

  it("answers '6690' to everything once tampered, its memory erased (GNS_29)", () => {
    const e = egf();
    e.actor.send({ type: 'tamper' });
    expect(e.apdu(selectByAid(h('FF445445474D'))).sw).toBe(0x6690);
    expect(e.apdu(readRecord(1, 85)).sw).toBe(0x6690);
    expect((e.actor.getSnapshot().context as { memory: { transparent: object } }).memory.transparent).toEqual({});
  });

  it("answers '6400' for EF EGF while faulty (App. 2 TCS_41, TCS_43), the rest of its files unaffected, and recovers", async () => {
    const e = egf();
    expect(e.apdu(selectByAid(h('FF445445474D'))).sw).toBe(0x9000);
    expect(e.apdu(selectByFid(0x2f2f)).sw).toBe(0x9000);
    e.actor.send({ type: 'fault', on: true });
    // EF EGF current before the fault: its records cannot be read
    expect(e.apdu(readRecord(1, 85))).toEqual({ data: new Uint8Array(0), sw: 0x6400 });
    expect(e.apdu(selectByFid(0xc100)).sw).toBe(0x9000);
    expect(e.apdu(readBinary(0, 8)).sw).toBe(0x9000);
    // selecting it fails, and leaves the current file as it was
    expect(e.apdu(selectByFid(0x2f2f)).sw).toBe(0x6400);
    expect(e.apdu(readRecord(1, 85)).sw).toBe(0x6981);
    expect(e.apdu(selectByFid(0x2f30)).sw).toBe(0x9000);
    expect(e.apdu(readRecord(1, 4)).sw).toBe(0x9000);
    e.actor.send({ type: 'fault', on: false });
    expect(e.apdu(selectByFid(0x2f2f)).sw).toBe(0x9000);
    expect(text(e.apdu(readRecord(1, 85)).data)).toMatch(/^\$GNRMC,080000\.00,A,/);
  });

  it('falls silent when tampered with tamperResponse silent, or on the silence stimulus', () => {
    const e = egf({ tamperResponse: 'silent' });
    e.actor.send({ type: 'tamper' });
    expect(e.raw(h('000005008400000889'))).toEqual([]);
    const f = egf();
    f.actor.send({ type: 'silence', on: true });
    expect(f.raw(encodeT1(selectByAid(h('FF445445474D'))))).toEqual([]);
    f.actor.send({ type: 'silence', on: false });
    expect(f.raw(encodeT1(selectByAid(h('FF445445474D')))).map(x)).toEqual(['000002900092']);
  });

  it('answers a bad LRC with an R-block, a resynch with its response, and drops a block cut short (CWT)', async () => {
    const e = egf();
    const select = encodeT1(selectByAid(h('FF445445474D')));
    const bad = Uint8Array.from(select);
    bad[bad.length - 1] ^= 0xff;
    expect(e.raw(bad).map(x)).toEqual(['00810081']);
    expect(e.raw(select).map(x)).toEqual(['000002900092']);
    expect(e.raw(h('00C000C0')).map(x)).toEqual(['00E000E0']);
    expect(e.raw(select.subarray(0, 5))).toEqual([]);
    await e.clock.advance(100);
    expect(e.raw(select).map(x)).toEqual(['000002900092']);
  });
});

function encodeResp(r: { data: Uint8Array; sw: number }): Uint8Array {
  return Uint8Array.from([...r.data, r.sw >> 8, r.sw & 0xff]);
}

function encodeT1(c: CommandApdu): Uint8Array {
  return t1Send(createT1State(), encodeCommand(c)).out[0]!;
}
