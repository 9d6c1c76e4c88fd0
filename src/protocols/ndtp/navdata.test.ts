import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/bytes.ts';
import { decodeNavData, encodeNavData, type NavRecord } from './navdata.ts';
import { decodePacket, encodePacket, request, resultFor } from './packet.ts';
import { NphResult } from './nph.ts';
import { PROFILES } from './profiles.ts';
import { SEED_EX2_HEX } from './seed-vectors.ts';

const p = PROFILES['seed-ex2'];
const data = fromHex(SEED_EX2_HEX).subarray(25); // the cells, after NPL (15) and NPH (10) headers

describe('navigation data cells', () => {
  it('refuses cells out of Type order, a repeated Number, an unknown Type and a compartment beyond 6', () => {
    // compartment 1 (Type 13) before the sensors (Type 2): swap those two cells
    const swapped = new Uint8Array([...data.subarray(0, 22), ...data.subarray(48, 63), ...data.subarray(22, 48), ...data.subarray(63)]);
    expect(() => decodeNavData(swapped, p)).toThrow(/cell-order: cell Type 2 after Type 13/);
    // sensors before the navigation cell: their values would have no time
    const noTime = new Uint8Array([...data.subarray(22, 48), ...data.subarray(0, 22), ...data.subarray(48)]);
    expect(() => decodeNavData(noTime, p)).toThrow(/cell-order: Type 2 cell before any navigation cell/);
    const repeated = data.slice();
    repeated[48 + 15 + 1] = 1; // compartment 2's Number made 1
    expect(() => decodeNavData(repeated, p)).toThrow(/cell-order: a second Type 13 cell with Number 1/);
    const unknown = data.slice();
    unknown[48] = 14;
    expect(() => decodeNavData(unknown, p)).toThrow(/cell-unknown: cell Type 14/);
    const seventh = data.slice();
    seventh[48 + 5 * 15 + 1] = 7;
    expect(() => decodeNavData(seventh, p)).toThrow(/range: compartment 7 outside 1..6/);
  });

  it('refuses a level that is not a number, and a latitude beyond 90°', () => {
    const nan = data.slice();
    nan.set([0x00, 0x00, 0xc0, 0x7f], 48 + 2); // float32 NaN as compartment 1's level
    expect(() => decodeNavData(nan, p)).toThrow(/range: compartment 1 level NaN/);
    const lat = data.slice();
    new DataView(lat.buffer).setUint32(2 + 8, 900_000_001, true);
    expect(() => decodeNavData(lat, p)).toThrow(/range: latitude/);
  });

  it('writes compartments in ascending order whatever order they are given in', () => {
    const record: NavRecord = {
      nav: { time: 1772438400, lonE7: 376173000, latE7: 557558000, valid: true, east: true, north: true, sos: false, otherFlags: 0, batVoltage: 205, speedAvg: 60, altitude: 150, nsat: 9, pdop: 12 },
      navNumber: 0,
      levels: [
        { compartment: 2, level: 0.5, temperatureC: 12, strength: 96, status: 1 },
        { compartment: 1, level: 0.75, temperatureC: 12, strength: 96, status: 1 },
      ],
    };
    const back = decodeNavData(encodeNavData(record, p), p);
    expect(back.levels.map((l) => [l.compartment, l.level])).toEqual([
      [1, 0.75],
      [2, 0.5],
    ]);
  });

  it('a request and its NPH_RESULT round-trip, the result echoing the request id', () => {
    const req = request(1024, 77, { kind: 'connRequest', request: { protoVersionHigh: 1, protoVersionLow: 0, connectionFlags: 0, peerAddress: 1024, maxPacketSize: 1024 } });
    const decoded = decodePacket(encodePacket(req, p), p);
    expect(decoded).toEqual(req);
    if (decoded.npl !== 'nph') throw new Error('nph expected');
    const answer = decodePacket(encodePacket(resultFor(decoded, 0, NphResult.CLIENT_AUTH_FAILED), p), p);
    expect(answer).toMatchObject({ npl: 'nph', service: 0, requestId: 77, body: { kind: 'result', error: 303 } });
  });
});
