import { describe, expect, it } from 'vitest';
import { toHex } from '../../crypto/index.ts';
import {
  decodeExtendedSerialNumber,
  decodeIdentificationFile,
  decodePairingInformation,
  decodeSecurityEventsFile,
  encodeExtendedSerialNumber,
  encodeIdentificationFile,
  encodePairingInformation,
  encodeSecurityEventsFile,
  newSensorEvents,
} from './payloads.ts';

describe('link payload layouts', () => {
  it('ExtendedSerialNumber: 4-byte serial, BCD MMYY, type, manufacturer (App. 1 §2.72)', () => {
    const s = { serialNumber: 12345, monthYear: '0726', type: 7, manufacturerCode: 0x10 };
    expect(toHex(encodeExtendedSerialNumber(s))).toBe('0000303907260710');
    expect(decodeExtendedSerialNumber(encodeExtendedSerialNumber(s))).toEqual(s);
    expect(() => encodeExtendedSerialNumber({ ...s, monthYear: '1326' })).toThrow("monthYear is MMYY, got '1326'");
  });

  it('identification file: Ns then the approval number, left-aligned, space-padded to 16', () => {
    const bytes = encodeIdentificationFile({ sensorSerialNumber: '0000303907260710', sensorApprovalNumber: 'e1-0042' });
    expect(toHex(bytes)).toBe('0000303907260710' + '65312d30303432' + '20'.repeat(9));
    expect(decodeIdentificationFile(bytes)).toEqual({ sensorSerialNumber: '0000303907260710', sensorApprovalNumber: 'e1-0042' });
  });

  it('pairing information: TimeReal, VU serial, Ns, KM version, 3 reserved bytes', () => {
    const p = { pairingDate: 1_772_438_400, vuSerialNumber: '000001c8f1250610', sensorSerialNumber: '0000303907260710', kmVersion: 2 };
    const bytes = encodePairingInformation(p);
    expect(toHex(bytes)).toBe('69a54380' + '000001c8f1250610' + '0000303907260710' + '02' + '000000');
    expect(decodePairingInformation(bytes)).toEqual(p);
  });

  it('security events: counts of 21..25, new events from two reads, wrapping at 256', () => {
    expect(toHex(encodeSecurityEventsFile([1, 0, 0, 2, 255]))).toBe('01000002ff000000');
    expect(decodeSecurityEventsFile(encodeSecurityEventsFile([1, 0, 0, 2, 255]))).toEqual([1, 0, 0, 2, 255]);
    expect(newSensorEvents([1, 0, 0, 2, 255], [1, 0, 0, 3, 1])).toEqual([
      { code: 0x24, occurrences: 1 },
      { code: 0x25, occurrences: 2 },
    ]);
    expect(newSensorEvents([0, 0, 0, 0, 0], [0, 0, 0, 0, 0])).toEqual([]);
  });
});
