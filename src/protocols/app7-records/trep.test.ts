import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../crypto/bytes.ts';
import { verifyPlain } from '../../crypto/pki/ec-keys.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { encodeRecordArray, RECORD_TYPE } from './record-array.ts';
import { encodeTrep21, encodeTrep22, encodeTrep24, readTrepArrays, type DownloadSigner } from './trep.ts';

const SERIAL = { serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 };
const vu = TestPki.of().vu(SERIAL);
const signer: DownloadSigner = { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate };
const DAY = Date.UTC(2026, 2, 3);

describe('RecordArray headers', () => {
  it('writes type, size and count big-endian, and an empty array as its header alone', () => {
    expect(toHex(encodeRecordArray(RECORD_TYPE.VuGNSSADRecord, 56, []))).toBe('1600380000');
    expect(toHex(encodeRecordArray(RECORD_TYPE.CurrentDateTime, 4, [fromHex('6955b900')]))).toBe('030004000169' + '55b900');
  });
});

describe('TREP 22', () => {
  const trep = encodeTrep22(
    { day: DAY, odometerAtMidnightKm: 1234, cardIW: [], activities: [{ slot: 'driver', drivingStatus: 'single', cardStatus: 'inserted', activity: 'driving', minute: 600 }], places: [], gnssAccumulatedDriving: [], specificConditions: [] },
    signer,
  );
  it('carries the arrays of DDP_030 in order, empty ones as headers, VuGNSSADRecordArray not VuGNSSCD', () => {
    const arrays = readTrepArrays(trep);
    expect(arrays.map((a) => a.name)).toEqual([
      'DateOfDayDownloadedRecordArray',
      'OdometerValueMidnightRecordArray',
      'VuCardIWRecordArray',
      'VuActivityDailyRecordArray',
      'VuPlaceDailyWorkPeriodRecordArray',
      'VuGNSSADRecordArray',
      'VuSpecificConditionRecordArray',
      'SignatureRecordArray',
    ]);
    expect(toHex(trep.subarray(0, 9 + 8))).toBe('06000400016' + '9a62480' + '0500030001' + '0004d2');
    expect(toHex(arrays[3]!.bytes)).toBe('0100020001' + '1a58');
    expect(toHex(arrays[5]!.bytes)).toBe('1600380000');
    expect(toHex(arrays[7]!.bytes.subarray(0, 5))).toBe('0800400001');
  });
  it('signs all preceding arrays with VU_Sign', () => {
    const arrays = readTrepArrays(trep);
    const signed = trep.subarray(0, arrays[7]!.offset);
    expect(verifyPlain('brainpoolP256r1', fromHex(vu.vuSign.key.publicPoint), signed, arrays[7]!.records[0]!)).toBe(true);
    expect(verifyPlain('brainpoolP256r1', fromHex(vu.vuMa.key.publicPoint), signed, arrays[7]!.records[0]!)).toBe(false);
  });
});

describe('TREP 21 and 24', () => {
  it('signs the overview without its certificates', () => {
    const trep = encodeTrep21(
      { vin: 'WDB9634031L000001', registrationNumber: 'B-RIG-001', currentTime: DAY, minDownloadableTime: DAY - 86_400_000, maxDownloadableTime: DAY, slots: { driver: 'driver', codriver: 'none' }, lastDownload: null, companyLocks: [], controls: [] },
      signer,
    );
    const arrays = readTrepArrays(trep);
    expect(arrays.map((a) => a.recordType)).toEqual([0x04, 0x0f, 0x0a, 0x0b, 0x03, 0x13, 0x02, 0x14, 0x10, 0x11, 0x08]);
    expect(toHex(arrays[0]!.records[0]!)).toBe(vu.mscaCertificate);
    expect(toHex(arrays[6]!.bytes)).toBe('020001000101');
    expect(toHex(arrays[3]!.bytes)).toBe('0b000e0001' + '01' + toHex(new TextEncoder().encode('B-RIG-001    ')));
    const signed = trep.subarray(arrays[2]!.offset, arrays[10]!.offset);
    expect(verifyPlain('brainpoolP256r1', fromHex(vu.vuSign.key.publicPoint), signed, arrays[10]!.records[0]!)).toBe(true);
  });
  it('writes one 64-byte VuDetailedSpeedBlock per minute', () => {
    const speeds = Array.from({ length: 60 }, (_, i) => i);
    const arrays = readTrepArrays(encodeTrep24([{ begin: DAY / 1000, speeds }], signer));
    expect(toHex(arrays[0]!.bytes.subarray(0, 12))).toBe('1200400001' + '69a62480' + '000102');
  });
});
