import { describe, expect, it } from 'vitest';
import { CMD, decodeWriteVehicle, encodeServiceFrame, encodeWriteVehicle, serviceLinkCodec, takeServiceFrames } from './service-link.ts';

describe('СКЗИ service link framing', () => {
  it('encodes STX LEN CMD DATA CHK', () => {
    expect([...encodeServiceFrame(CMD.readIdentity)]).toEqual([0x02, 0x01, 0x01, 0x00]);
    expect([...encodeServiceFrame(0x90, Uint8Array.of(0x00))]).toEqual([0x02, 0x02, 0x90, 0x00, 0x92]);
  });
  it('splits frames across chunks, skips noise, drops a bad checksum', () => {
    const a = encodeWriteVehicle('XTA210990Y2765432', 'А123ВС77');
    const b = encodeServiceFrame(CMD.readIdentity);
    const bad = encodeServiceFrame(CMD.readIdentity);
    bad[3] = 0x55;
    const all = Uint8Array.of(0xaa, ...a, ...bad, ...b);
    const first = takeServiceFrames(all.subarray(0, 10));
    expect(first.frames).toEqual([]);
    const whole = takeServiceFrames(all);
    expect(whole.frames.map((f) => f.cmd)).toEqual([CMD.writeVehicle, CMD.readIdentity]);
    expect(whole.dropped).toBe(1);
    expect(decodeWriteVehicle(whole.frames[0]!.data)).toEqual({ vin: 'XTA210990Y2765432', vrn: 'А123ВС77' });
    const deframer = serviceLinkCodec.createDeframer();
    expect(deframer.push(a.subarray(0, 5))).toEqual([]);
    expect(deframer.push(a.subarray(5))).toEqual([a]);
  });
  it('refuses a malformed vehicle: a short VIN, an I in the VIN, no plate, a plate of 13', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(decodeWriteVehicle(enc('XTA210990Y276543'))).toBeUndefined();
    expect(decodeWriteVehicle(enc('XTA210990Y2765I32А1'))).toBeUndefined();
    expect(decodeWriteVehicle(enc('XTA210990Y2765432'))).toBeUndefined();
    expect(decodeWriteVehicle(enc('XTA210990Y2765432АААААААААААААА'))).toBeUndefined();
    expect(decodeWriteVehicle(enc('XTA210990Y2765432А'))).toEqual({ vin: 'XTA210990Y2765432', vrn: 'А' });
  });
});
