import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import { crc16Modbus } from './crc16-modbus.ts';
import { NdtpError } from './ndtp-error.ts';
import { decodeAnyProfile, decodePacket, encodePacket, ndtpPortCodec } from './packet.ts';
import { PROFILES } from './profiles.ts';
import { navDegrees } from './navdata.ts';
import { SEED_EX1_HEX, SEED_EX2_HEX } from './seed-vectors.ts';

const ex1 = fromHex(SEED_EX1_HEX);
const ex2 = fromHex(SEED_EX2_HEX);

describe('seed 001 packets', () => {
  it('are 81 and 163 bytes whose CRC-16/MODBUS over the data is 0x665A (MSB first) and 0x6E31 (LSB first)', () => {
    expect(ex1.length).toBe(81);
    expect(ex2.length).toBe(163);
    expect(crc16Modbus(ex1.subarray(15))).toBe(0x665a);
    expect(crc16Modbus(ex2.subarray(15))).toBe(0x6e31);
  });

  it('ex1 decodes under seed-ex1 to the digest values and re-encodes byte for byte', () => {
    const packet = decodePacket(ex1, PROFILES['seed-ex1']);
    expect(packet).toMatchObject({ npl: 'nph', peerAddress: 0, nplRequestId: 0, nplFlags: 2, service: 1, flags: 1, requestId: 1433 });
    if (packet.npl !== 'nph' || packet.body.kind !== 'realtime') throw new Error('not realtime');
    const r = packet.body.record;
    expect(r.navNumber).toBe(0);
    expect(r.nav).toEqual({
      time: 1330518931,
      lonE7: 496715249,
      latE7: 585969583,
      valid: true,
      east: true,
      north: true,
      sos: false,
      otherFlags: 0,
      batVoltage: 208,
      speedAvg: 0,
      speedMax: 0,
      course: 81,
      track: 0,
      altitude: 141,
      nsat: 8,
      pdop: 0,
    });
    expect(new Date(r.nav.time * 1000).toISOString()).toBe('2012-02-29T12:35:31.000Z');
    expect(navDegrees(r.nav)).toEqual({ lat: 58.5969583, lon: 49.6715249 });
    expect(r.sensorsNumber).toBe(0);
    expect(r.sensors).toEqual({ analog: [0, 0, 0, 0], digitalIn: 0, digitalOut: 0, counters: [0, 0, 0, 0], odometer: 51247, csq: 31, gprsState: 4, accelEnergy: 0, extVolt: 0 });
    expect(r.levels).toEqual([]);
    expect(toHex(encodePacket(packet, PROFILES['seed-ex1'])).toUpperCase()).toBe(SEED_EX1_HEX);
  });

  it('ex2 decodes under seed-ex2 with six compartments and re-encodes byte for byte', () => {
    const packet = decodePacket(ex2, PROFILES['seed-ex2']);
    if (packet.npl !== 'nph' || packet.body.kind !== 'realtime') throw new Error('not realtime');
    const r = packet.body.record;
    expect(r.nav).toEqual({ time: 1330518931, lonE7: 496715249, latE7: 585969583, valid: true, east: true, north: true, sos: false, otherFlags: 0, batVoltage: 208, speedAvg: 0, altitude: 141, nsat: 8, pdop: 0 });
    expect(r.sensors).toEqual({ analog: [0, 0, 0, 0], digitalIn: 0, digitalOut: 0, counters: [0, 0, 0, 0], odometer: 51247, csq: 31, gprsState: 4 });
    expect(r.levels.map((l) => l.compartment)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const l of r.levels) {
      expect(l.level).toBe(Math.fround(0.93518));
      expect(l.temperatureC).toBe(20);
      expect(l.strength).toBe(Math.fround(88.88));
      expect(l.status).toBe(1);
    }
    expect(toHex(encodePacket(packet, PROFILES['seed-ex2'])).toUpperCase()).toBe(SEED_EX2_HEX);
  });

  it('each is refused under the other profile, for its CRC byte order, and the trace finds the right one', () => {
    expect(() => decodePacket(ex1, PROFILES['seed-ex2'])).toThrow(/crc: CRC 0x665A stored MSB first; profile seed-ex2 stores it LSB first/);
    expect(() => decodePacket(ex2, PROFILES['seed-ex1'])).toThrow(NdtpError);
    expect(decodeAnyProfile(ex1).profile.name).toBe('seed-ex1');
    expect(decodeAnyProfile(ex2).profile.name).toBe('seed-ex2');
  });
});

describe('the trace codec', () => {
  it('cuts and describes frames in the profile that fits, and gives the reason for a damaged one', () => {
    const d = ndtpPortCodec.createDeframer();
    const damaged = ex1.slice();
    damaged[30] ^= 0x40;
    const frames = d.push(concatBytes(fromHex('00FF'), ex2, damaged));
    expect(frames.map((f) => f.length)).toEqual([163, 81]);
    expect(ndtpPortCodec.describe(frames[0]!)).toEqual({
      profile: 'seed-ex2',
      peerAddress: 0,
      requestId: 1433,
      packet: 'NPH_SND_REALTIME',
      time: '2012-02-29T12:35:31.000Z',
      valid: true,
      lat: 58.5969583,
      lon: 49.6715249,
      speed: 0,
      nsat: 8,
      levels: [1, 2, 3, 4, 5, 6].map((n) => ({ n, level: 0.9352 })),
    });
    expect(() => ndtpPortCodec.describe(frames[1]!)).toThrow(/^crc: /);
  });
});
