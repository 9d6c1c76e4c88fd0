import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/bytes.ts';
import { DsrcDecodeError } from './dsrc-error.ts';
import { BROADCAST_LID, decodeAirFrame, deframeAir, encodeAirFrame, fcs16 } from './air-frame.ts';
import { encodeTApdu } from './t-apdu.ts';

describe('5.8 GHz air frame (the rig\'s EN 12795 layer 2)', () => {
  it('FCS-16 (X.25) has the catalogue check value 906E', () => {
    expect(fcs16(new TextEncoder().encode('123456789')).toString(16)).toBe('906e');
  });

  it('frames a broadcast BST: 7E FF 80 03 81 <BST> FCS 7E', () => {
    const bst = encodeTApdu({ type: 'bst', beaconManufacturerId: 42, beaconIndividualId: 1, time: 0, profile: 0, mandAids: [2] });
    const frame = encodeAirFrame(BROADCAST_LID, false, bst);
    expect(toHex(frame.subarray(0, 5))).toBe('7eff800381');
    expect(frame.at(-1)).toBe(0x7e);
    expect(decodeAirFrame(frame)).toEqual({ lid: BROADCAST_LID, uplink: false, apdu: { type: 'bst', beaconManufacturerId: 42, beaconIndividualId: 1, time: 0, profile: 0, mandAids: [2] } });
  });

  it('escapes 7E and 7D inside a frame and cuts frames between flags, whatever the chunks', () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => (i % 2 ? 0x7e : 0x7d));
    const frame = encodeAirFrame(Uint8Array.of(0x12, 0x34, 0x56, 0x79), true, encodeTApdu({ type: 'echoResponse', eid: 0, data }));
    expect(frame.subarray(1, -1).includes(0x7e)).toBe(false);
    let held: number[] = [];
    const out: Uint8Array[] = [];
    for (const b of [0x00, ...frame, ...frame]) {
      const r = deframeAir(held, Uint8Array.of(b));
      held = r.held;
      out.push(...r.frames);
    }
    expect(out.map(toHex)).toEqual([toHex(frame), toHex(frame)]);
    expect(held).toEqual([0x7e]);
    expect(decodeAirFrame(out[0]!).apdu).toEqual({ type: 'echoResponse', eid: 0, data });
  });

  it('finds the frame after one cut short on the air: its opening flag closes the fragment', () => {
    const get = encodeAirFrame(Uint8Array.of(0x12, 0x34, 0x56, 0x79), false, encodeTApdu({ type: 'getRequest', eid: 1, attributeIds: [1] }));
    const bst = encodeAirFrame(BROADCAST_LID, false, encodeTApdu({ type: 'release', eid: 0 }));
    const r = deframeAir([], Uint8Array.from([...get.subarray(0, 7), ...bst]));
    expect(r.frames.length).toBe(2);
    expect(() => decodeAirFrame(r.frames[0]!)).toThrow(DsrcDecodeError);
    expect(toHex(r.frames[1]!)).toBe(toHex(bst));
  });

  it('refuses a frame whose FCS does not match (a bit flipped on the air)', () => {
    const frame = encodeAirFrame(BROADCAST_LID, false, encodeTApdu({ type: 'release', eid: 0 }));
    frame[6]! ^= 0x01;
    expect(() => decodeAirFrame(frame)).toThrow(DsrcDecodeError);
  });
});
