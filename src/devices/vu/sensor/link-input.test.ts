import { describe, expect, it } from 'vitest';
import { TestMsca } from '../../../crypto/index.ts';
import { vuOptionsSchema } from '../vu-options.ts';
import { sensorLinkInput, sessionAfterEvents, vuSerialNumber } from './link-input.ts';

describe("the VU's side of the sensor link", () => {
  it('holds the test MSCA KM-VU of its version and length, and its serial number as ExtendedSerialNumber', () => {
    const options = vuOptionsSchema.parse({ motionSensor: { kmVuVersion: 2, keyBits: 192, checkPeriodMs: 30_000 } });
    expect(sensorLinkInput(options, null)).toEqual({
      kmVu: new TestMsca(16844).vuKey(2, 192).key,
      kmVersion: 2,
      keyBits: 192,
      vuGeneration: 2,
      // serial number 1, month 01 year 26 (BCD), equipment type 6 (VU), manufacturer 0x40
      vuSerialNumber: '0000000101260640',
      timing: { requestPeriodMs: 30_000, answerTimeoutMs: 1_000 },
      session: null,
    });
    expect(vuSerialNumber(vuOptionsSchema.parse({ identification: { serialNumber: { serialNumber: 0x01020304, monthYear: '1229', manufacturerCode: 0xa1 } } }))).toBe('01020304122906a1');
  });

  it('takes a real KM-VU when given, which must be as long as its key length', () => {
    const kmVu = '00112233445566778899AABBCCDDEEFF';
    expect(sensorLinkInput(vuOptionsSchema.parse({ motionSensor: { kmVu } }), null).kmVu).toBe(kmVu.toLowerCase());
    expect(() => vuOptionsSchema.parse({ motionSensor: { kmVu, keyBits: 256 } })).toThrow('kmVu must be as long as keyBits says');
  });

  it("keeps the sensor's event counts with the session, modulo 256", () => {
    const session = { ns: '0000000101260710', ks: '00'.repeat(16), kmVersion: 1, eventCounts: [0, 0, 0, 250, 3] };
    expect(sessionAfterEvents(session, 0x24, 10).eventCounts).toEqual([0, 0, 0, 4, 3]);
    expect(sessionAfterEvents(session, 0x21, 1).eventCounts).toEqual([1, 0, 0, 250, 3]);
  });
});
